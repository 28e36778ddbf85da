// Building snapshots from core model values: nodes, empty non-terminals,
// SOA handling, zone cuts, wildcards, additional targets, AXFR iteration.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "dns/wire.h"
#include "dns_test_util.h"
#include "service/zone_change.h"

namespace dnsplane::dns {
namespace {

const ZoneNode* node(const ZoneSnapshot& z, const std::string& name) {
    auto w = wire::name_to_wire(name);
    return w ? z.find_node(*w) : nullptr;
}

std::string text(const knot_dname_t* name) {
    return wire::name_to_text(name);
}

TEST(ZoneSnapshot, BuildsNodesAndEmptyNonTerminals) {
    auto z = test::example_zone();
    EXPECT_EQ(z->name(), "example.org.");
    EXPECT_EQ(z->zone_id(), "zone-example.org.");
    ASSERT_NE(node(*z, "a.b.c.ent.example.org."), nullptr);
    for (const char* ent : {"b.c.ent.example.org.", "c.ent.example.org.", "ent.example.org.",
                            "wild.example.org.", "_tcp.example.org."}) {
        const ZoneNode* n = node(*z, ent);
        ASSERT_NE(n, nullptr) << ent;
        EXPECT_TRUE(n->empty()) << ent;
    }
    EXPECT_EQ(node(*z, "nx.example.org."), nullptr);
    const ZoneNode* leaf = node(*z, "a.b.c.ent.example.org.");
    EXPECT_EQ(text(z->parent(*leaf)->owner), "b.c.ent.example.org.");
    EXPECT_EQ(z->parent(z->apex()), nullptr);
    // Lookups are by lower-case wire name; building lower-cases owners.
    auto mixed = build_snapshot(test::make_zone("example.org."),
                                {test::make_set("WWW.Example.ORG.", "A", {"192.0.2.1"})});
    EXPECT_NE(node(*mixed, "www.example.org."), nullptr);
}

TEST(ZoneSnapshot, RRsetsSortedByTypeWithEffectiveTtl) {
    auto z = build_snapshot(test::make_zone("example.org."),
                            {test::make_set("www.example.org.", "TXT", {"\"x\""}, 60),
                             test::make_set("www.example.org.", "A", {"192.0.2.1", "192.0.2.2"}),
                             test::make_set("www.example.org.", "AAAA", {"2001:db8::1"})});
    const ZoneNode* www = node(*z, "www.example.org.");
    ASSERT_EQ(www->rrsets.size(), 3u);
    EXPECT_EQ(www->rrsets[0].type, KNOT_RRTYPE_A);
    EXPECT_EQ(www->rrsets[1].type, KNOT_RRTYPE_TXT);
    EXPECT_EQ(www->rrsets[2].type, KNOT_RRTYPE_AAAA);
    EXPECT_EQ(www->find(KNOT_RRTYPE_A)->rrs.count, 2u);
    EXPECT_EQ(www->find(KNOT_RRTYPE_A)->ttl, 3600u);  // zone TTL
    EXPECT_EQ(www->find(KNOT_RRTYPE_TXT)->ttl, 60u);
    EXPECT_EQ(www->find(KNOT_RRTYPE_MX), nullptr);
    EXPECT_EQ(z->record_count(), 4u + 1u);  // + synthesised SOA
}

TEST(ZoneSnapshot, SoaSerialComesFromTheZoneRow) {
    auto z = test::example_zone(4242);
    EXPECT_EQ(z->serial(), 4242u);
    EXPECT_EQ(knot_soa_serial(z->soa_rrset().rrs.rdata), 4242u);
    EXPECT_EQ(z->negative_ttl(), 300u);  // min(3600, 300)
    EXPECT_EQ(z->soa_rrset().ttl, 3600u);
}

TEST(ZoneSnapshot, SoaIsSynthesisedWhenMissing) {
    core::Zone zone = test::make_zone("example.org.", 7);
    zone.email = "dns.admin@example.org";
    zone.minimum = 5000;
    auto z = build_snapshot(zone, {test::make_set("example.org.", "NS", {"ns1.example.net."})});
    std::vector<char> buf(1000);
    knot_rrset_txt_dump_data(&z->soa_rrset(), 0, buf.data(), buf.size(), &KNOT_DUMP_STYLE_DEFAULT);
    EXPECT_EQ(std::string(buf.data()),
              "ns1.example.net. dns\\.admin.example.org. 7 3500 600 86400 5000");
    EXPECT_EQ(z->negative_ttl(), 3600u);  // min(TTL 3600, minimum 5000)
}

TEST(ZoneSnapshot, SkipsBadAndOutOfZoneData) {
    auto z = build_snapshot(test::make_zone("example.org."),
                            {test::make_set("www.example.org.", "A", {"192.0.2.1", "bogus"}),
                             test::make_set("www.example.net.", "A", {"192.0.2.1"}),
                             test::make_set("x.example.org.", "NOSUCHTYPE", {"1"}),
                             test::make_set("y.example.org.", "A", {"bad"})});
    EXPECT_EQ(node(*z, "www.example.org.")->find(KNOT_RRTYPE_A)->rrs.count, 1u);
    EXPECT_EQ(node(*z, "x.example.org."), nullptr);
    // A set whose every value failed leaves no RRset (the node may remain).
    const ZoneNode* y = node(*z, "y.example.org.");
    EXPECT_TRUE(y == nullptr || y->empty());
}

TEST(ZoneSnapshot, ZoneCutsAndWildcards) {
    auto z = test::example_zone();
    const ZoneNode* sub = node(*z, "sub.example.org.");
    EXPECT_TRUE(z->is_delegation(*sub));
    EXPECT_EQ(z->cut(*node(*z, "ns.sub.example.org.")), sub);
    EXPECT_EQ(z->cut(z->apex()), nullptr);  // apex NS is not a cut
    EXPECT_EQ(z->cut(*node(*z, "www.example.org.")), nullptr);
    EXPECT_EQ(z->cut_count(), 3u);  // sub, nog, deleg2
    const ZoneNode* wild = node(*z, "wild.example.org.");
    ASSERT_NE(z->wildcard_child(*wild), nullptr);
    EXPECT_EQ(text(z->wildcard_child(*wild)->owner), "*.wild.example.org.");
    EXPECT_EQ(z->wildcard_child(z->apex()), nullptr);
}

TEST(ZoneSnapshot, LookupFindsClosestEncloser) {
    auto z = test::example_zone();
    auto w = *wire::name_to_wire("x.y.wild.example.org.");
    auto hit = z->lookup(reinterpret_cast<const knot_dname_t*>(w.data()));
    EXPECT_EQ(hit.match, nullptr);
    EXPECT_EQ(text(hit.encloser->owner), "wild.example.org.");
    w = *wire::name_to_wire("c.ent.example.org.");
    hit = z->lookup(reinterpret_cast<const knot_dname_t*>(w.data()));
    ASSERT_NE(hit.match, nullptr);
    EXPECT_EQ(hit.match, hit.encloser);
    w = *wire::name_to_wire("nothing.example.org.");
    hit = z->lookup(reinterpret_cast<const knot_dname_t*>(w.data()));
    EXPECT_EQ(hit.encloser, &z->apex());
}

TEST(ZoneSnapshot, AdditionalTargetsWithMandatoryGlueFirst) {
    auto z = test::example_zone();
    const knot_rrset_t* ns = node(*z, "sub.example.org.")->find(KNOT_RRTYPE_NS);
    auto glues = z->additionals(*ns);
    ASSERT_EQ(glues.size(), 1u);  // ns.elsewhere.test. is not ours
    EXPECT_FALSE(glues[0].optional);
    EXPECT_EQ(text(glues[0].name), "ns.sub.example.org.");
    const knot_rrset_t* mx = z->apex().find(KNOT_RRTYPE_MX);
    auto mxl = z->additionals(*mx);
    ASSERT_EQ(mxl.size(), 1u);
    EXPECT_TRUE(mxl[0].optional);
    // A target matched by a wildcard points at the wildcard node.
    const knot_rrset_t* wmx = node(*z, "wmx.example.org.")->find(KNOT_RRTYPE_MX);
    auto wl = z->additionals(*wmx);
    ASSERT_EQ(wl.size(), 1u);
    EXPECT_EQ(text(wl[0].node->owner), "*.wild.example.org.");
    EXPECT_TRUE(z->additionals(*node(*z, "www.example.org.")->find(KNOT_RRTYPE_CNAME)).empty());
}

TEST(ZoneSnapshot, AxfrIterationStartsWithSoaAndVisitsEveryRRsetOnce) {
    auto z = test::example_zone();
    std::vector<const knot_rrset_t*> seen;
    z->for_each_rrset([&](const knot_rrset_t& rr) { seen.push_back(&rr); });
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.front()->type, KNOT_RRTYPE_SOA);
    EXPECT_EQ(seen.size(), z->rrset_count());
    EXPECT_EQ(std::set<const knot_rrset_t*>(seen.begin(), seen.end()).size(), seen.size());
    // Canonical name order after the SOA.
    for (std::size_t i = 2; i < seen.size(); ++i) {
        EXPECT_LE(knot_dname_cmp(seen[i - 1]->owner, seen[i]->owner), 0);
    }
    std::size_t records = 0, soa = 0;
    z->for_each_record([&](const WireRecord& r) {
        ++records;
        if (r.type == KNOT_RRTYPE_SOA) ++soa;
        EXPECT_FALSE(r.rdata.empty());
    });
    EXPECT_EQ(records, z->record_count());
    EXPECT_EQ(soa, 1u);
}

// Every RR of a snapshot as text, plus its node names (ENTs included).
std::multiset<std::string> dump(const ZoneSnapshot& z) {
    std::multiset<std::string> out;
    z.for_each_record([&](const WireRecord& r) {
        std::string line =
            text(r.owner) + " " + std::to_string(r.ttl) + " " + wire::type_to_text(r.type) + " ";
        for (std::uint8_t b : r.rdata) line += std::to_string(b) + ",";
        out.insert(line);
    });
    return out;
}

TEST(ZoneSnapshotPatch, PatchedSnapshotEqualsAFullRebuild) {
    std::mt19937 rng(42);
    core::Zone zone = test::make_zone("example.org.", 1000);
    std::map<std::pair<std::string, std::string>, core::RecordSet> sets;
    auto put = [&](core::RecordSet rs) { sets[{rs.name, rs.type}] = rs; };
    put(test::make_set("example.org.", "SOA",
                       {"ns1.example.org. hostmaster.example.org. 1 3500 600 86400 300"}));
    put(test::make_set("example.org.", "NS", {"ns1.example.org."}));
    auto as_vector = [&] {
        std::vector<core::RecordSet> v;
        for (auto& [k, rs] : sets) v.push_back(rs);
        return v;
    };
    const char* labels[] = {"a", "b", "c", "*", "d.e", "sub", "ns.sub", "x.y.z"};
    ZoneSnapshotPtr current = build_snapshot(zone, as_vector());
    for (int step = 0; step < 300; ++step) {
        auto before = service::resource_records(as_vector(), zone.ttl);
        std::string name = std::string(labels[rng() % 8]) + ".example.org.";
        int op = rng() % 6;
        if (op == 0 || op == 1) {  // add a value (new set or existing)
            auto& rs = sets[{name, "A"}];
            if (rs.name.empty()) rs = test::make_set(name, "A", {});
            rs.records.push_back(
                {"r" + std::to_string(step), "10.0.0." + std::to_string(rng() % 8)});
        } else if (op == 2) {  // delete a whole set
            sets.erase({name, "A"});
        } else if (op == 3) {  // TTL change of a set
            auto it = sets.find({name, "A"});
            if (it != sets.end()) it->second.ttl = 60 + rng() % 3;
        } else if (op == 4) {  // delegation appears/disappears
            if (sets.contains({"sub.example.org.", "NS"})) {
                sets.erase({"sub.example.org.", "NS"});
            } else {
                put(test::make_set("sub.example.org.", "NS", {"ns.sub.example.org."}));
            }
        } else {  // MX pointing into the zone
            put(test::make_set(name, "MX", {std::to_string(rng() % 20) + " a.example.org."}));
        }
        zone.serial++;
        core::ZoneChange change = service::begin_change(zone, zone.serial - 1, zone.serial);
        service::add_difference(change, before, service::resource_records(as_vector(), zone.ttl));
        const core::RecordSet* soa = &sets[{"example.org.", "SOA"}];
        ZoneSnapshotPtr patched = patch_snapshot(*current, zone, soa, change);
        ZoneSnapshotPtr rebuilt = build_snapshot(zone, as_vector());
        ASSERT_NE(patched, nullptr) << "step " << step;
        ASSERT_EQ(dump(*patched), dump(*rebuilt)) << "step " << step;
        ASSERT_EQ(patched->node_count(), rebuilt->node_count()) << "step " << step;
        ASSERT_EQ(patched->serial(), zone.serial);
        current = patched;
    }
}

TEST(ZoneSnapshotPatch, RefusesChangesThatDoNotFollowTheBase) {
    core::Zone zone = test::make_zone("example.org.", 5);
    auto base = build_snapshot(zone, {});
    core::ZoneChange change;
    change.zone_id = zone.id;
    change.old_serial = 4;  // not the base's serial
    change.new_serial = 6;
    zone.serial = 6;
    EXPECT_EQ(patch_snapshot(*base, zone, nullptr, change), nullptr);
    change.old_serial = 5;
    zone.ttl = 60;  // zone TTL changed: sets without a TTL change too
    EXPECT_EQ(patch_snapshot(*base, zone, nullptr, change), nullptr);
    zone.ttl = 3600;
    EXPECT_NE(patch_snapshot(*base, zone, nullptr, change), nullptr);
}

}  // namespace
}  // namespace dnsplane::dns
