// PostgreSQL round trips: statements queued with PgConnection::defer travel
// with the next one that needs an answer; a queued statement's failure
// surfaces there and fails the whole transaction (no savepoint rescues it);
// savepoint-guarded writes keep their errors in one round trip; the write
// transaction's zone row / quota cache follows its own writes and rollbacks;
// and a record set create costs a fixed, small number of round trips.
#include <set>

#include "store/postgres/connection.h"
#include "store/postgres/transactions.h"
#include "store_fixture.h"

namespace dnsplane::store::testing {
namespace {

using postgres::command;
using postgres::PgConnection;
using postgres::PgError;
using postgres::Statement;

class PgRoundTripTest : public BackendTest {
  protected:
    // The write transaction's own class (round trip counter).
    static postgres::PgWriteTxn& pg(WriteTxn& tx) {
        auto* p = dynamic_cast<postgres::PgWriteTxn*>(&tx);
        EXPECT_NE(p, nullptr);
        return *p;
    }

    // one.org. (z1) with sub.one.org. (z2) below it and other.org. (z3)
    // beside it; `more` writes in the same transaction.
    core::Zone three_zones(const std::function<void(WriteTxn&, const core::Zone&)>& more = {}) {
        auto zone = make_zone("z1", "one.org.");
        write([&](WriteTxn& tx) {
            tx.insert_zone(zone);
            tx.insert_zone(make_zone("z2", "sub.one.org."));
            tx.insert_zone(make_zone("z3", "other.org."));
            if (more) more(tx, zone);
        });
        return zone;
    }

    void admin(const std::string& sql) {
        PgConnection c(url());
        c.exec(sql);
    }

    static core::ZoneChange change(const std::string& zone_id, std::uint32_t serial,
                                   const std::string& at) {
        core::ZoneChange c;
        c.zone_id = zone_id;
        c.zone_name = zone_id + ".";
        c.old_serial = serial - 1;
        c.new_serial = serial;
        c.committed_at = at;
        return c;
    }

