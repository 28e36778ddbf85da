#include "dns/server/update.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <utility>

#include "core/name.h"

namespace dnsplane::dns {

namespace {

using service::EditOp;
using service::EditOpKind;
using service::Prerequisite;
using service::PrerequisiteKind;

std::string name_text(const knot_dname_t* name) {
    char* s = knot_dname_to_str_alloc(name);
    std::string out = s ? s : "";
    free(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string type_text(std::uint16_t type) {
    char buf[32];
    if (knot_rrtype_to_string(type, buf, sizeof buf) < 0) return "TYPE" + std::to_string(type);
    return buf;
}

// rdata `i` of `rr` in presentation form (the service canonicalises it).
bool rdata_text(const knot_rrset_t* rr, std::size_t i, std::string& out) {
    std::vector<char> buf(1024);
    for (;;) {
        const int n =
            knot_rrset_txt_dump_data(rr, i, buf.data(), buf.size(), &KNOT_DUMP_STYLE_DEFAULT);
        if (n >= 0) {
            out.assign(buf.data(), static_cast<std::size_t>(n));
            return true;
        }
        if (buf.size() >= (1u << 20)) return false;
        buf.resize(buf.size() * 4);
    }
}

bool rdata_empty(const knot_rrset_t* rr) {
    return rr->rrs.count == 0 || (rr->rrs.count == 1 && rr->rrs.rdata->len == 0);
}

bool meta_type(std::uint16_t type) {
    // ANY, AXFR, IXFR, MAILA, MAILB, OPT, TSIG, TKEY
    return knot_rrtype_is_metatype(type) || type == KNOT_RRTYPE_ANY || type == KNOT_RRTYPE_AXFR ||
           type == KNOT_RRTYPE_IXFR || type == 253 || type == 254;
}

UpdateTranslation fail(UpdateTranslation t, std::uint8_t rcode, std::string why) {
    t.rcode = rcode;
    t.error = std::move(why);
    t.edit = {};
    t.prerequisite_rcodes.clear();
    return t;
}

service::EditTarget target(const std::string& zone_id, std::string name, std::string type = {}) {
    service::EditTarget tg;
    tg.zone_id = zone_id;
    tg.name = std::move(name);
    tg.type = std::move(type);
    return tg;
}

}  // namespace

UpdateTranslation translate_update(const knot_pkt_t* pkt, const std::string& zone_id,
                                   const std::string& zone_name) {
    UpdateTranslation t;
    t.edit.want_operation_results = false;  // an UPDATE answers with an RCODE only
    const std::uint16_t zclass = knot_pkt_qclass(pkt);

    // Prerequisites (RFC 2136 3.2). Value-dependent ones are grouped by name
    // and type into one SetEquals each, in order of first appearance.
    const knot_pktsection_t* pre = knot_pkt_section(pkt, KNOT_ANSWER);
    std::map<std::pair<std::string, std::string>, std::size_t> equals_at;
    for (std::uint16_t i = 0; i < pre->count; ++i) {
        const knot_rrset_t* rr = knot_pkt_rr(pre, i);
        if (rr->ttl != 0) return fail(t, KNOT_RCODE_FORMERR, "prerequisite with TTL != 0");
        const std::string name = name_text(rr->owner);
        if (!core::is_subdomain(name, zone_name))
            return fail(t, KNOT_RCODE_NOTZONE, "prerequisite name outside the zone");
        Prerequisite p;
        std::uint8_t rcode = KNOT_RCODE_NOERROR;
        if (rr->rclass == KNOT_CLASS_ANY || rr->rclass == KNOT_CLASS_NONE) {
            if (!rdata_empty(rr)) return fail(t, KNOT_RCODE_FORMERR, "prerequisite with data");
            const bool any = rr->rclass == KNOT_CLASS_ANY;
            if (rr->type == KNOT_RRTYPE_ANY) {
                p.kind = any ? PrerequisiteKind::NameExists : PrerequisiteKind::NameAbsent;
                p.target = target(zone_id, name);
                rcode = any ? KNOT_RCODE_NXDOMAIN : KNOT_RCODE_YXDOMAIN;
            } else {
                if (meta_type(rr->type))
                    return fail(t, KNOT_RCODE_FORMERR, "prerequisite of a meta type");
                p.kind = any ? PrerequisiteKind::SetExists : PrerequisiteKind::SetAbsent;
                p.target = target(zone_id, name, type_text(rr->type));
                rcode = any ? KNOT_RCODE_NXRRSET : KNOT_RCODE_YXRRSET;
            }
        } else if (rr->rclass == zclass) {
            if (meta_type(rr->type))
                return fail(t, KNOT_RCODE_FORMERR, "prerequisite of a meta type");
            const std::string type = type_text(rr->type);
            std::string value;
            for (std::uint16_t j = 0; j < rr->rrs.count; ++j) {
                if (!rdata_text(rr, j, value))
                    return fail(t, KNOT_RCODE_FORMERR, "unreadable prerequisite data");
                auto key = std::make_pair(name, type);
                auto it = equals_at.find(key);
                if (it == equals_at.end()) {
                    Prerequisite eq;
                    eq.kind = PrerequisiteKind::SetEquals;
                    eq.target = target(zone_id, name, type);
                    equals_at.emplace(key, t.edit.prerequisites.size());
                    t.edit.prerequisites.push_back(std::move(eq));
                    t.prerequisite_rcodes.push_back(KNOT_RCODE_NXRRSET);
                    it = equals_at.find(key);
                }
                auto& values = t.edit.prerequisites[it->second].values;
                if (std::find(values.begin(), values.end(), value) == values.end())
                    values.push_back(value);
            }
            continue;
        } else {
            return fail(t, KNOT_RCODE_FORMERR, "prerequisite of another class");
        }
        t.edit.prerequisites.push_back(std::move(p));
        t.prerequisite_rcodes.push_back(rcode);
    }

    // Updates: prescan (3.4.1) and translation (3.4.2) in one pass; a format
    // error anywhere refuses the whole message before any change.
    const knot_pktsection_t* up = knot_pkt_section(pkt, KNOT_AUTHORITY);
    for (std::uint16_t i = 0; i < up->count; ++i) {
        const knot_rrset_t* rr = knot_pkt_rr(up, i);
        const std::string name = name_text(rr->owner);
        if (!core::is_subdomain(name, zone_name))
            return fail(t, KNOT_RCODE_NOTZONE, "update name outside the zone");
        const bool at_apex = name == zone_name;
        const bool managed = rr->type == KNOT_RRTYPE_SOA || (at_apex && rr->type == KNOT_RRTYPE_NS);
        EditOp op;
        op.missing_ok = true;
        if (rr->rclass == zclass) {
            if (meta_type(rr->type) || rdata_empty(rr))
                return fail(t, KNOT_RCODE_FORMERR, "add of a meta type or without data");
            op.kind = EditOpKind::AddValues;
            op.target = target(zone_id, name, type_text(rr->type));
            std::vector<std::string> values;
            std::string value;
            for (std::uint16_t j = 0; j < rr->rrs.count; ++j) {
                if (!rdata_text(rr, j, value))
                    return fail(t, KNOT_RCODE_FORMERR, "unreadable update data");
                values.push_back(value);
            }
            if (rr->type == KNOT_RRTYPE_CNAME) {
                // A CNAME replaces the CNAME there (RFC 2136 3.4.2.2).
                op.kind = EditOpKind::ReplaceSet;
                op.only_if_changed = true;
                values.erase(values.begin(), values.end() - 1);
            }
            op.records = std::move(values);
            op.ttl = std::optional<std::int64_t>(static_cast<std::int64_t>(rr->ttl));
        } else if (rr->rclass == KNOT_CLASS_ANY) {
            if (rr->ttl != 0 || !rdata_empty(rr))
                return fail(t, KNOT_RCODE_FORMERR, "delete with TTL or data");
            if (rr->type == KNOT_RRTYPE_ANY) {
                op.kind = EditOpKind::DeleteName;  // keeps the apex SOA and NS
                op.target = target(zone_id, name);
            } else {
                if (meta_type(rr->type))
                    return fail(t, KNOT_RCODE_FORMERR, "delete of a meta type");
                op.kind = EditOpKind::DeleteSet;
                op.target = target(zone_id, name, type_text(rr->type));
            }
        } else if (rr->rclass == KNOT_CLASS_NONE) {
            if (rr->ttl != 0 || meta_type(rr->type) || rdata_empty(rr))
                return fail(t, KNOT_RCODE_FORMERR,
                            "delete of one RR with TTL, meta type or no data");
            op.kind = EditOpKind::RemoveValues;
            op.target = target(zone_id, name, type_text(rr->type));
            std::vector<std::string> values;
            std::string value;
            for (std::uint16_t j = 0; j < rr->rrs.count; ++j) {
                if (!rdata_text(rr, j, value))
                    return fail(t, KNOT_RCODE_FORMERR, "unreadable update data");
                values.push_back(value);
            }
            op.records = std::move(values);
        } else {
            return fail(t, KNOT_RCODE_FORMERR, "update of another class");
        }
        if (managed && op.kind != EditOpKind::DeleteName) {
            // The managed SOA (anywhere: SOA only exists at the apex) and the
            // apex NS belong to the server (RFC 2136 3.4.2.2/3.4.2.3/3.4.2.4).
            ++t.ignored;
            continue;
        }
        t.edit.operations.push_back(std::move(op));
    }
    return t;
}

std::uint8_t update_rcode(const core::Error& e, const UpdateTranslation& t) {
    const std::size_t ops = t.edit.operations.size();
    if (e.kind() == core::ErrorKind::PreconditionFailed && e.operation() && *e.operation() >= ops) {
        const std::size_t i = *e.operation() - ops;
        if (i < t.prerequisite_rcodes.size()) return t.prerequisite_rcodes[i];
    }
    switch (e.kind()) {
        case core::ErrorKind::Unavailable:
        case core::ErrorKind::Internal:
            return KNOT_RCODE_SERVFAIL;
        default:
            return KNOT_RCODE_REFUSED;
    }
}

}  // namespace dnsplane::dns
