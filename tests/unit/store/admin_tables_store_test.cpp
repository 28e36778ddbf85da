// The Designate admin tables (migration 5: TLDs, blacklists, quotas, pools)
// and TSIG keys (migration 4), on both backends: round trips, order,
// conflicts on a taken name, NotFound on a missing id, and a refused write
// that leaves its transaction usable (PostgreSQL aborts a transaction on a
// failed statement unless the statement ran in a savepoint).
#include "store_fixture.h"

namespace dnsplane::store::testing {
namespace {

class AdminTablesTest : public BackendTest {};

core::Tld tld(const std::string& id, const std::string& name, const std::string& at) {
    return core::Tld{id, name, "desc " + name, at, std::nullopt};
}

core::Blacklist blacklist(const std::string& id, const std::string& pattern,
                          const std::string& at) {
    return core::Blacklist{id, pattern, "", at, std::nullopt};
}

core::Pool pool(const std::string& id, const std::string& name) {
    core::Pool p;
    p.id = id;
    p.name = name;
    p.description = "a pool";
    p.project_id = "admin";
    p.ns_records = {{"ns1.example.net.", 1}, {"ns2.example.net.", 2}};
    p.attributes = {{"service_tier", "gold"}};
    p.created_at = "2026-01-01T00:00:00.000000";
    return p;
}

TsigKey tsig_key(const std::string& id, const std::string& name, const std::string& at) {
    return TsigKey{id,       name, "hmac-sha256", "c2VjcmV0LXNlY3JldC1zZWNyZXQ=", "POOL",
                   "pool-1", at,   std::nullopt};
}

TEST_P(AdminTablesTest, TldsRoundTripInCreationOrderAndNamesAreUnique) {
    write([](WriteTxn& tx) {
        tx.insert_tld(tld("t2", "org", "2026-01-01T00:00:02.000000"));
        tx.insert_tld(tld("t1", "com", "2026-01-01T00:00:01.000000"));
    });
    auto rd = store_->read();
    auto all = rd->tlds();
    ASSERT_EQ(ids_of(all), (std::vector<std::string>{"t1", "t2"}));
    EXPECT_EQ(all[0].name, "com");
    EXPECT_EQ(all[0].description, "desc com");
    EXPECT_FALSE(all[0].updated_at.has_value());
    rd.reset();

    auto e = error_of([&] { write([](WriteTxn& tx) { tx.insert_tld(tld("t3", "com", "x")); }); });
    EXPECT_EQ(e.kind(), core::ErrorKind::Conflict);
    EXPECT_EQ(e.type(), "duplicate_tld");

    write([](WriteTxn& tx) {
        auto t = tld("t1", "net", "ignored");
        t.updated_at = "2026-01-03T00:00:00.000000";
        tx.update_tld(t);
    });
    rd = store_->read();
    EXPECT_EQ(rd->tlds()[0].name, "net");
    EXPECT_EQ(rd->tlds()[0].created_at, "2026-01-01T00:00:01.000000");
    EXPECT_EQ(rd->tlds()[0].updated_at, "2026-01-03T00:00:00.000000");
    rd.reset();

    e = error_of([&] { write([](WriteTxn& tx) { tx.update_tld(tld("t1", "org", "x")); }); });
    EXPECT_EQ(e.type(), "duplicate_tld");
    e = error_of([&] { write([](WriteTxn& tx) { tx.update_tld(tld("nope", "x", "x")); }); });
    EXPECT_EQ(e.kind(), core::ErrorKind::NotFound);
    EXPECT_EQ(e.type(), "tld_not_found");
    e = error_of([&] { write([](WriteTxn& tx) { tx.delete_tld("nope"); }); });
    EXPECT_EQ(e.type(), "tld_not_found");

    write([](WriteTxn& tx) { tx.delete_tld("t2"); });
    EXPECT_EQ(ids_of(store_->read()->tlds()), (std::vector<std::string>{"t1"}));
}

TEST_P(AdminTablesTest, BlacklistsRoundTripAndPatternsAreUnique) {
    write([](WriteTxn& tx) {
        tx.insert_blacklist(blacklist("b1", "^evil\\.com\\.$", "2026-01-01T00:00:01.000000"));
        tx.insert_blacklist(blacklist("b2", ".*\\.bad\\.$", "2026-01-01T00:00:02.000000"));
    });
    auto all = store_->read()->blacklists();
    ASSERT_EQ(ids_of(all), (std::vector<std::string>{"b1", "b2"}));
    EXPECT_EQ(all[0].pattern, "^evil\\.com\\.$");

    auto e = error_of([&] {
        write([](WriteTxn& tx) { tx.insert_blacklist(blacklist("b3", ".*\\.bad\\.$", "x")); });
    });
    EXPECT_EQ(e.type(), "duplicate_blacklist");
    write([](WriteTxn& tx) { tx.update_blacklist(blacklist("b2", "^worse\\.$", "x")); });
    EXPECT_EQ(store_->read()->blacklists()[1].pattern, "^worse\\.$");
    e = error_of([&] { write([](WriteTxn& tx) { tx.delete_blacklist("nope"); }); });
    EXPECT_EQ(e.kind(), core::ErrorKind::NotFound);
    EXPECT_EQ(e.type(), "blacklist_not_found");
    write([](WriteTxn& tx) { tx.delete_blacklist("b1"); });
    EXPECT_EQ(ids_of(store_->read()->blacklists()), (std::vector<std::string>{"b2"}));
}

TEST_P(AdminTablesTest, QuotasAreSetReplacedAndResetPerProject) {
    write([](WriteTxn& tx) {
        tx.set_project_quota("p1", "zones", 5);
        tx.set_project_quota("p1", "zone_records", 100);
        tx.set_project_quota("p2", "zones", 7);
    });
    write([](WriteTxn& tx) { tx.set_project_quota("p1", "zones", 9); });
    auto rd = store_->read();
    EXPECT_EQ(rd->project_quotas("p1"),
              (std::map<std::string, std::int64_t>{{"zone_records", 100}, {"zones", 9}}));
    EXPECT_EQ(rd->project_quotas("p3"), (std::map<std::string, std::int64_t>{}));
    rd.reset();
    write([](WriteTxn& tx) { tx.reset_project_quotas("p1"); });
    rd = store_->read();
    EXPECT_TRUE(rd->project_quotas("p1").empty());
    EXPECT_EQ(rd->project_quotas("p2"), (std::map<std::string, std::int64_t>{{"zones", 7}}));
}

TEST_P(AdminTablesTest, PoolsKeepNameServersAndAttributes) {
    write([](WriteTxn& tx) { tx.insert_pool(pool("pl1", "gold")); });
    auto all = store_->read()->pools();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].ns_records.size(), 2u);
    EXPECT_EQ(all[0].ns_records[1].hostname, "ns2.example.net.");
    EXPECT_EQ(all[0].ns_records[1].priority, 2);
    EXPECT_EQ(all[0].attributes.at("service_tier"), "gold");

