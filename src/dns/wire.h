// Small helpers over libknot/libzscanner for the DNS side: presentation <->
// wire names, presentation rdata -> wire rdata (via the zone-file scanner,
// never hand-written encoders), and an owning knot_rrset_t wrapper.
#pragma once

#include "dns/wire_libknot.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

struct zs_scanner;

namespace dnsplane::dns::wire {

// The bytes of a wire name, final zero octet included (a hash key).
inline std::string_view name_bytes(const knot_dname_t* name) {
    return {reinterpret_cast<const char*>(name), knot_dname_size(name)};
}

// Presentation name ("www.Example.org." or without the final dot, which is
// then taken as absolute) -> lower-case wire form. nullopt when invalid.
std::optional<std::string> name_to_wire(std::string_view text);

// Wire name -> presentation text with the final dot ("." for the root).
std::string name_to_text(const knot_dname_t* name);

// "A" -> 1, "TYPE65280" -> 65280; nullopt when unknown.
std::optional<std::uint16_t> type_from_text(std::string_view mnemonic);
std::string type_to_text(std::uint16_t type);

// Converts presentation rdata to wire rdata with libzscanner. One parser per
// thread (the scanner state is ~200 KB, allocated and cleared by each
// construction); not thread-safe.
class RdataParser {
  public:
    // This thread's parser: every caller on the thread shares it, as each
    // parse() is complete in itself.
    static RdataParser& of_this_thread();

    RdataParser();
    ~RdataParser();
    RdataParser(const RdataParser&) = delete;
    RdataParser& operator=(const RdataParser&) = delete;

    // Names inside `text` must be absolute. Returns false (and `error`) when
    // the text does not parse as `type`.
    bool parse(std::uint16_t type, std::string_view text, std::vector<std::uint8_t>& out,
               std::string* error = nullptr);

  private:
    void reset();
    zs_scanner* scanner_;
    bool dirty_ = false;  // after an error the scanner is re-initialised
    std::string line_;
};

// An RRset that owns its owner name and rdata (malloc'ed by libknot).
class OwnedRRset {
  public:
    OwnedRRset(const knot_dname_t* owner, std::uint16_t type, std::uint32_t ttl);
    ~OwnedRRset();
    OwnedRRset(OwnedRRset&& other) noexcept;
    OwnedRRset& operator=(OwnedRRset&& other) noexcept;
    OwnedRRset(const OwnedRRset&) = delete;
    OwnedRRset& operator=(const OwnedRRset&) = delete;

    // Adds one rdata (duplicates are merged, rdata kept in canonical order).
    bool add(std::span<const std::uint8_t> rdata);

    const knot_rrset_t& get() const { return rr_; }
    knot_rrset_t& get() { return rr_; }
    // Hands the rdata over to the caller (who must knot_rdataset_clear it).
    knot_rdataset_t release_rdata();

  private:
    std::unique_ptr<std::uint8_t[]> owner_;
    knot_rrset_t rr_{};
};

// Builds the RRset of one (owner, type, ttl) group of presentation rdata,
// e.g. an IXFR difference. nullopt (and `error`) when a name or rdata is bad.
std::optional<OwnedRRset> make_rrset(std::string_view owner, std::string_view type,
                                     std::uint32_t ttl, std::span<const std::string> rdata,
                                     std::string* error = nullptr);
std::optional<OwnedRRset> make_rrset(const core::ResourceRecord& rr, std::string* error = nullptr);

}  // namespace dnsplane::dns::wire
