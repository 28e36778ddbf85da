// API surfaces side by side: two surfaces mounted by prefix on one listener
// (different error bodies; one public, one authenticated) and a third on a
// listener of its own, all in one process.
#include "http/surface.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <thread>

#include "http/error_mapping.h"
#include "http/server.h"
#include "test_client.h"

using namespace dnsplane;
namespace json = boost::json;

namespace {

http::Response text(std::string body) {
    http::Response res;
    res.body = std::move(body);
    res.content_type = "text/plain";
    return res;
}

// "public": everything open, errors as {"code", "type"}.
std::unique_ptr<http::Surface> public_surface() {
    auto s = std::make_unique<http::Surface>();
    s->name = "public";
    s->router.add("GET", "/", [](http::Request& r) { return text("public root"); });
    s->router.add("GET", "/items/{id}", [](http::Request& r) {
        return text("public item " + r.param("id") + " at " + std::string(r.route_path()));
    });
    s->router.set_error_renderer([](const core::Error& e, const http::Request&) {
        http::Response res;
        res.status = http::status_for(e.kind());
        res.body = json::serialize(json::object{{"code", res.status}, {"type", e.type()}});
        return res;
    });
    return s;
}

// "hooks": needs X-Key: secret except for GET /health; errors as
// {"error": {"status", "reason"}}.
std::unique_ptr<http::Surface> hooks_surface() {
    auto s = std::make_unique<http::Surface>();
    s->name = "hooks";
    s->router.add("GET", "/health", [](http::Request&) { return text("ok"); });
    s->router.add("POST", "/events/{id}", [](http::Request& r) {
        return text("event " + r.param("id") + " by " + r.caller.project_id);
    });
    s->router.use([](http::Request& req) {
        if (req.method == "GET" && req.route_path() == "/health") return;
        if (req.header("x-key") != "secret")
            throw core::Error(core::ErrorKind::Unauthorized, "unauthorized", "Key required");
        req.caller.project_id = "hook-project";
    });
    s->router.set_error_renderer([](const core::Error& e, const http::Request&) {
        http::Response res;
        res.status = http::status_for(e.kind());
        res.body = json::serialize(
            json::object{{"error", json::object{{"status", res.status}, {"reason", e.what()}}}});
        return res;
    });
    return s;
}

// "admin": its own listener, errors as plain text.
std::unique_ptr<http::Surface> admin_surface() {
    auto s = std::make_unique<http::Surface>();
    s->name = "admin";
    s->router.add("GET", "/stats", [](http::Request&) { return text("stats"); });
    s->router.set_error_renderer([](const core::Error& e, const http::Request&) {
        http::Response res = text(std::string("admin error: ") + e.type());
        res.status = http::status_for(e.kind());
        return res;
    });
    return s;
}

class SurfacesSideBySide : public ::testing::Test {
  protected:
    void SetUp() override {
        http::ServerOptions main_opts, admin_opts;
        main_opts.listen = admin_opts.listen = "127.0.0.1:0";
        main_opts.name = "main";
        admin_opts.name = "admin";
        main = std::make_unique<http::Server>(
            io, main_opts,
            std::vector<http::Mount>{http::mount("/", *pub), http::mount("/hooks/v1", *hooks)});
        admin_server = std::make_unique<http::Server>(
            io, admin_opts, std::vector<http::Mount>{http::mount("/", *admin)});
        main->start();
        admin_server->start();
        thread = std::thread([this] { io.run(); });
    }
    void TearDown() override {
        main->stop();
        admin_server->stop();
        thread.join();
    }

    std::unique_ptr<http::Surface> pub = public_surface(), hooks = hooks_surface(),
                                   admin = admin_surface();
    boost::asio::io_context io;
    std::unique_ptr<http::Server> main, admin_server;
    std::thread thread;
};

std::string post(const std::string& target, const std::string& extra = "") {
    return "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n" + extra + "\r\n";
}

}  // namespace

TEST_F(SurfacesSideBySide, EachPrefixReachesItsOwnSurface) {
    test::Client c(main->port());
    EXPECT_EQ(c.request(test::get("/")).body(), "public root");
    EXPECT_EQ(c.request(test::get("/items/7")).body(), "public item 7 at /items/7");
    EXPECT_EQ(c.request(test::get("/hooks/v1/health")).body(), "ok");
    auto res = c.request(post("/hooks/v1/events/e1", "X-Key: secret\r\n"));
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_EQ(res.body(), "event e1 by hook-project");
    // A prefix matches whole segments only: /hooks/v10 belongs to the root surface.
    auto other = c.request(test::get("/hooks/v10/health"));
    EXPECT_EQ(other.result_int(), 404u);
    EXPECT_EQ(json::parse(other.body()).at("type"), "not_found");
}

TEST_F(SurfacesSideBySide, EachSurfaceHasItsOwnAuthPolicy) {
    test::Client c(main->port());
    EXPECT_EQ(c.request(test::get("/items/1")).result_int(), 200u);  // public surface
    auto denied = c.request(post("/hooks/v1/events/e1"));
    EXPECT_EQ(denied.result_int(), 401u);
    EXPECT_EQ(json::serialize(json::parse(denied.body())),
              R"({"error":{"status":401,"reason":"Key required"}})");
    EXPECT_EQ(c.request(test::get("/hooks/v1/health")).result_int(), 200u);  // its public route
}

TEST_F(SurfacesSideBySide, EachSurfaceRendersItsOwnErrors) {
    test::Client c(main->port());
    auto root_404 = c.request(test::get("/nothing"));
    EXPECT_EQ(json::serialize(json::parse(root_404.body())), R"({"code":404,"type":"not_found"})");
    auto hooks_405 = c.request(test::get("/hooks/v1/events/e1", "X-Key: secret\r\n"));
    EXPECT_EQ(hooks_405.result_int(), 405u);
    EXPECT_EQ(hooks_405[boost::beast::http::field::allow], "POST");
    EXPECT_EQ(json::parse(hooks_405.body()).at("error").at("status"), 405);
    // Framing errors, found before routing, use the surface the path points to.
    test::Client bad(main->port());
    auto framing = bad.request("GET /hooks/v1/health HTTP/1.1\r\n\r\n");  // no Host
    EXPECT_EQ(framing.result_int(), 400u);
    EXPECT_EQ(json::parse(framing.body()).at("error").at("reason"), "Missing Host header field");
}

TEST_F(SurfacesSideBySide, ThirdSurfaceOnItsOwnListener) {
    ASSERT_NE(main->port(), admin_server->port());
    test::Client c(admin_server->port());
    EXPECT_EQ(c.request(test::get("/stats")).body(), "stats");
    auto missing = c.request(test::get("/items/1"));  // the public surface is not here
    EXPECT_EQ(missing.result_int(), 404u);
    EXPECT_EQ(missing.body(), "admin error: not_found");
    test::Client m(main->port());
    EXPECT_EQ(m.request(test::get("/stats")).result_int(), 404u);
}
