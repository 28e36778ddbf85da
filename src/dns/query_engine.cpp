// Message-level processing around the zone lookup: parse with libknot, drop
// what must be dropped, EDNS (RFC 6891), size limits, opcode/class/qtype
// routing, REFUSED outside our zones, error responses, counters. The shape of
// every error response follows Knot DNS 3.2 (question kept when it parsed,
// OPT kept when EDNS was accepted, no AA).
#include "dns/query_engine.h"

#include <algorithm>
#include <cstring>

#include "dns/packet_arena.h"
#include "dns/stats.h"
#include "dns/zone_answer.h"

namespace dnsplane::dns {

namespace {

constexpr std::uint16_t kEdeNotAuthoritative = 20;  // RFC 8914

// Per-thread buffers and arena: answering allocates nothing in steady state.
struct ThreadContext {
    PacketArena arena;
    std::uint8_t query[KNOT_WIRE_MAX_PKTSIZE];
    std::uint8_t response[KNOT_WIRE_MAX_PKTSIZE];
};

ThreadContext& thread_context() {
    thread_local std::unique_ptr<ThreadContext> ctx = std::make_unique<ThreadContext>();
    return *ctx;
}

class Responder {
  public:
    Responder(const ZoneCatalog& catalog, const QueryLimits& limits, knot_pkt_t* query,
              knot_pkt_t* resp, knot_mm_t* mm)
        : catalog_(catalog), limits_(limits), q_(query), r_(resp), mm_(mm) {
        knot_rrset_init_empty(&opt_);
    }

    // Builds the response for a query that parsed (or not: `parsed_ok`).
    void run(bool parsed_ok) {
        if (!parsed_ok) return fail(KNOT_RCODE_FORMERR);
        if (!prepare()) return;
        if (!knot_pkt_qname(q_)) {
            // Every supported opcode needs a question.
            std::uint8_t op = knot_wire_get_opcode(q_->wire);
            return fail(op == KNOT_OPCODE_QUERY || op == KNOT_OPCODE_NOTIFY ||
                                op == KNOT_OPCODE_UPDATE
                            ? KNOT_RCODE_FORMERR
                            : KNOT_RCODE_NOTIMPL);
        }
        std::uint16_t qclass = knot_pkt_qclass(q_);
        if (qclass == KNOT_CLASS_CH) {
            // No CHAOS identity names are served (Knot answers version.bind
            // and id.server here; everything else is REFUSED there too).
            return fail(normal_query() ? KNOT_RCODE_REFUSED : KNOT_RCODE_NOTIMPL);
        }
        if (qclass != KNOT_CLASS_IN && qclass != KNOT_CLASS_ANY) return fail(KNOT_RCODE_REFUSED);

        if (knot_wire_get_opcode(q_->wire) != KNOT_OPCODE_QUERY) return fail(KNOT_RCODE_NOTIMPL);
        switch (knot_pkt_qtype(q_)) {
            case 0:
            case KNOT_RRTYPE_AXFR:
                return fail(KNOT_RCODE_NOTIMPL);
            case KNOT_RRTYPE_IXFR:
                return ixfr_over_udp();
            default:
                return answer();
        }
    }

  private:
    bool normal_query() const {
        std::uint16_t t = knot_pkt_qtype(q_);
        return knot_wire_get_opcode(q_->wire) == KNOT_OPCODE_QUERY && t != 0 &&
               t != KNOT_RRTYPE_AXFR && t != KNOT_RRTYPE_IXFR;
    }

    // Response header/question, EDNS and the size limit. False when an error
    // response was produced instead (BADVERS).
    bool prepare() {
        if (knot_pkt_init_response(r_, q_) != KNOT_EOK) {
            fail(KNOT_RCODE_FORMERR);
            return false;
        }
        knot_wire_clear_cd(r_->wire);
        if (knot_pkt_has_edns(q_)) {
            if (knot_edns_init(&opt_, limits_.max_udp_payload, 0, KNOT_EDNS_VERSION, mm_) !=
                KNOT_EOK) {
                fail(KNOT_RCODE_SERVFAIL);
                return false;
            }
            if (knot_pkt_has_dnssec(q_)) knot_edns_set_do(&opt_);
            if (knot_edns_get_version(q_->opt_rr) != KNOT_EDNS_VERSION) {
                fail(KNOT_RCODE_BADVERS);
                return false;
            }
        }
        if (limits_.transport == Transport::Udp) {
            std::size_t size = KNOT_WIRE_MIN_PKTSIZE;
            if (knot_pkt_has_edns(q_)) {
                std::uint16_t client = knot_edns_get_payload(q_->opt_rr);
                size = std::max<std::size_t>(size, std::min(client, limits_.max_udp_payload));
            }
            r_->max_size = size;
        } else {
            r_->max_size = KNOT_WIRE_MAX_PKTSIZE;
        }
        if (!knot_rrset_empty(&opt_)) knot_pkt_reserve(r_, knot_edns_wire_size(&opt_));
        if (limits_.tsig_verified && limits_.tsig_reserve)
            knot_pkt_reserve(r_, limits_.tsig_reserve);
        return true;
    }

