#include "http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "http/error_mapping.h"

using namespace dnsplane;
using http::Request;
using http::Response;

namespace {

Request make(std::string method, std::string path) {
    Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.request_id = "req-test";
    return r;
}

Response text(std::string body) {
    Response r;
    r.body = std::move(body);
    return r;
}

std::string header(const Response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
        if (k == name) return v;
    return {};
}

class RouterTest : public ::testing::Test {
  protected:
    void SetUp() override {
        router.add("GET", "/", [](Request&) { return text("root"); });
        router.add("GET", "/v2/zones", [](Request&) { return text("list"); });
        router.add("POST", "/v2/zones", [](Request&) { return text("create"); });
        router.add("GET", "/v2/zones/{zone_id}",
                   [](Request& r) { return text("zone " + r.param("zone_id")); });
        router.add("DELETE", "/v2/zones/{zone_id}", [](Request&) { return text("deleted"); });
        router.add("GET", "/v2/zones/tasks", [](Request&) { return text("tasks"); });
        router.add("GET", "/v2/zones/{zone_id}/recordsets/{recordset_id}", [](Request& r) {
            return text(r.param("zone_id") + "/" + r.param("recordset_id"));
        });
    }
    http::Router router;
};

}  // namespace

TEST_F(RouterTest, MatchesLiteralAndParameterRoutes) {
    auto r = make("GET", "/v2/zones");
    EXPECT_EQ(router.handle(r).body, "list");
    r = make("POST", "/v2/zones");
    EXPECT_EQ(router.handle(r).body, "create");
    r = make("GET", "/v2/zones/abc");
    EXPECT_EQ(router.handle(r).body, "zone abc");
    r = make("GET", "/v2/zones/z1/recordsets/r2");
    EXPECT_EQ(router.handle(r).body, "z1/r2");
    EXPECT_EQ(r.params.at("zone_id"), "z1");
    EXPECT_EQ(r.params.at("recordset_id"), "r2");
}

TEST_F(RouterTest, LiteralSegmentBeatsParameter) {
    auto r = make("GET", "/v2/zones/tasks");
    EXPECT_EQ(router.handle(r).body, "tasks");
}

TEST_F(RouterTest, TrailingSlashIsIgnored) {
    auto r = make("GET", "/v2/zones/");
    EXPECT_EQ(router.handle(r).body, "list");
    r = make("GET", "/v2/zones/abc/");
    EXPECT_EQ(router.handle(r).body, "zone abc");
    r = make("GET", "/");
    EXPECT_EQ(router.handle(r).body, "root");
}

TEST_F(RouterTest, UnknownPathIs404) {
    auto r = make("GET", "/v2/nothing");
    auto res = router.handle(r);
    EXPECT_EQ(res.status, 404u);
    EXPECT_NE(res.body.find("\"not_found\""), std::string::npos);
    EXPECT_NE(res.body.find("req-test"), std::string::npos);
    // An empty segment does not match a parameter.
    r = make("GET", "/v2/zones//recordsets/x");
    EXPECT_EQ(router.handle(r).status, 404u);
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
    auto r = make("PUT", "/v2/zones");
    auto res = router.handle(r);
    EXPECT_EQ(res.status, 405u);
    EXPECT_EQ(header(res, "Allow"), "GET, POST");
    r = make("PATCH", "/v2/zones/abc");
    res = router.handle(r);
    EXPECT_EQ(res.status, 405u);
    EXPECT_EQ(header(res, "Allow"), "DELETE, GET");
}

TEST_F(RouterTest, DispatchThrowsTypedErrors) {
    auto r = make("GET", "/missing");
    try {
        router.dispatch(r);
        FAIL() << "expected an error";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.kind(), core::ErrorKind::NotFound);
        EXPECT_EQ(e.type(), "not_found");
    }
    r = make("PUT", "/v2/zones");
    try {
        router.dispatch(r);
        FAIL() << "expected an error";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.kind(), core::ErrorKind::MethodNotAllowed);
    }
}