    // What a caught exception is: a PgError (and whether deferred), or
    // another core::Error, or nothing.
    struct Caught {
        bool thrown = false;
        bool pg = false;
        bool deferred = false;
        bool unique = false;
        std::string type;
    };
    static Caught caught(const std::function<void()>& fn) {
        Caught c;
        try {
            fn();
        } catch (const PgError& e) {
            c = {true, true, e.deferred(), e.is_unique_violation(), e.type()};
        } catch (const core::Error& e) {
            c = {true, false, false, false, e.type()};
        }
        return c;
    }
};

std::string scalar(PgConnection& c, const std::string& sql) {
    auto r = c.query(sql);
    return r.step() ? r.text(0) : "";
}

TEST_P(PgRoundTripTest, QueuedStatementsTravelWithTheNextQuery) {
    PgConnection c(url());
    c.exec("CREATE TEMP TABLE t (id BIGINT PRIMARY KEY)");
    const auto before = c.round_trips();
    c.defer(command("BEGIN"));
    c.defer(Statement{"INSERT INTO t (id) VALUES (?)", {std::int64_t{1}}});
    c.defer(Statement{"INSERT INTO t (id) VALUES (?)", {std::int64_t{2}}});
    EXPECT_EQ(c.round_trips(), before);  // nothing sent yet
    EXPECT_EQ(scalar(c, "SELECT count(*) FROM t"), "2");
    EXPECT_EQ(c.round_trips(), before + 1);
    EXPECT_EQ(c.queued(), 0u);
    c.defer(command("COMMIT"));
    c.sync();
    EXPECT_EQ(c.round_trips(), before + 2);
    EXPECT_FALSE(c.in_transaction());
}

// A transaction whose statement failed (and whose failure someone caught
// without rolling back to a savepoint) is aborted: PostgreSQL answers its
// COMMIT with the tag "ROLLBACK" and no error. commit() must not report that
// as committed, or an acknowledged write would be lost silently.
// The write path's connections plan their statements once (generic plans):
// the writer, and whatever else asks for a connection for writes (the
// follower); a pooled reader keeps PostgreSQL's choice.
TEST_P(PgRoundTripTest, WritePathConnectionsUseGenericPlans) {
    postgres::PgPool pool(url());
    EXPECT_EQ(scalar(pool.acquire_writer(), "SHOW plan_cache_mode"), "force_generic_plan");
    pool.release_writer();
    EXPECT_EQ(scalar(*pool.connect_for_writes(), "SHOW plan_cache_mode"), "force_generic_plan");
    EXPECT_EQ(scalar(*pool.acquire_reader(), "SHOW plan_cache_mode"), "auto");
}

// Positions are taken from the sequence by its name: it must be the one the
// schema gave zone_changes.seq, so that they never collide with the column
// default (rows written by anything else). A fifth entry in one transaction
// takes its own.
TEST_P(PgRoundTripTest, ChangeLogPositionsComeFromTheTablesOwnSequence) {
    PgConnection c(url());
    EXPECT_EQ(
        scalar(c, std::string("SELECT pg_get_serial_sequence('zone_changes', 'seq')::regclass "
                              "= '") +
                      postgres::kChangeLogSequence + "'::regclass"),
        "t");
    three_zones();
    auto tx = store_->write();
    for (int i = 1; i <= 6; ++i) tx->append_change(change("z1", 1 + i, "t" + std::to_string(i)));
    tx->commit();
    tx.reset();
    std::set<std::string> seqs;
    auto r = c.query("SELECT seq FROM zone_changes WHERE zone_id = 'z1'");
    while (r.step()) seqs.insert(r.text(0));
    EXPECT_EQ(seqs.size(), 6u);  // four taken at BEGIN, then one per entry
    EXPECT_EQ(scalar(c, std::string("SELECT max(seq) < nextval('") + postgres::kChangeLogSequence +
                            "') FROM zone_changes"),
              "t");
}

TEST_P(PgRoundTripTest, CommitOfAnAbortedTransactionThrows) {
    PgConnection c(url());
    c.exec("CREATE TEMP TABLE t (id BIGINT PRIMARY KEY)");
    c.exec("BEGIN");
    c.query("INSERT INTO t (id) VALUES (1)");
    auto failed = caught([&] { c.query("INSERT INTO t (id) VALUES (1)"); });
    ASSERT_TRUE(failed.unique);
    auto e = caught([&] { c.commit(); });
    EXPECT_TRUE(e.pg);
    EXPECT_EQ(e.type, "database_error");
    EXPECT_FALSE(c.in_transaction());
    EXPECT_EQ(scalar(c, "SELECT count(*) FROM t"), "0");  // nothing was committed
    // A healthy transaction commits without a word.
    c.exec("BEGIN");
    c.query("INSERT INTO t (id) VALUES (2)");
    EXPECT_FALSE(caught([&] { c.commit(); }).thrown);
    EXPECT_EQ(scalar(c, "SELECT count(*) FROM t"), "1");
}

TEST_P(PgRoundTripTest, AQueuedFailureIsThrownAtTheNextRoundTripAndSkipsTheRest) {
    PgConnection c(url());
    c.exec("CREATE TEMP TABLE t (id BIGINT PRIMARY KEY)");
    c.defer(command("BEGIN"));
    c.defer(Statement{"INSERT INTO t (id) VALUES (?)", {std::int64_t{1}}});
    c.defer(Statement{"INSERT INTO t (id) VALUES (?)", {std::int64_t{1}}});  // refused
    c.defer(Statement{"INSERT INTO t (id) VALUES (?)", {std::int64_t{3}}});  // skipped
    auto e = caught([&] { c.query("SELECT count(*) FROM t"); });
    EXPECT_TRUE(e.pg && e.deferred && e.unique);
    EXPECT_EQ(e.type, "database_error");
    ASSERT_TRUE(c.deferred_failure());
    EXPECT_TRUE(c.deferred_failure()->is_unique_violation());
    EXPECT_TRUE(c.ok());
    EXPECT_TRUE(c.rollback());
    EXPECT_EQ(scalar(c, "SELECT count(*) FROM t"), "0");
}

TEST_P(PgRoundTripTest, OwnStatementFailuresAreRepliesNotThrows) {
    PgConnection c(url());
    c.exec("CREATE TEMP TABLE t (id BIGINT PRIMARY KEY)");
    c.exec("BEGIN");
    auto r = c.round_trip({Statement{"INSERT INTO t (id) VALUES (?)", {std::int64_t{1}}},
                           Statement{"INSERT INTO t (id) VALUES (?)", {std::int64_t{1}}},
                           Statement{"INSERT INTO t (id) VALUES (?)", {std::int64_t{2}}}});
    ASSERT_EQ(r.results.size(), 1u);
    EXPECT_EQ(r.results.front().affected(), 1);
    ASSERT_TRUE(r.error);
    EXPECT_TRUE(r.error->is_unique_violation());
    EXPECT_FALSE(r.error->deferred());
    EXPECT_FALSE(c.deferred_failure());
    EXPECT_TRUE(c.rollback());
}

// The change-log positions taken with BEGIN are used first (the entries
// queued), then each entry asks for its own; all in append order, each
// notified, none lost. The plug-in bindings read with BEGIN follow the
// transaction's own binding write.
TEST_P(PgRoundTripTest, EntriesPastThePositionsTakenAtBeginStayInOrder) {
    auto zone = make_zone("z1", "one.org.");
    write([&](WriteTxn& tx) { tx.insert_zone(zone); });
    auto tx = store_->write();
    auto& p = pg(*tx);
    EXPECT_TRUE(tx->hook_bindings().empty());
    tx->put_hook_binding(HookBinding{"change_committed", "p", "1", "http://127.0.0.1:9/h", "t"});
    ASSERT_EQ(tx->hook_bindings().size(), 1u);
    std::vector<std::int64_t> seqs;
    const auto start = p.round_trips();
    for (std::uint32_t i = 0; i < 6; ++i)
        seqs.push_back(tx->append_change(change("z1", i + 2, "t")));
    EXPECT_EQ(p.round_trips() - start, 2u);  // the 5th and the 6th
    tx->commit();
    for (std::size_t i = 1; i < seqs.size(); ++i) EXPECT_LT(seqs[i - 1], seqs[i]);
    auto logged = store_->read()->changes_since("z1", 0);
    ASSERT_EQ(logged.size(), 6u);
    for (std::uint32_t i = 0; i < 6; ++i) EXPECT_EQ(logged[i].new_serial, i + 2);
    EXPECT_EQ(store_->read()->hook_bindings().size(), 1u);
}

// Two requests of one group commit: the first queues a write that the
// database refuses; the second finds out. Rolling the second back must not
// rescue the transaction (its SAVEPOINT never ran, the first's RELEASE
// neither: the rollback would undo the first request behind its back).
TEST_P(PgRoundTripTest, AFailedDeferredWriteFailsTheWholeTransaction) {
    admin("CREATE UNIQUE INDEX test_one_time ON zone_changes (committed_at)");
    auto zone = make_zone("z1", "one.org.");
    write([&](WriteTxn& tx) { tx.insert_zone(zone); });
    auto tx = store_->write();
    {
        Savepoint a(*tx, "request");
        tx->append_change(change("z1", 2, "t1"));
        // Kept (at a position taken with BEGIN); refused by the index once
        // sent.
        tx->append_change(change("z1", 3, "t1"));
        a.release();
    }
    tx->savepoint("request");
    // Reading the log sends the entries first, queued: the read gets their
    // failure as a PgError.
    auto read = caught([&] { tx->changes_since("z1", 0); });
    EXPECT_TRUE(read.pg && read.deferred && read.unique) << read.type;
    // Every later call gets it too (not mapped to this call's
    // duplicate_recordset): nothing can be written, rolled back to or
    // committed any more.
    auto e = caught(
        [&] { tx->insert_recordset(make_recordset(zone, "a", "a.one.org.", "A", {"192.0.2.1"})); });
    EXPECT_TRUE(e.pg && e.deferred && e.unique) << e.type;
    EXPECT_EQ(e.type, "database_error");
    EXPECT_TRUE(caught([&] { tx->rollback_to_savepoint("request"); }).deferred);
    EXPECT_TRUE(caught([&] { tx->update_zone(zone); }).deferred);
    EXPECT_TRUE(caught([&] { tx->commit(); }).deferred);
    tx.reset();
    auto r = store_->read();
    EXPECT_TRUE(r->changes_since("z1", 0).empty());
    EXPECT_FALSE(r->get_recordset("a"));
    // The store goes on (the next transaction starts clean).
    write([&](WriteTxn& w) {
        w.insert_recordset(make_recordset(zone, "b", "b.one.org.", "A", {"192.0.2.2"}));
    });
    EXPECT_TRUE(store_->read()->get_recordset("b"));
}

// A joined request's change-log rewrite costs no round trip: the last
// content of each position goes with COMMIT (or before anything that reads
// the log), as one INSERT when the entry was appended in the transaction. A
// rollback to a savepoint brings back the entry pending when it opened,
// even one sent since (the database undid it).
TEST_P(PgRoundTripTest, AChangeLogRewriteIsSentOnceWithItsLastContent) {
    auto zone = make_zone("z1", "one.org.");
    write([&](WriteTxn& tx) { tx.insert_zone(zone); });
    // An entry appended and rewritten in one transaction is one INSERT, sent
    // with COMMIT: two statements, no round trip before.
    {
        auto tx = store_->write();
        auto& p = pg(*tx);
        const auto before = p.round_trips();
        const auto sent = p.statements_sent();
        const auto seq = tx->append_change(change("z1", 2, "a1"));
        tx->rewrite_change(seq, change("z1", 2, "a2"));
        tx->rewrite_change(seq, change("z1", 2, "a3"));
        EXPECT_EQ(p.round_trips(), before);
        tx->commit();
        EXPECT_EQ(p.statements_sent() - sent, 2u);  // INSERT, COMMIT
        auto logged = store_->read()->changes_since("z1", 0);
        ASSERT_EQ(logged.size(), 1u);
        EXPECT_EQ(logged[0].committed_at, "a3");
        EXPECT_EQ(logged[0].new_serial, 2u);
    }
    admin("DELETE FROM zone_changes");
    auto tx = store_->write();
    auto& p = pg(*tx);
    const auto seq = tx->append_change(change("z1", 2, "t1"));
    const auto start = p.round_trips();
    tx->rewrite_change(seq, change("z1", 2, "t2"));
    tx->savepoint("request");
    tx->rewrite_change(seq, change("z1", 2, "t3"));
    EXPECT_EQ(p.round_trips(), start);
    auto seen = tx->changes_since("z1", 0);  // sends them first
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].committed_at, "t3");
    tx->rollback_to_savepoint("request");
    tx->rewrite_change(seq, change("z1", 2, "t4"));
    tx->savepoint("request");
    tx->rewrite_change(seq, change("z1", 2, "t5"));
    tx->release_savepoint("request");
    tx->commit();
    auto logged = store_->read()->changes_since("z1", 0);
    ASSERT_EQ(logged.size(), 1u);
    EXPECT_EQ(logged[0].committed_at, "t5");
    // Rolled back to: the rewrite pending when the savepoint opened.
    tx.reset();
    tx = store_->write();
    tx->rewrite_change(seq, change("z1", 2, "t6"));
    tx->savepoint("request");
    tx->rewrite_change(seq, change("z1", 2, "t7"));
    tx->changes_since("z1", 0);
    tx->rollback_to_savepoint("request");
    tx->commit();
    EXPECT_EQ(store_->read()->changes_since("z1", 0).at(0).committed_at, "t6");
}

