// Designate status/action while a change is on its way to the pool's polled
// nameservers (service/propagation.h), through the real ZoneService reads.
#include "service/propagation.h"

#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

class PropagationTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        svc().add_sink(&propagation_);
        svc().set_propagation(&propagation_);
    }
    core::RecordSet set_of(const core::Zone& z, const std::string& type) {
        for (const auto& rs : svc().list_recordsets(owner_, zone_scope(z)).items)
            if (rs.type == type) return rs;
        ADD_FAILURE() << "no " << type << " set";
        return {};
    }
    static store::ListQuery zone_scope(const core::Zone& z) {
        store::ListQuery q;
        q.scope.zone_id = z.id;
        return q;
    }
    Propagation propagation_{true};
};

TEST_F(PropagationTest, NewZoneIsPendingCreateUntilItsSerialIsConfirmed) {
    auto z = make_zone("example.org.", owner_);
    auto shown = svc().get_zone(owner_, z.id);
    EXPECT_EQ(shown.status, "PENDING");
    EXPECT_EQ(shown.action, "CREATE");
    EXPECT_EQ(set_of(z, "NS").status, "PENDING");
    EXPECT_EQ(set_of(z, "NS").action, "CREATE");
    EXPECT_EQ(svc().list_zones(owner_, {}).items.at(0).status, "PENDING");

    propagation_.confirmed(z.id, z.serial - 1);  // an older serial confirms nothing
    EXPECT_EQ(svc().get_zone(owner_, z.id).status, "PENDING");

    propagation_.confirmed(z.id, z.serial);
    shown = svc().get_zone(owner_, z.id);
    EXPECT_EQ(shown.status, "ACTIVE");
    EXPECT_EQ(shown.action, "NONE");
    EXPECT_EQ(set_of(z, "NS").status, "ACTIVE");
    EXPECT_EQ(propagation_.zones_tracked(), 0u);
}

TEST_F(PropagationTest, ChangedSetsArePendingAndUntouchedOnesActive) {
    auto z = make_zone("example.org.", owner_);
    propagation_.confirmed(z.id, z.serial);
    auto www = make_rs(z, "www.example.org.", "A", {"192.0.2.1"});
    const auto serial = svc().get_zone(owner_, z.id).serial;

    auto zone = svc().get_zone(owner_, z.id);
    EXPECT_EQ(zone.status, "PENDING");
    EXPECT_EQ(zone.action, "UPDATE");
    auto got = svc().get_recordset(owner_, z.id, www.id);
    EXPECT_EQ(got.status, "PENDING");
    EXPECT_EQ(got.action, "CREATE");
    EXPECT_EQ(svc().find_recordset(owner_, www.id).status, "PENDING");
    EXPECT_EQ(set_of(z, "SOA").status, "PENDING");  // the serial moved
    EXPECT_EQ(set_of(z, "NS").status, "ACTIVE");    // not part of the change

    RecordSetUpdate up;
    up.records = std::vector<std::string>{"192.0.2.2"};
    propagation_.confirmed(z.id, serial);
    svc().update_recordset(owner_, z.id, www.id, up);
    got = svc().get_recordset(owner_, z.id, www.id);
    EXPECT_EQ(got.status, "PENDING");
    EXPECT_EQ(got.action, "UPDATE");

    propagation_.confirmed(z.id, serial + 1);
    EXPECT_EQ(svc().get_recordset(owner_, z.id, www.id).status, "ACTIVE");
    EXPECT_EQ(svc().get_zone(owner_, z.id).status, "ACTIVE");
}

TEST_F(PropagationTest, ConfirmingAnOlderSerialLeavesTheNewerChangePending) {
    auto z = make_zone("example.org.", owner_);
    auto a = make_rs(z, "a.example.org.", "A", {"192.0.2.1"});
    const auto first = svc().get_zone(owner_, z.id).serial;
    auto b = make_rs(z, "b.example.org.", "A", {"192.0.2.2"});

    propagation_.confirmed(z.id, first);
    EXPECT_EQ(svc().get_recordset(owner_, z.id, a.id).status, "ACTIVE");
    EXPECT_EQ(svc().get_recordset(owner_, z.id, b.id).status, "PENDING");
    auto zone = svc().get_zone(owner_, z.id);
    EXPECT_EQ(zone.status, "PENDING");
    EXPECT_EQ(zone.action, "UPDATE");  // the creation itself is confirmed
}

