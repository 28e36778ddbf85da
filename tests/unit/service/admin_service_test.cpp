// Issue 16: TLDs, blacklists, per-project quotas and pools through the
// service against the real SQLite store; the zone-creation rules they impose.
#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

class AdminTest : public ServiceTest {
  protected:
    Caller admin_ = admin_of("ops");
};

TEST_F(AdminTest, TldCrudIsAdminOnly) {
    auto t = svc().create_tld(admin_, {std::string("Org"), std::string("desc")});
    EXPECT_EQ(t.name, "org");
    EXPECT_EQ(svc().get_tld(admin_, t.id).description, "desc");
    EXPECT_REJECTED(svc().create_tld(admin_, {std::string("org"), {}}), Conflict, "duplicate_tld");
    EXPECT_REJECTED(svc().list_tlds(owner_), Forbidden, "forbidden");
    EXPECT_REJECTED(svc().create_tld(owner_, {std::string("net"), {}}), Forbidden, "forbidden");
    auto u = svc().update_tld(admin_, t.id, {std::string("net"), {}});
    EXPECT_EQ(u.name, "net");
    EXPECT_EQ(u.description, "desc");
    EXPECT_TRUE(u.updated_at.has_value());
    svc().delete_tld(admin_, t.id);
    EXPECT_TRUE(svc().list_tlds(admin_).empty());
    EXPECT_REJECTED(svc().delete_tld(admin_, t.id), NotFound, "tld_not_found");
    EXPECT_REJECTED(svc().get_tld(admin_, t.id), NotFound, "tld_not_found");
}

TEST_F(AdminTest, ZonesMustSitUnderATldOnceOneExists) {
    make_zone("before.example.", owner_);  // no TLD: no rule
    svc().create_tld(admin_, {std::string("org"), {}});
    svc().create_tld(admin_, {std::string("co.uk"), {}});
    EXPECT_REJECTED(make_zone("example.com.", owner_), Invalid, "invalid_zone_name");
    EXPECT_REJECTED(make_zone("co.uk.", admin_), Invalid, "invalid_zone_name");  // is a TLD
    EXPECT_NO_THROW(make_zone("example.org.", owner_));
    EXPECT_NO_THROW(make_zone("example.co.uk.", owner_));
}

TEST_F(AdminTest, BlacklistedNamesRefusedForMembersNotAdmins) {
    auto b = svc().create_blacklist(admin_, {std::string("^evil\\."), std::string("no")});
    EXPECT_REJECTED(make_zone("evil.example.org.", owner_), Invalid, "invalid_zone_name");
    EXPECT_NO_THROW(make_zone("notevil.example.org.", owner_));
    EXPECT_NO_THROW(make_zone("evil.example.org.", admin_));
    EXPECT_REJECTED(svc().create_blacklist(admin_, {std::string("(")}), Invalid, "invalid_object");
    EXPECT_REJECTED(svc().create_blacklist(owner_, {std::string("x")}), Forbidden, "forbidden");
    auto u = svc().update_blacklist(admin_, b.id, {std::string("^bad\\."), {}});
    EXPECT_EQ(u.pattern, "^bad\\.");
    EXPECT_EQ(u.description, "no");
    EXPECT_NO_THROW(make_zone("evil.example.net.", owner_));
    EXPECT_REJECTED(make_zone("bad.example.net.", owner_), Invalid, "invalid_zone_name");
    svc().delete_blacklist(admin_, b.id);
    EXPECT_NO_THROW(make_zone("bad.example.net.", owner_));
}

TEST_F(AdminTest, ProjectQuotasOverrideTheDefaultsAndAreEnforced) {
    auto defaults = svc().get_quotas(owner_, "project-a");
    EXPECT_EQ(defaults.at("zones"), 1000);
    EXPECT_REJECTED(svc().get_quotas(owner_, "project-b"), Forbidden, "forbidden");
    EXPECT_REJECTED(svc().set_quotas(owner_, "project-a", {{"zones", 5}}), Forbidden, "forbidden");
    EXPECT_REJECTED(svc().set_quotas(admin_, "project-a", {{"nope", 5}}), Invalid,
                    "invalid_object");

    auto set = svc().set_quotas(admin_, "project-a",
                                {{"zones", 1}, {"zone_recordsets", 3}, {"recordset_records", 2}});
    EXPECT_EQ(set.at("zones"), 1);
    EXPECT_EQ(set.at("zone_records"), defaults.at("zone_records"));
    auto z = make_zone("a.example.", owner_);
    EXPECT_REJECTED(make_zone("b.example.", owner_), TooLarge, "over_quota");
    EXPECT_NO_THROW(make_zone("c.example.", member_of("project-b")));  // not limited

    EXPECT_REJECTED(make_rs(z, "x.a.example.", "A", {"192.0.2.1", "192.0.2.2", "192.0.2.3"}),
                    TooLarge, "over_quota");
    make_rs(z, "x.a.example.", "A", {"192.0.2.1", "192.0.2.2"});  // SOA, NS, x: 3 sets
    EXPECT_REJECTED(make_rs(z, "y.a.example.", "A", {"192.0.2.1"}), TooLarge, "over_quota");
    auto l = svc().limits(owner_);
    EXPECT_EQ(l.max_zones, 1);
    EXPECT_EQ(l.max_zone_recordsets, 3);
    EXPECT_EQ(l.max_recordset_records, 2);

    svc().reset_quotas(admin_, "project-a");
    EXPECT_EQ(svc().get_quotas(owner_, "project-a"), defaults);
    EXPECT_NO_THROW(make_zone("b.example.", owner_));
    EXPECT_NO_THROW(make_rs(z, "y.a.example.", "A", {"192.0.2.1", "192.0.2.2", "192.0.2.3"}));
}

