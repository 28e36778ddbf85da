// A new zone inside an existing zone of the same project takes over the
// record sets that now lie in it (as Designate does); the delegation NS and
// DS at its apex stay in the parent.
#include <algorithm>

#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

TEST_F(ServiceTest, ChildZoneTakesOverTheParentsRecordSetsBelowIt) {
    auto parent = make_zone("example.org.", owner_);
    auto below = make_rs(parent, "x.child.example.org.", "A", {"192.0.2.1"}, 300);
    auto at_apex = make_rs(parent, "child.example.org.", "TXT", {"\"hello\""});
    auto delegation = make_rs(parent, "child.example.org.", "NS", {"ns.elsewhere.net."});
    auto stays = make_rs(parent, "www.example.org.", "A", {"192.0.2.9"});
    auto parent_serial = stored_zone(parent.id).serial;
    sink_.changes.clear();

    auto child = make_zone("child.example.org.", owner_);

    // Same ids and values, now in the child.
    auto moved = stored_set(child, "x.child.example.org.", "A");
    EXPECT_EQ(moved.id, below.id);
    EXPECT_EQ(moved.records.at(0).id, below.records.at(0).id);
    EXPECT_EQ(moved.zone_name, "child.example.org.");
    EXPECT_EQ(stored_set(child, "child.example.org.", "TXT").id, at_apex.id);
    auto txn = store_->read();
    EXPECT_FALSE(txn->find_recordset(parent.id, "x.child.example.org.", "A"));
    EXPECT_FALSE(txn->find_recordset(parent.id, "child.example.org.", "TXT"));
    EXPECT_TRUE(txn->find_recordset(parent.id, "child.example.org.", "NS"));
    EXPECT_TRUE(txn->find_recordset(parent.id, "www.example.org.", "A"));
    (void)delegation;
    (void)stays;

    // Both zones' changes are logged and published: the child created with
    // the moved records, the parent one serial on with them removed.
    EXPECT_EQ(stored_zone(parent.id).serial, parent_serial + 1);
    ASSERT_EQ(sink_.changes.size(), 2u);
    const auto& created = sink_.changes[0];
    EXPECT_TRUE(created.zone_created);
    EXPECT_NE(std::find(created.added.begin(), created.added.end(),
                        rr("x.child.example.org.", "A", 300, "192.0.2.1")),
              created.added.end());
    const auto& shrunk = sink_.changes[1];
    EXPECT_EQ(shrunk.zone_id, parent.id);
    EXPECT_EQ(shrunk.old_serial, parent_serial);
    EXPECT_EQ(shrunk.new_serial, parent_serial + 1);
    EXPECT_EQ(shrunk.removed.size(), 2u);
    EXPECT_TRUE(shrunk.added.empty());
    EXPECT_EQ(change_log(parent).back().new_serial, parent_serial + 1);
}

TEST_F(ServiceTest, ChildZoneIsRefusedWhereTheParentHoldsACnameAtItsApex) {
    auto parent = make_zone("example.org.", owner_);
    make_rs(parent, "child.example.org.", "CNAME", {"target.example.org."});
    auto before = snapshot();
    EXPECT_THROW(make_zone("child.example.org.", owner_), core::Error);
    EXPECT_EQ(snapshot(), before);
}

}  // namespace
}  // namespace dnsplane::service::testing
