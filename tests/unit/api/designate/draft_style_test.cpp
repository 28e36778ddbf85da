// The 2013 draft's resource shapes (draft_style.h).
#include "api/designate/draft_style.h"

#include <gtest/gtest.h>

#include <set>

#include "core/error.h"
#include "core/rdata.h"

namespace dnsplane::designate {
namespace {

namespace json = boost::json;

std::set<std::string> keys_of(const json::object& o) {
    std::set<std::string> keys;
    for (const auto& kv : o) keys.emplace(kv.key());
    return keys;
}

json::value J(std::string_view text) {
    return json::parse(text);
}

TEST(ApiStyle, ParsesBothNamesAndRejectsOthers) {
    EXPECT_EQ(parse_api_style("final"), ApiStyle::Final);
    EXPECT_EQ(parse_api_style("draft"), ApiStyle::Draft);
    for (const char* bad : {"", "Draft", "async", "2013"}) {
        try {
            parse_api_style(bad);
            ADD_FAILURE() << bad;
        } catch (const core::Error& e) {
            EXPECT_EQ(e.kind(), core::ErrorKind::Invalid);
        }
    }
}

TEST(DraftRecordDict, EveryDraftTypeUsesTheDraftsKeys) {
    struct Case {
        const char* type;
        const char* canonical;
        const char* dict;
    };
    const Case cases[] = {
        {"A", "10.1.2.3", R"({"address":"10.1.2.3"})"},
        {"AAAA", "2001:db8::1", R"({"address":"2001:db8::1"})"},
        {"CNAME", "www.example.org.", R"({"cname":"www.example.org."})"},
        {"MX", "10 mx.example.org.", R"({"preference":10,"exchange":"mx.example.org."})"},
        {"NS", "ns1.example.org.", R"({"nsdname":"ns1.example.org."})"},
        {"PTR", "host.example.org.", R"({"ptrdname":"host.example.org."})"},
        {"SOA", "ns1.example.org. joe.example.org. 1351800588 3500 600 86400 3600",
         R"({"mname":"ns1.example.org.","rname":"joe.example.org.","serial":1351800588,
             "refresh":3500,"retry":600,"expire":86400,"minimum":3600})"},
        {"TXT", "\"hello world\"", R"({"text":"hello world"})"},
        {"SPF", "\"v=spf1 -all\"", R"({"text":"v=spf1 -all"})"},
        {"SRV", "10 0 5269 xmpp1.example.org.",
         R"({"priority":10,"weight":0,"port":5269,"target":"xmpp1.example.org."})"},
        {"SSHFP", "1 1 0123456789abcdef0123456789abcdef01234567",
         R"({"algorithm":1,"type":1,"fingerprint":"0123456789abcdef0123456789abcdef01234567"})"},
    };
    for (const auto& c : cases) {
        json::object dict = draft::record_to_dict(c.type, c.canonical);
        EXPECT_EQ(json::value(dict), J(c.dict)) << c.type << ": " << json::serialize(dict);
    }
}

// The draft's SRV example has no port: dnsplane reads a missing port as 0.
TEST(DraftRecordDict, SrvWithoutPortMeansPortZero) {
    EXPECT_EQ(core::rdata_from_fields(
                  "SRV", {{"weight", "0"}, {"priority", "10"}, {"target", "xmpp1.example.org."}}),
              "10 0 0 xmpp1.example.org.");
}

TEST(DraftRecordDict, IntegersAreJsonNumbers) {
    json::object mx = draft::record_to_dict("MX", "10 mx.example.org.");
    EXPECT_TRUE(mx.at("preference").is_number());
    EXPECT_TRUE(mx.at("exchange").is_string());
}

TEST(DraftRecordDict, LongTxtIsOneJoinedText) {
    std::string a(255, 'a');
    std::string b(10, 'b');
    json::object dict = draft::record_to_dict("TXT", "\"" + a + "\" \"" + b + "\"");
    EXPECT_EQ(dict.at("text").as_string(), a + b);
}

core::Zone sample_zone() {
    core::Zone z;
    z.id = "a86dba58-0043-4cc6-a1bb-69d5e86f3ca3";
    z.pool_id = "7d62d10d-3a16-4828-85dd-7b3fdc0ba989";
    z.project_id = "4335d1f0-f793-11e2-b778-0800200c9a66";
    z.name = "example.org.";
    z.email = "joe@example.org.";
    z.ttl = 7200;
    z.serial = 1351800588;
    z.status = "PENDING";  // whatever is stored, the draft style says ACTIVE
    z.version = 1;
    z.created_at = "2026-01-02T03:04:05.000000";
    return z;
}

TEST(DraftZone, HasTheDraftsFieldsOnly) {
    json::object o = draft::zone_to_json(sample_zone(), "https://dns.provider.com");
    EXPECT_EQ(keys_of(o), (std::set<std::string>{"id", "pool_id", "project_id", "name", "email",
                                                 "ttl", "serial", "notes", "status", "version",
                                                 "created_at", "updated_at", "links"}));
    EXPECT_EQ(o["status"], "ACTIVE");
    EXPECT_EQ(o["ttl"].to_number<int>(), 7200);
    EXPECT_EQ(o["serial"].to_number<std::int64_t>(), 1351800588);
    EXPECT_EQ(o["version"].to_number<int>(), 1);
    EXPECT_EQ(o["email"], "joe@example.org.");
    EXPECT_TRUE(o["notes"].is_null());
    EXPECT_TRUE(o["updated_at"].is_null());
    EXPECT_EQ(o["links"], J(R"({"self":"https://dns.provider.com/v2/zones/)"
                            R"(a86dba58-0043-4cc6-a1bb-69d5e86f3ca3"})"));
}

TEST(DraftZone, DescriptionIsNotes) {
    core::Zone z = sample_zone();
    z.description = "managed by ops";
    z.updated_at = "2026-01-03T00:00:00.000000";
    json::object o = draft::zone_to_json(z, "http://h");
    EXPECT_EQ(o["notes"], "managed by ops");
    EXPECT_FALSE(o.contains("description"));
    EXPECT_EQ(o["updated_at"], "2026-01-03T00:00:00.000000");
}

core::RecordSet sample_srv() {
    core::RecordSet rs;
    rs.id = "dedf6879-fd9a-41d6-a7c2-eeac316fa7b3";
    rs.zone_id = "a86dba58-0043-4cc6-a1bb-69d5e86f3ca3";
    rs.zone_name = "example.org.";
    rs.name = "_xmpp-server._tcp.example.org.";
    rs.type = "SRV";
    rs.ttl = 3600;
    rs.records = {{"r1", "10 0 0 xmpp1.example.org."}, {"r2", "20 0 0 xmpp2.example.org."}};
    rs.version = 2;
    rs.created_at = "2026-01-02T03:04:05.000000";
    return rs;
}

TEST(DraftRecordSet, HasTheDraftsFieldsAndDictRecords) {
    json::object o = draft::recordset_to_json(sample_srv(), "http://h");
    EXPECT_EQ(keys_of(o),
              (std::set<std::string>{"id", "zone_id", "name", "type", "ttl", "records", "notes",
                                     "status", "version", "created_at", "updated_at", "links"}));
    EXPECT_EQ(o["records"], J(R"([{"priority":10,"weight":0,"port":0,"target":"xmpp1.example.org."},
                                  {"priority":20,"weight":0,"port":0,"target":"xmpp2.example.org."}])"));
    EXPECT_EQ(o["status"], "ACTIVE");
    EXPECT_EQ(o["version"].to_number<int>(), 2);
    EXPECT_EQ(o["links"].at("self"),
              "http://h/v2/zones/a86dba58-0043-4cc6-a1bb-69d5e86f3ca3/recordsets/"
              "dedf6879-fd9a-41d6-a7c2-eeac316fa7b3");
}

TEST(DraftRecordSet, CollectionsLeaveRecordsOutAndUnsetTtlIsNull) {
    core::RecordSet rs = sample_srv();
    rs.ttl.reset();
    json::object o = draft::recordset_to_json(rs, "http://h", /*with_records=*/false);
    EXPECT_FALSE(o.contains("records"));
    EXPECT_TRUE(o["ttl"].is_null());
}

TEST(DraftPool, HasTheDraftsFields) {
    core::Pool p;
    p.id = "794ccc2c-d751-44fe-b57f-8894c9f5c842";
    p.name = "default";
    p.description = "Default pool";
    p.ns_records = {{"ns2.example.net.", 2}, {"ns1.example.net.", 1}};
    p.created_at = "2026-01-01T00:00:00.000000";
    json::object o = draft::pool_to_json(p, "http://h");
    EXPECT_EQ(keys_of(o), (std::set<std::string>{"id", "project_id", "name", "flavor_id", "public",
                                                 "nameservers", "notes", "status", "version",
                                                 "created_at", "updated_at", "links"}));
    EXPECT_TRUE(o["project_id"].is_null());
    EXPECT_TRUE(o["flavor_id"].is_null());
    EXPECT_EQ(o["public"], true);
    EXPECT_EQ(o["nameservers"], J(R"(["ns1.example.net.","ns2.example.net."])"));
    EXPECT_EQ(o["notes"], "Default pool");
    EXPECT_EQ(o["status"], "ACTIVE");
    EXPECT_EQ(o["version"].to_number<int>(), 1);
    EXPECT_EQ(o["links"].at("self"), "http://h/v2/pools/794ccc2c-d751-44fe-b57f-8894c9f5c842");

    p.project_id = "4335d1f0-f793-11e2-b778-0800200c9a66";
    EXPECT_EQ(draft::pool_to_json(p, "http://h")["public"], false);
}

}  // namespace
}  // namespace dnsplane::designate
