// One record set's difference (service/zone_change.h): exactly the values
// that left and came, in set order, whatever the edit did to the order;
// a TTL, owner or type change replaces every value; SOA gives nothing.
#include "service/zone_change.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <tuple>

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

// compose_changes: two exact differences folded into one lead from the
// first one's "before" to the second one's "after", with no record both
// removed and added and nothing removed that was not there.
using RRKey = std::tuple<std::string, std::string, std::uint32_t, std::string>;
std::set<RRKey> keys_of(const std::vector<core::ResourceRecord>& rrs) {
    std::set<RRKey> out;
    for (const auto& rr : rrs) out.emplace(rr.name, rr.type, rr.ttl, rr.data);
    return out;
}
core::ZoneChange difference(const std::set<RRKey>& before, const std::set<RRKey>& after,
                            std::uint32_t from, std::uint32_t to) {
    core::ZoneChange c;
    c.old_serial = from;
    c.new_serial = to;
    for (const auto& k : before)
        if (!after.count(k))
            c.removed.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k)});
    for (const auto& k : after)
        if (!before.count(k))
            c.added.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k)});
    return c;
}

TEST(ComposeChanges, AddThenRemoveCancelsAndTtlChangesFold) {
    std::set<RRKey> x0{{"a.", "A", 300, "192.0.2.1"}, {"b.", "TXT", 300, "\"b\""}};
    // 1: a's TTL 300 -> 600, c added; 2: c removed, a's TTL back to 300, d added.
    std::set<RRKey> x1{
        {"a.", "A", 600, "192.0.2.1"}, {"b.", "TXT", 300, "\"b\""}, {"c.", "A", 300, "192.0.2.3"}};
    std::set<RRKey> x2{
        {"a.", "A", 300, "192.0.2.1"}, {"b.", "TXT", 300, "\"b\""}, {"d.", "A", 300, "192.0.2.4"}};
    auto into = difference(x0, x1, 1, 2);
    compose_changes(into, difference(x1, x2, 2, 2));
    EXPECT_TRUE(into.removed.empty());
    EXPECT_EQ(keys_of(into.added), (std::set<RRKey>{{"d.", "A", 300, "192.0.2.4"}}));
    EXPECT_EQ(into.old_serial, 1u);
    EXPECT_EQ(into.new_serial, 2u);
}

TEST(ComposeChanges, RandomSequencesFoldToTheirEndToEndDifference) {
    for (unsigned seed = 1; seed <= 300; ++seed) {
        std::mt19937 rng(seed);
        // A small universe, so that records come and go repeatedly.
        auto random_state = [&] {
            std::set<RRKey> s;
            for (int name = 0; name < 4; ++name)
                for (int v = 0; v < 3; ++v)
                    if (rng() % 2)
                        s.emplace("n" + std::to_string(name) + ".", "TXT", rng() % 2 ? 300 : 60,
                                  "\"" + std::to_string(v) + "\"");
            return s;
        };
        std::set<RRKey> first = random_state(), at = first;
        core::ZoneChange composed = difference(at, at, 10, 11);
        const int steps = 1 + static_cast<int>(rng() % 6);
        for (int k = 0; k < steps; ++k) {
            auto next = random_state();
            compose_changes(composed, difference(at, next, 11, 11));
            at = next;
        }
        auto removed = keys_of(composed.removed);
        auto added = keys_of(composed.added);
        auto want = difference(first, at, 10, 11);
        EXPECT_EQ(removed, keys_of(want.removed)) << "seed " << seed;
        EXPECT_EQ(added, keys_of(want.added)) << "seed " << seed;
        EXPECT_EQ(removed.size(), composed.removed.size()) << "duplicates, seed " << seed;
        EXPECT_EQ(added.size(), composed.added.size()) << "duplicates, seed " << seed;
    }
}

}  // namespace
}  // namespace dnsplane::service
