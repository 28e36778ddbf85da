// PostgreSQL-specific store behaviour: every migration has its PostgreSQL
// form, concurrent first starts migrate once, the schema survives reopen,
// writers of two stores (two nodes) serialise and see each other's commits,
// and a follower sees another store's commits (and not its own).
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "store/postgres/connection.h"
#include "store/postgres/pg_store.h"
#include "store/postgres/pool.h"
#include "store/sqlite/schema.h"
#include "store_fixture.h"

namespace dnsplane::store::testing {
namespace {

TEST(MigrationsTest, EveryMigrationHasAPostgresForm) {
    // A migration added with only its SQLite text ({N, kSql}) fails here:
    // add its PostgreSQL text as the third member (see schema.h).
    int expected = 1;
    for (const auto& m : sqlite::migrations()) {
        EXPECT_EQ(m.version, expected++);
        EXPECT_FALSE(m.sql.empty()) << "migration " << m.version;
        EXPECT_FALSE(m.postgres.empty())
            << "migration " << m.version
            << " has no PostgreSQL form: add it next to the SQLite text in "
               "src/store/sqlite/schema.cpp";
    }
}

TEST(PlaceholderTest, QuestionMarksAreNumberedOutsideQuotes) {
    EXPECT_EQ(postgres::number_placeholders("a = ? AND b LIKE '?' AND c = ?"),
              "a = $1 AND b LIKE '?' AND c = $2");
    EXPECT_EQ(postgres::number_placeholders("x = \"?\" $$ ? $$ ?"), "x = \"?\" $$ ? $$ $1");
}

// SQL shared with SQLite numbers its parameters (?N) where an UPDATE takes
// them in another order than its INSERT.
TEST(PlaceholderTest, NumberedQuestionMarksKeepTheirNumbers) {
    EXPECT_EQ(postgres::number_placeholders("SET a = ?2, b = ?10 WHERE id = ?1 AND c = '?3'"),
              "SET a = $2, b = $10 WHERE id = $1 AND c = '?3'");
}

// Every commit notifies every node, the writer's own too: the follower reads
// the log only for an entry it has neither delivered nor written itself.
TEST(FollowerNewsTest, OnlyOthersUndeliveredEntriesAreNews) {
    postgres::PgPool pool("postgresql:///unused");  // connects on first use only
    pool.start_delivery(10, [](const core::ZoneChange&) {});
    pool.note_own_change(12);
    EXPECT_FALSE(pool.is_news("9 z1"));
    EXPECT_FALSE(pool.is_news("10 z1"));  // delivered
    EXPECT_TRUE(pool.is_news("11 z1"));
    EXPECT_FALSE(pool.is_news("12 z1"));  // this process's own
    EXPECT_TRUE(pool.is_news("13"));
    // What cannot be read is read from the log.
    EXPECT_TRUE(pool.is_news(""));
    EXPECT_TRUE(pool.is_news("seq z1"));
    EXPECT_TRUE(pool.is_news("13x z1"));
    // A commit whose outcome was lost is no longer own: the log decides.
    pool.forget_own_change(12);
    EXPECT_TRUE(pool.is_news("12 z1"));
    pool.mark_delivered(13);
    EXPECT_FALSE(pool.is_news("12 z1"));
    EXPECT_FALSE(pool.is_news("13 z1"));
}

class PgStoreTest : public BackendTest {};

// What a follower delivered, as "zone@serial", in order.
class Heard {
  public:
    std::function<void(const core::ZoneChange&)> sink() {
        return [this](const core::ZoneChange& c) {
            std::lock_guard lock(m_);
            seen_.push_back(c.zone_id + "@" + std::to_string(c.new_serial));
            cv_.notify_all();
        };
    }
    bool wait_for(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        std::unique_lock lock(m_);
        return cv_.wait_for(lock, timeout, [&] { return seen_.size() >= n; });
    }
    std::vector<std::string> seen() {
        std::lock_guard lock(m_);
        return seen_;
    }

