// Version discovery, zone and pool routes through the router.
#include "api_fixture.h"

namespace dnsplane::designate::testing {
namespace {

namespace json = boost::json;

TEST_F(ApiTest, VersionDocuments) {
    for (const char* path : {"/", "/v2", "/v2/"}) {
        auto r = call("GET", path);
        ASSERT_EQ(r.status, 200u) << path;
        auto& versions = r.obj().at("versions").as_array();
        ASSERT_EQ(versions.size(), 2u);
        EXPECT_EQ(versions[0].at("id").as_string(), "v2.1");
        EXPECT_EQ(versions[0].at("status").as_string(), "CURRENT");
        EXPECT_EQ(versions[0].at("links").as_array()[0].at("href").as_string(),
                  "http://dns.test:9001/v2");
        EXPECT_EQ(versions[1].at("status").as_string(), "SUPPORTED");
        EXPECT_EQ(r.header("Vary"), "Accept");
    }
}

TEST_F(ApiTest, CreateZoneAnswersPendingWithLocationAndEtag) {
    auto r = call("POST", "/v2/zones",
                  R"({"zone":{"name":"Example.org.","email":"admin@example.org","ttl":600}})");
    ASSERT_EQ(r.status, 202u) << r.raw.body;
    EXPECT_EQ(r.str("status"), "PENDING");
    EXPECT_EQ(r.str("action"), "CREATE");
    EXPECT_EQ(r.str("name"), "Example.org.");  // as given (RFC 4343 case preservation)
    EXPECT_EQ(r.obj().at("ttl").to_number<int>(), 600);
    EXPECT_EQ(r.header("Location"), "http://dns.test:9001/v2/zones/" + r.str("id"));
    EXPECT_EQ(r.header("ETag"), "\"1\"");
    EXPECT_EQ(r.header("Vary"), "Accept");

    auto got = call("GET", "/v2/zones/" + r.str("id"));
    ASSERT_EQ(got.status, 200u);
    EXPECT_EQ(got.str("status"), "ACTIVE");
    EXPECT_EQ(got.str("action"), "NONE");
    EXPECT_EQ(got.str("name"), "Example.org.");
    EXPECT_EQ(got.header("ETag"), "\"1\"");
}

TEST_F(ApiTest, ZoneIdThatIsNotAnIdIsInvalidUuid) {
    auto r = call("GET", "/v2/zones/example.org.");
    EXPECT_EQ(r.status, 400u);
    EXPECT_EQ(r.str("type"), "invalid_uuid");
    r = call("GET", "/v2/zones/6a5a6b4c-0000-4000-8000-000000000000");
    EXPECT_EQ(r.status, 404u);
    EXPECT_EQ(r.str("type"), "zone_not_found");
}

TEST_F(ApiTest, UpdateZoneAndIfMatch) {
    auto z = create_zone("example.org.");
    const std::string url = "/v2/zones/" + id_of(z);
    auto r = call("PATCH", url, R"({"ttl":900,"description":"d"})", {{"If-Match", "\"1\""}});
    ASSERT_EQ(r.status, 202u) << r.raw.body;
    EXPECT_EQ(r.str("status"), "PENDING");
    EXPECT_EQ(r.str("action"), "UPDATE");
    EXPECT_EQ(r.obj().at("ttl").to_number<int>(), 900);
    EXPECT_EQ(r.header("ETag"), "\"2\"");

    auto stale = call("PATCH", url, R"({"ttl":901})", {{"If-Match", "\"1\""}});
    EXPECT_EQ(stale.status, 412u) << stale.raw.body;
    auto malformed = call("PATCH", url, R"({"ttl":901})", {{"If-Match", "1"}});
    EXPECT_EQ(malformed.status, 400u);
    auto any = call("PATCH", url, R"({"ttl":902})", {{"If-Match", "*"}});
    EXPECT_EQ(any.status, 202u);

    auto name = call("PATCH", url, R"({"name":"other.org."})");
    EXPECT_EQ(name.status, 400u);
    EXPECT_EQ(name.str("type"), "invalid_object");
    EXPECT_EQ(name.obj().at("errors").at("errors").as_array()[0].at("path").as_array()[0], "name");
}

TEST_F(ApiTest, DeleteZone) {
    auto z = create_zone("example.org.");
    const std::string url = "/v2/zones/" + id_of(z);
    EXPECT_EQ(call("DELETE", url, "", {{"If-Match", "\"5\""}}).status, 412u);
    auto r = call("DELETE", url);
    ASSERT_EQ(r.status, 202u) << r.raw.body;
    EXPECT_EQ(r.str("status"), "PENDING");
    EXPECT_EQ(r.str("action"), "DELETE");
    EXPECT_EQ(call("GET", url).status, 404u);
}

TEST_F(ApiTest, WriteInputErrors) {
    auto malformed = call("POST", "/v2/zones", R"({"name": "x.org.",)");
    EXPECT_EQ(malformed.status, 400u);
    EXPECT_EQ(malformed.str("type"), "bad_request");
    auto media =
        call("POST", "/v2/zones", R"({"name":"x.org."})", {{"Content-Type", "text/plain"}});
    EXPECT_EQ(media.status, 415u);
    EXPECT_EQ(media.str("type"), "unsupported_media_type");
    auto type = call("POST", "/v2/zones", R"({"name":"x.org.","email":"a@x.org","ttl":"60"})");
    EXPECT_EQ(type.status, 400u);
    auto& e = type.obj().at("errors").at("errors").as_array()[0].as_object();
    EXPECT_EQ(e.at("path").as_array()[0], "ttl");
    EXPECT_EQ(e.at("validator"), "type");
    auto duplicate = call("POST", "/v2/zones", R"({"name":"dup.org.","email":"a@dup.org"})");
    EXPECT_EQ(duplicate.status, 202u);
    duplicate = call("POST", "/v2/zones", R"({"name":"dup.org.","email":"a@dup.org"})");
    EXPECT_EQ(duplicate.status, 409u);
    EXPECT_EQ(duplicate.str("type"), "duplicate_zone");
}

TEST_F(ApiTest, ListZonesPaginatesWithMarkers) {
    for (int i = 0; i < 5; ++i) create_zone("z" + std::to_string(i) + ".example.org.");
    std::vector<std::string> seen;
    std::string target = "/v2/zones?limit=2&sort_key=name";
    int pages = 0;
    while (!target.empty()) {
        auto r = call("GET", target);
        ASSERT_EQ(r.status, 200u) << r.raw.body;
        EXPECT_EQ(r.obj().at("metadata").at("total_count").to_number<int>(), 5);
        for (const auto& z : r.obj().at("zones").as_array())
            seen.emplace_back(z.at("name").as_string());
        ++pages;
        target.clear();
        if (auto* next = r.obj().at("links").as_object().if_contains("next")) {
            std::string url(next->as_string());
            target = url.substr(std::string("http://dns.test:9001").size());
            EXPECT_NE(target.find("limit=2"), std::string::npos);
            EXPECT_NE(target.find("sort_key=name"), std::string::npos);
        }
    }
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(seen,
              (std::vector<std::string>{"z0.example.org.", "z1.example.org.", "z2.example.org.",
                                        "z3.example.org.", "z4.example.org."}));
}

TEST_F(ApiTest, ListZonesPageStyleAndFilters) {
    for (int i = 0; i < 3; ++i) create_zone("p" + std::to_string(i) + ".example.org.");
    create_zone("other.test.");
    auto r = call("GET", "/v2/zones?per_page=2&page=2&sort_key=name");
    ASSERT_EQ(r.status, 200u) << r.raw.body;
    auto& zones = r.obj().at("zones").as_array();
    ASSERT_EQ(zones.size(), 2u);
    EXPECT_EQ(zones[0].at("name"), "p1.example.org.");
    EXPECT_TRUE(r.obj().at("links").as_object().contains("previous"));
    EXPECT_FALSE(r.obj().at("links").as_object().contains("next"));

    auto filtered = call("GET", "/v2/zones?name=OTHER.test");
    ASSERT_EQ(filtered.status, 200u);
    ASSERT_EQ(filtered.obj().at("zones").as_array().size(), 1u);
    EXPECT_EQ(filtered.obj().at("metadata").at("total_count").to_number<int>(), 1);
    auto wildcard = call("GET", "/v2/zones?name=p*");
    EXPECT_EQ(wildcard.obj().at("zones").as_array().size(), 3u);

    EXPECT_EQ(call("GET", "/v2/zones?limit=0").str("type"), "invalid_limit");
    EXPECT_EQ(call("GET", "/v2/zones?sort_dir=sideways").str("type"), "invalid_sort_dir");
    EXPECT_EQ(call("GET", "/v2/zones?marker=9e27811d-0320-4179-abb7-0e00e371e25b").str("type"),
              "invalid_marker");
}

TEST_F(ApiTest, ProjectsAreIsolated) {
    service::Caller alice;
    alice.project_id = "alice";
    alice.role = service::Role::Member;
    service::Caller bob = alice;
    bob.project_id = "bob";
    auto r = call("POST", "/v2/zones", R"({"name":"alice.org.","email":"a@alice.org"})", {}, alice);
    ASSERT_EQ(r.status, 202u);
    EXPECT_EQ(call("GET", "/v2/zones/" + r.str("id"), "", {}, bob).status, 404u);
    EXPECT_EQ(call("GET", "/v2/zones", "", {}, bob).obj().at("zones").as_array().size(), 0u);
    service::Caller reader = alice;
    reader.role = service::Role::Reader;
    EXPECT_EQ(call("PATCH", "/v2/zones/" + r.str("id"), R"({"ttl":60})", {}, reader).status, 403u);
}

TEST_F(ApiTest, Pools) {
    auto list = call("GET", "/v2/pools");
    ASSERT_EQ(list.status, 200u);
    auto& pools = list.obj().at("pools").as_array();
    ASSERT_EQ(pools.size(), 1u);
    EXPECT_EQ(pools[0].at("ns_records").as_array().size(), 2u);
    EXPECT_EQ(list.obj().at("metadata").at("total_count").to_number<int>(), 1);
    auto one = call("GET", "/v2/pools/794ccc2c-d751-44fe-b57f-8894c9f5c842");
    ASSERT_EQ(one.status, 200u);
    EXPECT_EQ(one.str("name"), "default");
    EXPECT_TRUE(one.header("ETag").has_value());
    // Issue 16 (designate-tempest-plugin): a pool id that is not a UUID is
    // 400 invalid_uuid, an unknown one 404 pool_not_found.
    auto bad = call("GET", "/v2/pools/nope");
    EXPECT_EQ(bad.status, 400u);
    EXPECT_EQ(bad.str("type"), "invalid_uuid");
    EXPECT_EQ(bad.str("message"), "Invalid UUID pool_id: nope");
    EXPECT_EQ(call("GET", "/v2/pools/11111111-2222-3333-4444-555555555555").str("type"),
              "pool_not_found");
}

TEST_F(ApiTest, UnknownRoutesAndMethods) {
    auto r = call("GET", "/v2/nothing");
    EXPECT_EQ(r.status, 404u);
    EXPECT_EQ(r.header("Vary"), "Accept");
    EXPECT_EQ(call("PUT", "/v2/zones").status, 405u);
}

}  // namespace
}  // namespace dnsplane::designate::testing
