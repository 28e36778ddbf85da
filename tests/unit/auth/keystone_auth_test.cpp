// --auth keystone against a fake Keystone v3 (dnsplane's own HTTP server on a
// free loopback port) that counts the validations it answers.
#include "auth/keystone_auth.h"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <ctime>
#include <map>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "http/server.h"

using namespace dnsplane;
using namespace std::chrono_literals;
using service::Role;
namespace json = boost::json;

namespace {

// "2026-01-02T03:04:05.123456Z", `offset` from now.
std::string keystone_time(std::chrono::milliseconds offset) {
    using namespace std::chrono;
    const auto t = system_clock::now() + offset;
    const auto secs = time_point_cast<seconds>(t);
    const std::time_t tt = system_clock::to_time_t(secs);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%06lldZ",
                  static_cast<long long>(duration_cast<microseconds>(t - secs).count()));
    return std::string(buf) + frac;
}

class FakeKeystone {
  public:
    FakeKeystone() {
        router_.add("POST", "/v3/auth/tokens", [this](http::Request& r) {
            http::Response res;
            const json::value body = json::parse(r.body);
            const auto& user = body.at_pointer("/auth/identity/password/user");
            if (user.at("name").as_string() != "svc" ||
                user.at("password").as_string() != "svc-pw") {
                res.status = 401;
                return res;
            }
            std::lock_guard lock(mutex_);
            service_token_ = "svc-token-" + std::to_string(++service_tokens_issued_);
            res.status = 201;
            res.set_header("X-Subject-Token", service_token_);
            res.body = R"({"token":{}})";
            return res;
        });
        router_.add("GET", "/v3/auth/tokens", [this](http::Request& r) {
            http::Response res;
            std::lock_guard lock(mutex_);
            ++validations_;
            if (r.header("x-auth-token").value_or("") != service_token_) {
                res.status = 401;
                return res;
            }
            auto it = tokens_.find(std::string(r.header("x-subject-token").value_or("")));
            if (it == tokens_.end() || it->second.revoked) {
                res.status = 404;
                return res;
            }
            res.body = json::serialize(json::object{{"token", it->second.body}});
            return res;
        });
        http::ServerOptions opts;
        opts.listen = "127.0.0.1:0";
        server_ = std::make_unique<http::Server>(io_, opts, router_);
        server_->start();
        thread_ = std::thread([this] { io_.run(); });
    }
    ~FakeKeystone() {
        server_->stop();
        thread_.join();
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

    void add_token(const std::string& secret, json::object body) {
        std::lock_guard lock(mutex_);
        tokens_[secret] = {std::move(body), false};
    }
    void add_project_token(const std::string& secret, const std::string& project, json::array roles,
                           const std::string& expires_at) {
        json::object body{{"project", json::object{{"id", project}}},
                          {"roles", std::move(roles)},
                          {"expires_at", expires_at}};
        add_token(secret, std::move(body));
    }
    void revoke(const std::string& secret) {
        std::lock_guard lock(mutex_);
        tokens_.at(secret).revoked = true;
    }
    // Keystone forgot our service token (restart, expiry, revocation).
    void forget_service_token() {
        std::lock_guard lock(mutex_);
        service_token_ = "forgotten";
    }
    int validations() {
        std::lock_guard lock(mutex_);
        return validations_;
    }
    int service_tokens_issued() {
        std::lock_guard lock(mutex_);
        return service_tokens_issued_;
    }

  private:
    struct Token {
        json::object body;
        bool revoked = false;
    };
    boost::asio::io_context io_;
    http::Router router_;
    std::unique_ptr<http::Server> server_;
    std::thread thread_;
    std::mutex mutex_;
    std::map<std::string, Token> tokens_;
    std::string service_token_;
    int service_tokens_issued_ = 0;
    int validations_ = 0;
};

json::array roles(std::initializer_list<const char*> names) {
    json::array out;
    for (const char* n : names) out.push_back(json::object{{"name", n}});
    return out;
}

class KeystoneAuthTest : public ::testing::Test {
  protected:
    std::unique_ptr<auth::Authenticator> make(std::chrono::seconds cache = 60s,
                                              std::string password = "svc-pw") {
        return auth::make_keystone_auth({keystone.url() + "/v3/", "svc", std::move(password),
                                         "service", "Default", "Default", cache, 5000ms});
    }

