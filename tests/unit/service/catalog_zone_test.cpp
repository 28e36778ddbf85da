// Catalog zone (RFC 9432 v2, issue 14): the pure membership diff, and the
// catalog kept in step with zone creates/deletes in their transactions.
#include "service/catalog_zone.h"

#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

core::Zone zone_named(const std::string& id, const std::string& name) {
    core::Zone z;
    z.id = id;
    z.name = name;
    return z;
}

TEST(CatalogDiff, AddsMissingRemovesStaleKeepsListed) {
    const std::string cat = "catalog.invalid.";
    auto a = zone_named("aaaaaaaa-0000-0000-0000-000000000001", "a.example.");
    auto b = zone_named("bbbbbbbb-0000-0000-0000-000000000002", "b.example.");
    auto self = zone_named("cccccccc-0000-0000-0000-000000000003", cat);
    std::string a_owner = "aaaaaaaa000000000000000000000001.zones." + cat;
    auto diff = catalog_diff(cat, {a, b, self},
                             {{a_owner, "a.example."},
                              {"dead0000000000000000000000000000.zones." + cat, "gone.example."}});
    ASSERT_EQ(diff.add.size(), 1u);
    EXPECT_EQ(diff.add[0].first, "bbbbbbbb000000000000000000000002.zones." + cat);
    EXPECT_EQ(diff.add[0].second, "b.example.");
    ASSERT_EQ(diff.remove.size(), 1u);
    EXPECT_EQ(diff.remove[0], "dead0000000000000000000000000000.zones." + cat);
}

TEST(CatalogDiff, WrongTargetIsReplaced) {
    const std::string cat = "cat.example.";
    auto a = zone_named("aaaaaaaa-0000-0000-0000-000000000001", "a.example.");
    std::string owner = catalog_member_label(a) + ".zones." + cat;
    auto diff = catalog_diff(cat, {a}, {{owner, "other.example."}});
    ASSERT_EQ(diff.remove.size(), 1u);
    ASSERT_EQ(diff.add.size(), 1u);
    EXPECT_EQ(diff.add[0].first, owner);
    EXPECT_EQ(catalog_member_label(a).size(), 32u);
}

class CatalogTest : public ServiceTest {
  protected:
    std::vector<core::RecordSet> catalog_sets() {
        auto txn = store_->read();
        auto cat = txn->find_zone_by_name("catalog.invalid.");
        EXPECT_TRUE(cat.has_value());
        return cat ? txn->zone_recordsets(cat->id) : std::vector<core::RecordSet>{};
    }
    std::vector<std::string> members() {
        std::vector<std::string> out;
        for (const auto& rs : catalog_sets())
            if (rs.type == "PTR") out.push_back(rs.records.at(0).data);
        std::sort(out.begin(), out.end());
        return out;
    }
    core::Zone catalog_zone() {
        auto txn = store_->read();
        return *txn->find_zone_by_name("catalog.invalid.");
    }
};

TEST_F(CatalogTest, StartListsExistingZonesWithVersionTwo) {
    make_zone("one.example.", owner_);
    make_zone("two.example.", owner_);
    svc().enable_catalog("catalog.invalid");
    EXPECT_EQ(members(), (std::vector<std::string>{"one.example.", "two.example."}));
    bool version = false, ns_invalid = false;
    for (const auto& rs : catalog_sets()) {
        if (rs.name == "version.catalog.invalid." && rs.type == "TXT")
            version = rs.records.at(0).data == "\"2\"";
        if (rs.name == "catalog.invalid." && rs.type == "NS")
            ns_invalid = rs.records.at(0).data == "invalid.";
    }
    EXPECT_TRUE(version);
    EXPECT_TRUE(ns_invalid);
    EXPECT_EQ(catalog_zone().project_id, kCatalogProject);
    // Published: the DNS side learns of the catalog like of any zone.
    bool created = false;
    for (const auto& ch : sink_.changes) created |= ch.zone_name == "catalog.invalid.";
    EXPECT_TRUE(created);
}

TEST_F(CatalogTest, RestartIsIdempotent) {
    make_zone("one.example.", owner_);
    svc().enable_catalog("catalog.invalid.");
    auto serial = catalog_zone().serial;
    restart();
    svc().enable_catalog("catalog.invalid.");
    EXPECT_EQ(catalog_zone().serial, serial);
    EXPECT_EQ(members(), (std::vector<std::string>{"one.example."}));
}

TEST_F(CatalogTest, CreateAndDeleteChangeTheCatalogInTheSameCommit) {
    svc().enable_catalog("catalog.invalid.");
    auto before = catalog_zone().serial;
    sink_.changes.clear();
    auto z = make_zone("new.example.", owner_);
    EXPECT_EQ(members(), (std::vector<std::string>{"new.example."}));
    EXPECT_EQ(catalog_zone().serial, before + 1);
    // Member first, then the catalog: a secondary told of the member can
    // already transfer it.
    ASSERT_EQ(sink_.changes.size(), 2u);
    EXPECT_EQ(sink_.changes[0].zone_name, "new.example.");
    EXPECT_EQ(sink_.changes[1].zone_name, "catalog.invalid.");
    ASSERT_EQ(sink_.changes[1].added.size(), 1u);
    EXPECT_EQ(sink_.changes[1].added[0].name, catalog_member_label(z) + ".zones.catalog.invalid.");
    EXPECT_EQ(sink_.changes[1].added[0].type, "PTR");

    svc().delete_zone(owner_, z.id);
    EXPECT_TRUE(members().empty());
    EXPECT_EQ(catalog_zone().serial, before + 2);
    // The catalog's change log holds both, so IXFR can answer from it.
    auto txn = store_->read();
    auto log = txn->changes_since(catalog_zone().id, before);
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[1].removed.size(), 1u);
}

TEST_F(CatalogTest, RejectedCreateLeavesTheCatalogAlone) {
    svc().enable_catalog("catalog.invalid.");
    make_zone("dup.example.", owner_);
    auto serial = catalog_zone().serial;
    ZoneCreate in;
    in.name = "dup.example.";
    in.email = "admin@example.org";
    EXPECT_THROW(svc().create_zone(owner_, in), core::Error);
    EXPECT_EQ(catalog_zone().serial, serial);
    EXPECT_EQ(members(), (std::vector<std::string>{"dup.example."}));
}

TEST_F(CatalogTest, CatalogZoneCannotBeDeletedOrTakenThroughTheApi) {
    svc().enable_catalog("catalog.invalid.");
    auto cat = catalog_zone();
    auto admin = admin_of("ops", true);
    try {
        svc().delete_zone(admin, cat.id);
        FAIL() << "deleting the catalog zone must be refused";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.kind(), core::ErrorKind::Forbidden);
    }
    ZoneCreate in;
    in.name = "member.catalog.invalid.";
    in.email = "admin@example.org";
    EXPECT_THROW(svc().create_zone(owner_, in), core::Error);
}

TEST_F(CatalogTest, NameOwnedByAProjectStopsTheCatalog) {
    make_zone("catalog.example.", owner_);
    EXPECT_THROW(svc().enable_catalog("catalog.example."), core::Error);
}

}  // namespace
}  // namespace dnsplane::service::testing
