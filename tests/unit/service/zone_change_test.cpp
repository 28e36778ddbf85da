// One record set's difference (service/zone_change.h): exactly the values
// that left and came, in set order, whatever the edit did to the order;
// a TTL, owner or type change replaces every value; SOA gives nothing.
#include "service/zone_change.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

namespace dnsplane::service {
namespace {

core::RecordSet set_of(std::vector<std::string> values, std::optional<std::uint32_t> ttl = {}) {
    core::RecordSet rs;
    rs.name = "www.example.org.";
    rs.type = "TXT";
    rs.ttl = ttl;
    for (auto& v : values) rs.records.push_back({"", std::move(v)});
    return rs;
}

std::vector<std::string> data_of(const std::vector<core::ResourceRecord>& rrs) {
    std::vector<std::string> out;
    for (const auto& rr : rrs) out.push_back(rr.data);
    return out;
}

using V = std::vector<std::string>;

TEST(SetDifference, AppendedRemovedAndReplacedValues) {
    core::ZoneChange c;
    auto before = set_of({"a", "b", "c"});
    auto appended = set_of({"a", "b", "c", "d"});
    add_set_difference(c, &before, &appended, 300);
    EXPECT_EQ(data_of(c.added), V{"d"});
    EXPECT_TRUE(c.removed.empty());
    EXPECT_EQ(c.added.at(0).ttl, 300u);
    EXPECT_EQ(c.added.at(0).name, "www.example.org.");

    core::ZoneChange r;
    auto removed = set_of({"a", "c"});
    add_set_difference(r, &before, &removed, 300);
    EXPECT_EQ(data_of(r.removed), V{"b"});
    EXPECT_TRUE(r.added.empty());

    core::ZoneChange x;
    auto replaced = set_of({"a", "x", "y", "c"});
    add_set_difference(x, &before, &replaced, 300);
    EXPECT_EQ(data_of(x.removed), V{"b"});
    EXPECT_EQ(data_of(x.added), (V{"x", "y"}));
}

TEST(SetDifference, AReorderIsNoDifference) {
    core::ZoneChange c;
    auto before = set_of({"a", "b", "c", "d"});
    auto after = set_of({"a", "c", "b", "d"});
    add_set_difference(c, &before, &after, 300);
    EXPECT_TRUE(c.added.empty());
    EXPECT_TRUE(c.removed.empty());
}

TEST(SetDifference, CreatedDeletedAndTtlChangedSetsMoveEveryValue) {
    auto set = set_of({"a", "b"});
    core::ZoneChange created;
    add_set_difference(created, nullptr, &set, 300);
    EXPECT_EQ(data_of(created.added), (V{"a", "b"}));
    core::ZoneChange deleted;
    add_set_difference(deleted, &set, nullptr, 300);
    EXPECT_EQ(data_of(deleted.removed), (V{"a", "b"}));

    core::ZoneChange ttl;
    auto longer = set_of({"a", "b"}, 600);
    add_set_difference(ttl, &set, &longer, 300);
    EXPECT_EQ(data_of(ttl.removed), (V{"a", "b"}));
    EXPECT_EQ(ttl.removed.at(0).ttl, 300u);
    EXPECT_EQ(data_of(ttl.added), (V{"a", "b"}));
    EXPECT_EQ(ttl.added.at(0).ttl, 600u);

    core::ZoneChange same;  // the zone's TTL written out is no change
    auto explicit_ttl = set_of({"a", "b"}, 300);
    add_set_difference(same, &set, &explicit_ttl, 300);
    EXPECT_TRUE(same.added.empty() && same.removed.empty());

    core::ZoneChange soa;
    auto s1 = set_of({"ns1. h. 1 2 3 4 5"});
    s1.type = "SOA";
    auto s2 = set_of({"ns1. h. 2 2 3 4 5"});
    s2.type = "SOA";
    add_set_difference(soa, &s1, &s2, 300);
    EXPECT_TRUE(soa.added.empty() && soa.removed.empty());
}

// Against the whole-set difference (add_difference) on random edits.
TEST(SetDifference, AgreesWithTheWholeSetDifference) {
    std::mt19937 rng(7);
    for (int round = 0; round < 500; ++round) {
        V pool;
        for (int i = 0; i < 12; ++i) pool.push_back("v" + std::to_string(i));
        std::shuffle(pool.begin(), pool.end(), rng);
        V b(pool.begin(), pool.begin() + rng() % 8);
        std::shuffle(pool.begin(), pool.end(), rng);
        V a(pool.begin(), pool.begin() + rng() % 8);
        if (round % 3 == 0) {  // a small edit of b instead
            a = b;
            if (!a.empty() && rng() % 2) a.erase(a.begin() + rng() % a.size());
            a.insert(a.begin() + (a.empty() ? 0 : rng() % a.size()), "new");
        }
        auto before = set_of(b), after = set_of(a);
        core::ZoneChange fast, whole;
        add_set_difference(fast, &before, &after, 300);
        add_difference(whole, resource_records(before, 300), resource_records(after, 300));
        EXPECT_EQ(fast.added, whole.added) << round;
        EXPECT_EQ(fast.removed, whole.removed) << round;
    }
}

}  // namespace
}  // namespace dnsplane::service
