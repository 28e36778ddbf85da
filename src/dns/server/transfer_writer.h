// Packs a stream of RRsets into zone-transfer messages (AXFR/IXFR over TCP,
// RFC 5936 2.2): each message at most 65535 octets, same ID as the query,
// QR and AA set, the question repeated in every message, name compression
// within each message. An RRset too large for one message is split across
// messages record by record.
#pragma once

#include "dns/wire_libknot.h"

#include <cstdint>
#include <vector>

namespace dnsplane::dns {

class TransferWriter {
  public:
    // `qname` is the question name as the client wrote it (case preserved).
    // Messages are appended to `out` as they fill. `max_size` is for tests.
    TransferWriter(std::uint16_t id, const knot_dname_t* qname, std::uint16_t qtype,
                   std::vector<std::vector<std::uint8_t>>& out, std::uint16_t max_size = 65535);
    ~TransferWriter();
    TransferWriter(const TransferWriter&) = delete;
    TransferWriter& operator=(const TransferWriter&) = delete;

    // Adds an RRset. The rrset's owner and rdata must stay alive until
    // finish() (the message keeps pointers until it is flushed).
    // Returns false when a single record does not fit in an empty message.
    bool put(const knot_rrset_t& rrset);
    // Flushes the last message (also when empty: a transfer of a lone SOA
    // still answers). Returns the number of messages written.
    std::size_t finish();

  private:
    void begin_message();
    void flush();
    bool put_single_records(const knot_rrset_t& rrset);
    int try_put(const knot_rrset_t& rrset);

    std::uint16_t id_;
    std::vector<std::uint8_t> qname_;
    std::uint16_t qtype_;
    std::vector<std::vector<std::uint8_t>>& out_;
    std::vector<std::uint8_t> buffer_;
    knot_pkt_t* pkt_ = nullptr;
    std::size_t messages_ = 0;
    std::size_t records_in_message_ = 0;
};

}  // namespace dnsplane::dns
