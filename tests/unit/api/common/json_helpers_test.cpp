// The JSON API helpers every surface shares (api/common).
#include <gtest/gtest.h>

#include "api/common/field_reader.h"
#include "api/common/json_body.h"
#include "api/common/responses.h"

using namespace dnsplane;
namespace json = boost::json;

namespace {
http::Request with_body(std::string body, std::string content_type = "") {
    http::Request r;
    r.body = std::move(body);
    if (!content_type.empty()) r.headers.emplace_back("content-type", content_type);
    return r;
}

core::ErrorKind kind_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const core::Error& e) {
        return e.kind();
    }
    ADD_FAILURE() << "no core::Error thrown";
    return core::ErrorKind::Internal;
}
}  // namespace

TEST(JsonBody, MediaTypeIsLowerCasedWithoutParameters) {
    EXPECT_EQ(api::media_type(" Application/JSON ; charset=utf-8"), "application/json");
    EXPECT_EQ(api::media_type(""), "");
}

TEST(JsonBody, ReadsObjectsAndRefusesEverythingElsePrecisely) {
    EXPECT_EQ(api::read_json_object(with_body(R"({"a":1})")).at("a"), 1);
    EXPECT_EQ(api::read_json_object(with_body("{}", "application/json; charset=utf-8")).size(), 0u);
    EXPECT_EQ(kind_of([] { api::read_json_object(with_body("{}", "text/plain")); }),
              core::ErrorKind::UnsupportedMedia);
    EXPECT_EQ(kind_of([] { api::read_json_object(with_body("  ")); }), core::ErrorKind::BadRequest);
    EXPECT_EQ(kind_of([] { api::read_json_object(with_body("{")); }), core::ErrorKind::BadRequest);
    EXPECT_EQ(kind_of([] { api::read_json_object(with_body("[1]")); }), core::ErrorKind::Invalid);
    std::string deep(api::kMaxJsonDepth + 1, '[');
    deep += std::string(api::kMaxJsonDepth + 1, ']');
    EXPECT_EQ(kind_of([&] { api::parse_json_body(with_body(deep)); }), core::ErrorKind::BadRequest);
}

TEST(FieldReader, CollectsEveryProblemIntoOneError) {
    json::object body =
        json::parse(R"({"name": 5, "ttl": "x", "id": "1", "extra": 1})").as_object();
    api::FieldReader r(body);
    r.check_members({"name", "ttl", "email"}, {"id"});
    r.require("email");
    EXPECT_FALSE(r.text("name", false));
    EXPECT_FALSE(r.integer("ttl", true));
    try {
        r.throw_if_failed();
        FAIL();
    } catch (const core::Error& e) {
        EXPECT_EQ(e.kind(), core::ErrorKind::Invalid);
        EXPECT_EQ(e.type(), "invalid_object");
        ASSERT_EQ(e.fields().size(), 5u);
        EXPECT_EQ(e.fields()[0].validator, "readOnly");  // id
        EXPECT_EQ(e.fields()[1].validator, "additionalProperties");
        EXPECT_EQ(e.fields()[2].validator, "required");
        EXPECT_EQ(e.fields()[3].message, "'name' must be a string, not an integer");
        EXPECT_EQ(e.fields()[4].message, "'ttl' must be an integer or null, not a string");
    }
}

TEST(Responses, EtagIfMatchAndIds) {
    http::Response res = api::json_response(201, json::object{{"a", 1}});
    EXPECT_EQ(res.status, 201u);
    EXPECT_EQ(res.body, R"({"a":1})");
    api::set_etag(res, 7);
    EXPECT_EQ(res.headers.back().second, "\"7\"");
    http::Request req;
    req.headers.emplace_back("if-match", "\"7\"");
    EXPECT_EQ(api::parse_if_match(req), 7);
    EXPECT_TRUE(api::is_uuid("0b4d1fd4-3c1a-4f4e-9a4e-8f1b7f3c2a10"));
    EXPECT_FALSE(api::is_uuid("example.org."));
}
