// open_store: URL forms, folder creation, clear failures, migrations applied
// once and kept across reopen, data kept across reopen.
#include <sqlite3.h>
#include <unistd.h>

#include <fstream>

#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_store.h"
#include "store_fixture.h"

namespace dnsplane::store::testing {
namespace {

using sqlite::sqlite_options_from_url;

// Runs one statement on the file with a private connection; returns the first
// column of the first row as text.
std::string raw_query(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

TEST(SqliteUrlTest, PathForms) {
    EXPECT_EQ(sqlite_options_from_url("sqlite:///var/lib/x.db").path, "/var/lib/x.db");
    EXPECT_EQ(sqlite_options_from_url("sqlite://data/x.db").path, "data/x.db");
    EXPECT_EQ(sqlite_options_from_url("sqlite://./data/x.db").path, "./data/x.db");
    EXPECT_EQ(sqlite_options_from_url("sqlite:x.db").path, "x.db");
    EXPECT_EQ(sqlite_options_from_url("sqlite:/abs.db").path, "/abs.db");
    EXPECT_EQ(sqlite_options_from_url("sqlite:///tmp/a%20b.db").path, "/tmp/a b.db");
}

TEST(SqliteUrlTest, Parameters) {
    // Default: NORMAL (WAL survives process crashes); FULL on request for
    // power-loss durability.
    auto o = sqlite_options_from_url("sqlite:///x.db");
    EXPECT_EQ(o.synchronous, "NORMAL");
    EXPECT_EQ(sqlite_options_from_url("sqlite:///x.db?synchronous=full").synchronous, "FULL");
    o = sqlite_options_from_url("sqlite:///x.db?synchronous=normal&busy_timeout=250");
    EXPECT_EQ(o.path, "/x.db");
    EXPECT_EQ(o.synchronous, "NORMAL");
    EXPECT_EQ(o.busy_timeout_ms, 250);
}

TEST(SqliteUrlTest, MalformedUrlsAreUnavailableWithAClearMessage) {
    for (std::string url :
         {"sqlite:", "sqlite://", "sqlite::memory:", "sqlite:///x.db?synchronous=off",
          "sqlite:///x.db?cache=shared", "sqlite:///x.db?busy_timeout=soon", "sqlite:///x%2.db",
          "/var/lib/x.db", "x.db", "mysql://h/db", ""}) {
        auto e = error_of([&] { open_store(url); });
        EXPECT_EQ(e.kind(), core::ErrorKind::Unavailable) << url;
        EXPECT_EQ(e.type(), "database_unavailable") << url;
        EXPECT_FALSE(std::string(e.what()).empty());
    }
}

TEST(SqliteUrlTest, UnreachablePostgresqlIsUnavailableAndThePasswordIsNotEchoed) {
    // Port 1 on loopback: nothing listens, the refusal is immediate.
    for (std::string url : {"postgresql://dns:s3cret@127.0.0.1:1/dnsplane",
                            "postgres://dns:s3cret@127.0.0.1:1/dnsplane"}) {
        auto e = error_of([&] { open_store(url); });
        EXPECT_EQ(e.kind(), core::ErrorKind::Unavailable) << url;
        EXPECT_EQ(e.type(), "database_unavailable") << url;
        std::string msg = e.what();
        EXPECT_NE(msg.find("cannot open PostgreSQL database"), std::string::npos) << msg;
        EXPECT_EQ(msg.find("s3cret"), std::string::npos) << msg;
    }
}

using OpenStoreTest = StoreTest;

TEST_F(OpenStoreTest, CreatesParentFoldersAndUsesWal) {
    EXPECT_TRUE(std::filesystem::exists(db_path()));
    EXPECT_EQ(raw_query(db_path(), "PRAGMA journal_mode"), "wal");
    auto nested = dir_ / "a" / "b" / "c" / "x.db";
    auto s = open_store("sqlite://" + nested.string());
    EXPECT_TRUE(std::filesystem::exists(nested));
}

TEST_F(OpenStoreTest, RelativePathIsRelativeToTheWorkingFolder) {
    auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir_);
    {
        auto s = open_store("sqlite://rel/x.db?synchronous=normal");
        auto tx = s->write();
        tx->insert_zone(make_zone("z1", "example.org."));
        tx->commit();
        auto s2 = open_store("sqlite:rel/x.db");
        EXPECT_TRUE(s2->read()->get_zone("z1"));
    }
    std::filesystem::current_path(cwd);
    EXPECT_TRUE(std::filesystem::exists(dir_ / "rel" / "x.db"));
}

TEST_F(OpenStoreTest, FileThatIsNotADatabaseFailsClearly) {
    auto junk = dir_ / "junk.db";
    std::ofstream(junk) << std::string(4096, 'x');
    auto e = error_of([&] { open_store("sqlite://" + junk.string()); });
    EXPECT_EQ(e.kind(), core::ErrorKind::Unavailable);
    EXPECT_EQ(e.type(), "database_unavailable");
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind("cannot open database " + junk.string() + ": ", 0), 0u) << msg;
}

TEST_F(OpenStoreTest, UncreatableFolderFailsClearly) {
    auto file = dir_ / "plain-file";
    std::ofstream(file) << "x";
    auto e = error_of([&] { open_store("sqlite://" + (file / "sub" / "x.db").string()); });
    EXPECT_EQ(e.kind(), core::ErrorKind::Unavailable);
    EXPECT_NE(std::string(e.what()).find("cannot open database"), std::string::npos);
}

TEST_F(OpenStoreTest, MigrationsRunOnceAndReopenKeepsData) {
    const int newest = sqlite::migrations().back().version;
    EXPECT_EQ(raw_query(db_path(), "PRAGMA user_version"), std::to_string(newest));
    auto z = make_zone("z1", "example.org.");
    write([&](WriteTxn& tx) {
        tx.insert_zone(z);
        tx.insert_recordset(make_recordset(z, "rs1", "www.example.org.", "A", {"192.0.2.1"}));
        tx.insert_token(Token{"t1", "h1", "p1", "admin", "now"});
    });
    reopen();
    reopen();
    EXPECT_EQ(raw_query(db_path(), "PRAGMA user_version"), std::to_string(newest));
    EXPECT_EQ(raw_query(db_path(), "SELECT COUNT(*) FROM sqlite_master WHERE name = 'zones'"), "1");
    auto r = store_->read();
    EXPECT_EQ(r->get_zone("z1")->name, "example.org.");
    EXPECT_EQ(r->get_recordset("rs1")->records.at(0).data, "192.0.2.1");
    EXPECT_TRUE(r->find_token("h1"));
}

TEST_F(OpenStoreTest, NewerSchemaIsRefused) {
    store_.reset();
    raw_query(db_path(), "PRAGMA user_version = 999");
    auto e = error_of([&] { open_store(url()); });
    EXPECT_EQ(e.kind(), core::ErrorKind::Unavailable);
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
}

}  // namespace
}  // namespace dnsplane::store::testing