    static http::Request with_token(const std::string& token,
                                    std::vector<std::pair<std::string, std::string>> more = {}) {
        http::Request r;
        r.method = "GET";
        r.path = "/v2/zones";
        r.headers = std::move(more);
        r.headers.emplace_back("x-auth-token", token);
        return r;
    }

    static core::ErrorKind error_kind(auth::Authenticator& a, const http::Request& r) {
        try {
            a.authenticate(r);
        } catch (const core::Error& e) {
            return e.kind();
        }
        ADD_FAILURE() << "expected an error";
        return core::ErrorKind::Internal;
    }

    FakeKeystone keystone;
};

}  // namespace

TEST_F(KeystoneAuthTest, TokenProjectAndHighestRoleBecomeTheCaller) {
    const auto later = keystone_time(1h);
    keystone.add_project_token("t-admin", "p-ops", roles({"reader", "admin", "member"}), later);
    keystone.add_project_token("t-member", "p-acme", roles({"member", "reader"}), later);
    keystone.add_project_token("t-reader", "p-acme", roles({"reader"}), later);
    keystone.add_project_token("t-other", "p-acme", roles({"load-balancer_member"}), later);
    auto a = make();
    auto admin = a->authenticate(with_token("t-admin"));
    EXPECT_EQ(admin.project_id, "p-ops");
    EXPECT_EQ(admin.role, Role::Admin);
    EXPECT_EQ(a->authenticate(with_token("t-member")).role, Role::Member);
    EXPECT_EQ(a->authenticate(with_token("t-reader")).role, Role::Reader);
    EXPECT_EQ(a->authenticate(with_token("t-other")).role, Role::Reader);
    EXPECT_EQ(a->authenticate(with_token("t-reader")).project_id, "p-acme");
}

TEST_F(KeystoneAuthTest, AdminHeadersAreHonouredForAdminsOnly) {
    const auto later = keystone_time(1h);
    keystone.add_project_token("t-admin", "p-ops", roles({"admin"}), later);
    keystone.add_project_token("t-member", "p-acme", roles({"member"}), later);
    auto a = make();
    auto sudo = a->authenticate(with_token("t-admin", {{"x-auth-sudo-project-id", "p-acme"}}));
    EXPECT_EQ(sudo.project_id, "p-acme");
    EXPECT_TRUE(
        a->authenticate(with_token("t-admin", {{"x-auth-all-projects", "true"}})).all_projects);
    EXPECT_EQ(error_kind(*a, with_token("t-member", {{"x-auth-all-projects", "true"}})),
              core::ErrorKind::Forbidden);
    EXPECT_EQ(error_kind(*a, with_token("t-member", {{"x-auth-sudo-project-id", "p-ops"}})),
              core::ErrorKind::Forbidden);
}

TEST_F(KeystoneAuthTest, UnknownRevokedAndMissingTokensAreUnauthorized) {
    keystone.add_project_token("t-member", "p-acme", roles({"member"}), keystone_time(1h));
    auto a = make(0s);  // no cache: every request asks Keystone
    EXPECT_EQ(error_kind(*a, with_token("nope")), core::ErrorKind::Unauthorized);
    EXPECT_EQ(a->authenticate(with_token("t-member")).role, Role::Member);
    keystone.revoke("t-member");
    EXPECT_EQ(error_kind(*a, with_token("t-member")), core::ErrorKind::Unauthorized);
    http::Request none;
    EXPECT_EQ(error_kind(*a, none), core::ErrorKind::Unauthorized);
}