  private:
    std::mutex m_;
    std::condition_variable cv_;
    std::vector<std::string> seen_;
};

core::ZoneChange change_of(const std::string& zone, std::uint32_t serial) {
    core::ZoneChange c;
    c.zone_id = zone;
    c.zone_name = zone + ".";
    c.old_serial = serial - 1;
    c.new_serial = serial;
    c.added.push_back({"www." + zone + ".", "A", 300, "192.0.2.1"});
    c.committed_at = "now";
    return c;
}

std::string scalar(const std::string& url, const std::string& sql) {
    postgres::PgConnection c(url);
    auto r = c.query(sql);
    return r.step() ? r.text(0) : "";
}

TEST_P(PgStoreTest, SchemaVersionIsNewestAndReopenKeepsData) {
    const int newest = sqlite::migrations().back().version;
    EXPECT_EQ(scalar(url(), "SELECT version FROM dnsplane_schema"), std::to_string(newest));
    auto z = make_zone("z1", "example.org.");
    write([&](WriteTxn& tx) { tx.insert_zone(z); });
    reopen();
    EXPECT_EQ(store_->read()->get_zone("z1")->name, "example.org.");
    EXPECT_EQ(postgres::migrate_postgres(url()), newest);
}

TEST_P(PgStoreTest, NewerSchemaIsRefused) {
    store_.reset();
    {
        postgres::PgConnection c(url());
        c.exec("UPDATE dnsplane_schema SET version = 999");
    }
    auto e = error_of([&] { open_store(url()); });
    EXPECT_EQ(e.kind(), core::ErrorKind::Unavailable);
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
}

TEST_P(PgStoreTest, SeveralNodesStartingAtOnceOnAnEmptyDatabaseMigrateOnce) {
    auto* pg = PgServer::get();
    ASSERT_TRUE(pg->admin("CREATE DATABASE fresh_" + std::to_string(::getpid())));
    const std::string fresh = pg->url("fresh_" + std::to_string(::getpid()));
    std::vector<std::thread> nodes;
    std::atomic<int> opened{0};
    for (int i = 0; i < 4; ++i)
        nodes.emplace_back([&] {
            auto s = open_store(fresh);
            if (s) ++opened;
        });
    for (auto& t : nodes) t.join();
    EXPECT_EQ(opened.load(), 4);
    EXPECT_EQ(scalar(fresh, "SELECT version FROM dnsplane_schema"),
              std::to_string(sqlite::migrations().back().version));
    pg->drop_database(fresh);
}

TEST_P(PgStoreTest, WritersOfTwoNodesSerialiseAndSeeEachOthersCommits) {
    auto other = open_store(url());
    auto z = make_zone("z1", "example.org.");
    z.serial = 1;
    write([&](WriteTxn& tx) { tx.insert_zone(z); });
    // Each writer reads the serial inside its transaction and writes +1: no
    // increment may be lost when both nodes race.
    auto bump = [](Store& s, int n) {
        for (int i = 0; i < n; ++i) {
            auto tx = s.write();
            auto cur = tx->get_zone("z1");
            cur->serial += 1;
            tx->update_zone(*cur);
            tx->commit();
        }
    };
    std::thread a([&] { bump(*store_, 50); });
    std::thread b([&] { bump(*other, 50); });
    a.join();
    b.join();
    EXPECT_EQ(store_->read()->get_zone("z1")->serial, 101u);
    EXPECT_EQ(other->read()->get_zone("z1")->serial, 101u);
}

TEST_P(PgStoreTest, FollowerSeesOtherNodesCommitsInOrderButNotItsOwn) {
    auto other = open_store(url());
    Heard heard;
    auto follower = store_->follow(heard.sink());
    ASSERT_TRUE(follower);
    write([&](WriteTxn& tx) { tx.append_change(change_of("own", 1)); });  // this node: skipped
    auto t0 = std::chrono::steady_clock::now();
    for (std::uint32_t i = 1; i <= 3; ++i) {
        auto tx = other->write();
        tx->append_change(change_of("remote", i));
        tx->commit();
    }
    {
        auto tx = other->write();
        tx->append_change(change_of("rolledback", 1));
    }  // dropped: never delivered
    ASSERT_TRUE(heard.wait_for(3));
    auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    EXPECT_LT(ms, 1000) << "notifications should arrive within milliseconds";
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(heard.seen(), (std::vector<std::string>{"remote@1", "remote@2", "remote@3"}));
}

// A table that outgrew the planner's statistics gets them refreshed (plans
// made while it was small would scan it whole), once: a second call finds
// nothing to do.
TEST_P(PgStoreTest, TablesThatOutgrewTheirStatisticsAreAnalyzedOnce) {
    auto zone = make_zone("z1", "example.org.");
    std::vector<core::RecordSet> sets;
    for (int i = 0; i < 2500; ++i)
        sets.push_back(make_recordset(zone, "s" + std::to_string(i),
                                      "n" + std::to_string(i) + ".example.org.", "A",
                                      {"192.0.2.1"}));
    write([&](WriteTxn& tx) {
        tx.insert_zone(zone);
        std::vector<const core::RecordSet*> ptrs;
        for (const auto& rs : sets) ptrs.push_back(&rs);
        tx.insert_recordsets(ptrs);
    });
    // A backend reports its activity counts when idle, up to 10 s later,
    // or when it ends: the writer's connection is closed.
    reopen();
    std::vector<std::string> refreshed;
    for (int i = 0; i < 50 && refreshed.empty(); ++i) {
        refreshed = store_->refresh_statistics();
        if (refreshed.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(refreshed, (std::vector<std::string>{"records", "recordsets"}));
    EXPECT_GE(std::stod(scalar(url(),
                               "SELECT reltuples FROM pg_class WHERE relname = "
                               "'recordsets'")),
              2500.0);
    EXPECT_TRUE(store_->refresh_statistics().empty());
}

// A commit here first delivers the other node's commits that came before
// it, and while the caller holds the returned lock (publishing its own
// changes) the follower delivers nothing later: every node's sinks hear the
// changes in commit order (otherwise the DNS catalog rebuilds the zone).
TEST_P(PgStoreTest, CommitInOrderDeliversEarlierRemoteCommitsFirstAndHoldsLaterOnes) {
    auto other = open_store(url());
    Heard heard;
    auto follower = store_->follow(heard.sink());
    ASSERT_TRUE(follower);
    for (std::uint32_t i = 1; i <= 3; ++i) {
        auto tx = other->write();
        tx->append_change(change_of("remote", i));
        tx->commit();
    }
    auto tx = store_->write();
    tx->append_change(change_of("own", 1));
    auto order = tx->commit_in_order();
    tx.reset();
    EXPECT_TRUE(order.owns_lock());
    EXPECT_EQ(heard.seen(), (std::vector<std::string>{"remote@1", "remote@2", "remote@3"}));
    {
        auto later = other->write();
        later->append_change(change_of("remote", 4));
        later->commit();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    EXPECT_EQ(heard.seen().size(), 3u) << "delivered while this node was still publishing";
    order.unlock();
    ASSERT_TRUE(heard.wait_for(4));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(heard.seen(),
              (std::vector<std::string>{"remote@1", "remote@2", "remote@3", "remote@4"}));
}

// A followed change carries the zone row and SOA its commit left, as a
// local one does, so the DNS catalog patches instead of rebuilding.
TEST_P(PgStoreTest, FollowedChangesCarryTheZoneRowAndSoa) {
    auto other = open_store(url());
    std::mutex m;
    std::condition_variable cv;
    std::vector<core::ZoneChange> seen;
    auto follower = store_->follow([&](const core::ZoneChange& c) {
        std::lock_guard lock(m);
        seen.push_back(c);
        cv.notify_all();
    });
    ASSERT_TRUE(follower);
    core::ZoneChange c;
    c.zone_id = "z1";
    c.zone_name = "example.org.";
    c.old_serial = 1;
    c.new_serial = 2;
    c.added.push_back({"www.example.org.", "A", 300, "192.0.2.1"});
    c.committed_at = "now";
    c.zone = make_zone("z1", "example.org.");
    c.zone->serial = 2;
    c.zone->ttl = 900;
    c.soa_data = "ns1.example.org. hostmaster.example.org. 2 3500 600 86400 3600";
    core::ZoneChange bare = c;  // as written before migration 12
    bare.old_serial = 2;
    bare.new_serial = 3;
    bare.zone.reset();
    bare.soa_data.clear();
    {
        auto tx = other->write();
        tx->append_change(c);
        tx->append_change(bare);
        tx->commit();
    }
    std::unique_lock lock(m);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return seen.size() >= 2; }));
    ASSERT_TRUE(seen[0].zone);
    EXPECT_EQ(seen[0].zone->serial, 2u);
    EXPECT_EQ(seen[0].zone->ttl, 900u);
    EXPECT_EQ(seen[0].zone->name, "example.org.");
    EXPECT_EQ(seen[0].soa_data, c.soa_data);
    EXPECT_EQ(seen[0].added, c.added);
    EXPECT_FALSE(seen[1].zone);
    EXPECT_TRUE(seen[1].soa_data.empty());
}

INSTANTIATE_TEST_SUITE_P(Postgres, PgStoreTest, ::testing::Values(Backend::Postgres), backend_name);

}  // namespace
}  // namespace dnsplane::store::testing

namespace dnsplane::store::testing {
namespace {

TEST(RedactedUrlTest, PasswordsAreHidden) {
    EXPECT_EQ(redacted_url("postgresql://dns:s3cret@db.example:5432/dnsplane"),
              "postgresql://dns:***@db.example:5432/dnsplane");
    EXPECT_EQ(redacted_url("postgres://dns@db/x?password=s3cret&sslmode=require"),
              "postgres://dns@db/x?password=***&sslmode=require");
    EXPECT_EQ(redacted_url("postgresql:///db?host=/run/postgresql"),
              "postgresql:///db?host=/run/postgresql");
    EXPECT_EQ(redacted_url("sqlite:///var/lib/dnsplane/x.db"), "sqlite:///var/lib/dnsplane/x.db");
}

}  // namespace
}  // namespace dnsplane::store::testing
