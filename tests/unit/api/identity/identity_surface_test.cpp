// The /identity surface's router against a real SQLite store: version
// documents, password authentication, scopes, validation, Keystone errors.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>

#include "api/identity/identity_api.h"
#include "auth/users.h"
#include "common/util.h"

using namespace dnsplane;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

class IdentitySurfaceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("dnsplane-identity-" + common::new_uuid());
        fs::create_directories(dir);
        store = store::open_store("sqlite://" + (dir / "db.sqlite").string());
        auth::create_user(*store, {"alice", "pw", "acme", "acme-id", "member"});
        surface = identity::make_surface(*store);
    }
    void TearDown() override {
        surface.reset();
        store.reset();
        fs::remove_all(dir);
    }

    http::Response call(std::string method, std::string path, std::string body = {},
                        std::vector<std::pair<std::string, std::string>> headers = {}) {
        http::Request r;
        r.method = std::move(method);
        r.path = "/identity" + path;
        r.target = r.path;
        r.mount_length = 9;
        r.base_url = "http://127.0.0.1:9001";
        r.body = std::move(body);
        r.headers = std::move(headers);
        r.headers.emplace_back("content-type", "application/json");
        return surface->router.handle(r);
    }

    static std::string password_body(const std::string& user, const std::string& password,
                                     const std::string& scope = "") {
        return R"({"auth":{"identity":{"methods":["password"],"password":{"user":{"name":")" +
               user + R"(","domain":{"id":"default"},"password":")" + password + R"("}}})" +
               (scope.empty() ? "" : R"(,"scope":)" + scope) + "}}";
    }

    static std::string header(const http::Response& res, const std::string& name) {
        for (const auto& [k, v] : res.headers)
            if (http::iequals(k, name)) return v;
        return {};
    }

    fs::path dir;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<http::Surface> surface;
};

}  // namespace

TEST_F(IdentitySurfaceTest, VersionDocuments) {
    auto v3 = call("GET", "/v3");
    ASSERT_EQ(v3.status, 200u);
    auto doc = json::parse(v3.body).as_object();
    EXPECT_EQ(doc["version"].at("links").at(0).at("href").as_string(),
              "http://127.0.0.1:9001/identity/v3/");
    EXPECT_EQ(call("GET", "/").status, 300u);
}

TEST_F(IdentitySurfaceTest, PasswordAuthIssuesTokenWithCatalog) {
    auto res = call(
        "POST", "/v3/auth/tokens",
        password_body("alice", "pw", R"({"project":{"name":"acme","domain":{"name":"Default"}}})"));
    ASSERT_EQ(res.status, 201u) << res.body;
    auto secret = header(res, "X-Subject-Token");
    ASSERT_FALSE(secret.empty());
    auto token = json::parse(res.body).at("token").as_object();
    EXPECT_EQ(token.at("project").at("id").as_string(), "acme-id");
    EXPECT_EQ(token.at("roles").as_array().size(), 2u);
    const auto& catalog = token.at("catalog").as_array();
    ASSERT_FALSE(catalog.empty());
    EXPECT_EQ(catalog.at(0).at("type").as_string(), "dns");
    EXPECT_EQ(catalog.at(0).at("endpoints").at(0).at("url").as_string(), "http://127.0.0.1:9001");
    // Stored only hashed, and it validates itself.
    EXPECT_TRUE(store->read()->find_token(common::sha256_hex(secret)));
    auto v =
        call("GET", "/v3/auth/tokens", {}, {{"x-auth-token", secret}, {"x-subject-token", secret}});
    EXPECT_EQ(v.status, 200u) << v.body;
}

TEST_F(IdentitySurfaceTest, FailuresUseKeystoneErrorsAndIssueNothing) {
    for (auto [body, status] : std::vector<std::pair<std::string, unsigned>>{
             {password_body("alice", "nope"), 401},
             {password_body("mallory", "pw"), 401},
             {password_body("alice", "pw", R"({"project":{"name":"other"}})"), 401},
             {password_body("alice", "pw", R"({"domain":{"id":"default"}})"), 401},
             {R"({"auth":{"identity":{"methods":["password"]}}})", 400},
             {"[", 400},
         }) {
        auto res = call("POST", "/v3/auth/tokens", body);
        EXPECT_EQ(res.status, status) << body;
        auto err = json::parse(res.body).at("error").as_object();
        EXPECT_EQ(err.at("code").as_int64(), status);
        EXPECT_FALSE(err.at("title").as_string().empty());
        EXPECT_TRUE(header(res, "X-Subject-Token").empty());
    }
}
