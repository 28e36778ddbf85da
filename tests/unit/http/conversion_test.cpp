#include "http/beast_conversion.h"

#include <gtest/gtest.h>

#include "core/error.h"

using namespace dnsplane;
using namespace dnsplane::http;
namespace bhttp = boost::beast::http;

namespace {
BeastRequest beast_request(std::string target) {
    BeastRequest m{bhttp::verb::get, target, 11};
    m.set(bhttp::field::host, "api.example.net:9001");
    m.set("X-Auth-Project-ID", "p1");
    m.body() = "{}";
    return m;
}
}  // namespace

TEST(Conversion, FillsMethodHeadersIdAndBaseUrl) {
    auto req = from_beast(beast_request("/v2/zones?limit=2"), {false, "127.0.0.1:9001"});
    EXPECT_EQ(req.method, "GET");
    EXPECT_EQ(req.target, "/v2/zones?limit=2");
    EXPECT_EQ(req.header("X-AUTH-PROJECT-ID"), "p1");
    bool lowered = false;
    for (auto& [k, v] : req.headers) lowered |= k == "x-auth-project-id";
    EXPECT_TRUE(lowered);
    EXPECT_EQ(req.body, "{}");
    EXPECT_EQ(req.request_id.rfind("req-", 0), 0u);
    EXPECT_EQ(req.request_id.size(), 4u + 36u);
    EXPECT_EQ(req.base_url, "http://api.example.net:9001");
}

TEST(Conversion, DecodesPathAndQueryInOrder) {
    auto req =
        from_beast(beast_request("/v2/zones/a%20b?name=ex%2Aample.org.&b=1+2&name=x&flag"), {});
    decode_target(req);
    EXPECT_EQ(req.path, "/v2/zones/a%20b");  // decoded per segment by the router
    ASSERT_EQ(req.query.size(), 4u);
    EXPECT_EQ(req.query[0], (std::pair<std::string, std::string>{"name", "ex*ample.org."}));
    EXPECT_EQ(req.query[1].second, "1 2");
    EXPECT_EQ(req.query[2].second, "x");
    EXPECT_EQ(req.query[3].first, "flag");
    EXPECT_EQ(req.query_param("name"), "ex*ample.org.");
}

TEST(Conversion, MalformedTargetIsBadRequest) {
    auto req = from_beast(beast_request("http://absolute.example/x"), {});
    try {
        decode_target(req);
        FAIL();
    } catch (const core::Error& e) {
        EXPECT_EQ(e.kind(), core::ErrorKind::BadRequest);
    }
}

TEST(Conversion, ForwardedHeadersOnlyWhenTrusted) {
    auto m = beast_request("/");
    m.set("X-Forwarded-Proto", "https");
    m.set("X-Forwarded-Host", "dns.example.com, proxy.internal");
    auto copy = m;
    EXPECT_EQ(from_beast(std::move(m), {false, ""}).base_url, "http://api.example.net:9001");
    EXPECT_EQ(from_beast(std::move(copy), {true, ""}).base_url, "https://dns.example.com");
}

TEST(Conversion, MissingOrHostileHostFallsBackToLocalAddress) {
    BeastRequest m{bhttp::verb::get, "/", 10};
    EXPECT_EQ(from_beast(std::move(m), {false, "127.0.0.1:9001"}).base_url,
              "http://127.0.0.1:9001");
    BeastRequest h{bhttp::verb::get, "/", 11};
    h.set(bhttp::field::host, "evil\"><script>");
    EXPECT_EQ(from_beast(std::move(h), {false, "127.0.0.1:9001"}).base_url,
              "http://127.0.0.1:9001");
}

TEST(Conversion, ResponseGetsRequestIdContentTypeAndLength) {
    Response res;
    res.status = 202;
    res.body = R"({"a":1})";
    res.set_header("Location", "http://x/v2/zones/1");
    auto out = to_beast(std::move(res), "req-1", 11, true);
    EXPECT_EQ(out.result_int(), 202u);
    EXPECT_EQ(out["X-Openstack-Request-Id"], "req-1");
    EXPECT_EQ(out[bhttp::field::content_type], "application/json");
    EXPECT_EQ(out[bhttp::field::content_length], "7");
    EXPECT_EQ(out["Location"], "http://x/v2/zones/1");
    EXPECT_TRUE(out.keep_alive());
}

TEST(Conversion, NoContentHasNoContentType) {
    Response res;
    res.status = 204;
    auto out = to_beast(std::move(res), "req-1", 11, false);
    EXPECT_EQ(out.find(bhttp::field::content_type), out.end());
    EXPECT_EQ(out["X-Openstack-Request-Id"], "req-1");
    EXPECT_FALSE(out.keep_alive());
}
