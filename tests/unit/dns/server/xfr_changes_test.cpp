// The pure half of SECONDARY zone transfers (issue 16): AXFR/IXFR answer
// streams read by XfrStream, and plan_transfer's change set from the zone as
// stored to the zone as the master has it.
#include "dns/server/xfr_changes.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace dnsplane::dns {
namespace {

using core::ResourceRecord;
using service::EditOpKind;

const std::string kZone = "example.org.";

ResourceRecord soa(std::uint32_t serial, std::uint32_t ttl = 300) {
    return {"example.org.", "SOA", ttl,
            "ns1.example.org. hostmaster.example.org. " + std::to_string(serial) +
                " 7200 900 86400 600"};
}
ResourceRecord rr(std::string name, std::string type, std::string data, std::uint32_t ttl = 60) {
    return {std::move(name), std::move(type), ttl, std::move(data)};
}

XfrStream feed(std::optional<std::uint32_t> from, const std::vector<ResourceRecord>& rrs) {
    XfrStream s(kZone, from);
    for (const auto& r : rrs) EXPECT_TRUE(s.add(r)) << s.error() << " at " << r.name;
    return s;
}

core::Zone zone(std::uint32_t serial, bool transferred = true) {
    core::Zone z;
    z.id = "zone-1";
    z.name = kZone;
    z.type = "SECONDARY";
    z.serial = serial;
    z.ttl = 300;
    z.version = 7;
    if (transferred) z.transferred_at = "2026-01-01T00:00:00.000000";
    return z;
}

core::RecordSet set(std::string name, std::string type, std::vector<std::string> values,
                    std::optional<std::uint32_t> ttl = 60) {
    core::RecordSet rs;
    rs.zone_id = "zone-1";
    rs.name = std::move(name);
    rs.type = std::move(type);
    rs.ttl = ttl;
    for (auto& v : values) rs.records.push_back({"id-" + v, v});
    return rs;
}

// Operations by "name type" for easy assertions.
std::map<std::string, const service::EditOp*> ops(const TransferPlan& plan) {
    std::map<std::string, const service::EditOp*> out;
    for (const auto& op : plan.edit.operations) out[op.target.name + " " + op.target.type] = &op;
    return out;
}

TEST(XfrStream, AxfrEndsAtTheClosingSoa) {
    XfrStream s(kZone, std::nullopt);
    ASSERT_TRUE(s.add(soa(10)));
    ASSERT_TRUE(s.add(rr("example.org.", "NS", "ns1.example.org.")));
    EXPECT_FALSE(s.complete());
    ASSERT_TRUE(s.add(rr("www.example.org.", "A", "192.0.2.1")));
    ASSERT_TRUE(s.add(soa(10)));
    ASSERT_TRUE(s.complete());
    EXPECT_EQ(s.kind(), XfrStream::Kind::Full);
    EXPECT_EQ(s.records().size(), 2u);
    EXPECT_FALSE(s.add(rr("late.example.org.", "A", "192.0.2.9")));  // nothing after the end
}

TEST(XfrStream, RefusesStreamsThatAreNoTransferOfTheZone) {
    XfrStream no_soa(kZone, std::nullopt);
    EXPECT_FALSE(no_soa.add(rr("www.example.org.", "A", "192.0.2.1")));
    XfrStream other_zone(kZone, std::nullopt);
    EXPECT_FALSE(other_zone.add({"example.net.", "SOA", 60, soa(1).data}));
    XfrStream bad_close(kZone, std::nullopt);
    ASSERT_TRUE(bad_close.add(soa(10)));
    ASSERT_TRUE(bad_close.add(rr("www.example.org.", "A", "192.0.2.1")));
    EXPECT_FALSE(bad_close.add(soa(11)));
    EXPECT_FALSE(bad_close.error().empty());
}

TEST(XfrStream, IxfrOfACurrentSerialIsUpToDate) {
    auto s = feed(10, {soa(10)});
    ASSERT_TRUE(s.complete());
    EXPECT_EQ(s.kind(), XfrStream::Kind::UpToDate);
}

TEST(XfrStream, IxfrDifferenceSequences) {
    auto s = feed(10, {soa(12), soa(10), rr("old.example.org.", "A", "192.0.2.1"), soa(11),
                       rr("new.example.org.", "A", "192.0.2.2"), soa(11), soa(12),
                       rr("newer.example.org.", "TXT", "\"x\""), soa(12)});
    ASSERT_TRUE(s.complete());
    ASSERT_EQ(s.kind(), XfrStream::Kind::Incremental);
    ASSERT_EQ(s.diffs().size(), 2u);
    EXPECT_EQ(s.diffs()[0].from_serial, 10u);
    EXPECT_EQ(s.diffs()[0].to_serial, 11u);
    EXPECT_EQ(s.diffs()[0].removed.size(), 1u);
    EXPECT_EQ(s.diffs()[0].added.size(), 1u);
    EXPECT_EQ(s.diffs()[1].to_serial, 12u);
    EXPECT_EQ(s.diffs()[1].removed.size(), 0u);
}

TEST(XfrStream, IxfrAnsweredInAxfrForm) {
    auto s = feed(10, {soa(12), rr("www.example.org.", "A", "192.0.2.1"), soa(12)});
    ASSERT_TRUE(s.complete());
    EXPECT_EQ(s.kind(), XfrStream::Kind::Full);
}

TEST(XfrStream, IxfrWithAGapIsRefused) {
    XfrStream s(kZone, 10);
    for (const auto& r : {soa(13), soa(10), soa(11)}) ASSERT_TRUE(s.add(r));
    EXPECT_FALSE(s.add(soa(12)));  // the next difference must start at 11
    EXPECT_FALSE(s.error().empty());
}

TEST(PlanTransfer, FirstAxfrReplacesOurPlaceholdersAndTakesTheMastersSoa) {
    // A new SECONDARY zone holds our SOA and pool NS until its first transfer.
    std::vector<core::RecordSet> current = {
        set("example.org.", "SOA", {"ns.pool. hostmaster.example.org. 1 3500 600 86400 3600"},
            std::nullopt),
        set("example.org.", "NS", {"ns.pool."}, std::nullopt)};
    auto s =
        feed(std::nullopt,
             {soa(2024010101, 900), rr("example.org.", "NS", "ns1.example.org.", 3600),
              rr("www.Example.org.", "A", "192.0.2.1"), rr("www.example.org.", "A", "192.0.2.2"),
              rr("example.org.", "MX", "10 mail.example.org."), soa(2024010101, 900)});
    std::string error;
    auto plan = plan_transfer(zone(1, false), current, s, &error);
    ASSERT_TRUE(plan) << error;
    auto by = ops(*plan);
    ASSERT_EQ(by.size(), 3u);
    ASSERT_TRUE(by.count("example.org. NS"));
    EXPECT_EQ(by["example.org. NS"]->kind, EditOpKind::ReplaceSet);
    EXPECT_EQ(*by["example.org. NS"]->records, std::vector<std::string>{"ns1.example.org."});
    EXPECT_EQ(**by["example.org. NS"]->ttl, 3600);
    ASSERT_TRUE(by.count("www.example.org. A"));  // owner names canonical
    EXPECT_EQ(by["www.example.org. A"]->records->size(), 2u);
    ASSERT_TRUE(plan->edit.transfer);
    EXPECT_EQ(plan->edit.transfer->serial, 2024010101u);
    EXPECT_EQ(plan->edit.transfer->mname, "ns1.example.org.");
    EXPECT_EQ(plan->edit.transfer->rname, "hostmaster.example.org.");
    EXPECT_EQ(plan->edit.transfer->refresh, 7200u);
    EXPECT_EQ(plan->edit.transfer->retry, 900u);
    EXPECT_EQ(plan->edit.transfer->expire, 86400u);
    EXPECT_EQ(plan->edit.transfer->minimum, 600u);
    EXPECT_EQ(plan->edit.transfer->ttl, 900u);
    ASSERT_EQ(plan->edit.prerequisites.size(), 1u);
    EXPECT_EQ(plan->edit.prerequisites[0].kind, service::PrerequisiteKind::ZoneVersion);
    EXPECT_EQ(plan->edit.prerequisites[0].version, 7);
}

TEST(PlanTransfer, AxfrTouchesOnlyWhatChanged) {
    std::vector<core::RecordSet> current = {
        set("example.org.", "NS", {"ns1.example.org."}, 3600),
        set("same.example.org.", "A", {"192.0.2.1"}),
        set("ttl.example.org.", "A", {"192.0.2.1"}),
        set("gone.example.org.", "TXT", {"\"bye\""}),
    };
    auto s = feed(std::nullopt, {soa(5), rr("example.org.", "NS", "ns1.example.org.", 3600),
                                 rr("same.example.org.", "A", "192.0.2.1"),
                                 rr("ttl.example.org.", "A", "192.0.2.1", 120),
                                 rr("new.example.org.", "AAAA", "2001:DB8::1"), soa(5)});
    auto plan = plan_transfer(zone(4), current, s);
    ASSERT_TRUE(plan);
    auto by = ops(*plan);
    EXPECT_EQ(by.size(), 3u);
    EXPECT_EQ(by["ttl.example.org. A"]->kind, EditOpKind::ReplaceSet);
    EXPECT_EQ(by["gone.example.org. TXT"]->kind, EditOpKind::DeleteSet);
    EXPECT_EQ(*by["new.example.org. AAAA"]->records, std::vector<std::string>{"2001:db8::1"});
    EXPECT_FALSE(by.count("same.example.org. A"));
}

TEST(PlanTransfer, IxfrAppliesDifferencesToTheZoneAsStored) {
    std::vector<core::RecordSet> current = {
        set("example.org.", "NS", {"ns1.example.org."}, 3600),
        set("www.example.org.", "A", {"192.0.2.1", "192.0.2.2"}),
        set("old.example.org.", "TXT", {"\"old\""}),
    };
    auto s = feed(10, {soa(11), soa(10), rr("www.example.org.", "A", "192.0.2.2"),
                       rr("old.example.org.", "TXT", "\"old\""), soa(11),
                       rr("www.example.org.", "A", "192.0.2.3"), soa(11)});
    std::string error;
    auto plan = plan_transfer(zone(10), current, s, &error);
    ASSERT_TRUE(plan) << error;
    auto by = ops(*plan);
    ASSERT_EQ(by.size(), 2u);
    EXPECT_EQ(*by["www.example.org. A"]->records,
              (std::vector<std::string>{"192.0.2.1", "192.0.2.3"}));
    EXPECT_EQ(by["old.example.org. TXT"]->kind, EditOpKind::DeleteSet);
    EXPECT_EQ(plan->edit.transfer->serial, 11u);
}

TEST(PlanTransfer, IxfrThatDoesNotApplyAsksForAnAxfr) {
    std::vector<core::RecordSet> current = {set("www.example.org.", "A", {"192.0.2.1"})};
    // Removes a record we do not hold.
    auto s =
        feed(10, {soa(11), soa(10), rr("www.example.org.", "A", "192.0.2.7"), soa(11), soa(11)});
    std::string error;
    EXPECT_FALSE(plan_transfer(zone(10), current, s, &error));
    EXPECT_NE(error.find("does not hold"), std::string::npos) << error;
    // Starts at another serial than ours.
    auto t = feed(9, {soa(11), soa(9), soa(11), soa(11)});
    EXPECT_FALSE(plan_transfer(zone(10), current, t, &error));
}

TEST(PlanTransfer, RecordsDnsplaneCannotServeAreLeftOutAndCounted) {
    auto s = feed(std::nullopt, {soa(3), rr("example.org.", "NS", "ns1.example.org."),
                                 rr("example.org.", "NSEC", "example.org. NS SOA RRSIG NSEC"),
                                 rr("outside.example.net.", "A", "192.0.2.1"),
                                 rr("bad.example.org.", "A", "not-an-address"), soa(3)});
    auto plan = plan_transfer(zone(1, false), {}, s);
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->skipped, 3u);
    EXPECT_EQ(plan->notes.size(), 3u);
    EXPECT_EQ(plan->edit.operations.size(), 1u);
}

TEST(PlanTransfer, SameZoneSameSoaIsAnEmptyEdit) {
    std::vector<core::RecordSet> current = {set("example.org.", "NS", {"ns1.example.org."})};
    auto s = feed(std::nullopt, {soa(4), rr("example.org.", "NS", "ns1.example.org."), soa(4)});
    auto plan = plan_transfer(zone(4), current, s);
    ASSERT_TRUE(plan);
    EXPECT_TRUE(plan->edit.operations.empty());
}

}  // namespace
}  // namespace dnsplane::dns
