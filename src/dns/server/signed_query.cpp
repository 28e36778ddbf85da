#include "dns/server/signed_query.h"

#include <memory>

namespace dnsplane::dns {

namespace {
struct PktDeleter {
    void operator()(knot_pkt_t* p) const { knot_pkt_free(p); }
};
constexpr std::uint16_t kTsigReserve = 512;  // key name, algorithm, MAC, other data
}  // namespace

bool answer_signed_query(const ZoneCatalog& catalog, TsigKeyring& ring,
                         std::span<const std::uint8_t> query, QueryLimits limits,
                         std::vector<std::uint8_t>& out) {
    std::vector<std::uint8_t> wire(query.begin(), query.end());
    std::unique_ptr<knot_pkt_t, PktDeleter> pkt(knot_pkt_new(wire.data(), wire.size(), nullptr));
    if (!pkt || knot_pkt_parse(pkt.get(), 0) != KNOT_EOK || pkt->tsig_rr == nullptr) return false;
    TsigSession tsig;
    const TsigStatus st = tsig.verify(pkt.get(), query, ring.current());
    if (st == TsigStatus::FormErr) return false;
    if (st == TsigStatus::Ok) {
        limits.tsig_verified = true;
        limits.tsig_reserve = kTsigReserve;
        if (!answer_query(catalog, query, limits, out)) return false;
    }
    if (!tsig.sign(out)) {
        // Cannot fit: SERVFAIL, header and question only.
        out.resize(KNOT_WIRE_HEADER_SIZE);
        knot_wire_set_rcode(out.data(), KNOT_RCODE_SERVFAIL);
        knot_wire_set_qdcount(out.data(), 0);
        knot_wire_set_ancount(out.data(), 0);
        knot_wire_set_nscount(out.data(), 0);
        knot_wire_set_arcount(out.data(), 0);
    }
    return true;
}

}  // namespace dnsplane::dns
