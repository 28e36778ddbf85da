// Record set routes through the router.
#include "api_fixture.h"

namespace dnsplane::designate::testing {
namespace {

namespace json = boost::json;

class RecordSetApiTest : public ApiTest {
  protected:
    void SetUp() override {
        ApiTest::SetUp();
        zone_id_ = id_of(create_zone("example.org."));
        base_ = "/v2/zones/" + zone_id_ + "/recordsets";
    }
    std::string zone_id_;
    std::string base_;
};

TEST_F(RecordSetApiTest, CreateAnswersPendingAndGetShowsActive) {
    auto r = call("POST", base_,
                  R"({"recordset":{"name":"www.example.org.","type":"A","ttl":300,
                      "records":["192.0.2.1","192.0.2.2"]}})");
    ASSERT_EQ(r.status, 202u) << r.raw.body;
    EXPECT_EQ(r.str("status"), "PENDING");
    EXPECT_EQ(r.str("action"), "CREATE");
    EXPECT_EQ(r.str("zone_id"), zone_id_);
    EXPECT_EQ(r.str("zone_name"), "example.org.");
    EXPECT_EQ(r.header("Location"), "http://dns.test:9001" + base_ + "/" + r.str("id"));
    EXPECT_EQ(r.header("ETag"), "\"1\"");

    auto got = call("GET", base_ + "/" + r.str("id"));
    ASSERT_EQ(got.status, 200u);
    EXPECT_EQ(got.str("status"), "ACTIVE");
    EXPECT_EQ(got.str("action"), "NONE");
    EXPECT_EQ(got.obj().at("records").as_array().size(), 2u);
}

TEST_F(RecordSetApiTest, DictRecordsAnsweredAsStrings) {
    auto r = create_recordset(zone_id_, R"({"name":"example.org.","type":"MX","records":[
        {"preference":10,"exchange":"Mail.Example.org."}], "notes":"mail"})");
    ASSERT_EQ(r.at("records").as_array().size(), 1u);
    EXPECT_EQ(r.at("records").as_array()[0], "10 mail.example.org.");
    EXPECT_EQ(r.at("description"), "mail");
}

TEST_F(RecordSetApiTest, UpdateRecordsTtlAndIfMatch) {
    auto rs = create_recordset(
        zone_id_, R"({"name":"www.example.org.","type":"A","ttl":300,"records":["192.0.2.1"]})");
    const std::string url = base_ + "/" + id_of(rs);
    auto r = call("PUT", url, R"({"records":["192.0.2.7"],"ttl":null})", {{"If-Match", "\"1\""}});
    ASSERT_EQ(r.status, 202u) << r.raw.body;
    EXPECT_EQ(r.str("action"), "UPDATE");
    EXPECT_EQ(r.str("status"), "PENDING");
    EXPECT_TRUE(r.obj().at("ttl").is_null());
    EXPECT_EQ(r.obj().at("records").as_array()[0], "192.0.2.7");
    EXPECT_EQ(r.header("ETag"), "\"2\"");

    EXPECT_EQ(call("PUT", url, R"({"ttl":60})", {{"If-Match", "\"1\""}}).status, 412u);
    auto dict = call("PUT", url, R"({"records":[{"address":"192.0.2.8"}]})");
    ASSERT_EQ(dict.status, 202u) << dict.raw.body;
    EXPECT_EQ(dict.obj().at("records").as_array()[0], "192.0.2.8");
    auto name = call("PUT", url, R"({"name":"x.example.org."})");
    EXPECT_EQ(name.status, 400u);
    EXPECT_EQ(name.str("type"), "invalid_object");
}

TEST_F(RecordSetApiTest, DeleteAnswersPending) {
    auto rs = create_recordset(zone_id_,
                               R"({"name":"www.example.org.","type":"A","records":["192.0.2.1"]})");
    const std::string url = base_ + "/" + id_of(rs);
    auto r = call("DELETE", url);
    ASSERT_EQ(r.status, 202u) << r.raw.body;
    EXPECT_EQ(r.str("action"), "DELETE");
    EXPECT_EQ(r.str("status"), "PENDING");
    auto gone = call("GET", url);
    EXPECT_EQ(gone.status, 404u);
    EXPECT_EQ(gone.str("type"), "recordset_not_found");
}

