// Error body rendering and the shared request helpers (If-Match, ids).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/designate/designate_api.h"
#include "api/designate/responses.h"
#include "request_builder.h"

namespace dnsplane::designate {
namespace {

namespace json = boost::json;
using testing::make_request;

std::optional<std::string> header_of(const http::Response& res, const std::string& name) {
    for (const auto& [k, v] : res.headers)
        if (k == name) return v;
    return std::nullopt;
}

TEST(RenderError, PlainBody) {
    auto req = make_request("GET", "/v2/zones/x");
    auto res = render_error(core::not_found("zone_not_found", "Could not find Zone"), req);
    EXPECT_EQ(res.status, 404u);
    auto body = json::parse(res.body).as_object();
    EXPECT_EQ(body.at("code").to_number<int>(), 404);
    EXPECT_EQ(body.at("type").as_string(), "zone_not_found");
    EXPECT_EQ(body.at("message").as_string(), "Could not find Zone");
    EXPECT_EQ(body.at("request_id").as_string(), req.request_id);
    EXPECT_FALSE(body.contains("errors"));
    EXPECT_EQ(header_of(res, "Vary"), "Accept");
}

TEST(RenderError, ValidationErrorsWithNumericIndexes) {
    core::Error e(core::ErrorKind::Invalid, "invalid_object", "bad record",
                  {{{"records", "0"}, "bad record", "format"}, {{"ttl"}, "bad ttl", "type"}});
    auto res = render_error(e, make_request("POST", "/v2/zones/x/recordsets"));
    EXPECT_EQ(res.status, 400u);
    auto body = json::parse(res.body).as_object();
    auto& list = body.at("errors").at("errors").as_array();
    ASSERT_EQ(list.size(), 2u);
    auto& path = list[0].at("path").as_array();
    EXPECT_EQ(path[0].as_string(), "records");
    EXPECT_TRUE(path[1].is_int64());
    EXPECT_EQ(path[1].as_int64(), 0);
    EXPECT_EQ(list[0].at("validator").as_string(), "format");
    EXPECT_EQ(list[1].at("message").as_string(), "bad ttl");
}

TEST(RenderError, StatusFollowsKind) {
    auto req = make_request("GET", "/");
    EXPECT_EQ(
        render_error(
            core::Error(core::ErrorKind::PreconditionFailed, "precondition_failed", "stale"), req)
            .status,
        412u);
    EXPECT_EQ(
        render_error(core::Error(core::ErrorKind::UnsupportedMedia, "unsupported_media_type", "x"),
                     req)
            .status,
        415u);
    EXPECT_EQ(
        render_error(core::Error(core::ErrorKind::Conflict, "duplicate_zone", "x"), req).status,
        409u);
}

TEST(IfMatch, Parsing) {
    EXPECT_FALSE(parse_if_match(make_request("PATCH", "/v2/zones/x")));
    EXPECT_FALSE(parse_if_match(make_request("PATCH", "/v2/zones/x", "", {{"If-Match", "*"}})));
    EXPECT_EQ(parse_if_match(make_request("PATCH", "/v2/zones/x", "", {{"If-Match", "\"7\""}})), 7);
    for (const char* bad : {"7", "W/\"7\"", "\"a\"", "\"1\", \"2\"", "\"\"", "\"-1\""}) {
        try {
            parse_if_match(make_request("PATCH", "/v2/zones/x", "", {{"If-Match", bad}}));
            ADD_FAILURE() << bad;
        } catch (const core::Error& e) {
            EXPECT_EQ(e.kind(), core::ErrorKind::BadRequest) << bad;
        }
    }
}

TEST(Ids, UuidShape) {
    EXPECT_TRUE(is_uuid("a86dba58-0043-4cc6-a1bb-69d5e86f3ca3"));
    EXPECT_FALSE(is_uuid("example.org."));
    EXPECT_FALSE(is_uuid("a86dba58-0043-4cc6-a1bb-69d5e86f3ca"));
    EXPECT_FALSE(is_uuid("a86dba58x0043-4cc6-a1bb-69d5e86f3ca3"));
    try {
        require_uuid("example.org.", "zone_not_found", "Could not find Zone");
        ADD_FAILURE();
    } catch (const core::Error& e) {
        EXPECT_EQ(e.kind(), core::ErrorKind::BadRequest);
        EXPECT_EQ(e.type(), "invalid_uuid");
    }
}

TEST(PublicRoutes, OnlyVersionDiscovery) {
    EXPECT_TRUE(is_public_route(make_request("GET", "/")));
    EXPECT_TRUE(is_public_route(make_request("GET", "/v2")));
    EXPECT_TRUE(is_public_route(make_request("GET", "/v2/")));
    EXPECT_TRUE(is_public_route(make_request("HEAD", "/")));
    EXPECT_FALSE(is_public_route(make_request("GET", "/v2/pools")));
    EXPECT_FALSE(is_public_route(make_request("DELETE", "/v2/")));
    EXPECT_FALSE(is_public_route(make_request("GET", "/v2/zones")));
    EXPECT_FALSE(is_public_route(make_request("POST", "/")));
}

}  // namespace
}  // namespace dnsplane::designate
