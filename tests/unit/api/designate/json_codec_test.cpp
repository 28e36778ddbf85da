// Model -> JSON shapes and request body parsing.
#include <gtest/gtest.h>

#include "api/designate/json_codec.h"
#include "request_builder.h"

namespace dnsplane::designate {
namespace {

namespace json = boost::json;
using testing::make_request;

core::Error capture_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const core::Error& e) {
        return e;
    }
    ADD_FAILURE() << "expected a core::Error";
    return core::Error(core::ErrorKind::Internal, "none", "none");
}

core::Zone sample_zone() {
    core::Zone z;
    z.id = "11111111-1111-4111-8111-111111111111";
    z.pool_id = "22222222-2222-4222-8222-222222222222";
    z.project_id = "proj";
    z.name = "example.org.";
    z.email = "admin@example.org";
    z.ttl = 7200;
    z.serial = 1700000001;
    z.version = 3;
    z.created_at = "2026-01-02T03:04:05.000000";
    return z;
}

TEST(ZoneToJson, HasEveryDesignateFieldWithAbsoluteLinks) {
    json::object o = zone_to_json(sample_zone(), "http://h:1");
    for (const char* f : {"id", "pool_id", "project_id", "name", "email", "ttl", "serial", "status",
                          "action", "description", "masters", "type", "transferred_at", "version",
                          "created_at", "updated_at", "attributes", "shared", "links"})
        EXPECT_TRUE(o.contains(f)) << f;
    EXPECT_EQ(o["ttl"].to_number<std::int64_t>(), 7200);
    EXPECT_EQ(o["serial"].to_number<std::int64_t>(), 1700000001);
    EXPECT_EQ(o["version"].to_number<std::int64_t>(), 3);
    EXPECT_TRUE(o["description"].is_null());  // unset text is null, as in Designate
    EXPECT_TRUE(o["updated_at"].is_null());
    EXPECT_TRUE(o["masters"].as_array().empty());
    EXPECT_EQ(o["type"].as_string(), "PRIMARY");
    EXPECT_EQ(o["links"].at("self").as_string(),
              "http://h:1/v2/zones/11111111-1111-4111-8111-111111111111");
    EXPECT_EQ(o["links"].at("recordsets").as_string(),
              "http://h:1/v2/zones/11111111-1111-4111-8111-111111111111/recordsets");
}

TEST(ZoneToJson, NameIsTheSpellingTheZoneWasCreatedWith) {
    core::Zone z = sample_zone();
    EXPECT_EQ(zone_to_json(z, "http://h:1")["name"].as_string(), "example.org.");
    z.spelled_name = "Example.ORG.";
    EXPECT_EQ(zone_to_json(z, "http://h:1")["name"].as_string(), "Example.ORG.");
}

TEST(RecordSetToJson, RecordsAreStringsAndUnsetTtlIsNull) {
    core::RecordSet rs;
    rs.id = "33333333-3333-4333-8333-333333333333";
    rs.zone_id = "11111111-1111-4111-8111-111111111111";
    rs.zone_name = "example.org.";
    rs.name = "mx.example.org.";
    rs.type = "MX";
    rs.records = {{"r1", "10 mail.example.org."}, {"r2", "20 mail2.example.org."}};
    rs.description = "mail";
    rs.updated_at = "2026-01-03T00:00:00.000000";
    json::object o = recordset_to_json(rs, "http://h:1");
    ASSERT_EQ(o["records"].as_array().size(), 2u);
    EXPECT_EQ(o["records"].as_array()[0].as_string(), "10 mail.example.org.");
    EXPECT_TRUE(o["ttl"].is_null());
    EXPECT_EQ(o["description"].as_string(), "mail");
    EXPECT_EQ(o["updated_at"].as_string(), "2026-01-03T00:00:00.000000");
    EXPECT_EQ(o["zone_name"].as_string(), "example.org.");
    EXPECT_EQ(o["links"].at("self").as_string(),
              "http://h:1/v2/zones/11111111-1111-4111-8111-111111111111/recordsets/"
              "33333333-3333-4333-8333-333333333333");
    rs.ttl = 300;
    EXPECT_EQ(recordset_to_json(rs, "http://h:1")["ttl"].to_number<std::int64_t>(), 300);
}

