// JSON Patch request bodies -> partial update bodies (json_patch_body.h).
#include "api/designate/json_patch_body.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "request_builder.h"

namespace dnsplane::designate {
namespace {

namespace json = boost::json;
using testing::make_request;

json::value J(std::string_view text) {
    return json::parse(text);
}

http::Request patch_request(const std::string& body,
                            const std::string& content_type = "application/json-patch+json") {
    return make_request("PATCH", "/v2/zones/x", body, {{"Content-Type", content_type}});
}

core::Error capture_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const core::Error& e) {
        return e;
    }
    ADD_FAILURE() << "expected a core::Error";
    return core::Error(core::ErrorKind::Internal, "none", "none");
}

// A zone as the draft style shows it.
const json::object& draft_zone() {
    static const json::object zone =
        J(R"({"id":"a86dba58-0043-4cc6-a1bb-69d5e86f3ca3","name":"example.org.",
              "email":"joe@example.org.","ttl":7200,"serial":1351800588,"notes":null,
              "status":"ACTIVE","version":1,"created_at":"2026-01-02T03:04:05.000000",
              "updated_at":null,"links":{"self":"http://h/v2/zones/a86dba58"}})")
            .as_object();
    return zone;
}

const json::object& draft_recordset() {
    static const json::object rs =
        J(R"({"id":"9e27811d-0320-4179-abb7-0e00e371e25b","name":"www.example.org.","type":"A",
              "ttl":3600,"records":[{"address":"10.1.2.3"},{"address":"10.3.2.1"}],
              "notes":null,"status":"ACTIVE","version":1})")
            .as_object();
    return rs;
}

json::object zone_changes(std::string_view patch) {
    auto ops = read_json_patch(patch_request(std::string(patch)), zone_patch_target());
    return patched_members(draft_zone(), zone_patch_target(), ops);
}

json::object recordset_changes(std::string_view patch, const json::object& rs = draft_recordset()) {
    auto ops = read_json_patch(patch_request(std::string(patch)), recordset_patch_target());
    return patched_members(rs, recordset_patch_target(), ops);
}

TEST(DraftJsonPatchBody, RecognisesTheMediaTypeOnly) {
    EXPECT_TRUE(is_json_patch_request(patch_request("[]")));
    EXPECT_TRUE(is_json_patch_request(patch_request("[]", "Application/JSON-Patch+JSON; q=1")));
    EXPECT_FALSE(is_json_patch_request(patch_request("{}", "application/json")));
    EXPECT_FALSE(is_json_patch_request(make_request("PATCH", "/v2/zones/x")));
}

TEST(DraftJsonPatchBody, TheDraftsZoneExampleIsATtlUpdate) {
    EXPECT_EQ(zone_changes(R"([{"op":"test","path":"/zone/version","value":1},
                               {"op":"replace","path":"/zone/ttl","value":3600}])"),
              J(R"({"ttl":3600})"));
}

TEST(DraftJsonPatchBody, TheDraftsRecordSetExampleAppendsARecord) {
    EXPECT_EQ(recordset_changes(R"([{"op":"test","path":"/recordset/version","value":1},
                                    {"op":"add","path":"/recordset/records/-",
                                     "value":{"address":"127.0.0.1"}}])"),
              J(R"({"records":[{"address":"10.1.2.3"},{"address":"10.3.2.1"},
                               {"address":"127.0.0.1"}]})"));
}

TEST(DraftJsonPatchBody, OnlyChangedMembersAreReported) {
    EXPECT_TRUE(zone_changes(R"([{"op":"test","path":"/zone/version","value":1}])").empty());
    EXPECT_TRUE(zone_changes(R"([{"op":"replace","path":"/zone/ttl","value":7200}])").empty());
    EXPECT_TRUE(zone_changes("[]").empty());
    // add then remove of the same member: no net change
    EXPECT_TRUE(zone_changes(R"([{"op":"add","path":"/zone/description","value":"x"},
                                 {"op":"remove","path":"/zone/description"}])")
                    .empty());
}

TEST(DraftJsonPatchBody, EveryOperationCanChangeAWritableMember) {
    EXPECT_EQ(zone_changes(R"([{"op":"add","path":"/zone/notes","value":"hello"}])"),
              J(R"({"notes":"hello"})"));
    EXPECT_EQ(zone_changes(R"([{"op":"remove","path":"/zone/ttl"}])"), J(R"({"ttl":null})"));
    EXPECT_EQ(zone_changes(R"([{"op":"copy","from":"/zone/serial","path":"/zone/ttl"}])"),
              J(R"({"ttl":1351800588})"));  // the service rejects it, not this layer
    EXPECT_EQ(zone_changes(R"([{"op":"move","from":"/zone/email","path":"/zone/notes"}])"),
              J(R"({"email":null,"notes":"joe@example.org."})"));
    EXPECT_EQ(recordset_changes(R"([{"op":"remove","path":"/recordset/records/0"}])"),
              J(R"({"records":[{"address":"10.3.2.1"}]})"));
    EXPECT_EQ(recordset_changes(
                  R"([{"op":"replace","path":"/recordset/records/1/address","value":"10.9.9.9"}])"),
              J(R"({"records":[{"address":"10.1.2.3"},{"address":"10.9.9.9"}]})"));
    EXPECT_EQ(recordset_changes(R"([{"op":"replace","path":"/recordset/ttl","value":null}])"),
              J(R"({"ttl":null})"));
}

