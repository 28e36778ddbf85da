// The pure half of transferring a SECONDARY zone from its master (no
// sockets; the client is xfr_client.h): the answer records of an AXFR
// (RFC 5936) or IXFR (RFC 1995) response stream, read in order, and the one
// change set (service::ZoneEdit carrying the master's SOA) that turns the
// zone as stored into the zone as the master has it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "service/zone_edit.h"

namespace dnsplane::dns {

// Reads a transfer's answer RRs in order and tells when it is complete.
// Records are in presentation form (owner absolute, type mnemonic, rdata as
// libknot prints it).
class XfrStream {
  public:
    enum class Kind { UpToDate, Full, Incremental };
    struct Diff {
        std::uint32_t from_serial = 0;
        std::uint32_t to_serial = 0;
        std::vector<core::ResourceRecord> removed;
        std::vector<core::ResourceRecord> added;
    };

    // `zone`: canonical apex. `ixfr_serial`: the serial an IXFR asked from
    // (nullopt for AXFR).
    XfrStream(std::string zone, std::optional<std::uint32_t> ixfr_serial);

    // Feeds the next answer RR; false (see error()) when the stream is not a
    // valid transfer of the zone. Records after completion are an error.
    bool add(const core::ResourceRecord& rr);
    bool complete() const { return complete_; }
    const std::string& error() const { return error_; }

    // Once complete:
    Kind kind() const { return kind_; }
    // The master's SOA (the first RR): its serial is the zone's new serial.
    const core::ResourceRecord& soa() const { return soa_; }
    // Full: every RR of the zone except the SOA, in the order received.
    const std::vector<core::ResourceRecord>& records() const { return records_; }
    // Incremental: the difference sequences, oldest first.
    const std::vector<Diff>& diffs() const { return diffs_; }

  private:
    bool fail(std::string why);
    enum class State { First, Second, FullBody, Removing, Adding };
    std::string zone_;
    std::optional<std::uint32_t> ixfr_serial_;
    State state_ = State::First;
    bool complete_ = false;
    std::string error_;
    Kind kind_ = Kind::Full;
    core::ResourceRecord soa_;
    std::uint32_t serial_ = 0;
    std::vector<core::ResourceRecord> records_;
    std::vector<Diff> diffs_;
};

// The serial of an SOA rdata in presentation form; nullopt when malformed.
std::optional<std::uint32_t> soa_serial(const std::string& soa_rdata);

// The change set for a complete transfer of `zone` whose record sets are
// `current` (as stored, SOA included or not): ReplaceSet for every RRset the
// master has that differs from ours (values or TTL), DeleteSet for every one
// it no longer has, the master's SOA in ZoneEdit::transfer, and a
// ZoneVersion prerequisite so a zone changed meanwhile is not overwritten.
// Records of types dnsplane does not serve, data that does not parse and
// names outside the zone are left out and counted in `skipped` (with a
// note). nullopt (and `error`) when the transfer cannot apply: an IXFR whose
// first difference does not start at the zone's serial, or that removes a
// record the zone does not hold (the caller then asks for an AXFR).
struct TransferPlan {
    service::ZoneEdit edit;
    std::size_t skipped = 0;
    std::vector<std::string> notes;  // what was skipped and why (first few)
};
std::optional<TransferPlan> plan_transfer(const core::Zone& zone,
                                          const std::vector<core::RecordSet>& current,
                                          const XfrStream& xfr, std::string* error = nullptr);

}  // namespace dnsplane::dns
