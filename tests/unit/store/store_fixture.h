// Shared set-up for the store tests: a fresh SQLite file in a temporary
// folder per test, and builders for model values.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/model.h"
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

class StoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string tmpl = (std::filesystem::temp_directory_path() / "dnsplane-store-XXXXXX");
        ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
        dir_ = tmpl;
        store_ = open_store(url());
    }

    void TearDown() override {
        store_.reset();
        std::filesystem::remove_all(dir_);
    }

    std::string db_path() const { return (dir_ / "db" / "dnsplane.db").string(); }
    std::string url() const { return "sqlite://" + db_path(); }

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
    std::unique_ptr<Store> store_;
};

}  // namespace dnsplane::store::testing
