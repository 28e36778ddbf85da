// Zone task rows (migration 6): insert, read, list by kind / zone, update,
// delete, one share per (zone, project), and the project move of a transfer.
// On both backends.
#include "store_fixture.h"

namespace dnsplane::store::testing {
namespace {

ZoneTask task(const std::string& id, const std::string& kind, const std::string& zone_id,
              const std::string& created_at) {
    ZoneTask t = make_task(id, kind, zone_id, "p1", "p2", created_at);
    t.zone_name = "example.org.";
    t.key = "ABCDEFGH";
    return t;
}

class ZoneTasksStoreTest : public BackendTest {};

TEST_P(ZoneTasksStoreTest, ZoneTasksRoundTripAndListByKindAndZone) {
    write([](WriteTxn& tx) {
        tx.insert_task(task("t1", "transfer_request", "z1", "2026-01-01T00:00:01.000000"));
        tx.insert_task(task("t2", "transfer_request", "z2", "2026-01-01T00:00:02.000000"));
        tx.insert_task(task("t3", "import", "", "2026-01-01T00:00:03.000000"));
    });
    auto rd = store_->read();
    auto t1 = rd->get_task("t1");
    ASSERT_TRUE(t1.has_value());
    EXPECT_EQ(t1->key, "ABCDEFGH");
    EXPECT_EQ(t1->target_project_id, "p2");
    EXPECT_FALSE(t1->updated_at.has_value());
    EXPECT_EQ(ids_of(rd->list_tasks("transfer_request", std::nullopt)),
              (std::vector<std::string>{"t1", "t2"}));
    EXPECT_EQ(ids_of(rd->list_tasks("transfer_request", std::string("z2"))),
              (std::vector<std::string>{"t2"}));
    EXPECT_FALSE(rd->get_task("nope").has_value());
    rd.reset();

    write([](WriteTxn& tx) {
        auto t = *tx.get_task("t1");
        t.status = "COMPLETE";
        t.updated_at = "2026-01-02T00:00:00.000000";
        tx.update_task(t);
        tx.delete_task("t2");
        tx.delete_task("missing");  // no-op
    });
    rd = store_->read();
    EXPECT_EQ(rd->get_task("t1")->status, "COMPLETE");
    EXPECT_EQ(rd->get_task("t1")->updated_at, "2026-01-02T00:00:00.000000");
    EXPECT_FALSE(rd->get_task("t2").has_value());
    rd.reset();
    auto e = error_of(
        [&] { write([](WriteTxn& tx) { tx.update_task(task("x", "import", "", "t")); }); });
    EXPECT_EQ(e.kind(), core::ErrorKind::NotFound);
}

TEST_P(ZoneTasksStoreTest, AZoneIsSharedWithAProjectOnce) {
    write([](WriteTxn& tx) { tx.insert_task(task("s1", "share", "z1", "t")); });
    auto e = error_of(
        [&] { write([](WriteTxn& tx) { tx.insert_task(task("s2", "share", "z1", "t")); }); });
    EXPECT_EQ(e.kind(), core::ErrorKind::Conflict);
    EXPECT_EQ(e.type(), "duplicate_shared_zone");
    // Another kind with the same zone and target is no share.
    write([](WriteTxn& tx) { tx.insert_task(task("r1", "transfer_request", "z1", "t")); });
}

TEST_P(ZoneTasksStoreTest, MoveZoneProjectMovesTheZoneAndTheOldOwnersSets) {
    auto z = make_zone("z1", "example.org.", "p1");
    auto mine = make_recordset(z, "rs1", "www.example.org.", "A", {"192.0.2.1"});
    auto theirs = make_recordset(z, "rs2", "x.example.org.", "A", {"192.0.2.2"});
    theirs.project_id = "p3";  // created through a share
    write([&](WriteTxn& tx) {
        tx.insert_zone(z);
        tx.insert_recordset(mine);
        tx.insert_recordset(theirs);
    });
    write([](WriteTxn& tx) { tx.move_zone_project("z1", "p1", "p2"); });
    auto rd = store_->read();
    EXPECT_EQ(rd->get_zone("z1")->project_id, "p2");
    EXPECT_EQ(rd->get_recordset("rs1")->project_id, "p2");
    EXPECT_EQ(rd->get_recordset("rs2")->project_id, "p3");
}

DNSPLANE_BOTH_BACKENDS(ZoneTasksStoreTest);

}  // namespace
}  // namespace dnsplane::store::testing
