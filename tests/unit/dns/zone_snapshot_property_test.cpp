// Property: a snapshot patched through any sequence of random change sets
// answers exactly like a snapshot rebuilt from scratch from the same final
// record sets (every name/type of interest, NXDOMAIN below each name, AXFR
// order and content, counters). Fixed seeds: repeatable.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "dns/wire.h"
#include "dns_test_util.h"
#include "service/zone_change.h"

namespace dnsplane::dns {
namespace {

using Sets = std::map<std::pair<std::string, std::string>, core::RecordSet>;

std::vector<core::RecordSet> as_vector(const Sets& sets) {
    std::vector<core::RecordSet> v;
    for (const auto& [k, rs] : sets) v.push_back(rs);
    return v;
}

std::string describe(const test::Response& r) {
    std::string out = std::to_string(r.rcode) + (r.aa ? " aa" : "") + (r.tc ? " tc" : "") + "\n";
    for (const auto* sec : {&r.answer, &r.authority, &r.additional}) {
        for (const auto& line : *sec) out += line + "\n";
        out += "--\n";
    }
    return out;
}

std::vector<std::string> axfr(const ZoneSnapshot& z) {
    std::vector<std::string> out;
    z.for_each_rrset([&](const knot_rrset_t& rr) {
        for (std::uint16_t i = 0; i < rr.rrs.count; ++i) out.push_back(test::rr_line(&rr, i));
    });
    return out;
}

// Names under example.org.: plain hosts, deep names (ENTs), wildcards, two
// delegations with glue below them, names below the delegations.
const std::vector<std::string> kLabels = {
    "",       "a",   "b",         "c.d.e",       "x.c.d.e", "*",    "*.w",
    "q.w",    "sub", "ns.sub",    "deep.ns.sub", "x.sub",   "del2", "ns1.del2",
    "*.del2", "m",   "t.u.v.w.z", "u.v.w.z",     "mx",      "cn",   "cn2"};

std::string fqdn(const std::string& label) {
    return label.empty() ? "example.org." : label + ".example.org.";
}

// One random edit of `sets`.
void random_edit(std::mt19937& rng, Sets& sets, int step) {
    const std::string name = fqdn(kLabels[rng() % kLabels.size()]);
    auto value = [&](const std::string& type) -> std::string {
        int n = static_cast<int>(rng() % 4);
        if (type == "A") return "10.0." + std::to_string(step % 3) + "." + std::to_string(n);
        if (type == "AAAA") return "2001:db8::" + std::to_string(n + 1);
        if (type == "TXT") return "\"t" + std::to_string(n) + "\"";
        if (type == "MX") return std::to_string(n) + " " + fqdn(kLabels[rng() % kLabels.size()]);
        if (type == "NS") {
            return rng() % 2 ? "ns.sub.example.org."
                             : (rng() % 2 ? "ns1.del2.example.org." : "ns.other.test.");
        }
        return fqdn(kLabels[rng() % kLabels.size()]);  // CNAME
    };
    static const char* types[] = {"A", "AAAA", "TXT", "MX", "NS", "CNAME"};
    std::string type = types[rng() % 6];
    if (type == "NS" && name == "example.org.") type = "A";  // the apex NS stays
    auto key = std::make_pair(name, type);
    switch (rng() % 5) {
        case 0:
        case 1: {  // add a value (new set or existing)
            auto& rs = sets[key];
            if (rs.name.empty()) rs = test::make_set(name, type, {});
            if (type == "CNAME") rs.records.clear();
            rs.records.push_back({"r" + std::to_string(step), value(type)});
            break;
        }
        case 2:  // delete the set
            sets.erase(key);
            break;
        case 3: {  // remove one value
            auto it = sets.find(key);
            if (it != sets.end() && !it->second.records.empty()) {
                it->second.records.erase(it->second.records.begin() +
                                         static_cast<long>(rng() % it->second.records.size()));
                if (it->second.records.empty()) sets.erase(it);
            }
            break;
        }
        default: {  // TTL change
            auto it = sets.find(key);
            if (it != sets.end()) it->second.ttl = 60 + rng() % 3;
            break;
        }
    }
}

void expect_same_answers(const ZoneSnapshotPtr& patched, const ZoneSnapshotPtr& rebuilt,
                         const std::string& where) {
    ASSERT_EQ(patched->node_count(), rebuilt->node_count()) << where;
    ASSERT_EQ(patched->rrset_count(), rebuilt->rrset_count()) << where;
    ASSERT_EQ(patched->record_count(), rebuilt->record_count()) << where;
    ASSERT_EQ(patched->cut_count(), rebuilt->cut_count()) << where;
    ASSERT_EQ(axfr(*patched), axfr(*rebuilt)) << where;
    ZoneCatalog a, b;
    a.publish(patched);
    b.publish(rebuilt);
    static const std::uint16_t qtypes[] = {KNOT_RRTYPE_A,     KNOT_RRTYPE_AAAA, KNOT_RRTYPE_TXT,
                                           KNOT_RRTYPE_MX,    KNOT_RRTYPE_NS,   KNOT_RRTYPE_DS,
                                           KNOT_RRTYPE_CNAME, KNOT_RRTYPE_SOA,  KNOT_RRTYPE_ANY};
    for (const std::string& label : kLabels) {
        std::string base = label == "*" ? "any" : label;
        for (std::string name : {fqdn(label), "nx." + fqdn(base), "a.b." + fqdn(base)}) {
            if (name.find('*') != std::string::npos) name.replace(name.find('*'), 1, "star");
            for (std::uint16_t qt : qtypes) {
                auto q = test::make_query(name, qt);
                ASSERT_EQ(describe(test::ask(a, q)), describe(test::ask(b, q)))
                    << where << " " << name << " type " << qt;
            }
        }
    }
}

TEST(ZoneSnapshotProperty, PatchedSnapshotsAnswerLikeRebuiltOnes) {
    for (unsigned seed = 1; seed <= 12; ++seed) {
        std::mt19937 rng(seed);
        core::Zone zone = test::make_zone("example.org.", 1000);
        Sets sets;
        auto put = [&](core::RecordSet rs) { sets[{rs.name, rs.type}] = rs; };
        put(test::make_set("example.org.", "SOA",
                           {"ns1.example.org. hostmaster.example.org. 1 3500 600 86400 300"}));
        put(test::make_set("example.org.", "NS", {"ns1.example.org.", "ns.sub.example.org."}));
        ZoneSnapshotPtr current = build_snapshot(zone, as_vector(sets));
        for (int step = 0; step < 40; ++step) {
            auto before = service::resource_records(as_vector(sets), zone.ttl);
            int edits = 1 + static_cast<int>(rng() % 6);  // a change set
            for (int e = 0; e < edits; ++e) random_edit(rng, sets, step);
            zone.serial++;
            core::ZoneChange change = service::begin_change(zone, zone.serial - 1, zone.serial);
            service::add_difference(change, before,
                                    service::resource_records(as_vector(sets), zone.ttl));
            const core::RecordSet* soa = &sets[{"example.org.", "SOA"}];
            ZoneSnapshotPtr patched = patch_snapshot(*current, zone, soa, change);
            std::string where = "seed " + std::to_string(seed) + " step " + std::to_string(step);
            ASSERT_NE(patched, nullptr) << where;
            ASSERT_EQ(patched->serial(), zone.serial);
            ZoneSnapshotPtr rebuilt = build_snapshot(zone, as_vector(sets));
            expect_same_answers(patched, rebuilt, where);
            if (HasFatalFailure()) return;
            // The base version is untouched by the patch (still answers as before).
            current = patched;
        }
    }
}

// Publishing never changes an older version: a reader holding it keeps
// seeing exactly what it saw.
TEST(ZoneSnapshotProperty, OlderVersionsStayIntact) {
    core::Zone zone = test::make_zone("example.org.", 1);
    std::vector<core::RecordSet> sets = {test::make_set("example.org.", "NS", {"ns1.example.org."}),
                                         test::make_set("a.b.c.example.org.", "A", {"192.0.2.1"})};
    ZoneSnapshotPtr v1 = build_snapshot(zone, sets);
    auto before = axfr(*v1);
    auto nodes = v1->node_count();
    zone.serial = 2;
    core::ZoneChange change = service::begin_change(zone, 1, 2);
    change.removed.push_back({"a.b.c.example.org.", "A", 3600, "192.0.2.1"});
    change.added.push_back({"b.c.example.org.", "NS", 3600, "ns.b.c.example.org."});
    ZoneSnapshotPtr v2 = patch_snapshot(*v1, zone, nullptr, change);
    ASSERT_NE(v2, nullptr);
    EXPECT_EQ(axfr(*v1), before);
    EXPECT_EQ(v1->node_count(), nodes);
    EXPECT_EQ(v1->cut_count(), 0u);
    EXPECT_EQ(v2->cut_count(), 1u);
    EXPECT_EQ(v2->node_count(), 3u);  // apex, c (ENT), b.c (the cut)
    auto w = *wire::name_to_wire("a.b.c.example.org.");
    EXPECT_NE(v1->find_node(w), nullptr);
    EXPECT_EQ(v2->find_node(w), nullptr);
}

}  // namespace
}  // namespace dnsplane::dns
