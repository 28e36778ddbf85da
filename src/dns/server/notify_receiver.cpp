#include "dns/server/notify_receiver.h"

#include "dns/server/secondary_zones.h"
#include "dns/server/tsig.h"
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
    TsigSession tsig;
    if (ok) {
        std::uint8_t rcode = KNOT_RCODE_NOTAUTH;
        // A signed NOTIFY must verify (RFC 8945 5.2); whether the zone needs
        // it signed, and with which key, is the zone's rule (on_notify).
        const TsigStatus status =
            q->tsig_rr ? tsig.verify(q, query, zones.tsig_keys()) : TsigStatus::Unsigned;
        if (status != TsigStatus::Unsigned && status != TsigStatus::Ok) {
            rcode = status == TsigStatus::FormErr ? KNOT_RCODE_FORMERR : KNOT_RCODE_NOTAUTH;
        } else if (knot_pkt_qtype(q) == KNOT_RRTYPE_SOA && knot_pkt_qclass(q) == KNOT_CLASS_IN) {
            rcode = zones.on_notify(wire::name_to_text(knot_pkt_qname(q)), source,
                                    status == TsigStatus::Ok ? tsig.key() : nullptr);
            // Signed with a key that is not the zone's: BADKEY, unsigned.
            if (rcode == KNOT_RCODE_NOTAUTH && status == TsigStatus::Ok) tsig.refuse_key();
        } else {
            rcode = KNOT_RCODE_FORMERR;
        }
        knot_wire_set_aa(r->wire);
        knot_wire_set_rcode(r->wire, rcode);
        out.assign(r->wire, r->wire + r->size);
    }
    knot_pkt_free(r);
    knot_pkt_free(q);
    // The answer to a signed NOTIFY is signed (or carries the TSIG error).
    if (ok && !tsig.sign(out)) return false;
    return ok;
}

}  // namespace dnsplane::dns
