// Test helpers for the DNS unit tests: zones from core model values, query
// messages built with libknot, and responses parsed back into text lines.
#pragma once

#include "dns/wire_libknot.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/model.h"
#include "dns/query_engine.h"
#include "dns/zone_catalog.h"
#include "dns/zone_snapshot.h"

namespace dnsplane::dns::test {

inline core::Zone make_zone(const std::string& name, std::uint32_t serial = 100) {
    core::Zone z;
    z.id = "zone-" + name;
    z.name = name;
    z.email = "hostmaster@" + name.substr(0, name.size() - 1);
    z.ttl = 3600;
    z.serial = serial;
    z.refresh = 3500;
    z.retry = 600;
    z.expire = 86400;
    z.minimum = 300;
    return z;
}

inline core::RecordSet make_set(const std::string& name, const std::string& type,
                                std::vector<std::string> data,
                                std::optional<std::uint32_t> ttl = std::nullopt) {
    core::RecordSet rs;
    rs.id = "rs-" + name + "-" + type;
    rs.name = name;
    rs.type = type;
    rs.ttl = ttl;
    for (std::size_t i = 0; i < data.size(); ++i) {
        rs.records.push_back(core::Record{rs.id + "-" + std::to_string(i), data[i]});
    }
    return rs;
}

// Record sets from "owner TYPE rdata" lines (owner relative to `origin` or
// "@"); lines with the same owner and type are merged into one set.
inline std::vector<core::RecordSet> sets_from_lines(const std::string& origin,
                                                    const std::vector<std::string>& lines) {
    std::map<std::pair<std::string, std::string>, std::vector<std::string>> grouped;
    std::vector<std::pair<std::string, std::string>> order;
    for (const std::string& line : lines) {
        auto sp1 = line.find(' ');
        auto sp2 = line.find(' ', sp1 + 1);
        std::string owner = line.substr(0, sp1);
        std::string type = line.substr(sp1 + 1, sp2 - sp1 - 1);
        std::string data = line.substr(sp2 + 1);
        std::string abs = owner == "@" ? origin : owner + "." + origin;
        auto key = std::make_pair(abs, type);
        if (!grouped.contains(key)) order.push_back(key);
        grouped[key].push_back(data);
    }
    std::vector<core::RecordSet> out;
    for (auto& key : order) out.push_back(make_set(key.first, key.second, grouped[key]));
    return out;
}

// The zone used across tests (mirrors what was checked against knotd 3.2).
inline std::vector<std::string> example_lines() {
    return {
        "@ SOA ns1.example.org. hostmaster.example.org. 1 3500 600 86400 300",
        "@ NS ns1.example.org.",
        "@ NS ns2.example.net.",
        "@ MX 10 mail.example.org.",
        "@ MX 20 mx.other.test.",
        "@ A 192.0.2.1",
        "@ TXT \"v=spf1 -all\"",
        "ns1 A 192.0.2.53",
        "ns1 AAAA 2001:db8::53",
        "mail A 192.0.2.25",
        "mail AAAA 2001:db8::25",
        "www CNAME web.example.org.",
        "web A 192.0.2.80",
        "chain1 CNAME chain2.example.org.",
        "chain2 CNAME chain3.example.org.",
        "chain3 A 192.0.2.3",
        "loop1 CNAME loop2.example.org.",
        "loop2 CNAME loop1.example.org.",
        "out CNAME www.example.net.",
        "a.b.c.ent A 192.0.2.9",
        "*.wild A 192.0.2.77",
        "*.wild TXT \"wild\"",
        "exists.wild AAAA 2001:db8::77",
        "*.wc CNAME web.example.org.",
        "*.wcmx MX 5 mail.example.org.",
        "_sip._tcp SRV 10 60 5060 sip.example.org.",
        "sip A 192.0.2.50",
        "sub NS ns.sub.example.org.",
        "sub NS ns.elsewhere.test.",
        "ns.sub A 192.0.2.60",
        "sub DS 12345 8 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
        "nog NS ns.other.test.",
        "*.top TXT \"top wildcard\"",
        "deleg2 NS ns.deleg2.example.org.",
        "ns.deleg2 AAAA 2001:db8::60",
        "cname2deleg CNAME x.sub.example.org.",
        "cname2wild CNAME foo.wild.example.org.",
        "dupmx MX 10 mail.example.org.",
        "dupmx MX 20 mail.example.org.",
        "wmx MX 10 foo.wild.example.org.",
        "gluemx MX 10 ns.sub.example.org.",
        "cbig CNAME big.example.org.",
        "big TXT \"" + std::string(180, 'a') + "\" \"" + std::string(180, 'b') + "\" \"" +
            std::string(180, 'c') + "\"",
    };
}

inline ZoneSnapshotPtr example_zone(std::uint32_t serial = 100) {
    return build_snapshot(make_zone("example.org.", serial),
                          sets_from_lines("example.org.", example_lines()));
}

struct QueryOptions {
    bool edns = true;
    std::uint16_t bufsize = 1232;
    std::uint8_t version = 0;
    bool dnssec_ok = false;
    std::uint16_t id = 0x1234;
    std::uint16_t qclass = KNOT_CLASS_IN;
    std::uint8_t opcode = KNOT_OPCODE_QUERY;
    bool rd = true;
};

// A query message (wire) built with libknot.
inline std::vector<std::uint8_t> make_query(const std::string& qname, std::uint16_t qtype,
                                            QueryOptions o = {}) {
    knot_pkt_t* pkt = knot_pkt_new(nullptr, KNOT_WIRE_MAX_PKTSIZE, nullptr);
    knot_wire_set_id(pkt->wire, o.id);
    knot_wire_set_opcode(pkt->wire, o.opcode);
    if (o.rd) knot_wire_set_rd(pkt->wire);
    knot_dname_storage_t name;
    knot_dname_from_str(name, qname.c_str(), sizeof(name));
    knot_pkt_put_question(pkt, name, o.qclass, qtype);
    if (o.edns) {
        knot_pkt_begin(pkt, KNOT_ADDITIONAL);
        knot_rrset_t opt;
        knot_edns_init(&opt, o.bufsize, 0, o.version, nullptr);
        if (o.dnssec_ok) knot_edns_set_do(&opt);
        knot_pkt_put(pkt, 0, &opt, KNOT_PF_FREE);
    }
    std::vector<std::uint8_t> out(pkt->wire, pkt->wire + pkt->size);
    knot_pkt_free(pkt);
    return out;
}

// A parsed response: header facts and each section as "owner ttl TYPE rdata".
struct Response {
    bool answered = false;  // false: answer_query dropped the message
    std::uint16_t id = 0;
    std::uint16_t rcode = 0;  // extended (with OPT bits)
    bool aa = false, tc = false, rd = false, qr = false, cd = false;
    std::uint16_t qdcount = 0;
    std::string question;  // "name TYPE" as in the wire (case kept)
    std::vector<std::string> answer, authority, additional;
    bool has_opt = false;
    std::uint16_t opt_payload = 0;
    bool opt_do = false;
    std::optional<std::uint16_t> ede;
    std::size_t size = 0;
};

inline std::string rr_line(const knot_rrset_t* rr, std::uint16_t i) {
    char owner[KNOT_DNAME_TXT_MAXLEN + 1];
    knot_dname_to_str(owner, rr->owner, sizeof(owner));
    char type[32];
    knot_rrtype_to_string(rr->type, type, sizeof(type));
    std::vector<char> data(70000);
    knot_rrset_txt_dump_data(rr, i, data.data(), data.size(), &KNOT_DUMP_STYLE_DEFAULT);
    return std::string(owner) + " " + std::to_string(rr->ttl) + " " + type + " " + data.data();
}

inline Response parse_response(const std::vector<std::uint8_t>& wire) {
    Response r;
    r.size = wire.size();
    std::vector<std::uint8_t> copy = wire;
    knot_pkt_t* pkt = knot_pkt_new(copy.data(), copy.size(), nullptr);
    if (knot_pkt_parse(pkt, KNOT_PF_NOCANON) != KNOT_EOK) {
        knot_pkt_free(pkt);
        throw std::runtime_error("response does not parse");
    }
    r.answered = true;
    r.id = knot_wire_get_id(pkt->wire);
    r.aa = knot_wire_get_aa(pkt->wire);
    r.tc = knot_wire_get_tc(pkt->wire);
    r.rd = knot_wire_get_rd(pkt->wire);
    r.qr = knot_wire_get_qr(pkt->wire);
    r.cd = knot_wire_get_cd(pkt->wire);
    r.qdcount = knot_wire_get_qdcount(pkt->wire);
    r.rcode = knot_pkt_ext_rcode(pkt);
    if (r.qdcount == 1) {
        char qname[KNOT_DNAME_TXT_MAXLEN + 1];
        knot_dname_to_str(qname, knot_pkt_wire_qname(pkt), sizeof(qname));
        char type[32];
        knot_rrtype_to_string(knot_pkt_qtype(pkt), type, sizeof(type));
        r.question = std::string(qname) + " " + type;
    }
    auto dump = [&](knot_section_t s, std::vector<std::string>& out) {
        const knot_pktsection_t* sec = knot_pkt_section(pkt, s);
        for (std::uint16_t i = 0; i < sec->count; ++i) {
            const knot_rrset_t* rr = knot_pkt_rr(sec, i);
            if (rr->type == KNOT_RRTYPE_OPT) continue;
            for (std::uint16_t j = 0; j < rr->rrs.count; ++j) out.push_back(rr_line(rr, j));
        }
    };
    dump(KNOT_ANSWER, r.answer);
    dump(KNOT_AUTHORITY, r.authority);
    dump(KNOT_ADDITIONAL, r.additional);
    if (pkt->opt_rr) {
        r.has_opt = true;
        r.opt_payload = knot_edns_get_payload(pkt->opt_rr);
        r.opt_do = knot_edns_do(pkt->opt_rr);
        if (std::uint8_t* ede = knot_pkt_edns_option(pkt, KNOT_EDNS_OPTION_EDE)) {
            r.ede = knot_wire_read_u16(knot_edns_opt_get_data(ede));
        }
    }
    knot_pkt_free(pkt);
    return r;
}

// Runs one query through answer_query and parses the result.
inline Response ask(const ZoneCatalog& catalog, const std::vector<std::uint8_t>& query,
                    QueryLimits limits = {}) {
    std::vector<std::uint8_t> out;
    if (!answer_query(catalog, query, limits, out)) return Response{};
    return parse_response(out);
}

}  // namespace dnsplane::dns::test
