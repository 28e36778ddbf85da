// Users of the identity endpoint: PBKDF2 password hashes, user creation,
// issued tokens (expiry, system scope) against a real SQLite store.
#include <gtest/gtest.h>

#include <filesystem>

#include "auth/authenticator.h"
#include "auth/passwords.h"
#include "auth/users.h"
#include "common/util.h"
#include "core/error.h"

using namespace dnsplane;
namespace fs = std::filesystem;

namespace {

class UsersTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("dnsplane-users-" + common::new_uuid());
        fs::create_directories(dir);
        store = store::open_store("sqlite://" + (dir / "db.sqlite").string());
    }
    void TearDown() override {
        store.reset();
        fs::remove_all(dir);
    }
    http::Request with_token(const std::string& token) {
        http::Request r;
        r.method = "GET";
        r.path = "/v2/zones";
        r.headers.emplace_back("x-auth-token", token);
        return r;
    }
    fs::path dir;
    std::unique_ptr<store::Store> store;
};

}  // namespace

TEST(Passwords, HashVerifiesOnlyItsPasswordWithAFreshSalt) {
    auto a = auth::hash_password("correct horse", 1000);
    auto b = auth::hash_password("correct horse", 1000);
    EXPECT_NE(a, b);  // per-hash salt
    EXPECT_EQ(a.rfind("pbkdf2-sha256$1000$", 0), 0u);
    EXPECT_TRUE(auth::verify_password("correct horse", a));
    EXPECT_TRUE(auth::verify_password("correct horse", b));
    EXPECT_FALSE(auth::verify_password("correct horsE", a));
    EXPECT_FALSE(auth::verify_password("", a));
}

TEST(Passwords, MalformedStoredFormsNeverVerify) {
    for (const char* stored :
         {"", "plain", "pbkdf2-sha256$x$AAAA$AAAA", "md5$1$AAAA$AAAA", "pbkdf2-sha256$1000$!!$AAAA",
          "pbkdf2-sha256$0$AAAA$AAAA", "pbkdf2-sha256$1000$AAAA$AAAA"})
        EXPECT_FALSE(auth::verify_password("x", stored)) << stored;
}

TEST_F(UsersTest, CreateThenCheckPassword) {
    auto u = auth::create_user(*store, {"alice", "pw", "acme", "", "Member"});
    EXPECT_EQ(u.project_id, "acme");
    EXPECT_EQ(u.role, "member");
    auto stored = store->read()->find_user_by_name("alice");
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->id, u.id);
    EXPECT_EQ(stored->password_hash.find("pw$"), std::string::npos);
    EXPECT_TRUE(auth::check_password(*store, "alice", "pw"));
    EXPECT_FALSE(auth::check_password(*store, "alice", "PW"));
    EXPECT_FALSE(auth::check_password(*store, "bob", "pw"));
    EXPECT_EQ(store->read()->get_user(u.id)->name, "alice");
}

TEST_F(UsersTest, InvalidUsersAreRefusedAndDuplicatesConflict) {
    auto kind = [&](auth::UserSpec spec) {
        try {
            auth::create_user(*store, spec);
        } catch (const core::Error& e) {
            return e.kind();
        }
        return core::ErrorKind::Internal;
    };
    EXPECT_EQ(kind({"", "pw", "p", "", "member"}), core::ErrorKind::Invalid);
    EXPECT_EQ(kind({"a", "", "p", "", "member"}), core::ErrorKind::Invalid);
    EXPECT_EQ(kind({"a", "pw", "", "", "member"}), core::ErrorKind::Invalid);
    EXPECT_EQ(kind({"a", "pw", "p", "", "owner"}), core::ErrorKind::Invalid);
    EXPECT_EQ(kind({"a\n", "pw", "p", "", "member"}), core::ErrorKind::Invalid);
    auth::create_user(*store, {"a", "pw", "p", "pid", "member"});
    EXPECT_EQ(kind({"a", "other", "q", "", "admin"}), core::ErrorKind::Conflict);
    EXPECT_TRUE(auth::check_password(*store, "a", "pw"));
}

TEST_F(UsersTest, IssuedTokenAuthenticatesUntilItExpires) {
    auto u = auth::create_user(*store, {"alice", "pw", "acme", "acme-id", "admin"});
    auto issued = auth::issue_token(*store, u, std::chrono::seconds(3600));
    EXPECT_EQ(issued.token.user_id, u.id);
    EXPECT_GT(issued.token.expires_at, issued.token.created_at);
    auto a = auth::make_token_auth(*store);
    auto c = a->authenticate(with_token(issued.secret));
    EXPECT_EQ(c.project_id, "acme-id");
    EXPECT_EQ(c.role, service::Role::Admin);

    auto stale = auth::issue_token(*store, u, std::chrono::seconds(-10));
    try {
        a->authenticate(with_token(stale.secret));
        FAIL() << "expired token accepted";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.kind(), core::ErrorKind::Unauthorized);
    }
    // Issuing prunes expired tokens.
    auth::issue_token(*store, u, std::chrono::seconds(3600));
    EXPECT_FALSE(store->read()->find_token(stale.token.hash));
    EXPECT_TRUE(store->read()->find_token(issued.token.hash));
}

TEST_F(UsersTest, SystemScopedTokenIsForbiddenOnProjectResources) {
    auto u = auth::create_user(*store, {"root", "pw", "ops", "", "admin"});
    auto issued = auth::issue_token(*store, u, std::chrono::seconds(3600), true);
    EXPECT_TRUE(issued.token.project_id.empty());
    auto a = auth::make_token_auth(*store);
    try {
        a->authenticate(with_token(issued.secret));
        FAIL() << "system token accepted";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.kind(), core::ErrorKind::Forbidden);
    }
}

TEST_F(UsersTest, RevokedTokenIsGone) {
    auto u = auth::create_user(*store, {"alice", "pw", "acme", "", "member"});
    auto issued = auth::issue_token(*store, u, std::chrono::seconds(3600));
    auto txn = store->write();
    EXPECT_TRUE(txn->delete_token(issued.token.hash));
    EXPECT_FALSE(txn->delete_token(issued.token.hash));
    txn->commit();
    EXPECT_FALSE(store->read()->find_token(issued.token.hash));
}