TEST(PoolToJson, ListsNameServers) {
    core::Pool p;
    p.id = "44444444-4444-4444-8444-444444444444";
    p.name = "default";
    p.ns_records = {{"ns1.example.net.", 1}, {"ns2.example.net.", 2}};
    json::object o = pool_to_json(p, "http://h:1");
    EXPECT_TRUE(o["attributes"].as_object().empty());
    ASSERT_EQ(o["ns_records"].as_array().size(), 2u);
    EXPECT_EQ(o["ns_records"].as_array()[1].at("hostname").as_string(), "ns2.example.net.");
    EXPECT_EQ(o["ns_records"].as_array()[1].at("priority").to_number<std::int64_t>(), 2);
    EXPECT_EQ(o["links"].at("self").as_string(),
              "http://h:1/v2/pools/44444444-4444-4444-8444-444444444444");
}

TEST(ReadBody, UnwrapsWrappedAndAcceptsUnwrapped) {
    auto wrapped =
        read_body_object(make_request("POST", "/v2/zones", R"({"zone":{"name":"a."}})"), "zone");
    EXPECT_EQ(wrapped.at("name").as_string(), "a.");
    auto plain = read_body_object(make_request("POST", "/v2/zones", R"({"name":"b."})"), "zone");
    EXPECT_EQ(plain.at("name").as_string(), "b.");
}

TEST(ReadBody, ContentTypeRules) {
    auto charset = make_request("POST", "/v2/zones", R"({"name":"a."})",
                                {{"Content-Type", "Application/JSON; charset=utf-8"}});
    EXPECT_NO_THROW(read_body_object(charset, "zone"));
    auto form = make_request("POST", "/v2/zones", R"({"name":"a."})",
                             {{"Content-Type", "application/x-www-form-urlencoded"}});
    auto e = capture_error([&] { read_body_object(form, "zone"); });
    EXPECT_EQ(e.kind(), core::ErrorKind::UnsupportedMedia);
    EXPECT_EQ(e.type(), "unsupported_media_type");
}

TEST(ReadBody, MalformedJsonIsBadRequest) {
    auto e = capture_error(
        [] { read_body_object(make_request("POST", "/v2/zones", R"({"name": )"), "zone"); });
    EXPECT_EQ(e.kind(), core::ErrorKind::BadRequest);
    EXPECT_EQ(e.type(), "bad_request");
    EXPECT_EQ(std::string(e.what()).rfind("Malformed JSON body: ", 0), 0u) << e.what();
}

TEST(ReadBody, NonObjectIsInvalidObject) {
    auto e =
        capture_error([] { read_body_object(make_request("POST", "/v2/zones", "[1,2]"), "zone"); });
    EXPECT_EQ(e.kind(), core::ErrorKind::Invalid);
    EXPECT_EQ(e.type(), "invalid_object");
    ASSERT_EQ(e.fields().size(), 1u);
    EXPECT_EQ(e.fields()[0].validator, "type");
}

TEST(ParseZoneCreate, ReadsFieldsAndNotesAlias) {
    auto body = json::parse(R"({"name":"example.org.","email":"a@example.org","ttl":600,
                                "notes":"hello","type":"primary"})")
                    .as_object();
    auto in = parse_zone_create(body);
    EXPECT_EQ(in.name, "example.org.");
    EXPECT_EQ(in.email, "a@example.org");
    EXPECT_EQ(in.ttl, 600);
    EXPECT_EQ(in.description, "hello");
    EXPECT_EQ(in.type, "PRIMARY");
}

TEST(ParseZoneCreate, ReportsEveryBadField) {
    auto body = json::parse(R"({"email":5,"ttl":"3600","serial":1,"colour":"blue"})").as_object();
    auto e = capture_error([&] { parse_zone_create(body); });
    EXPECT_EQ(e.type(), "invalid_object");
    std::map<std::string, std::string> by_field;
    for (const auto& f : e.fields()) by_field[f.path.at(0)] = f.validator;
    EXPECT_EQ(by_field["name"], "required");
    EXPECT_EQ(by_field["email"], "type");
    EXPECT_EQ(by_field["ttl"], "type");
    EXPECT_EQ(by_field["serial"], "readOnly");
    EXPECT_EQ(by_field["colour"], "additionalProperties");
    EXPECT_NE(std::string(e.what()).find("'ttl' must be an integer or null, not a string"),
              std::string::npos)
        << e.what();
}

TEST(ParseZoneUpdate, NameIsReadOnlyAndNullTtlMeansDefault) {
    auto e =
        capture_error([] { parse_zone_update(json::parse(R"({"name":"x."})").as_object(), 3600); });
    ASSERT_EQ(e.fields().size(), 1u);
    EXPECT_EQ(e.fields()[0].path, std::vector<std::string>{"name"});
    auto in =
        parse_zone_update(json::parse(R"({"ttl":null,"description":null})").as_object(), 1234);
    EXPECT_EQ(in.ttl, 1234);
    EXPECT_EQ(in.description, "");
    EXPECT_FALSE(in.email);
    EXPECT_FALSE(in.masters);
}