// A zone deleted by the transaction that appended entries for it takes them
// with its history, though they were still kept in memory: only the
// deletion entry stays.
TEST_P(PgRoundTripTest, AZoneDeletedInTheTransactionTakesTheEntriesItKept) {
    three_zones();
    auto tx = store_->write();
    tx->append_change(change("z1", 2, "kept"));
    auto gone = change("z1", 3, "gone");
    gone.zone_deleted = true;
    tx->append_change(gone);
    tx->delete_zone("z1");
    tx->commit();
    tx.reset();
    auto logged = store_->read()->changes_since("z1", 0);
    ASSERT_EQ(logged.size(), 1u);
    EXPECT_TRUE(logged[0].zone_deleted);
    EXPECT_EQ(logged[0].committed_at, "gone");
}

// The savepoint-guarded writes run in one round trip each, refused or not;
// a refusal is the caller's error and leaves the transaction usable.
TEST_P(PgRoundTripTest, RefusedGuardedWritesLeaveTheTransactionUsable) {
    auto zone = make_zone("z1", "one.org.");
    auto tx = store_->write();
    auto& p = pg(*tx);
    tx->insert_zone(zone);
    tx->insert_recordset(make_recordset(zone, "a", "a.one.org.", "A", {"192.0.2.1"}));
    auto one_trip = [&](const std::function<void()>& fn) {
        const auto before = p.round_trips();
        auto e = caught(fn);
        EXPECT_EQ(p.round_trips() - before, 1u) << e.type;
        return e.type;
    };
    EXPECT_EQ(one_trip([&] { tx->insert_zone(make_zone("z2", "one.org.")); }), "duplicate_zone");
    EXPECT_EQ(one_trip([&] {
                  tx->insert_recordset(make_recordset(zone, "a2", "a.one.org.", "A", {"x"}));
              }),
              "duplicate_recordset");
    // The second value's id is taken: the error names it.
    auto taken = make_recordset(zone, "c", "c.one.org.", "A", {"192.0.2.3", "192.0.2.4"});
    taken.records[1].id = "a-r0";
    try {
        tx->insert_recordset(taken);
        ADD_FAILURE() << "no error";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.type(), "duplicate_record");
        EXPECT_NE(std::string(e.what()).find("a-r0"), std::string::npos) << e.what();
    }
    EXPECT_EQ(one_trip([&] {
                  tx->update_recordset(make_recordset(zone, "nope", "n.one.org.", "A", {"x"}));
              }),
              "recordset_not_found");
    tx->insert_recordset(make_recordset(zone, "b", "b.one.org.", "A", {"192.0.2.5"}));
    EXPECT_EQ(one_trip([&] {
                  tx->update_recordset(make_recordset(zone, "b", "a.one.org.", "A", {"x"}));
              }),
              "duplicate_recordset");
    auto missing = make_zone("z9", "nine.org.");
    EXPECT_EQ(one_trip([&] {
                  tx->insert_recordset(make_recordset(missing, "m", "m.nine.org.", "A", {"x"}));
              }),
              "zone_not_found");
    // run_unique (the shared tables): SAVEPOINT + statement in one trip too.
    TsigKey k{"k1", "key.", "hmac-sha256", "c2VjcmV0", "POOL", "pool-1", "2026-01-01", {}};
    tx->insert_tsig_key(k);
    k.id = "k2";
    EXPECT_EQ(one_trip([&] { tx->insert_tsig_key(k); }), "duplicate_tsigkey");
    // Still usable: what succeeded commits, what failed left nothing.
    tx->update_recordset(make_recordset(zone, "b", "b.one.org.", "A", {"192.0.2.6", "192.0.2.7"}));
    tx->commit();
    auto r = store_->read();
    EXPECT_FALSE(r->get_recordset("c"));
    EXPECT_FALSE(r->get_recordset("a2"));
    EXPECT_EQ(r->get_recordset("b")->records.size(), 2u);
    EXPECT_EQ(r->get_recordset("a")->records.front().data, "192.0.2.1");
    EXPECT_EQ(r->count_recordsets("z1"), 2u);
    EXPECT_EQ(r->count_records("z1"), 3u);
    EXPECT_EQ(r->tsig_keys().size(), 1u);
}

