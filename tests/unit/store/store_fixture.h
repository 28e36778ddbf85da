// Shared set-up for the store tests: a fresh store per test, and builders for
// model values. StoreTest is SQLite only (file-level tests); BackendTest is
// parameterised over both backends (a fresh SQLite file, or a fresh database
// on the test binary's PostgreSQL server, see pg_server.h): use TEST_P and
// DNSPLANE_BOTH_BACKENDS(Fixture).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "pg_server.h"
#include "store/store.h"

namespace dnsplane::store::testing {

inline core::Zone make_zone(const std::string& id, const std::string& name,
                            const std::string& project = "p1") {
    core::Zone z;
    z.id = id;
    z.pool_id = "pool-1";
    z.project_id = project;
    z.name = name;
    z.email = "hostmaster@" + name;
    z.created_at = "2026-01-01T00:00:00.000000";
    return z;
}

inline core::RecordSet make_recordset(const core::Zone& zone, const std::string& id,
                                      const std::string& name, const std::string& type,
                                      const std::vector<std::string>& data) {
    core::RecordSet rs;
    rs.id = id;
    rs.project_id = zone.project_id;
    rs.zone_id = zone.id;
    rs.zone_name = zone.name;
    rs.name = name;
    rs.type = type;
    rs.created_at = "2026-01-01T00:00:00.000000";
    for (std::size_t i = 0; i < data.size(); ++i)
        rs.records.push_back(core::Record{id + "-r" + std::to_string(i), data[i]});
    return rs;
}

// An ACTIVE zone task of `project` naming `target` (shares, transfers, ...).
inline ZoneTask make_task(const std::string& id, const std::string& kind,
                          const std::string& zone_id, const std::string& project,
                          const std::string& target, const std::string& created_at) {
    ZoneTask t;
    t.id = id;
    t.kind = kind;
    t.project_id = project;
    t.zone_id = zone_id;
    t.target_project_id = target;
    t.status = "ACTIVE";
    t.created_at = created_at;
    return t;
}

inline std::vector<std::string> ids_of(const auto& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.id);
    return out;
}

// Runs `fn` and returns the core::Error it throws (fails the test if none).
inline core::Error error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const core::Error& e) {
        return e;
    }
    ADD_FAILURE() << "expected a core::Error";
    return core::Error(core::ErrorKind::Internal, "none", "no error thrown");
}

enum class Backend { Sqlite, Postgres };

class StoreTestBase : public ::testing::Test {
  protected:
    virtual Backend backend() const { return Backend::Sqlite; }

    void SetUp() override {
        std::string tmpl = (std::filesystem::temp_directory_path() / "dnsplane-store-XXXXXX");
        ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
        dir_ = tmpl;
        if (backend() == Backend::Postgres) {
            PgServer* pg = PgServer::get();
            if (!pg) {
                std::fprintf(stderr, "\n*** SKIPPING PostgreSQL store tests: %s ***\n\n",
                             PgServer::why().c_str());
                GTEST_SKIP() << "PostgreSQL unavailable: " << PgServer::why();
            }
            pg_url_ = pg->new_database();
        }
        store_ = open_store(url());
    }

    void TearDown() override {
        store_.reset();
        // PostgreSQL databases go with the server at exit (dropping each
        // would cost more than the test).
        std::filesystem::remove_all(dir_);
    }

    std::string db_path() const { return (dir_ / "db" / "dnsplane.db").string(); }
    std::string url() const { return pg_url_.empty() ? "sqlite://" + db_path() : pg_url_; }

    void reopen() {
        store_.reset();
        store_ = open_store(url());
    }

    // One committed write transaction.
    void write(const std::function<void(WriteTxn&)>& fn) {
        auto tx = store_->write();
        fn(*tx);
        tx->commit();
    }

    std::filesystem::path dir_;
    std::string pg_url_;
    std::unique_ptr<Store> store_;
};

using StoreTest = StoreTestBase;

class BackendTest : public StoreTestBase, public ::testing::WithParamInterface<Backend> {
  protected:
    Backend backend() const override { return GetParam(); }
};

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
    return info.param == Backend::Sqlite ? "Sqlite" : "Postgres";
}

#define DNSPLANE_BOTH_BACKENDS(Fixture)                                                        \
    INSTANTIATE_TEST_SUITE_P(Backends, Fixture,                                                \
                             ::testing::Values(::dnsplane::store::testing::Backend::Sqlite,    \
                                               ::dnsplane::store::testing::Backend::Postgres), \
                             ::dnsplane::store::testing::backend_name)

}  // namespace dnsplane::store::testing
