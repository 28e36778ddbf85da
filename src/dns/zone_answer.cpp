// The lookup state machine: exact match, CNAME chase, wildcard synthesis,
// referral, NXDOMAIN/NODATA, then additional-section processing. RRsets are
// never copied: wildcard owners are rewritten on a shallow knot_rrset_t copy
// and libknot writes (and compresses) the wire directly from snapshot data.
#include "dns/zone_answer.h"

#include <array>

namespace dnsplane::dns {

namespace {

constexpr int kCnameChainMax = 5;  // Knot 3.2: at most 5 CNAMEs followed
constexpr int kMaxWildcardVisits = kCnameChainMax + 2;

enum class State { Hit, Miss, NoData, Deleg, Follow, Trunc, Error };

class Resolver {
  public:
    Resolver(const ZoneSnapshot& zone, knot_pkt_t* pkt, std::uint16_t qtype, bool udp)
        : zone_(zone), pkt_(pkt), qtype_(qtype), udp_(udp) {}

    ZoneAnswer run(const knot_dname_t* lower_qname) {
        sname_ = lower_qname;
        knot_pkt_begin(pkt_, KNOT_ANSWER);
        State state = solve_name();
        // Authoritative unless a referral; decided before any CNAME chase.
        if (state != State::Deleg) knot_wire_set_aa(pkt_->wire);
        while (state == State::Follow) state = solve_name();
        if (done(state)) return result(state);

        knot_pkt_begin(pkt_, KNOT_AUTHORITY);
        state = solve_authority(state);
        if (done(state)) return result(state);

        knot_pkt_begin(pkt_, KNOT_ADDITIONAL);
        state = solve_additional(state);
        return result(state);
    }

  private:
    static bool done(State s) { return s == State::Trunc || s == State::Error; }

    ZoneAnswer result(State s) const {
        ZoneAnswer out;
        out.rcode = rcode_;
        out.failed = s == State::Error;
        return out;
    }

    static State from_put(int ret) {
        if (ret == KNOT_EOK) return State::Hit;
        return ret == KNOT_ESPACE ? State::Trunc : State::Error;
    }

    // Writes one RRset. In the answer section a wildcard owner becomes the
    // name being resolved (RFC 4592 synthesis); with the QNAME hint libknot
    // writes the owner as a pointer to the question, keeping its case.
    int put(const knot_rrset_t& rr, std::uint16_t hint, std::uint16_t flags) {
        knot_rrset_t copy = rr;
        if (pkt_->current == KNOT_ANSWER && knot_dname_is_wildcard(rr.owner)) {
            if (hint == KNOT_COMPR_HINT_NONE) copy.owner = const_cast<knot_dname_t*>(sname_);
            // A synthesised RRset is a new RRset: no duplicate check by rdata.
            flags &= ~KNOT_PF_CHECKDUP;
        }
        return knot_pkt_put(pkt_, hint, &copy, flags);
    }

    bool wildcard_visited(const ZoneNode* node) const {
        for (int i = 0; i < visited_count_; ++i) {
            if (visited_[i] == node) return true;
        }
        return false;
    }
    void visit_wildcard(const ZoneNode* node) {
        if (zone_.cut(*node) || wildcard_visited(node)) return;
        if (visited_count_ < kMaxWildcardVisits) visited_[visited_count_++] = node;
    }

    State solve_name() {
        if (!zone_.contains(sname_)) return State::Hit;  // chain left the zone
        auto found = zone_.lookup(sname_);
        encloser_ = found.encloser;
        if (found.match) {
            node_ = found.match;
            return name_found();
        }
        return name_not_found();
    }

    State name_found() {
        // DS at a cut belongs to the parent side; everything else at or below
        // a cut is a referral.
        const ZoneNode* cut = zone_.cut(*node_);
        if (cut && (cut != node_ || qtype_ != KNOT_RRTYPE_DS)) {
            cut_ = cut;
            return State::Deleg;
        }
        if (node_->find(KNOT_RRTYPE_CNAME) && qtype_ != KNOT_RRTYPE_CNAME &&
            qtype_ != KNOT_RRTYPE_RRSIG && qtype_ != KNOT_RRTYPE_NSEC &&
            qtype_ != KNOT_RRTYPE_ANY) {
            return follow_cname();
        }
        std::uint16_t before = pkt_->rrset_count;
        State s = put_answer();
        if (s != State::Hit) return s;
        return pkt_->rrset_count == before ? State::NoData : State::Hit;
    }

    State put_answer() {
        const knot_rrset_t* rr = nullptr;
        if (qtype_ == KNOT_RRTYPE_ANY) {
            // RFC 8482 as Knot does it: one RRset, the lowest type present.
            if (!node_->rrsets.empty()) rr = &node_->rrsets.front();
        } else {
            rr = node_->find(qtype_);
        }
        if (!rr) return State::Hit;
        std::uint16_t hint = pkt_->rrset_count == 0 ? KNOT_COMPR_HINT_QNAME : KNOT_COMPR_HINT_NONE;
        int ret = put(*rr, hint, udp_ ? KNOT_PF_NULL : KNOT_PF_NOTRUNC);
        if (ret == KNOT_ESPACE && !udp_) return State::Error;
        return from_put(ret);
    }