void expect_same_zone(const core::Zone& a, const core::Zone& b) {
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.pool_id, b.pool_id);
    EXPECT_EQ(a.project_id, b.project_id);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.spelled_name, b.spelled_name);
    EXPECT_EQ(a.email, b.email);
    EXPECT_EQ(a.ttl, b.ttl);
    EXPECT_EQ(a.serial, b.serial);
    EXPECT_EQ(a.status, b.status);
    EXPECT_EQ(a.action, b.action);
    EXPECT_EQ(a.description, b.description);
    EXPECT_EQ(a.type, b.type);
    EXPECT_EQ(a.masters, b.masters);
    EXPECT_EQ(a.transferred_at, b.transferred_at);
    EXPECT_EQ(a.version, b.version);
    EXPECT_EQ(a.created_at, b.created_at);
    EXPECT_EQ(a.updated_at, b.updated_at);
    EXPECT_EQ(a.refresh, b.refresh);
    EXPECT_EQ(a.retry, b.retry);
    EXPECT_EQ(a.expire, b.expire);
    EXPECT_EQ(a.minimum, b.minimum);
    EXPECT_EQ(a.soa_mname, b.soa_mname);
    EXPECT_EQ(a.soa_rname, b.soa_rname);
}

TEST_P(PgRoundTripTest, ZoneCacheFollowsOwnWritesAndIsDroppedByRollback) {
    auto zone = make_zone("z1", "one.org.");
    write([&](WriteTxn& tx) {
        tx.insert_zone(zone);
        tx.insert_recordset(make_recordset(zone, "a", "a.one.org.", "A", {"192.0.2.1", "x"}));
    });
    auto tx = store_->write();
    auto& p = pg(*tx);
    auto trips = [&, last = p.round_trips()]() mutable {
        const auto n = p.round_trips() - last;
        last = p.round_trips();
        return n;
    };
    auto z = *tx->get_zone("z1");
    EXPECT_EQ(tx->count_recordsets("z1"), 1u);  // read with the row
    EXPECT_EQ(tx->count_records("z1"), 2u);
    EXPECT_EQ(trips(), 1u);
    z.serial = 5;
    z.masters = {"192.0.2.53:53"};
    z.transferred_at = "2026-02-02T00:00:00";
    z.updated_at = std::nullopt;
    tx->update_zone(z);  // queued
    auto cached = *tx->get_zone("z1");
    EXPECT_EQ(trips(), 0u);
    expect_same_zone(cached, z);
    tx->savepoint("request");
    z.serial = 9;
    tx->update_zone(z);
    EXPECT_EQ(tx->get_zone("z1")->serial, 9u);
    tx->insert_recordset(make_recordset(zone, "b", "b.one.org.", "A", {"192.0.2.2"}));
    EXPECT_EQ(tx->count_recordsets("z1"), 2u);
    tx->rollback_to_savepoint("request");
    trips();
    EXPECT_EQ(tx->get_zone("z1")->serial, 5u);  // read again: the rollback dropped the row
    EXPECT_EQ(trips(), 1u);
    EXPECT_EQ(tx->count_recordsets("z1"), 1u);
    // A write of the shared SQL layer naming zones drops the cache too.
    tx->move_zone_project("z1", "p1", "p2");
    EXPECT_EQ(tx->get_zone("z1")->project_id, "p2");
    // A name change is not queued (it may be refused) but still cached.
    z = *tx->get_zone("z1");
    z.name = "uno.org.";
    tx->update_zone(z);
    cached = *tx->get_zone("z1");
    tx->commit();
    expect_same_zone(cached, *store_->read()->get_zone("z1"));
    EXPECT_EQ(store_->read()->get_zone("z1")->serial, 5u);
}

