// Tenancy: another project's zones and record sets look absent (404), admins
// with all_projects see and reach everything; lists are scoped; pools.
#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

class TenancyTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        a_ = make_zone("a-example.org.", owner_);
        b_ = make_zone("b-example.org.", stranger_);
        a_www_ = make_rs(a_, "www.a-example.org.", "A", {"192.0.2.1"});
        RecordSetCreate in;
        in.name = "www.b-example.org.";
        in.type = "A";
        in.records = {"192.0.2.2"};
        b_www_ = svc().create_recordset(stranger_, b_.id, in);
    }

    Caller stranger_ = member_of("project-b");
    core::Zone a_, b_;
    core::RecordSet a_www_, b_www_;
};

TEST_F(TenancyTest, OtherProjectsZoneIsNotFound) {
    EXPECT_REJECTED(svc().get_zone(owner_, b_.id), NotFound, "zone_not_found");
    ZoneUpdate up;
    up.description = "hijack";
    EXPECT_REJECTED(svc().update_zone(owner_, b_.id, up), NotFound, "zone_not_found");
    EXPECT_REJECTED(svc().delete_zone(owner_, b_.id), NotFound, "zone_not_found");
    // Admins are scoped too unless they ask for every project.
    EXPECT_REJECTED(svc().get_zone(admin_of("project-a"), b_.id), NotFound, "zone_not_found");
}

TEST_F(TenancyTest, OtherProjectsRecordSetsAreNotFound) {
    EXPECT_REJECTED(svc().get_recordset(owner_, b_.id, b_www_.id), NotFound, "zone_not_found");
    EXPECT_REJECTED(svc().get_recordset(owner_, a_.id, b_www_.id), NotFound, "recordset_not_found");
    EXPECT_REJECTED(svc().find_recordset(owner_, b_www_.id), NotFound, "recordset_not_found");
    RecordSetUpdate up;
    up.records = std::vector<std::string>{"192.0.2.66"};
    EXPECT_REJECTED(svc().update_recordset(owner_, b_.id, b_www_.id, up), NotFound,
                    "zone_not_found");
    EXPECT_REJECTED(svc().delete_recordset(owner_, b_.id, b_www_.id), NotFound, "zone_not_found");
    store::ListQuery q;
    q.scope.zone_id = b_.id;
    EXPECT_REJECTED(svc().list_recordsets(owner_, q), NotFound, "zone_not_found");
}

TEST_F(TenancyTest, FindRecordSetByIdAlone) {
    auto found = svc().find_recordset(owner_, a_www_.id);
    EXPECT_EQ(found.zone_id, a_.id);
    EXPECT_EQ(found.name, "www.a-example.org.");
    EXPECT_REJECTED(svc().find_recordset(owner_, "no-such-id"), NotFound, "recordset_not_found");
}

TEST_F(TenancyTest, ListsAreScopedToTheProject) {
    auto mine = svc().list_zones(owner_, {});
    ASSERT_EQ(mine.items.size(), 1u);
    EXPECT_EQ(mine.total_count, 1u);
    EXPECT_EQ(mine.items[0].id, a_.id);

    // A caller-supplied scope cannot widen the view.
    store::ListQuery sneaky;
    sneaky.scope.project_id = "project-b";
    EXPECT_EQ(svc().list_zones(owner_, sneaky).items.at(0).id, a_.id);

    auto sets = svc().list_recordsets(owner_, {});
    EXPECT_EQ(sets.total_count, 3u);  // SOA, NS, www of project-a only
    for (const auto& rs : sets.items) EXPECT_EQ(rs.project_id, "project-a");

    store::ListQuery in_zone;
    in_zone.scope.zone_id = a_.id;
    EXPECT_EQ(svc().list_recordsets(owner_, in_zone).total_count, 3u);
}

TEST_F(TenancyTest, AllProjectsAdminSeesAndReachesEverything) {
    auto admin = admin_of("admin-project", /*all_projects=*/true);
    EXPECT_EQ(svc().list_zones(admin, {}).total_count, 2u);
    EXPECT_EQ(svc().list_recordsets(admin, {}).total_count, 6u);
    EXPECT_EQ(svc().get_zone(admin, b_.id).name, "b-example.org.");
    EXPECT_EQ(svc().get_recordset(admin, b_.id, b_www_.id).id, b_www_.id);
    EXPECT_EQ(svc().find_recordset(admin, b_www_.id).id, b_www_.id);

    RecordSetUpdate up;
    up.records = std::vector<std::string>{"192.0.2.3"};
    auto u = svc().update_recordset(admin, b_.id, b_www_.id, up);
    EXPECT_EQ(u.project_id, "project-b");  // stays with the zone's project
    EXPECT_EQ(values(svc().get_recordset(stranger_, b_.id, b_www_.id)),
              std::vector<std::string>{"192.0.2.3"});
}

TEST_F(TenancyTest, RecordSetsCreatedByAllProjectsAdminBelongToTheZonesProject) {
    auto admin = admin_of("admin-project", /*all_projects=*/true);
    RecordSetCreate in;
    in.name = "mail.b-example.org.";
    in.type = "MX";
    in.records = {"10 mx.b-example.org."};
    auto rs = svc().create_recordset(admin, b_.id, in);
    EXPECT_EQ(rs.project_id, "project-b");
    EXPECT_EQ(svc().find_recordset(stranger_, rs.id).id, rs.id);
}

TEST_F(TenancyTest, PoolsAreTheConfiguredOneAndAdminOnly) {
    auto admin = admin_of("admin-project");
    auto pools = svc().list_pools(admin);
    ASSERT_EQ(pools.size(), 1u);
    EXPECT_EQ(pools[0].id, settings_.pool.id);
    EXPECT_EQ(pools[0].ns_records.size(), 2u);
    EXPECT_EQ(svc().get_pool(admin, settings_.pool.id).name, "default");
    EXPECT_REJECTED(svc().get_pool(admin, "11111111-2222-3333-4444-555555555555"), NotFound,
                    "pool_not_found");
    // As in Designate, pools are an admin resource (issue 16).
    EXPECT_REJECTED(svc().list_pools(owner_), Forbidden, "forbidden");
    EXPECT_REJECTED(svc().get_pool(stranger_, settings_.pool.id), Forbidden, "forbidden");
}

}  // namespace
}  // namespace dnsplane::service::testing