TEST_F(RecordSetApiTest, RedirectFromUnscopedUrl) {
    auto rs = create_recordset(zone_id_,
                               R"({"name":"www.example.org.","type":"A","records":["192.0.2.1"]})");
    auto r = call("GET", "/v2/recordsets/" + id_of(rs));
    EXPECT_EQ(r.status, 301u);
    EXPECT_EQ(r.header("Location"), "http://dns.test:9001" + base_ + "/" + id_of(rs));
    EXPECT_EQ(call("GET", "/v2/recordsets/not-an-id").status, 400u);
}

TEST_F(RecordSetApiTest, ListFiltersAndPagination) {
    for (int i = 0; i < 4; ++i)
        create_recordset(zone_id_, R"({"name":"h)" + std::to_string(i) +
                                       R"(.example.org.","type":"A","records":["192.0.2.)" +
                                       std::to_string(i + 1) + R"("]})");
    // SOA + NS + 4 A record sets
    auto all = call("GET", base_);
    ASSERT_EQ(all.status, 200u) << all.raw.body;
    EXPECT_EQ(all.obj().at("metadata").at("total_count").to_number<int>(), 6);

    auto a = call("GET", base_ + "?type=a&limit=3");
    ASSERT_EQ(a.status, 200u);
    EXPECT_EQ(a.obj().at("recordsets").as_array().size(), 3u);
    EXPECT_EQ(a.obj().at("metadata").at("total_count").to_number<int>(), 4);
    std::string next(a.obj().at("links").at("next").as_string());
    EXPECT_NE(next.find("type=a&limit=3&marker="), std::string::npos) << next;  // as sent
    auto rest = call("GET", next.substr(std::string("http://dns.test:9001").size()));
    ASSERT_EQ(rest.status, 200u);
    EXPECT_EQ(rest.obj().at("recordsets").as_array().size(), 1u);
    EXPECT_FALSE(rest.obj().at("links").as_object().contains("next"));

    auto named = call("GET", base_ + "?name=h2.example.org");
    ASSERT_EQ(named.obj().at("recordsets").as_array().size(), 1u);
    auto data = call("GET", base_ + "?data=192.0.2.4");
    ASSERT_EQ(data.obj().at("recordsets").as_array().size(), 1u);
    EXPECT_EQ(data.obj().at("recordsets").as_array()[0].at("name"), "h3.example.org.");
    EXPECT_EQ(call("GET", base_ + "?sort_key=serial").str("type"), "invalid_sort_key");
}

TEST_F(RecordSetApiTest, AllRecordSetsAcrossZones) {
    auto other = id_of(create_zone("example.net."));
    create_recordset(zone_id_, R"({"name":"a.example.org.","type":"A","records":["192.0.2.1"]})");
    create_recordset(other, R"({"name":"a.example.net.","type":"A","records":["192.0.2.1"]})");
    auto r = call("GET", "/v2/recordsets?type=A");
    ASSERT_EQ(r.status, 200u) << r.raw.body;
    EXPECT_EQ(r.obj().at("recordsets").as_array().size(), 2u);
    auto one = call("GET", "/v2/recordsets?type=A&zone_id=" + other);
    ASSERT_EQ(one.obj().at("recordsets").as_array().size(), 1u);
    EXPECT_EQ(one.obj().at("recordsets").as_array()[0].at("zone_id").as_string(), other);
}

TEST_F(RecordSetApiTest, ValidationErrors) {
    auto r = call("POST", base_, R"({"name":"www.example.org.","type":"A","records":"1.2.3.4"})");
    EXPECT_EQ(r.status, 400u);
    EXPECT_EQ(r.str("type"), "invalid_object");
    r = call("POST", base_, R"({"name":"www.example.org.","type":"A","records":["1.2.3"]})");
    EXPECT_EQ(r.status, 400u) << r.raw.body;
    EXPECT_EQ(r.str("type"), "invalid_object");
    r = call("POST", base_, R"({"name":"www.example.org.","type":"A","records":["192.0.2.1"],
                               "zone_id":"x"})");
    EXPECT_EQ(r.status, 400u);
    r = call("POST", "/v2/zones/nope/recordsets",
             R"({"name":"www.example.org.","type":"A","records":["192.0.2.1"]})");
    EXPECT_EQ(r.status, 400u);
    EXPECT_EQ(r.str("type"), "invalid_uuid");
}

}  // namespace
}  // namespace dnsplane::designate::testing