TEST(ParseZoneUpdate, ReadsMastersForTheServiceToJudge) {
    auto in = parse_zone_update(
        json::parse(R"({"masters":["192.0.2.1","ns1.example.org:54"]})").as_object(), 3600);
    EXPECT_EQ(in.masters, (std::vector<std::string>{"192.0.2.1", "ns1.example.org:54"}));
    EXPECT_EQ(parse_zone_update(json::parse(R"({"masters":[]})").as_object(), 3600).masters,
              std::vector<std::string>{});
    for (const char* bad : {R"({"masters":"192.0.2.1"})", R"({"masters":["192.0.2.1",5]})"}) {
        auto e = capture_error([&] { parse_zone_update(json::parse(bad).as_object(), 3600); });
        EXPECT_EQ(e.type(), "invalid_object") << bad;
        ASSERT_FALSE(e.fields().empty()) << bad;
        EXPECT_EQ(e.fields()[0].path.front(), "masters") << bad;
    }
}

TEST(ParseRecordSetCreate, AcceptsStringAndDictRecords) {
    auto body = json::parse(R"({"name":"mx.example.org.","type":"mx","records":[
        "10 a.example.org.", {"preference": 20, "exchange": "b.example.org."}]})")
                    .as_object();
    auto in = parse_recordset_create(body);
    EXPECT_EQ(in.type, "MX");
    ASSERT_EQ(in.records.size(), 2u);
    EXPECT_EQ(in.records[0], "10 a.example.org.");
    EXPECT_EQ(in.records[1], "20 b.example.org.");
    EXPECT_FALSE(in.ttl);
}

TEST(ParseRecordSetCreate, RecordsMustBeAList) {
    auto e = capture_error([] {
        parse_recordset_create(
            json::parse(R"({"name":"a.example.org.","type":"A","records":"192.0.2.1"})")
                .as_object());
    });
    ASSERT_EQ(e.fields().size(), 1u);
    EXPECT_EQ(e.fields()[0].path, std::vector<std::string>{"records"});
    EXPECT_EQ(e.fields()[0].validator, "type");
}

TEST(ParseRecordSetCreate, BadRecordItemsHaveIndexedPaths) {
    auto e = capture_error([] {
        parse_recordset_create(
            json::parse(R"({"name":"a.example.org.","type":"A","records":["192.0.2.1", 7,
                           {"address": true}]})")
                .as_object());
    });
    ASSERT_EQ(e.fields().size(), 2u);
    EXPECT_EQ(e.fields()[0].path, (std::vector<std::string>{"records", "1"}));
    EXPECT_EQ(e.fields()[1].path, (std::vector<std::string>{"records", "2", "address"}));
}

TEST(ParseRecordSetCreate, DictWithUnknownKeyIsInvalid) {
    auto e = capture_error([] {
        parse_recordset_create(json::parse(R"({"name":"a.example.org.","type":"A",
                                                "records":[{"addr":"192.0.2.1"}]})")
                                   .as_object());
    });
    EXPECT_EQ(e.type(), "invalid_object");
    ASSERT_FALSE(e.fields().empty());
    EXPECT_EQ(e.fields()[0].path.at(0), "records");
    EXPECT_EQ(e.fields()[0].path.at(1), "0");
}

TEST(ParseRecordSetUpdate, TtlNullResetsAndTypeOnlyAskedForDicts) {
    int asked = 0;
    auto type_of = [&] {
        ++asked;
        return std::string("A");
    };
    auto in = parse_recordset_update(
        json::parse(R"({"ttl":null,"records":["192.0.2.9"]})").as_object(), type_of);
    ASSERT_TRUE(in.ttl.has_value());
    EXPECT_FALSE(in.ttl->has_value());
    EXPECT_EQ(asked, 0);
    in = parse_recordset_update(
        json::parse(R"({"records":[{"address":"192.0.2.10"}]})").as_object(), type_of);
    EXPECT_EQ(asked, 1);
    ASSERT_TRUE(in.records);
    EXPECT_EQ(in.records->at(0), "192.0.2.10");
    EXPECT_FALSE(in.ttl);
}

TEST(ParseRecordSetUpdate, NameAndTypeAreReadOnly) {
    auto e = capture_error([] {
        parse_recordset_update(
            json::parse(R"({"name":"b.example.org.","type":"AAAA"})").as_object(),
            [] { return std::string("A"); });
    });
    ASSERT_EQ(e.fields().size(), 2u);
    EXPECT_EQ(e.fields()[0].validator, "readOnly");
    EXPECT_EQ(e.fields()[1].validator, "readOnly");
}

}  // namespace
}  // namespace dnsplane::designate