TEST_F(RouterTest, MiddlewareRunsFirstAndMayReject) {
    std::vector<std::string> seen;
    router.use([&](Request& r) { seen.push_back("mw " + r.path); });
    router.use([](Request& r) {
        if (r.header("x-block"))
            throw core::Error(core::ErrorKind::Unauthorized, "unauthorized", "no");
    });
    auto r = make("GET", "/v2/zones");
    EXPECT_EQ(router.handle(r).status, 200u);
    EXPECT_EQ(seen, std::vector<std::string>{"mw /v2/zones"});
    r = make("GET", "/v2/zones");
    r.headers.emplace_back("x-block", "1");
    EXPECT_EQ(router.handle(r).status, 401u);
}

TEST_F(RouterTest, CustomRendererRendersEveryError) {
    router.set_error_renderer([](const core::Error& e, const Request& req) {
        Response res;
        res.status = http::status_for(e.kind());
        res.body = "custom " + e.type();
        return res;
    });
    auto r = make("GET", "/nope");
    auto res = router.handle(r);
    EXPECT_EQ(res.status, 404u);
    EXPECT_EQ(res.body, "custom not_found");
}

TEST_F(RouterTest, UnexpectedExceptionBecomesGeneric500) {
    router.add("GET", "/boom",
               [](Request&) -> Response { throw std::runtime_error("secret database detail"); });
    router.add("GET", "/typed", [](Request&) -> Response {
        throw core::Error(core::ErrorKind::Conflict, "duplicate_zone", "Duplicate Zone");
    });
    auto r = make("GET", "/boom");
    auto res = router.handle(r);
    EXPECT_EQ(res.status, 500u);
    EXPECT_EQ(res.body.find("secret"), std::string::npos);
    EXPECT_NE(res.body.find("\"internal\""), std::string::npos);
    r = make("GET", "/typed");
    res = router.handle(r);
    EXPECT_EQ(res.status, 409u);
    EXPECT_NE(res.body.find("duplicate_zone"), std::string::npos);
}

TEST_F(RouterTest, AllowedMethodsListsEveryMethodOfAPath) {
    EXPECT_EQ(router.allowed_methods("/v2/zones/x"), (std::vector<std::string>{"DELETE", "GET"}));
    EXPECT_TRUE(router.allowed_methods("/nothing").empty());
}

TEST_F(RouterTest, RoutesOnTheRawPathAndDecodesEachSegmentAfter) {
    auto r = make("GET", "/v2/zones/a%20b");
    EXPECT_EQ(router.handle(r).body, "zone a b");
    EXPECT_EQ(r.param("zone_id"), "a b");
    r = make("GET", "/v2/zone%73/tasks");  // a literal matches its decoded form
    EXPECT_EQ(router.handle(r).body, "tasks");
    r = make("GET", "/v2/zones/z1/recordsets/r1");
    EXPECT_EQ(router.handle(r).body, "z1/r1");
}

TEST_F(RouterTest, EncodedSlashOrNulInASegmentIsNotFound) {
    // Must not answer like /v2/zones/z1/recordsets/r1 nor like /v2/zones/{id}.
    for (const char* path : {"/v2/zones/z1%2Frecordsets%2Fr1", "/v2/zones/z1%2frecordsets/r1",
                             "/v2/zones/a%00b", "/v2%2Fzones"}) {
        auto r = make("GET", path);
        auto res = router.handle(r);
        EXPECT_EQ(res.status, 404u) << path;
        EXPECT_NE(res.body.find("not_found"), std::string::npos) << path;
        EXPECT_TRUE(r.params.empty()) << path;
    }
}

TEST_F(RouterTest, MalformedPercentEncodingIsBadRequest) {
    auto r = make("GET", "/v2/zones/a%zz");
    EXPECT_EQ(router.handle(r).status, 400u);
    r = make("GET", "/v2/zones/a%2");
    EXPECT_EQ(router.handle(r).status, 400u);
}

TEST_F(RouterTest, MatchesBelowTheMountPrefix) {
    auto r = make("GET", "/designate/v2/zones/z1");
    r.mount_length = std::string("/designate").size();
    EXPECT_EQ(r.route_path(), "/v2/zones/z1");
    EXPECT_EQ(router.handle(r).body, "zone z1");
    r = make("GET", "/designate");
    r.mount_length = r.path.size();
    EXPECT_EQ(r.route_path(), "/");
    EXPECT_EQ(router.handle(r).body, "root");
}