TEST_F(AdminTest, AQuotaAboveTheDefaultLetsAProjectGrow) {
    settings_.quotas.records_per_recordset = 2;
    restart();
    auto z = make_zone("big.example.", owner_);
    EXPECT_REJECTED(make_rs(z, "x.big.example.", "A", {"192.0.2.1", "192.0.2.2", "192.0.2.3"}),
                    TooLarge, "over_quota");
    svc().set_quotas(admin_, "project-a", {{"recordset_records", 3}});
    EXPECT_NO_THROW(make_rs(z, "x.big.example.", "A", {"192.0.2.1", "192.0.2.2", "192.0.2.3"}));
}

TEST_F(AdminTest, PoolsCrudAndTheReadOnlyDefault) {
    EXPECT_REJECTED(svc().list_pools(owner_), Forbidden, "forbidden");
    PoolInput in;
    in.name = "second";
    in.project_id = "1";
    in.ns_records = std::vector<core::NameServer>{{"NS1.example.org.", 1}};
    in.attributes = std::map<std::string, std::string>{{"tier", "gold"}};
    auto p = svc().create_pool(admin_, in);
    EXPECT_EQ(p.ns_records[0].hostname, "ns1.example.org.");
    EXPECT_EQ(svc().list_pools(admin_).size(), 2u);
    EXPECT_EQ(svc().get_pool(admin_, p.id).attributes.at("tier"), "gold");
    EXPECT_REJECTED(svc().create_pool(admin_, in), Conflict, "duplicate_pool");
    PoolInput rename;
    rename.name = "foo";
    EXPECT_EQ(svc().update_pool(admin_, p.id, rename).name, "foo");
    EXPECT_EQ(svc().get_pool(admin_, p.id).ns_records.size(), 1u);
    PoolInput bad;
    bad.ns_records = std::vector<core::NameServer>{{"ns1_example_org_", 1}};
    EXPECT_REJECTED(svc().update_pool(admin_, p.id, bad), Invalid, "invalid_object");
    EXPECT_REJECTED(svc().update_pool(admin_, settings_.pool.id, rename), Conflict, "default_pool");
    EXPECT_REJECTED(svc().delete_pool(admin_, settings_.pool.id), Conflict, "default_pool");
    svc().delete_pool(admin_, p.id);
    EXPECT_REJECTED(svc().get_pool(admin_, p.id), NotFound, "pool_not_found");
}

TEST_F(AdminTest, ZoneNameServersAreItsPools) {
    auto z = make_zone("ns.example.", owner_);
    auto ns = svc().zone_nameservers(owner_, z.id);
    ASSERT_EQ(ns.size(), 2u);
    EXPECT_EQ(ns[0].hostname, "ns1.example.net.");
    EXPECT_EQ(ns[1].priority, 2);
    EXPECT_REJECTED(svc().zone_nameservers(member_of("other"), z.id), NotFound, "zone_not_found");
}

TEST_F(AdminTest, AdminDataSurvivesARestart) {
    svc().create_tld(admin_, {std::string("org"), {}});
    svc().create_blacklist(admin_, {std::string("^x\\.")});
    svc().set_quotas(admin_, "project-a", {{"zones", 7}});
    store_.reset();
    svc_.reset();
    store_ = store::open_store("sqlite://" + dir_ + "/store.db");
    restart();
    EXPECT_EQ(svc().list_tlds(admin_).size(), 1u);
    EXPECT_EQ(svc().list_blacklists(admin_).size(), 1u);
    EXPECT_EQ(svc().get_quotas(admin_, "project-a").at("zones"), 7);
}

}  // namespace
}  // namespace dnsplane::service::testing
