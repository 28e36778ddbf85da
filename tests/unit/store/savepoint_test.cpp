// Savepoints of a write transaction: a rolled-back savepoint undoes only its
// own writes; released ones commit with the transaction; nesting works.
#include "store_fixture.h"

namespace dnsplane::store::testing {
namespace {

using SavepointTest = BackendTest;

TEST_P(SavepointTest, RollbackUndoesOnlyTheSavepoint) {
    {
        auto tx = store_->write();
        tx->insert_zone(make_zone("z1", "one.org."));
        {
            Savepoint sp(*tx, "request");
            tx->insert_zone(make_zone("z2", "two.org."));
            sp.release();
        }
        {
            Savepoint sp(*tx, "request");
            tx->insert_zone(make_zone("z3", "three.org."));
            auto z = make_zone("z1", "one.org.");
            z.serial = 99;
            tx->update_zone(z);
            // Dropped without release(): rolled back.
        }
        {
            Savepoint outer(*tx, "request");
            tx->insert_zone(make_zone("z4", "four.org."));
            {
                Savepoint inner(*tx, "request");
                tx->insert_zone(make_zone("z5", "five.org."));
                inner.rollback();
            }
            outer.release();
        }
        EXPECT_TRUE(tx->get_zone("z2"));
        EXPECT_FALSE(tx->get_zone("z3"));
        tx->commit();
    }
    auto r = store_->read();
    EXPECT_TRUE(r->get_zone("z1"));
    EXPECT_EQ(r->get_zone("z1")->serial, make_zone("z1", "one.org.").serial);
    EXPECT_TRUE(r->get_zone("z2"));
    EXPECT_FALSE(r->get_zone("z3"));
    EXPECT_TRUE(r->get_zone("z4"));
    EXPECT_FALSE(r->get_zone("z5"));
}

// The per-zone record set count follows the savepoints (PostgreSQL keeps it
// in the transaction and writes it at commit).
TEST_P(SavepointTest, RecordSetCountFollowsRollbacks) {
    core::Zone zone = make_zone("z1", "one.org.");
    auto tx = store_->write();
    tx->insert_zone(zone);
    tx->insert_recordset(make_recordset(zone, "a", "a.one.org.", "A", {"192.0.2.1"}));
    {
        Savepoint sp(*tx, "request");
        tx->insert_recordset(make_recordset(zone, "b", "b.one.org.", "A", {"192.0.2.2"}));
        tx->delete_recordset("a");
        EXPECT_EQ(tx->count_recordsets("z1"), 1u);
        sp.rollback();
    }
    EXPECT_EQ(tx->count_recordsets("z1"), 1u);
    EXPECT_TRUE(tx->get_recordset("a"));
    for (int i = 0; i < 300; ++i) {
        auto name = "n" + std::to_string(i);
        tx->insert_recordset(make_recordset(zone, name, name + ".one.org.", "A", {"192.0.2.3"}));
    }
    tx->delete_recordset("n7");
    EXPECT_EQ(tx->count_recordsets("z1"), 300u);
    tx->commit();
    EXPECT_EQ(store_->read()->count_recordsets("z1"), 300u);
}

// The per-zone count of values (zone_records quota) follows inserts, value
// rewrites, deletes (the cascade to records too) and rollbacks, on both backends.
TEST_P(SavepointTest, RecordCountFollowsValuesAndRollbacks) {
    core::Zone zone = make_zone("z1", "one.org.");
    auto tx = store_->write();
    tx->insert_zone(zone);
    tx->insert_recordset(make_recordset(zone, "a", "a.one.org.", "A", {"192.0.2.1", "192.0.2.2"}));
    std::vector<core::RecordSet> bulk;
    for (int i = 0; i < 3; ++i) {
        auto name = "m" + std::to_string(i);
        bulk.push_back(make_recordset(zone, name, name + ".one.org.", "A", {"192.0.2.3"}));
    }
    std::vector<const core::RecordSet*> ptrs;
    for (const auto& rs : bulk) ptrs.push_back(&rs);
    tx->insert_recordsets(ptrs);
    EXPECT_EQ(tx->count_records("z1"), 5u);
    {
        Savepoint sp(*tx, "request");
        auto grown =
            make_recordset(zone, "a", "a.one.org.", "A", {"192.0.2.1", "192.0.2.2", "192.0.2.9"});
        tx->update_recordset(grown);
        EXPECT_EQ(tx->count_records("z1"), 6u);
        tx->delete_recordset("m0");
        EXPECT_EQ(tx->count_records("z1"), 5u);
        sp.rollback();
    }
    EXPECT_EQ(tx->count_records("z1"), 5u);
    tx->delete_recordset("a");
    EXPECT_EQ(tx->count_records("z1"), 3u);
    tx->update_recordset(
        make_recordset(zone, "m1", "m1.one.org.", "A", {"192.0.2.4", "192.0.2.5"}));
    EXPECT_EQ(tx->count_records("z1"), 4u);
    tx->commit();
    EXPECT_EQ(store_->read()->count_records("z1"), 4u);
}

TEST_P(SavepointTest, FailedCallInsideASavepointKeepsEarlierWrites) {
    auto tx = store_->write();
    Savepoint sp(*tx, "request");
    tx->insert_zone(make_zone("z1", "one.org."));
    EXPECT_EQ(error_of([&] { tx->insert_zone(make_zone("z1", "one.org.")); }).type(),
              "duplicate_zone");
    sp.release();
    tx->commit();
    EXPECT_TRUE(store_->read()->get_zone("z1"));
}

TEST_P(SavepointTest, NamesMustBeIdentifiers) {
    auto tx = store_->write();
    EXPECT_EQ(error_of([&] { tx->savepoint("x; DROP TABLE zones"); }).type(), "database_error");
    EXPECT_EQ(error_of([&] { tx->savepoint("1x"); }).type(), "database_error");
}

DNSPLANE_BOTH_BACKENDS(SavepointTest);

}  // namespace
}  // namespace dnsplane::store::testing