    State follow_cname() {
        if (++cname_chain_ > kCnameChainMax) {
            node_ = nullptr;
            return State::Hit;
        }
        const ZoneNode* cname_node = node_;
        const knot_rrset_t& cname = *cname_node->find(KNOT_RRTYPE_CNAME);
        std::uint16_t before = pkt_->rrset_count;
        int ret = put(cname, KNOT_COMPR_HINT_NONE, KNOT_PF_CHECKDUP);
        if (ret != KNOT_EOK) return from_put(ret);
        if (pkt_->rrset_count <= before) {  // already in the answer: a loop
            node_ = nullptr;
            return State::Hit;
        }
        if (knot_dname_is_wildcard(cname_node->owner)) {
            if (wildcard_visited(cname_node)) {  // synthesised loop
                node_ = nullptr;
                return State::Hit;
            }
            visit_wildcard(cname_node);
        }
        // Continue with the target (lower-cased into per-step storage, since
        // a later wildcard synthesis may use it as an owner).
        auto& buf = names_[cname_chain_ % names_.size()];
        knot_dname_copy_lower(buf, knot_cname_name(cname.rrs.rdata));
        sname_ = buf;
        return State::Follow;
    }

    State name_not_found() {
        if (const ZoneNode* wildcard = zone_.wildcard_child(*encloser_)) {
            node_ = wildcard;
            State s = name_found();
            visit_wildcard(wildcard);
            return s;
        }
        // At or below a cut (the closest encloser is the delegation point, an
        // ENT or glue under it): referral.
        if (const ZoneNode* cut = zone_.cut(*encloser_)) {
            node_ = cut_ = cut;
            return State::Deleg;
        }
        return State::Miss;
    }

    State solve_authority(State state) {
        switch (state) {
            case State::Hit:
                return state;
            case State::Miss:
                rcode_ = KNOT_RCODE_NXDOMAIN;
                [[fallthrough]];
            case State::NoData: {
                // RFC 2308 5: negative TTL = min(SOA TTL, SOA minimum).
                int ret = knot_pkt_put(pkt_, KNOT_COMPR_HINT_NONE, &zone_.soa_rrset(),
                                       KNOT_PF_NOTRUNC | KNOT_PF_SOAMINTTL);
                return ret == KNOT_EOK ? state : from_put(ret);
            }
            case State::Deleg: {
                const ZoneNode* cut = cut_;
                node_ = cut;
                int ret = knot_pkt_put(pkt_, KNOT_COMPR_HINT_NONE, cut->find(KNOT_RRTYPE_NS), 0);
                return ret == KNOT_EOK ? state : from_put(ret);
            }
            default:
                return State::Error;
        }
    }

    // RFC 1034 4.3.2 step 6 / Knot: A and AAAA of NS/MX/SRV targets found in
    // this zone, for every RRset already in ANSWER and AUTHORITY. Only glue a
    // referral needs may set TC; the rest is dropped silently when full.
    State solve_additional(State state) {
        const std::uint16_t count = pkt_->rrset_count;
        int ret = KNOT_EOK;
        // Targets are resolved now (not stored with the RRset), so that a
        // version shares RRsets whose targets changed. Mandatory glue (NS
        // targets at or below a cut) first, then the rest, as Knot orders them.
        for (std::uint16_t i = 0; i < count && ret == KNOT_EOK; ++i) {
            const knot_rrset_t rr = pkt_->rr[i];
            if (!knot_rrtype_additional_needed(rr.type)) continue;
            const bool two_passes = rr.type == KNOT_RRTYPE_NS;
            for (int pass = two_passes ? 0 : 1; pass < 2 && ret == KNOT_EOK; ++pass) {
                const knot_rdata_t* rd = rr.rrs.rdata;
                for (std::uint16_t j = 0; j < rr.rrs.count && ret == KNOT_EOK;
                     ++j, rd = knot_rdataset_next(const_cast<knot_rdata_t*>(rd))) {
                    GlueRef glue;
                    if (!zone_.glue_for(rd, rr.type, rr.owner, glue)) continue;
                    if (two_passes && glue.optional != (pass == 1)) continue;
                    ret = put_glue(glue, state);
                }
            }
        }
        if (ret == KNOT_EOK) return state;
        return from_put(ret);
    }

    int put_glue(const GlueRef& glue, State state) {
        std::uint16_t flags =
            (state != State::Deleg || glue.optional) ? KNOT_PF_NOTRUNC : KNOT_PF_NULL;
        for (std::uint16_t type : {KNOT_RRTYPE_A, KNOT_RRTYPE_AAAA}) {
            const knot_rrset_t* addr = glue.node->find(type);
            if (!addr) continue;
            knot_rrset_t copy = *addr;
            copy.owner = const_cast<knot_dname_t*>(glue.name);
            int ret = knot_pkt_put(pkt_, KNOT_COMPR_HINT_NONE, &copy, flags);
            if (ret != KNOT_EOK) return ret;
        }
        return KNOT_EOK;
    }

    const ZoneSnapshot& zone_;
    knot_pkt_t* pkt_;
    const std::uint16_t qtype_;
    const bool udp_;
    std::uint16_t rcode_ = KNOT_RCODE_NOERROR;
    const knot_dname_t* sname_ = nullptr;
    const ZoneNode* node_ = nullptr;
    const ZoneNode* encloser_ = nullptr;
    const ZoneNode* cut_ = nullptr;  // the delegation point of a Deleg state
    int cname_chain_ = 0;
    std::array<const ZoneNode*, kMaxWildcardVisits> visited_{};
    int visited_count_ = 0;
    std::array<knot_dname_storage_t, 2> names_{};
};

}  // namespace

ZoneAnswer answer_from_zone(const ZoneSnapshot& zone, knot_pkt_t* pkt,
                            const knot_dname_t* lower_qname, std::uint16_t qtype, bool udp) {
    return Resolver(zone, pkt, qtype, udp).run(lower_qname);
}

}  // namespace dnsplane::dns
