// Shared fixture of the service tests: a real SQLite store in a temporary
// folder, a ZoneService over it with a two-nameserver pool, a sink that
// records every published change, and helpers that check a rejected request
// left the store untouched.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "service/zone_service.h"
#include "store/store.h"

namespace dnsplane::service::testing {

class RecordingSink : public ChangeSink {
  public:
    void on_commit(const core::ZoneChange& change) override { changes.push_back(change); }
    std::vector<core::ZoneChange> changes;
};

inline Caller member_of(const std::string& project) {
    Caller c;
    c.project_id = project;
    c.role = Role::Member;
    return c;
}

inline Caller reader_of(const std::string& project) {
    Caller c = member_of(project);
    c.role = Role::Reader;
    return c;
}

inline Caller admin_of(const std::string& project, bool all_projects = false,
                       bool edit_managed = false) {
    Caller c;
    c.project_id = project;
    c.role = Role::Admin;
    c.all_projects = all_projects;
    c.edit_managed = edit_managed;
    return c;
}

inline std::vector<std::string> values(const core::RecordSet& rs) {
    std::vector<std::string> out;
    for (const auto& r : rs.records) out.push_back(r.data);
    return out;
}

inline core::ResourceRecord rr(std::string name, std::string type, std::uint32_t ttl,
                               std::string data) {
    return {std::move(name), std::move(type), ttl, std::move(data)};
}

class ServiceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/dnsplane-service-test-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        store_ = store::open_store("sqlite://" + dir_ + "/store.db");
        settings_.pool.id = "794ccc2c-d751-44fe-b57f-8894c9f5c842";
        settings_.pool.name = "default";
        settings_.pool.ns_records = {{"ns1.example.net.", 1}, {"ns2.example.net.", 2}};
        restart();
    }

    void TearDown() override {
        svc_.reset();
        store_.reset();
        std::filesystem::remove_all(dir_);
    }

    // A new service (e.g. with changed settings) over the same store.
    void restart() {
        svc_ = std::make_unique<ZoneService>(*store_, settings_);
        sink_.changes.clear();
        svc_->add_sink(&sink_);
    }

    ZoneService& svc() { return *svc_; }

    core::Zone make_zone(const std::string& name, const Caller& c) {
        ZoneCreate in;
        in.name = name;
        in.email = "hostmaster@" + name;
        return svc().create_zone(c, in);
    }

    core::RecordSet make_rs(const core::Zone& z, const std::string& name, const std::string& type,
                            std::vector<std::string> records,
                            std::optional<std::int64_t> ttl = std::nullopt) {
        RecordSetCreate in;
        in.name = name;
        in.type = type;
        in.ttl = ttl;
        in.records = std::move(records);
        return svc().create_recordset(owner_, z.id, in);
    }

    core::RecordSet stored_set(const core::Zone& z, const std::string& name,
                               const std::string& type) {
        auto txn = store_->read();
        auto rs = txn->find_recordset(z.id, name, type);
        EXPECT_TRUE(rs.has_value()) << name << " " << type;
        return rs.value_or(core::RecordSet{});
    }

    core::Zone stored_zone(const std::string& id) {
        auto txn = store_->read();
        auto z = txn->get_zone(id);
        EXPECT_TRUE(z.has_value());
        return z.value_or(core::Zone{});
    }

    std::vector<core::ZoneChange> change_log(const core::Zone& z) {
        return store_->read()->changes_since(z.id, 0);
    }

    // Everything the store holds, as text: equal snapshots mean nothing changed.
    std::string snapshot() {
        auto txn = store_->read();
        std::ostringstream out;
        for (const auto& z : txn->all_zones()) {
            out << "zone " << z.id << ' ' << z.project_id << ' ' << z.name << ' ' << z.email << ' '
                << z.ttl << ' ' << z.serial << ' ' << z.version << ' ' << z.description << ' '
                << z.updated_at.value_or("-") << '\n';
            for (const auto& rs : txn->zone_recordsets(z.id)) {
                out << "  rs " << rs.id << ' ' << rs.name << ' ' << rs.type << ' '
                    << (rs.ttl ? std::to_string(*rs.ttl) : "-") << ' ' << rs.version << ' '
                    << rs.description << '\n';
                for (const auto& r : rs.records) out << "    " << r.id << ' ' << r.data << '\n';
            }
            for (const auto& c : txn->changes_since(z.id, 0))
                out << "  change " << c.old_serial << "->" << c.new_serial << ' '
                    << c.removed.size() << ' ' << c.added.size() << '\n';
        }
        return out.str();
    }

    // Runs a request that must fail; checks it changed nothing (store and
    // sinks) and returns the error for further checks.
    core::Error rejected(const std::function<void()>& request) {
        auto before = snapshot();
        auto published = sink_.changes.size();
        try {
            request();
        } catch (const core::Error& e) {
            EXPECT_EQ(snapshot(), before) << "a rejected request changed the store";
            EXPECT_EQ(sink_.changes.size(), published) << "a rejected request was published";
            return e;
        }
        ADD_FAILURE() << "the request was accepted";
        return core::Error(core::ErrorKind::Internal, "accepted", "accepted");
    }

    std::string dir_;
    std::unique_ptr<store::Store> store_;
    ServiceSettings settings_;
    std::unique_ptr<ZoneService> svc_;
    RecordingSink sink_;
    Caller owner_ = member_of("project-a");
};

// EXPECT that `request` is rejected with `kind` and `type` and changes nothing.
#define EXPECT_REJECTED(request, error_kind, type_name)                       \
    do {                                                                      \
        auto err__ = rejected([&] { request; });                              \
        EXPECT_EQ(err__.kind(), core::ErrorKind::error_kind) << err__.what(); \
        EXPECT_EQ(err__.type(), type_name) << err__.what();                   \
    } while (0)

}  // namespace dnsplane::service::testing