// zones_below at names inside a cached zone: the enclosing zone's list, read
// once, filtered; it follows the transaction's zone writes.
TEST_P(PgRoundTripTest, ZonesBelowACachedZoneAreReadOnce) {
    three_zones();
    auto tx = store_->write();
    auto& p = pg(*tx);
    tx->get_zone("z1");
    const auto before = p.round_trips();
    EXPECT_EQ(ids_of(tx->zones_below("one.org.")), (std::vector<std::string>{"z2"}));
    EXPECT_EQ(p.round_trips(), before + 1);
    EXPECT_TRUE(tx->zones_below("a.one.org.").empty());
    EXPECT_TRUE(tx->zones_below("sub.one.org.").empty());
    EXPECT_TRUE(tx->zones_below("x.sub.one.org.").empty());
    EXPECT_EQ(p.round_trips(), before + 1);
    tx->insert_zone(make_zone("z4", "deep.sub.one.org."));
    EXPECT_EQ(ids_of(tx->zones_below("sub.one.org.")), (std::vector<std::string>{"z4"}));
    EXPECT_EQ(ids_of(tx->zones_below("a.one.org.")), (std::vector<std::string>{}));
    auto sub = *tx->get_zone("z2");
    sub.serial = 77;
    tx->update_zone(sub);
    EXPECT_EQ(tx->zones_below("one.org.").front().serial, 77u);
    sub.status = "DELETED";
    tx->update_zone(sub);
    EXPECT_EQ(ids_of(tx->zones_below("one.org.")), (std::vector<std::string>{"z4"}));
    // Not below any cached zone: asked at the name.
    EXPECT_TRUE(tx->zones_below("other.org.").empty());
}

TEST_P(PgRoundTripTest, QuotaCacheFollowsOwnWrites) {
    auto tx = store_->write();
    auto& p = pg(*tx);
    EXPECT_TRUE(tx->project_quotas("p1").empty());
    const auto before = p.round_trips();
    EXPECT_TRUE(tx->project_quotas("p1").empty());
    EXPECT_EQ(p.round_trips(), before);
    tx->set_project_quota("p1", "zones", 7);
    EXPECT_EQ(tx->project_quotas("p1").at("zones"), 7);
    tx->savepoint("request");
    tx->set_project_quota("p1", "zones", 9);
    EXPECT_EQ(tx->project_quotas("p1").at("zones"), 9);
    tx->rollback_to_savepoint("request");
    EXPECT_EQ(tx->project_quotas("p1").at("zones"), 7);
    tx->reset_project_quotas("p1");
    EXPECT_TRUE(tx->project_quotas("p1").empty());
}