    auto e = error_of([&] { write([](WriteTxn& tx) { tx.insert_pool(pool("pl2", "gold")); }); });
    EXPECT_EQ(e.type(), "duplicate_pool");
    write([](WriteTxn& tx) {
        auto p = pool("pl1", "silver");
        p.ns_records = {{"ns3.example.net.", 5}};
        p.attributes.clear();
        p.updated_at = "2026-01-02T00:00:00.000000";
        tx.update_pool(p);
    });
    all = store_->read()->pools();
    EXPECT_EQ(all[0].name, "silver");
    ASSERT_EQ(all[0].ns_records.size(), 1u);
    EXPECT_TRUE(all[0].attributes.empty());
    EXPECT_EQ(all[0].updated_at, "2026-01-02T00:00:00.000000");
    e = error_of([&] { write([](WriteTxn& tx) { tx.update_pool(pool("nope", "x")); }); });
    EXPECT_EQ(e.type(), "pool_not_found");
    write([](WriteTxn& tx) { tx.delete_pool("pl1"); });
    EXPECT_TRUE(store_->read()->pools().empty());
    e = error_of([&] { write([](WriteTxn& tx) { tx.delete_pool("pl1"); }); });
    EXPECT_EQ(e.type(), "pool_not_found");
}

TEST_P(AdminTablesTest, TsigKeyNamesAreUniqueAsDnsNames) {
    write([](WriteTxn& tx) {
        tx.insert_tsig_key(tsig_key("k1", "Transfer-Key", "2026-01-01T00:00:01.000000"));
        tx.insert_tsig_key(tsig_key("k2", "update.key.", "2026-01-01T00:00:02.000000"));
    });
    auto keys = store_->read()->tsig_keys();
    ASSERT_EQ(ids_of(keys), (std::vector<std::string>{"k1", "k2"}));
    EXPECT_EQ(keys[0].name, "Transfer-Key");  // as given
    EXPECT_EQ(keys[0].algorithm, "hmac-sha256");
    EXPECT_EQ(keys[0].secret, "c2VjcmV0LXNlY3JldC1zZWNyZXQ=");
    EXPECT_EQ(keys[0].scope, "POOL");
    EXPECT_EQ(keys[0].resource_id, "pool-1");

    // Another spelling of the same DNS name.
    auto e = error_of([&] {
        write([](WriteTxn& tx) { tx.insert_tsig_key(tsig_key("k3", "transfer-key.", "x")); });
    });
    EXPECT_EQ(e.kind(), core::ErrorKind::Conflict);
    EXPECT_EQ(e.type(), "duplicate_tsigkey");
    e = error_of([&] {
        write([](WriteTxn& tx) { tx.update_tsig_key(tsig_key("k2", "TRANSFER-KEY", "x")); });
    });
    EXPECT_EQ(e.type(), "duplicate_tsigkey");

    write([](WriteTxn& tx) {
        auto k = tsig_key("k2", "update2", "ignored");
        k.algorithm = "hmac-sha512";
        k.updated_at = "2026-01-02T00:00:00.000000";
        tx.update_tsig_key(k);
    });
    keys = store_->read()->tsig_keys();
    EXPECT_EQ(keys[1].name, "update2");
    EXPECT_EQ(keys[1].algorithm, "hmac-sha512");
    EXPECT_EQ(keys[1].created_at, "2026-01-01T00:00:02.000000");
    EXPECT_EQ(keys[1].updated_at, "2026-01-02T00:00:00.000000");

    e = error_of(
        [&] { write([](WriteTxn& tx) { tx.update_tsig_key(tsig_key("no", "n", "x")); }); });
    EXPECT_EQ(e.kind(), core::ErrorKind::NotFound);
    EXPECT_EQ(e.type(), "tsigkey_not_found");
    e = error_of([&] { write([](WriteTxn& tx) { tx.delete_tsig_key("no"); }); });
    EXPECT_EQ(e.type(), "tsigkey_not_found");
    write([](WriteTxn& tx) { tx.delete_tsig_key("k1"); });
    EXPECT_EQ(ids_of(store_->read()->tsig_keys()), (std::vector<std::string>{"k2"}));
}