    // The zone for a question: the longest suffix we serve; for DS the parent
    // side first (RFC 4035 3.1.4.1), falling back to the name itself.
    const ZoneSnapshot* find_zone(const knot_dname_t* lower_qname, std::uint16_t qtype) const {
        if (qtype == KNOT_RRTYPE_DS && *lower_qname != 0) {
            if (auto* z = catalog_.find_fast(knot_wire_next_label(lower_qname, nullptr))) return z;
        }
        return catalog_.find_fast(lower_qname);
    }

    void answer() {
        const knot_dname_t* qname = knot_pkt_qname(q_);  // lower-cased by libknot
        std::uint16_t qtype = knot_pkt_qtype(q_);
        const ZoneSnapshot* zone = find_zone(qname, qtype);
        if (!zone) {
            ede_ = kEdeNotAuthoritative;
            return fail(KNOT_RCODE_REFUSED);
        }
        // A signed query is answered only once the server verified it
        // (dns/server/signed_query.h); here it cannot be (RFC 8945 5.2; Knot
        // answers NOTAUTH the same way without a matching key).
        if (knot_pkt_has_tsig(q_) && !limits_.tsig_verified) return fail(KNOT_RCODE_NOTAUTH);
        // A SECONDARY zone without (current) data from its master (RFC 1035 4.3.5: expired).
        if (zone->unserved()) return fail(KNOT_RCODE_SERVFAIL);
        ZoneAnswer a =
            answer_from_zone(*zone, r_, qname, qtype, limits_.transport == Transport::Udp);
        if (a.failed) return fail(KNOT_RCODE_SERVFAIL);
        finish(a.rcode);
    }

    // RFC 1995 4: an IXFR that cannot be answered over UDP gets the current
    // SOA, telling the client to retry over TCP.
    void ixfr_over_udp() {
        const knot_dname_t* qname = knot_pkt_qname(q_);
        const ZoneSnapshot* zone = catalog_.find_fast(qname);
        if (!zone || !knot_dname_is_equal(zone->apex_name(), qname) ||
            limits_.transport != Transport::Udp || !limits_.transfer_allowed) {
            return fail(KNOT_RCODE_NOTAUTH);
        }
        if (zone->unserved()) return fail(KNOT_RCODE_SERVFAIL);
        const knot_pktsection_t* auth = knot_pkt_section(q_, KNOT_AUTHORITY);
        if (auth->count < 1 || knot_pkt_rr(auth, 0)->type != KNOT_RRTYPE_SOA ||
            !knot_dname_is_equal(knot_pkt_rr(auth, 0)->owner, qname)) {
            return fail(KNOT_RCODE_FORMERR);
        }
        knot_pkt_begin(r_, KNOT_ANSWER);
        if (knot_pkt_put(r_, KNOT_COMPR_HINT_QNAME, &zone->soa_rrset(), 0) != KNOT_EOK) {
            return fail(KNOT_RCODE_SERVFAIL);
        }
        finish(KNOT_RCODE_NOERROR);
    }

    // Appends OPT (with the extended rcode bits and EDE) and sets the rcode.
    void finish(std::uint16_t rcode) {
        if (r_->current != KNOT_ADDITIONAL) knot_pkt_begin(r_, KNOT_ADDITIONAL);
        if (!knot_rrset_empty(&opt_)) {
            knot_pkt_reclaim(r_, knot_edns_wire_size(&opt_));
            if (ede_ != 0) {
                // Pragmatic, like Knot: only when the option still fits.
                std::uint8_t code[2] = {static_cast<std::uint8_t>(ede_ >> 8),
                                        static_cast<std::uint8_t>(ede_ & 0xff)};
                if (knot_pkt_reserve(r_, knot_edns_wire_size(&opt_) + KNOT_EDNS_EDE_MIN_LENGTH) ==
                    KNOT_EOK) {
                    knot_pkt_reclaim(r_, knot_edns_wire_size(&opt_) + KNOT_EDNS_EDE_MIN_LENGTH);
                    knot_edns_add_option(&opt_, KNOT_EDNS_OPTION_EDE, sizeof(code), code, mm_);
                }
            }
            knot_edns_set_ext_rcode(&opt_, static_cast<std::uint8_t>(rcode >> 4));
            knot_pkt_put(r_, KNOT_COMPR_HINT_NONE, &opt_, KNOT_PF_NOTRUNC);
        } else if (rcode > 0xf) {
            rcode = KNOT_RCODE_SERVFAIL;  // an extended rcode needs OPT
        }
        knot_wire_set_rcode(r_->wire, static_cast<std::uint8_t>(rcode & 0xf));
        rcode_ = rcode;
    }

