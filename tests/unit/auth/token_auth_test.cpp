// Token authentication against a real SQLite store in a temporary folder.
#include <gtest/gtest.h>

#include <filesystem>

#include "auth/authenticator.h"
#include "common/util.h"
#include "core/error.h"
#include "http/router.h"

using namespace dnsplane;
using service::Role;
namespace fs = std::filesystem;

namespace {

class TokenAuthTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("dnsplane-auth-" + common::new_uuid());
        fs::create_directories(dir);
        store = store::open_store("sqlite://" + (dir / "db.sqlite").string());
    }
    void TearDown() override {
        store.reset();
        fs::remove_all(dir);
    }

    http::Request with_token(const std::string& token,
                             std::vector<std::pair<std::string, std::string>> more = {}) {
        http::Request r;
        r.method = "GET";
        r.path = "/v2/zones";
        r.headers = std::move(more);
        r.headers.emplace_back("x-auth-token", token);
        return r;
    }

    core::ErrorKind error_kind(const http::Request& r) {
        auto a = auth::make_token_auth(*store);
        try {
            a->authenticate(r);
        } catch (const core::Error& e) {
            return e.kind();
        }
        ADD_FAILURE() << "expected an error";
        return core::ErrorKind::Internal;
    }

    fs::path dir;
    std::unique_ptr<store::Store> store;
};

}  // namespace

TEST_F(TokenAuthTest, CreatedTokenIdentifiesProjectAndRole) {
    auto secret = auth::create_token(*store, "p1", "member");
    EXPECT_GE(secret.size(), 32u);
    auto a = auth::make_token_auth(*store);
    auto c = a->authenticate(with_token(secret));
    EXPECT_EQ(c.project_id, "p1");
    EXPECT_EQ(c.role, Role::Member);
    EXPECT_FALSE(c.all_projects);
}

TEST_F(TokenAuthTest, OnlyTheHashIsStored) {
    auto secret = auth::create_token(*store, "p1", "reader");
    auto read = store->read();
    auto token = read->find_token(common::sha256_hex(secret));
    ASSERT_TRUE(token);
    EXPECT_EQ(token->hash, common::sha256_hex(secret));
    EXPECT_NE(token->hash, secret);
    EXPECT_EQ(token->role, "reader");
    EXPECT_FALSE(read->find_token(secret));
}

TEST_F(TokenAuthTest, MissingOrUnknownTokenIs401) {
    auth::create_token(*store, "p1", "admin");
    http::Request none;
    none.method = "GET";
    EXPECT_EQ(error_kind(none), core::ErrorKind::Unauthorized);
    EXPECT_EQ(error_kind(with_token("")), core::ErrorKind::Unauthorized);
    EXPECT_EQ(error_kind(with_token("dnsp_not-a-real-token")), core::ErrorKind::Unauthorized);
}

TEST_F(TokenAuthTest, NoauthHeadersDoNotOverrideTheToken) {
    auto secret = auth::create_token(*store, "p1", "reader");
    auto a = auth::make_token_auth(*store);
    auto c =
        a->authenticate(with_token(secret, {{"x-auth-project-id", "other"}, {"x-roles", "admin"}}));
    EXPECT_EQ(c.project_id, "p1");
    EXPECT_EQ(c.role, Role::Reader);
}

TEST_F(TokenAuthTest, AdminTokenMayUseAllProjectsAndSudo) {
    auto admin = auth::create_token(*store, "ops", "admin");
    auto member = auth::create_token(*store, "p1", "member");
    auto a = auth::make_token_auth(*store);
    auto c = a->authenticate(
        with_token(admin, {{"x-auth-all-projects", "true"}, {"x-auth-sudo-project-id", "p7"}}));
    EXPECT_TRUE(c.all_projects);
    EXPECT_EQ(c.project_id, "p7");
    EXPECT_EQ(error_kind(with_token(member, {{"x-auth-all-projects", "true"}})),
              core::ErrorKind::Forbidden);
    EXPECT_EQ(error_kind(with_token(member, {{"x-auth-sudo-project-id", "p7"}})),
              core::ErrorKind::Forbidden);
}

TEST_F(TokenAuthTest, CreateRejectsUnknownRoleAndEmptyProject) {
    EXPECT_THROW(auth::create_token(*store, "p1", "owner"), core::Error);
    EXPECT_THROW(auth::create_token(*store, "", "admin"), core::Error);
    auto secret = auth::create_token(*store, "p1", "ADMIN");  // case-insensitive, stored lower
    EXPECT_EQ(store->read()->find_token(common::sha256_hex(secret))->role, "admin");
}

TEST_F(TokenAuthTest, MiddlewareProtectsAllButPublicRoutes) {
    auto secret = auth::create_token(*store, "p1", "member");
    auto a = auth::make_token_auth(*store);
    http::Router router;
    std::string seen_project;
    router.add("GET", "/", [](http::Request&) { return http::Response{}; });
    router.add("GET", "/v2/zones", [&](http::Request& r) {
        seen_project = r.caller.project_id;
        return http::Response{};
    });
    router.use(auth::middleware(*a, [](const http::Request& r) { return r.path == "/"; }));

    http::Request root;
    root.method = "GET";
    root.path = "/";
    EXPECT_EQ(router.handle(root).status, 200u);
    EXPECT_EQ(root.caller.role, Role::Reader);  // public requests get no privileges

    http::Request anonymous;
    anonymous.method = "GET";
    anonymous.path = "/v2/zones";
    auto res = router.handle(anonymous);
    EXPECT_EQ(res.status, 401u);
    EXPECT_NE(res.body.find("unauthorized"), std::string::npos);

    auto authed = with_token(secret);
    EXPECT_EQ(router.handle(authed).status, 200u);
    EXPECT_EQ(seen_project, "p1");
}
