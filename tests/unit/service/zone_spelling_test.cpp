// Zone names are case-preserving (RFC 4343): a zone shows the spelling it was
// created with, while uniqueness, lookups and what the DNS side receives use
// the canonical lower-case name.
#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

TEST_F(ServiceTest, ZoneKeepsTheSpellingItWasCreatedWith) {
    auto z = make_zone("MiXeD.Example.", owner_);
    EXPECT_EQ(z.name, "mixed.example.");
    EXPECT_EQ(z.shown_name(), "MiXeD.Example.");
    EXPECT_EQ(stored_zone(z.id).shown_name(), "MiXeD.Example.");
    EXPECT_EQ(svc().get_zone(owner_, z.id).shown_name(), "MiXeD.Example.");
    EXPECT_EQ(svc().list_zones(owner_, {}).items.at(0).shown_name(), "MiXeD.Example.");
    // The managed sets, the change log and the DNS side see the canonical name.
    EXPECT_EQ(stored_set(z, "mixed.example.", "SOA").zone_name, "mixed.example.");
    ASSERT_EQ(sink_.changes.size(), 1u);
    EXPECT_EQ(sink_.changes[0].zone_name, "mixed.example.");
    EXPECT_EQ(sink_.changes[0].zone->name, "mixed.example.");
}

TEST_F(ServiceTest, LowerCaseZoneNameHasNoSeparateSpelling) {
    auto z = make_zone("plain.example.", owner_);
    EXPECT_TRUE(stored_zone(z.id).spelled_name.empty());
    EXPECT_EQ(z.shown_name(), "plain.example.");
}

TEST_F(ServiceTest, SpellingIsNormalisedLikeTheName) {
    // Escapes are resolved as for the canonical name; only letter case stays.
    auto z = make_zone("\\065bc.Example.", owner_);
    EXPECT_EQ(z.name, "abc.example.");
    EXPECT_EQ(z.shown_name(), "Abc.Example.");
}

TEST_F(ServiceTest, NamesDifferingOnlyInCaseAreTheSameZone) {
    auto z = make_zone("MiXeD.example.", owner_);
    EXPECT_REJECTED(make_zone("mixed.EXAMPLE.", owner_), Conflict, "duplicate_zone");
    EXPECT_REJECTED(make_zone("MIXED.example.", member_of("project-b")), Conflict,
                    "duplicate_zone");
    auto found = svc().zone_for_name(owner_, "www.mixed.example.");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, z.id);
    // Record sets are named canonically whatever case the caller writes.
    EXPECT_EQ(make_rs(z, "WWW.Mixed.Example.", "A", {"192.0.2.1"}).name, "www.mixed.example.");
}

TEST_F(ServiceTest, SpellingSurvivesUpdatesAndTransfers) {
    auto z = make_zone("Moving.Example.", owner_);
    ZoneUpdate update;
    update.ttl = 600;
    svc().update_zone(owner_, z.id, update, std::nullopt);
    auto req = svc().create_transfer_request(owner_, z.id, {"for b", "project-b"});
    EXPECT_EQ(req.zone_name, "Moving.Example.");
    svc().accept_transfer(member_of("project-b"), req.id, req.key);
    auto moved = stored_zone(z.id);
    EXPECT_EQ(moved.project_id, "project-b");
    EXPECT_EQ(moved.ttl, 600u);
    EXPECT_EQ(moved.shown_name(), "Moving.Example.");
}

TEST_F(ServiceTest, ImportedZoneKeepsTheSpellingOfItsFile) {
    ZoneImport in;
    in.name = "Imported.Example.";
    in.email = "hostmaster@imported.example";
    in.sets.push_back({"www.imported.example.", "A", std::nullopt, {"192.0.2.1"}, 3});
    auto task = svc().import_zone(owner_, in);
    ASSERT_EQ(task.status, "COMPLETE") << task.message;
    auto zone = stored_zone(task.zone_id);
    EXPECT_EQ(zone.name, "imported.example.");
    EXPECT_EQ(zone.shown_name(), "Imported.Example.");
    EXPECT_EQ(values(stored_set(zone, "www.imported.example.", "A")),
              std::vector<std::string>{"192.0.2.1"});
}

}  // namespace
}  // namespace dnsplane::service::testing