    // Error response: header + question (when it parsed) + OPT, no AA.
    void fail(std::uint16_t rcode) {
        knot_pkt_init_response(r_, q_);
        knot_wire_clear_cd(r_->wire);
        r_->max_size = KNOT_WIRE_MAX_PKTSIZE;
        finish(rcode);
    }

  public:
    std::uint16_t rcode() const { return rcode_; }

  private:
    const ZoneCatalog& catalog_;
    const QueryLimits& limits_;
    knot_pkt_t* q_;
    knot_pkt_t* r_;
    knot_mm_t* mm_;
    knot_rrset_t opt_;
    std::uint16_t ede_ = 0;
    std::uint16_t rcode_ = 0;
};

}  // namespace

MessageKind classify(std::span<const std::uint8_t> message) {
    if (message.size() < KNOT_WIRE_HEADER_SIZE || knot_wire_get_qr(message.data())) {
        return MessageKind::Drop;
    }
    switch (knot_wire_get_opcode(message.data())) {
        case KNOT_OPCODE_NOTIFY:
            return MessageKind::Notify;
        case KNOT_OPCODE_UPDATE:
            return MessageKind::Update;
        case KNOT_OPCODE_QUERY:
            break;
        default:
            return MessageKind::Query;
    }
    if (knot_wire_get_qdcount(message.data()) != 1) return MessageKind::Query;
    const std::uint8_t* qname = message.data() + KNOT_WIRE_HEADER_SIZE;
    const std::uint8_t* end = message.data() + message.size();
    int len = knot_dname_wire_check(qname, end, nullptr);
    if (len <= 0 || qname + len + 4 > end) return MessageKind::Query;
    switch (knot_wire_read_u16(qname + len)) {
        case KNOT_RRTYPE_AXFR:
            return MessageKind::Axfr;
        case KNOT_RRTYPE_IXFR:
            return MessageKind::Ixfr;
        default:
            return MessageKind::Query;
    }
}

bool answer_query(const ZoneCatalog& catalog, std::span<const std::uint8_t> query,
                  const QueryLimits& limits, std::vector<std::uint8_t>& out, QueryStats* stats) {
    out.clear();
    if (stats) {
        stats->add(QueryStats::Queries);
        stats->add(limits.transport == Transport::Udp ? QueryStats::Udp : QueryStats::Tcp);
    }
    // Too short for a header, a response, or larger than any DNS message:
    // nothing sensible to answer (RFC 1035 4.1.1; Knot ignores these too).
    if (query.size() < KNOT_WIRE_HEADER_SIZE || query.size() > KNOT_WIRE_MAX_PKTSIZE ||
        knot_wire_get_qr(query.data())) {
        if (stats) stats->add(QueryStats::Dropped);
        return false;
    }

    ThreadContext& ctx = thread_context();
    ctx.arena.reset();
    std::memcpy(ctx.query, query.data(), query.size());
    knot_pkt_t* q =
        knot_pkt_new(ctx.query, static_cast<std::uint16_t>(query.size()), ctx.arena.mm());
    knot_pkt_t* r = knot_pkt_new(ctx.response, KNOT_WIRE_MAX_PKTSIZE, ctx.arena.mm());
    if (!q || !r) {
        if (stats) stats->add(QueryStats::Dropped);
        return false;
    }
    // A parse error with a readable header answers FORMERR (trailing bytes,
    // bad names, compression loops, QDCOUNT > 1, several OPT RRs, ...).
    bool parsed_ok = knot_pkt_parse(q, 0) == KNOT_EOK && q->parsed == q->size;

    Responder responder(catalog, limits, q, r, ctx.arena.mm());
    responder.run(parsed_ok);
    out.assign(r->wire, r->wire + r->size);

    if (stats) {
        stats->add(QueryStats::Responses);
        stats->add_rcode(responder.rcode());
        if (knot_wire_get_tc(r->wire)) stats->add(QueryStats::Truncated);
    }
    return true;
}

}  // namespace dnsplane::dns
