// CommitBatch (service/commit_batch.h): which change a request of the batch
// may join, what a rolled-back request leaves behind (nothing), and what is
// published (the composed change once, where it was opened).
#include "service/commit_batch.h"

#include <gtest/gtest.h>

namespace dnsplane::service {
namespace {

core::Zone zone_at(std::uint32_t serial, std::int64_t version, const std::string& id = "z1") {
    core::Zone z;
    z.id = id;
    z.name = id + ".example.";
    z.serial = serial;
    z.version = version;
    return z;
}

core::ZoneChange change_of(const core::Zone& z, std::uint32_t from,
                           std::vector<std::string> added) {
    core::ZoneChange c;
    c.zone_id = z.id;
    c.zone_name = z.name;
    c.old_serial = from;
    c.new_serial = z.serial;
    c.zone = z;
    for (auto& a : added) c.added.push_back({a, "A", 300, "192.0.2.1"});
    return c;
}

std::vector<std::string> names(const std::vector<core::ResourceRecord>& rrs) {
    std::vector<std::string> out;
    for (const auto& rr : rrs) out.push_back(rr.name);
    return out;
}

TEST(CommitBatch, ALaterChangeOfTheZoneJoinsAndIsPublishedOnceComposed) {
    CommitBatch batch;
    auto z = zone_at(11, 5);
    EXPECT_EQ(batch.joinable(z), nullptr);
    auto first = change_of(z, 10, {"a."});
    batch.opened(first, 42);
    batch.keep();
    const core::ZoneChange* open = batch.joinable(z);
    ASSERT_NE(open, nullptr);
    EXPECT_EQ(open->old_serial, 10u);
    auto second = change_of(z, 10, {"b."});
    auto [seq, composed] = batch.join(second);
    EXPECT_EQ(seq, 42);
    EXPECT_EQ(names(composed.added), (std::vector<std::string>{"a.", "b."}));
    batch.keep();
    auto other = change_of(zone_at(3, 1, "z2"), 2, {"c."});
    batch.opened(other, 43);
    batch.keep();
    auto out = batch.publication({first, other, second});
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(names(out[0].added), (std::vector<std::string>{"a.", "b."}));
    EXPECT_EQ(out[0].old_serial, 10u);
    EXPECT_EQ(out[0].new_serial, 11u);
    EXPECT_EQ(out[1].zone_id, "z2");
}

TEST(CommitBatch, NoJoinOnceTheZoneMovedOnOrTheChangeIsBig) {
    CommitBatch batch;
    auto z = zone_at(11, 5);
    batch.opened(change_of(z, 10, {"a."}), 1);
    batch.keep();
    EXPECT_EQ(batch.joinable(zone_at(12, 6)), nullptr);  // another serial since
    EXPECT_EQ(batch.joinable(zone_at(11, 6)), nullptr);  // the zone row changed
    EXPECT_NE(batch.joinable(z), nullptr);
    std::vector<std::string> many;
    for (std::size_t i = 0; i <= CommitBatch::kMaxJoinedRecords; ++i)
        many.push_back("n" + std::to_string(i) + ".");
    batch.join(change_of(z, 10, many));
    batch.keep();
    EXPECT_EQ(batch.joinable(z), nullptr);
    // A created zone's change is never joined.
    CommitBatch fresh;
    auto created = change_of(z, 0, {"a."});
    created.zone_created = true;
    fresh.opened(created, 1);
    fresh.keep();
    EXPECT_EQ(fresh.joinable(z), nullptr);
}

TEST(CommitBatch, ARolledBackRequestUndoesItsJoinAndItsOpening) {
    CommitBatch batch;
    auto z = zone_at(11, 5);
    auto first = change_of(z, 10, {"a."});
    batch.opened(first, 7);
    batch.keep();
    batch.join(change_of(z, 10, {"gone."}));
    batch.drop();  // the request failed after joining
    auto third = change_of(z, 10, {"c."});
    auto [seq, composed] = batch.join(third);
    EXPECT_EQ(seq, 7);
    EXPECT_EQ(names(composed.added), (std::vector<std::string>{"a.", "c."}));
    batch.keep();
    // A failed request that opened a change of another zone leaves no entry.
    auto y = zone_at(4, 2, "z2");
    batch.opened(change_of(y, 3, {"y."}), 8);
    batch.drop();
    EXPECT_EQ(batch.joinable(y), nullptr);
    auto out = batch.publication({first, third});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(names(out[0].added), (std::vector<std::string>{"a.", "c."}));
}

}  // namespace
}  // namespace dnsplane::service
