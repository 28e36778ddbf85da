#include "dns/server/notify_receiver.h"

#include "dns/server/secondary_zones.h"
#include "dns/wire.h"
#include "dns/wire_libknot.h"

namespace dnsplane::dns {

bool answer_notify(std::span<const std::uint8_t> query, const boost::asio::ip::address& source,
                   SecondaryZones& zones, std::vector<std::uint8_t>& out) {
    std::vector<std::uint8_t> copy(query.begin(), query.end());
    knot_pkt_t* q = knot_pkt_new(copy.data(), copy.size(), nullptr);
    if (q == nullptr) return false;
    std::vector<std::uint8_t> buf(512);
    knot_pkt_t* r = knot_pkt_new(buf.data(), buf.size(), nullptr);
    bool ok = r != nullptr && knot_pkt_parse(q, 0) == KNOT_EOK && q->qname_size > 0 &&
              knot_pkt_init_response(r, q) == KNOT_EOK;
    if (ok) {
        std::uint8_t rcode = KNOT_RCODE_NOTAUTH;
        if (knot_pkt_qtype(q) == KNOT_RRTYPE_SOA && knot_pkt_qclass(q) == KNOT_CLASS_IN)
            rcode = zones.on_notify(wire::name_to_text(knot_pkt_qname(q)), source);
        else
            rcode = KNOT_RCODE_FORMERR;
        knot_wire_set_aa(r->wire);
        knot_wire_set_rcode(r->wire, rcode);
        out.assign(r->wire, r->wire + r->size);
    }
    knot_pkt_free(r);
    knot_pkt_free(q);
    return ok;
}

}  // namespace dnsplane::dns