// A process that has not seen a zone yet does not know its name, which the
// range of zones below it needs: opened reading names ahead, such a
// transaction takes one more round trip for the zones below and the
// quotas, and then answers from what it read exactly what it would have
// read one call at a time. Once seen, the name goes with the rest.
TEST_P(PgRoundTripTest, AZoneSeenForTheFirstTimeIsReadAheadInTwoRoundTrips) {
    three_zones([](WriteTxn& tx, const core::Zone& zone) {
        tx.insert_recordset(make_recordset(zone, "a", "a.one.org.", "A", {"192.0.2.1"}));
        tx.set_project_quota("p1", "zone_recordsets", 50);
    });
    reopen();  // a process that has seen nothing
    auto check = [&](WriteTxn& tx) {
        EXPECT_EQ(tx.recordsets_at("z1", "a.one.org.").size(), 1u);
        EXPECT_TRUE(tx.recordsets_at("z1", "b.one.org.").empty());
        EXPECT_EQ(ids_of(tx.zones_below("one.org.")), (std::vector<std::string>{"z2"}));
        EXPECT_TRUE(tx.zones_below("b.one.org.").empty());
        EXPECT_EQ(tx.project_quotas("p1").at("zone_recordsets"), 50);
        EXPECT_EQ(tx.get_zone("z1")->name, "one.org.");
        EXPECT_EQ(tx.count_recordsets("z1"), 1u);
    };
    std::uint64_t after_open = 0;
    {
        auto tx = store_->write_reading({{"z1", {"a.one.org.", "b.one.org."}}});
        auto& p = pg(*tx);
        after_open = p.round_trips();
        // The new connection's settings, BEGIN + lock + the zone row and the
        // sets, then the zones below and the quotas.
        EXPECT_EQ(after_open, 3u);
        check(*tx);
        EXPECT_EQ(p.round_trips(), after_open);
    }  // + ROLLBACK
    auto tx = store_->write_reading({{"z1", {"a.one.org.", "b.one.org."}}});
    auto& p = pg(*tx);
    EXPECT_EQ(p.round_trips(), after_open + 2);  // ROLLBACK; everything with BEGIN
    check(*tx);
    EXPECT_EQ(p.round_trips(), after_open + 2);
}

// The store calls of one Designate record set create (service/recordset_
// service, soa.cpp, group commit), as a group commit's first request and as
// a request that joins its change. The counts are what this store costs
// today: a change that adds a round trip to the write path fails here.
TEST_P(PgRoundTripTest, ARecordSetCreateCostsFewRoundTrips) {
    auto zone = make_zone("z1", "one.org.");
    write([&](WriteTxn& tx) {
        tx.insert_zone(zone);
        tx.insert_recordset(make_recordset(zone, "soa", "one.org.", "SOA", {"ns. h. 1 2 3 4 5"}));
    });
    // As the service logs it: with the zone row and SOA the change left
    // (written in the same statements, no round trip of their own).
    auto logged = [&](const core::Zone& z) {
        auto c = change("z1", z.serial, "t");
        c.zone = z;
        c.soa_data = "ns. h. " + std::to_string(z.serial) + " 2 3 4 5";
        return c;
    };
    auto create = [&](WriteTxn& tx, const std::string& name, bool opens_change) {
        tx.savepoint("request");
        auto z = *tx.get_zone("z1");
        tx.get_zone("z1");
        tx.recordsets_at("z1", name + ".one.org.");
        tx.zones_below(name + ".one.org.");
        tx.project_quotas(z.project_id);
        tx.count_recordsets("z1");
        tx.count_records("z1");
        tx.insert_recordset(make_recordset(zone, name, name + ".one.org.", "A", {"192.0.2.1"}));
        if (opens_change) {
            z.serial += 1;
            tx.update_zone(z);
            auto soa = *tx.find_recordset("z1", "one.org.", "SOA");
            auto stored = soa;
            soa.version += 1;
            tx.update_recordset(soa, stored);
            return tx.append_change(logged(z));
        }
        tx.rewrite_change(1, logged(z));
        return std::int64_t{0};
    };
    {
        auto tx = store_->write();
        auto& p = pg(*tx);
        const auto start = p.round_trips();  // BEGIN + lock: 1 (in write())
        create(*tx, "a", true);
        tx->release_savepoint("request");
        tx->hook_bindings();
        const auto first = p.round_trips() - start;
        create(*tx, "b", false);
        tx->release_savepoint("request");
        const auto joined = p.round_trips() - start - first;
        tx->commit();
        const auto total = p.round_trips() - start;
        // First request: SAVEPOINT + zone row and counts, sets at the name,
        // zones below the zone, quotas, the sets at the apex (SOA) (28
        // before pipelining). The set, the zone update and the SOA's rewrite
        // are queued: the sets read at their names prove that no constraint
        // can refuse them. So is the change-log row, at a position taken
        // with BEGIN, and the plug-in bindings were read with BEGIN too.
        EXPECT_EQ(first, 5u);
        // Joined request: sets at the name (the set is queued).
        EXPECT_EQ(joined, 1u);
        EXPECT_EQ(total - first - joined, 1u);  // counts + COMMIT
    }
    EXPECT_EQ(store_->read()->count_recordsets("z1"), 3u);
    // With the batch's names read ahead (the group commit's hint): the zone
    // row with the sets at the names and at the apex and, the zone's name
    // being known from before, the zones below it and the quotas, in one
    // round trip. A joined request costs no round trip at all.
    auto tx = store_->write();
    auto& p = pg(*tx);
    const auto start = p.round_trips();
    tx->prefetch_names("z1", {"c.one.org.", "d.one.org."});
    EXPECT_EQ(p.round_trips() - start, 1u);
    create(*tx, "c", true);
    tx->release_savepoint("request");
    tx->hook_bindings();
    const auto first = p.round_trips() - start;
    create(*tx, "d", false);
    tx->release_savepoint("request");
    const auto joined = p.round_trips() - start - first;
    tx->commit();
    EXPECT_EQ(first, 1u);  // the prefetch
    EXPECT_EQ(joined, 0u);
    tx.reset();
    {
        auto r = store_->read();
        EXPECT_EQ(r->count_recordsets("z1"), 5u);
        EXPECT_EQ(r->recordsets_at("z1", "d.one.org.").size(), 1u);
        EXPECT_EQ(r->find_recordset("z1", "one.org.", "SOA")->version, 3);
    }
    // Opened reading the names ahead (Store::write_reading, as the group
    // commit does): they come in the round trip of BEGIN and the lock, and
    // the whole batch then costs only its COMMIT.
    std::uint64_t before = 0;
    {
        auto t = store_->write();
        before = pg(*t).round_trips();
    }  // + its ROLLBACK
    tx = store_->write_reading({{"z1", {"e.one.org.", "f.one.org."}}});
    auto& q = pg(*tx);
    EXPECT_EQ(q.round_trips() - before, 2u);  // ROLLBACK; BEGIN + lock + the names
    const auto sent = q.statements_sent();
    create(*tx, "e", true);
    tx->release_savepoint("request");
    create(*tx, "f", false);
    tx->release_savepoint("request");
    tx->hook_bindings();
    EXPECT_EQ(q.round_trips() - before, 2u);
    tx->commit();
    EXPECT_EQ(q.round_trips() - before, 3u);
    // The writes, and no SAVEPOINT or RELEASE: e's set and value, the zone
    // row, the SOA set and value; f's set and value; the change-log entry
    // (one INSERT with f's rewrite), the counts and COMMIT.
    EXPECT_EQ(q.statements_sent() - sent, 10u);
    auto r = store_->read();
    EXPECT_EQ(r->count_recordsets("z1"), 7u);
    EXPECT_EQ(r->recordsets_at("z1", "f.one.org.").size(), 1u);
    EXPECT_EQ(r->find_recordset("z1", "one.org.", "SOA")->version, 4);
}