TEST(DraftJsonPatchBody, FinalStyleStringRecordsMixWithDicts) {
    json::object rs = draft_recordset();
    rs["records"] = J(R"(["10.1.2.3"])");
    EXPECT_EQ(recordset_changes(R"([{"op":"add","path":"/recordset/records/-","value":"10.0.0.2"},
                                    {"op":"add","path":"/recordset/records/0",
                                     "value":{"address":"10.0.0.1"}}])",
                                rs),
              J(R"({"records":[{"address":"10.0.0.1"},"10.1.2.3","10.0.0.2"]})"));
}

TEST(DraftJsonPatchBody, AFailedTestIsAConflict) {
    auto e = capture_error([] {
        zone_changes(R"([{"op":"replace","path":"/zone/ttl","value":60},
                         {"op":"test","path":"/zone/version","value":2}])");
    });
    EXPECT_EQ(e.kind(), core::ErrorKind::Conflict);
    EXPECT_EQ(e.type(), "patch_test_failed");
    EXPECT_NE(std::string(e.what()).find("/zone/version"), std::string::npos) << e.what();
}

TEST(DraftJsonPatchBody, ReadOnlyAndUnknownPathsAreInvalid) {
    struct Case {
        const char* patch;
        const char* validator;
        std::vector<std::string> path;
    };
    const Case cases[] = {
        {R"([{"op":"replace","path":"/zone/id","value":"x"}])", "readOnly", {"0", "path"}},
        {R"([{"op":"replace","path":"/zone/name","value":"x."}])", "readOnly", {"0", "path"}},
        {R"([{"op":"replace","path":"/zone/serial","value":5}])", "readOnly", {"0", "path"}},
        {R"([{"op":"replace","path":"/zone/version","value":5}])", "readOnly", {"0", "path"}},
        {R"([{"op":"remove","path":"/zone/created_at"}])", "readOnly", {"0", "path"}},
        {R"([{"op":"test","path":"/zone/ttl","value":7200},
             {"op":"add","path":"/zone/type","value":"SECONDARY"}])",
         "readOnly",
         {"1", "path"}},
        {R"([{"op":"move","from":"/zone/id","path":"/zone/notes"}])", "readOnly", {"0", "from"}},
        {R"([{"op":"replace","path":"/zone","value":{}}])", "readOnly", {"0", "path"}},
        {R"([{"op":"replace","path":"","value":{}}])", "additionalProperties", {"0", "path"}},
        {R"([{"op":"add","path":"/zone/color","value":"red"}])",
         "additionalProperties",
         {"0", "path"}},
        {R"([{"op":"add","path":"/recordset/ttl","value":1}])",
         "additionalProperties",
         {"0", "path"}},
    };
    for (const auto& c : cases) {
        auto e = capture_error([&] { zone_changes(c.patch); });
        EXPECT_EQ(e.kind(), core::ErrorKind::Invalid) << c.patch;
        EXPECT_EQ(e.type(), "invalid_object") << c.patch;
        ASSERT_EQ(e.fields().size(), 1u) << c.patch;
        EXPECT_EQ(e.fields()[0].validator, c.validator) << c.patch;
        EXPECT_EQ(e.fields()[0].path, c.path) << c.patch;
    }
}

TEST(DraftJsonPatchBody, EscapedPointersNameTheUnescapedMember) {
    auto e =
        capture_error([] { zone_changes(R"([{"op":"add","path":"/zone/t~1t~0l","value":1}])"); });
    EXPECT_NE(std::string(e.what()).find("'t/t~l'"), std::string::npos) << e.what();
}

TEST(DraftJsonPatchBody, MalformedPatchesAreInvalidObjects) {
    for (const char* patch : {R"({"op":"add"})", R"([{"op":"merge","path":"/zone/ttl"}])",
                              R"([{"op":"replace","path":"/zone/ttl"}])",
                              R"([{"op":"add","path":"zone/ttl","value":1}])"}) {
        auto e = capture_error([&] { zone_changes(patch); });
        EXPECT_EQ(e.kind(), core::ErrorKind::Invalid) << patch;
        EXPECT_EQ(e.type(), "invalid_object") << patch;
    }
    auto e = capture_error([] { zone_changes("[{"); });
    EXPECT_EQ(e.kind(), core::ErrorKind::BadRequest);
    EXPECT_EQ(e.type(), "bad_request");
}

TEST(DraftJsonPatchBody, MissingTargetsAreInvalidObjects) {
    for (const char* patch : {R"([{"op":"test","path":"/zone/nothing","value":1}])",
                              R"([{"op":"remove","path":"/zone/notes/x"}])",
                              R"([{"op":"test","path":"/recordset/version","value":1}])"}) {
        auto e = capture_error([&] { zone_changes(patch); });
        EXPECT_EQ(e.kind(), core::ErrorKind::Invalid) << patch;
        ASSERT_EQ(e.fields().size(), 1u);
        EXPECT_EQ(e.fields()[0].path, (std::vector<std::string>{"0", "path"}));
    }
    auto e = capture_error(
        [] { recordset_changes(R"([{"op":"remove","path":"/recordset/records/5"}])"); });
    EXPECT_EQ(e.kind(), core::ErrorKind::Invalid);
}

}  // namespace
}  // namespace dnsplane::designate