TEST_F(PropagationTest, AFailedPollShowsErrorUntilALaterChangeIsPending) {
    auto z = make_zone("example.org.", owner_);
    auto a = make_rs(z, "a.example.org.", "A", {"192.0.2.1"});
    const auto serial = svc().get_zone(owner_, z.id).serial;
    propagation_.failed(z.id, serial - 1);  // superseded: ignored
    EXPECT_EQ(svc().get_zone(owner_, z.id).status, "PENDING");
    propagation_.failed(z.id, serial);
    EXPECT_EQ(svc().get_zone(owner_, z.id).status, "ERROR");
    EXPECT_EQ(svc().get_recordset(owner_, z.id, a.id).status, "ERROR");

    make_rs(z, "b.example.org.", "A", {"192.0.2.2"});
    EXPECT_EQ(svc().get_zone(owner_, z.id).status, "PENDING");
    EXPECT_EQ(svc().get_recordset(owner_, z.id, a.id).status, "PENDING");
    propagation_.confirmed(z.id, serial + 1);
    EXPECT_EQ(svc().get_zone(owner_, z.id).status, "ACTIVE");
}

TEST_F(PropagationTest, DeletingAZoneForgetsIt) {
    auto z = make_zone("example.org.", owner_);
    EXPECT_EQ(propagation_.zones_tracked(), 1u);
    svc().delete_zone(owner_, z.id);
    EXPECT_EQ(propagation_.zones_tracked(), 0u);
}

TEST_F(PropagationTest, IgnoredZoneIsNeverPendingNorPolled) {
    propagation_.ignore_zone("example.org.");
    auto z = make_zone("example.org.", owner_);
    EXPECT_EQ(svc().get_zone(owner_, z.id).status, "ACTIVE");
    core::ZoneChange change;
    change.zone_id = z.id;
    change.zone_name = "example.org.";
    EXPECT_FALSE(propagation_.wants_poll(change));
    change.zone_name = "example.net.";
    EXPECT_TRUE(propagation_.wants_poll(change));
    change.zone_deleted = true;
    EXPECT_FALSE(propagation_.wants_poll(change));
}

TEST_F(ServiceTest, WithoutPolledNameserversEverythingIsActiveAtCommit) {
    Propagation off(false);
    svc().add_sink(&off);
    svc().set_propagation(&off);
    auto z = make_zone("example.org.", owner_);
    auto a = make_rs(z, "a.example.org.", "A", {"192.0.2.1"});
    EXPECT_EQ(svc().get_zone(owner_, z.id).status, "ACTIVE");
    EXPECT_EQ(svc().get_recordset(owner_, z.id, a.id).status, "ACTIVE");
    EXPECT_EQ(svc().get_recordset(owner_, z.id, a.id).action, "NONE");
    EXPECT_EQ(off.zones_tracked(), 0u);
    core::ZoneChange change;
    change.zone_name = "example.org.";
    EXPECT_FALSE(off.wants_poll(change));
}

TEST(PropagationSerials, ConfirmationFollowsSerialArithmeticAcrossTheWrap) {
    Propagation p(true);
    core::ZoneChange change;
    change.zone_id = "z";
    change.zone_name = "example.org.";
    change.new_serial = 5;  // wrapped past 2^32 - 1
    p.on_commit(change);
    core::Zone z;
    z.id = "z";
    p.confirmed("z", 0xFFFFFFF0u);  // before 5 in sequence space
    p.show(z);
    EXPECT_EQ(z.status, "PENDING");
    p.confirmed("z", 7);
    z.status = "ACTIVE";
    p.show(z);
    EXPECT_EQ(z.status, "ACTIVE");
    EXPECT_EQ(p.zones_tracked(), 0u);
}

}  // namespace
}  // namespace dnsplane::service::testing