// A savepoint is sent only when a round trip happens while it is open:
// released or rolled back before, it costs no statement (a rollback drops
// what was queued inside it); sent, it is released or rolled back in SQL.
TEST_P(PgRoundTripTest, ASavepointWithoutARoundTripInsideIsNeverSent) {
    auto zone = make_zone("z1", "one.org.");
    write([&](WriteTxn& tx) { tx.insert_zone(zone); });
    {
        auto tx = store_->write_reading({{"z1", {"a.one.org.", "b.one.org."}}});
        auto& p = pg(*tx);
        const auto sent = p.statements_sent();
        tx->savepoint("request");
        tx->insert_recordset(make_recordset(zone, "a", "a.one.org.", "A", {"192.0.2.1"}));
        tx->release_savepoint("request");
        tx->savepoint("request");
        tx->savepoint("inner");
        tx->insert_recordset(make_recordset(zone, "b", "b.one.org.", "A", {"192.0.2.2"}));
        tx->rollback_to_savepoint("request");  // drops "inner" and b's writes, unsent
        EXPECT_EQ(p.statements_sent(), sent);
        // The rollback dropped the cache: a read, sent with a's set and value.
        EXPECT_TRUE(tx->recordsets_at("z1", "b.one.org.").empty());
        EXPECT_EQ(p.statements_sent() - sent, 3u);
        tx->commit();
        EXPECT_EQ(p.statements_sent() - sent, 5u);  // + counts, COMMIT
    }
    // Sent with the round trip that happened inside it, then rolled back in SQL.
    auto tx = store_->write_reading({{"z1", {"c.one.org."}}});
    auto& p = pg(*tx);
    const auto sent = p.statements_sent();
    tx->savepoint("request");
    tx->insert_recordset(make_recordset(zone, "c", "c.one.org.", "A", {"192.0.2.3"}));
    tx->changes_since("z1", 0);
    EXPECT_EQ(p.statements_sent() - sent, 4u);  // SAVEPOINT, c's set and value, the read
    tx->rollback_to_savepoint("request");
    tx->commit();
    EXPECT_EQ(p.statements_sent() - sent, 7u);  // + ROLLBACK TO, RELEASE, COMMIT
    tx.reset();
    auto r = store_->read();
    EXPECT_EQ(r->recordsets_at("z1", "a.one.org.").size(), 1u);
    EXPECT_TRUE(r->recordsets_at("z1", "b.one.org.").empty());
    EXPECT_TRUE(r->recordsets_at("z1", "c.one.org.").empty());
    EXPECT_EQ(r->count_recordsets("z1"), 1u);
}