TEST_P(AdminTablesTest, ARefusedWriteLeavesItsTransactionUsable) {
    write([](WriteTxn& tx) { tx.insert_tld(tld("t1", "com", "2026-01-01T00:00:01.000000")); });
    auto tx = store_->write();
    tx->insert_tld(tld("t2", "org", "2026-01-01T00:00:02.000000"));
    auto e = error_of([&] { tx->insert_tld(tld("t3", "com", "x")); });
    EXPECT_EQ(e.type(), "duplicate_tld");
    tx->insert_tsig_key(tsig_key("k1", "a", "2026-01-01T00:00:04.000000"));
    e = error_of([&] { tx->insert_tsig_key(tsig_key("k2", "A.", "x")); });
    EXPECT_EQ(e.type(), "duplicate_tsigkey");
    tx->insert_blacklist(blacklist("b1", "x", "2026-01-01T00:00:03.000000"));
    tx->commit();
    tx.reset();
    auto rd = store_->read();
    EXPECT_EQ(ids_of(rd->tlds()), (std::vector<std::string>{"t1", "t2"}));
    EXPECT_EQ(ids_of(rd->tsig_keys()), (std::vector<std::string>{"k1"}));
    EXPECT_EQ(ids_of(rd->blacklists()), (std::vector<std::string>{"b1"}));
}

DNSPLANE_BOTH_BACKENDS(AdminTablesTest);

}  // namespace
}  // namespace dnsplane::store::testing
