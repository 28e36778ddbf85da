// A Designate router over a real ZoneService and SQLite store in a temporary
// folder; requests go through router.handle() exactly as the server sends them.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "api/designate/designate_api.h"
#include "http/router.h"
#include "request_builder.h"
#include "service/zone_service.h"
#include "store/store.h"

namespace dnsplane::designate::testing {

struct Reply {
    unsigned status = 0;
    boost::json::value body;
    http::Response raw;

    std::optional<std::string> header(const std::string& name) const {
        for (const auto& [k, v] : raw.headers)
            if (k == name) return v;
        return std::nullopt;
    }
    const boost::json::object& obj() const { return body.as_object(); }
    std::string str(const char* key) const { return std::string(obj().at(key).as_string()); }
};

class ApiTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/dnsplane-designate-test-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        store_ = store::open_store("sqlite://" + dir_ + "/store.db");
        service::ServiceSettings settings;
        settings.pool.id = "794ccc2c-d751-44fe-b57f-8894c9f5c842";
        settings.pool.name = "default";
        settings.pool.description = "Default pool";
        settings.pool.ns_records = {{"ns1.example.net.", 1}, {"ns2.example.net.", 2}};
        settings.pool.created_at = "2026-01-01T00:00:00.000000";
        svc_ = std::make_unique<service::ZoneService>(*store_, settings);
        register_routes(router_, *svc_, options());
    }

    // Fixtures for the draft style override this.
    virtual DesignateOptions options() const { return {}; }

    void TearDown() override {
        svc_.reset();
        store_.reset();
        std::filesystem::remove_all(dir_);
    }

    Reply call(const std::string& method, const std::string& target, const std::string& body = {},
               std::vector<std::pair<std::string, std::string>> headers = {},
               service::Caller caller = {}) {
        http::Request req = make_request(method, target, body, std::move(headers));
        req.caller = caller;
        Reply r;
        r.raw = router_.handle(req);
        r.status = r.raw.status;
        if (!r.raw.body.empty()) r.body = boost::json::parse(r.raw.body);
        return r;
    }

    // POST /v2/zones; asserts 202 and returns the body.
    boost::json::object create_zone(const std::string& name, const std::string& extra = {}) {
        auto r = call("POST", "/v2/zones",
                      R"({"name":")" + name + R"(","email":"admin@example.org")" + extra + "}");
        EXPECT_EQ(r.status, 202u) << r.raw.body;
        return r.body.is_object() ? r.obj() : boost::json::object{};
    }

    boost::json::object create_recordset(const std::string& zone_id, const std::string& json) {
        auto r = call("POST", "/v2/zones/" + zone_id + "/recordsets", json);
        EXPECT_EQ(r.status, 202u) << r.raw.body;
        return r.body.is_object() ? r.obj() : boost::json::object{};
    }

    std::string dir_;
    std::unique_ptr<store::Store> store_;
    std::unique_ptr<service::ZoneService> svc_;
    http::Router router_;
};

inline std::string id_of(const boost::json::object& o) {
    return std::string(o.at("id").as_string());
}

}  // namespace dnsplane::designate::testing