TEST_F(KeystoneAuthTest, AnswersAreCachedForTheCacheTime) {
    keystone.add_project_token("t-member", "p-acme", roles({"member"}), keystone_time(1h));
    auto a = make(1s);
    a->authenticate(with_token("t-member"));
    const int asked = keystone.validations();
    keystone.revoke("t-member");
    // Within the cache time Keystone is not asked again.
    EXPECT_EQ(a->authenticate(with_token("t-member")).role, Role::Member);
    EXPECT_EQ(keystone.validations(), asked);
    std::this_thread::sleep_for(1100ms);
    EXPECT_EQ(error_kind(*a, with_token("t-member")), core::ErrorKind::Unauthorized);
    EXPECT_EQ(keystone.validations(), asked + 1);
}

TEST_F(KeystoneAuthTest, CachedAnswerNeverOutlivesTheToken) {
    // A token expiring well within the cache time: Keystone answers 404 for
    // it once expired, and dnsplane must ask again rather than trust its cache.
    keystone.add_project_token("t-short", "p-acme", roles({"member"}), keystone_time(400ms));
    auto a = make(3600s);
    EXPECT_EQ(a->authenticate(with_token("t-short")).role, Role::Member);
    EXPECT_EQ(a->authenticate(with_token("t-short")).role, Role::Member);  // cached
    const int asked = keystone.validations();
    keystone.revoke("t-short");  // stands for Keystone's 404 on an expired token
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(error_kind(*a, with_token("t-short")), core::ErrorKind::Unauthorized);
    EXPECT_EQ(keystone.validations(), asked + 1);
}

TEST_F(KeystoneAuthTest, ExpiryWithoutFractionOrZoneIsUnderstood) {
    // Keystone's form for a token capped by an application credential's expiry.
    std::string expires = keystone_time(-1s).substr(0, 19);  // already past
    keystone.add_project_token("t-capped", "p-acme", roles({"reader"}), expires);
    auto a = make(3600s);
    a->authenticate(with_token("t-capped"));
    a->authenticate(with_token("t-capped"));
    // Past its expiry, so never served from the cache.
    EXPECT_GE(keystone.validations(), 2);
}

TEST_F(KeystoneAuthTest, StaleServiceTokenIsRenewedOnce) {
    keystone.add_project_token("t-member", "p-acme", roles({"member"}), keystone_time(1h));
    keystone.add_project_token("t-reader", "p-acme", roles({"reader"}), keystone_time(1h));
    auto a = make(0s);
    a->authenticate(with_token("t-member"));
    EXPECT_EQ(keystone.service_tokens_issued(), 1);
    keystone.forget_service_token();
    EXPECT_EQ(a->authenticate(with_token("t-reader")).role, Role::Reader);
    EXPECT_EQ(keystone.service_tokens_issued(), 2);
}

TEST_F(KeystoneAuthTest, TokenWithoutProjectIsForbidden) {
    keystone.add_token("t-domain", json::object{{"domain", json::object{{"id", "default"}}},
                                                {"roles", roles({"admin"})},
                                                {"expires_at", keystone_time(1h)}});
    auto a = make();
    EXPECT_EQ(error_kind(*a, with_token("t-domain")), core::ErrorKind::Forbidden);
}

TEST_F(KeystoneAuthTest, RefusedServiceCredentialsOrNoKeystoneAreUnavailable) {
    keystone.add_project_token("t-member", "p-acme", roles({"member"}), keystone_time(1h));
    auto wrong = make(60s, "wrong-pw");
    EXPECT_EQ(error_kind(*wrong, with_token("t-member")), core::ErrorKind::Unavailable);
    auto nowhere = auth::make_keystone_auth(
        {"http://127.0.0.1:1", "svc", "svc-pw", "service", "Default", "Default", 60s, 2000ms});
    EXPECT_EQ(error_kind(*nowhere, with_token("t-member")), core::ErrorKind::Unavailable);
}