// Queued one-row INSERTs marked foldable go, per run, as one multi-row
// INSERT per table in the order the tables first appear; anything else
// queued between them ends a run.
TEST_P(PgRoundTripTest, RunsOfFoldableInsertsTravelAsOneStatementPerTable) {
    PgConnection c(url());
    c.exec("CREATE TEMP TABLE p (id BIGINT PRIMARY KEY)");
    c.exec("CREATE TEMP TABLE ch (pid BIGINT REFERENCES p, v TEXT)");
    auto parent = [](std::int64_t id) {
        Statement s{"INSERT INTO p (id) VALUES (?)", {id}};
        s.fold_head = "INSERT INTO p (id)";
        return s;
    };
    auto child = [](std::int64_t pid, std::string v) {
        Statement s{"INSERT INTO ch (pid, v) VALUES (?, ?)", {pid, std::move(v)}};
        s.fold_head = "INSERT INTO ch (pid, v)";
        return s;
    };
    c.defer(command("BEGIN"));
    for (std::int64_t id = 1; id <= 3; ++id) {
        c.defer(parent(id));
        c.defer(child(id, "a" + std::to_string(id)));
        c.defer(child(id, "b'\\" + std::to_string(id)));
    }
    c.defer(Statement{"UPDATE ch SET v = v || '!' WHERE pid = ?", {std::int64_t{2}}});
    c.defer(parent(4));
    c.defer(child(4, "a4"));
    const auto sent = c.statements_sent();
    EXPECT_EQ(scalar(c, "SELECT string_agg(pid || v, ',' ORDER BY pid, v) FROM ch"),
              "1a1,1b'\\1,2a2!,2b'\\2!,3a3,3b'\\3,4a4");
    // BEGIN, the 3 parents, their 6 children, UPDATE, parent 4, child 4, the
    // read (14 statements unfolded).
    EXPECT_EQ(c.statements_sent() - sent, 7u);
    c.defer(command("COMMIT"));
    c.sync();
}

// A group commit's creates, each a new set with its values, queued: one
// INSERT for all the sets and one for all their values.
TEST_P(PgRoundTripTest, QueuedCreatesOfABatchAreTwoStatements) {
    auto zone = make_zone("z1", "one.org.");
    write([&](WriteTxn& tx) { tx.insert_zone(zone); });
    const std::vector<std::string> names{"a", "b", "c"};
    auto tx = store_->write_reading({{"z1", {"a.one.org.", "b.one.org.", "c.one.org."}}});
    auto& p = pg(*tx);
    const auto sent = p.statements_sent();
    for (const auto& n : names) {
        tx->savepoint("request");
        tx->insert_recordset(make_recordset(zone, n, n + ".one.org.", "A",
                                            {"192.0.2.1", "192.0.2." + std::to_string(n[0])}));
        tx->release_savepoint("request");
    }
    tx->commit();
    EXPECT_EQ(p.statements_sent() - sent, 4u);  // the sets, their values, counts, COMMIT
    tx.reset();
    auto r = store_->read();
    EXPECT_EQ(r->count_recordsets("z1"), 3u);
    EXPECT_EQ(r->count_records("z1"), 6u);
    for (const auto& n : names) {
        auto at = r->recordsets_at("z1", n + ".one.org.");
        ASSERT_EQ(at.size(), 1u) << n;
        ASSERT_EQ(at[0].records.size(), 2u) << n;
        EXPECT_EQ(at[0].records[0].data, "192.0.2.1");
        EXPECT_EQ(at[0].records[1].data, "192.0.2." + std::to_string(n[0]));
    }
}

// What a transaction knows at a name follows its own writes and rollbacks,
// and a queued insert is proven by it: a second set of the same name and
// type still gets its conflict (from the cached sets, through a round trip
// of its own), and nothing the transaction did not commit is seen after.
TEST_P(PgRoundTripTest, NameCacheFollowsOwnWritesAndRollbacks) {
    auto zone = make_zone("z1", "one.org.");
    write([&](WriteTxn& tx) { tx.insert_zone(zone); });
    auto tx = store_->write();
    tx->get_zone("z1");
    tx->prefetch_names("z1", {"a.one.org."});
    EXPECT_TRUE(tx->recordsets_at("z1", "a.one.org.").empty());
    auto a = make_recordset(zone, "a", "a.one.org.", "A", {"192.0.2.1"});
    tx->insert_recordset(a);
    ASSERT_EQ(tx->recordsets_at("z1", "a.one.org.").size(), 1u);
    auto dup = make_recordset(zone, "a2", "a.one.org.", "A", {"192.0.2.2"});
    EXPECT_EQ(error_of([&] { tx->insert_recordset(dup); }).type(), "duplicate_recordset");
    tx->savepoint("request");
    auto txt = make_recordset(zone, "t", "a.one.org.", "TXT", {"\"x\""});
    tx->insert_recordset(txt);
    EXPECT_EQ(tx->recordsets_at("z1", "a.one.org.").size(), 2u);
    tx->rollback_to_savepoint("request");
    EXPECT_EQ(tx->recordsets_at("z1", "a.one.org.").size(), 1u);
    auto changed = a;
    changed.records = {core::Record{"v2", "192.0.2.9"}};
    tx->update_recordset(changed, a);
    ASSERT_EQ(tx->find_recordset("z1", "a.one.org.", "A")->records.size(), 1u);
    EXPECT_EQ(tx->find_recordset("z1", "a.one.org.", "A")->records[0].data, "192.0.2.9");
    tx->delete_recordset("a");
    EXPECT_TRUE(tx->recordsets_at("z1", "a.one.org.").empty());
    tx->insert_recordset(make_recordset(zone, "a3", "a.one.org.", "A", {"192.0.2.3"}));
    tx->commit();
    auto r = store_->read();
    auto sets = r->recordsets_at("z1", "a.one.org.");
    ASSERT_EQ(sets.size(), 1u);
    EXPECT_EQ(sets[0].id, "a3");
    EXPECT_EQ(r->count_recordsets("z1"), 1u);
    EXPECT_EQ(r->count_records("z1"), 1u);
}

INSTANTIATE_TEST_SUITE_P(Postgres, PgRoundTripTest, ::testing::Values(Backend::Postgres),
                         backend_name);

}  // namespace
}  // namespace dnsplane::store::testing
