// The draft style through the router (--designate-style draft), the draft's
// POST update and JSON-Patch PATCH in both styles, and style_responses.h.
#include "api/designate/style_responses.h"
#include "api_fixture.h"

namespace dnsplane::designate::testing {
namespace {

namespace json = boost::json;

const std::vector<std::pair<std::string, std::string>> kPatch = {
    {"Content-Type", "application/json-patch+json"}};

class DraftApiTest : public ApiTest {
  protected:
    DesignateOptions options() const override { return {"draft"}; }

    // POST /v2/zones in the draft's wrapped form; asserts 201.
    json::object create_draft_zone(const std::string& name) {
        auto r =
            call("POST", "/v2/zones",
                 R"({"zone":{"name":")" + name + R"(","email":"joe@)" + name + R"(","ttl":7200}})");
        EXPECT_EQ(r.status, 201u) << r.raw.body;
        return r.obj().at("zone").as_object();
    }

    json::object create_draft_recordset(const std::string& zone_id, const std::string& json) {
        auto r = call("POST", "/v2/zones/" + zone_id + "/recordsets", json);
        EXPECT_EQ(r.status, 201u) << r.raw.body;
        return r.obj().at("recordset").as_object();
    }
};

TEST_F(DraftApiTest, CreateIs201WithLocationAndAWrappedActiveZone) {
    auto r = call("POST", "/v2/zones",
                  R"({"zone":{"name":"example.org.","email":"joe@example.org.","ttl":7200}})");
    ASSERT_EQ(r.status, 201u) << r.raw.body;
    ASSERT_EQ(r.obj().size(), 1u);
    const auto& z = r.obj().at("zone").as_object();
    const std::string url = "http://dns.test:9001/v2/zones/" + id_of(z);
    EXPECT_EQ(r.header("Location"), url);
    EXPECT_EQ(r.header("Vary"), "Accept");
    EXPECT_EQ(r.header("ETag"), "\"1\"");
    EXPECT_EQ(z.at("status"), "ACTIVE");
    EXPECT_FALSE(z.contains("action"));
    EXPECT_EQ(z.at("email"), "joe@example.org.");  // the draft's trailing dot is kept
    EXPECT_EQ(z.at("ttl").to_number<int>(), 7200);
    EXPECT_EQ(z.at("links"), json::value(json::object{{"self", url}}));
}

TEST_F(DraftApiTest, GetAndListUseTheDraftsShapes) {
    auto z = create_draft_zone("example.org.");
    auto got = call("GET", "/v2/zones/" + id_of(z));
    EXPECT_EQ(got.status, 200u);
    EXPECT_EQ(got.body, json::value(json::object{{"zone", z}}));
    auto list = call("GET", "/v2/zones");
    EXPECT_EQ(list.status, 200u);
    ASSERT_EQ(list.obj().at("zones").as_array().size(), 1u);
    EXPECT_EQ(list.obj().at("zones").as_array()[0], json::value(z));
    EXPECT_EQ(list.obj().at("links").at("self"), "http://dns.test:9001/v2/zones");
}

TEST_F(DraftApiTest, UpdatesAre200AndDeleteIs204WithoutBody) {
    auto z = create_draft_zone("example.org.");
    const std::string url = "/v2/zones/" + id_of(z);
    auto post = call("POST", url, R"({"zone":{"ttl":3600}})");
    ASSERT_EQ(post.status, 200u) << post.raw.body;
    EXPECT_EQ(post.obj().at("zone").at("ttl").to_number<int>(), 3600);
    EXPECT_EQ(post.obj().at("zone").at("version").to_number<int>(), 2);
    EXPECT_EQ(post.header("Location"), std::nullopt);

    auto merge = call("PATCH", url, R"({"notes":"merged"})");
    ASSERT_EQ(merge.status, 200u) << merge.raw.body;
    EXPECT_EQ(merge.obj().at("zone").at("notes"), "merged");

    auto patch = call("PATCH", url,
                      R"([{"op":"test","path":"/zone/version","value":3},
                          {"op":"replace","path":"/zone/ttl","value":600}])",
                      kPatch);
    ASSERT_EQ(patch.status, 200u) << patch.raw.body;
    EXPECT_EQ(patch.obj().at("zone").at("ttl").to_number<int>(), 600);
    EXPECT_EQ(patch.obj().at("zone").at("version").to_number<int>(), 4);
    EXPECT_EQ(patch.obj().at("zone").at("serial").to_number<std::int64_t>(),
              z.at("serial").to_number<std::int64_t>() + 3);

    auto del = call("DELETE", url);
    EXPECT_EQ(del.status, 204u);
    EXPECT_TRUE(del.raw.body.empty());
    EXPECT_EQ(del.header("Vary"), "Accept");
    EXPECT_EQ(call("GET", url).status, 404u);
}

TEST_F(DraftApiTest, RecordSetsHaveDictRecordsExceptInCollections) {
    auto z = create_draft_zone("example.org.");
    auto srv = create_draft_recordset(
        id_of(z), R"({"recordset":{"name":"_xmpp-server._tcp.example.org.","type":"SRV",
                       "ttl":3600,"records":[{"weight":0,"priority":10,"target":"xmpp1.example.org."},
                                             {"weight":0,"priority":20,"target":"xmpp2.example.org."}]}})");
    EXPECT_EQ(srv.at("records"),
              json::parse(R"([{"priority":10,"weight":0,"port":0,"target":"xmpp1.example.org."},
                              {"priority":20,"weight":0,"port":0,"target":"xmpp2.example.org."}])"));
    EXPECT_EQ(srv.at("status"), "ACTIVE");

    auto list = call("GET", "/v2/zones/" + id_of(z) + "/recordsets");
    ASSERT_EQ(list.status, 200u);
    for (const auto& item : list.obj().at("recordsets").as_array())
        EXPECT_FALSE(item.as_object().contains("records")) << json::serialize(item);

    // Final-style input (unwrapped, string records, description) is read too.
    auto mx = create_draft_recordset(id_of(z), R"({"name":"example.org.","type":"MX",
        "records":["10 mx.example.org."],"description":"mail"})");
    EXPECT_EQ(mx.at("records"), json::parse(R"([{"preference":10,"exchange":"mx.example.org."}])"));
    EXPECT_EQ(mx.at("notes"), "mail");
}

TEST_F(DraftApiTest, RecordSetUpdatesByPostPutAndJsonPatch) {
    auto z = create_draft_zone("example.org.");
    auto a = create_draft_recordset(id_of(z), R"({"recordset":{"name":"www.example.org.",
        "type":"A","ttl":3600,"records":[{"address":"10.1.2.3"},{"address":"10.3.2.1"}]}})");
    const std::string url = "/v2/zones/" + id_of(z) + "/recordsets/" + id_of(a);

    auto patch = call("PATCH", url,
                      R"([{"op":"test","path":"/recordset/version","value":1},
                          {"op":"add","path":"/recordset/records/-","value":{"address":"127.0.0.1"}}])",
                      kPatch);
    ASSERT_EQ(patch.status, 200u) << patch.raw.body;
    const auto& rs = patch.obj().at("recordset").as_object();
    EXPECT_EQ(rs.at("records").as_array().size(), 3u);
    EXPECT_EQ(rs.at("records").as_array()[2], json::parse(R"({"address":"127.0.0.1"})"));
    EXPECT_EQ(rs.at("version").to_number<int>(), 2);

    auto post = call("POST", url, R"({"recordset":{"records":[{"address":"10.0.0.1"}]}})");
    ASSERT_EQ(post.status, 200u) << post.raw.body;
    EXPECT_EQ(post.obj().at("recordset").at("records"), json::parse(R"([{"address":"10.0.0.1"}])"));
    auto put = call("PUT", url, R"({"ttl":null})");
    ASSERT_EQ(put.status, 200u) << put.raw.body;
    EXPECT_TRUE(put.obj().at("recordset").at("ttl").is_null());

    EXPECT_EQ(call("DELETE", url).status, 204u);
}

TEST_F(DraftApiTest, PoolsHaveTheDraftsFields) {
    auto list = call("GET", "/v2/pools");
    ASSERT_EQ(list.status, 200u);
    const auto& pool = list.obj().at("pools").as_array()[0].as_object();
    EXPECT_EQ(pool.at("nameservers"), json::parse(R"(["ns1.example.net.","ns2.example.net."])"));
    EXPECT_EQ(pool.at("public"), true);
    EXPECT_EQ(pool.at("notes"), "Default pool");
    auto one = call("GET", "/v2/pools/" + id_of(pool));
    EXPECT_EQ(one.body, json::value(json::object{{"pool", pool}}));
}

TEST_F(DraftApiTest, ErrorsKeepTheDesignateBody) {
    auto z = create_draft_zone("example.org.");
    auto stale = call("PATCH", "/v2/zones/" + id_of(z),
                      R"([{"op":"test","path":"/zone/version","value":2}])", kPatch);
    EXPECT_EQ(stale.status, 409u);
    EXPECT_EQ(stale.str("type"), "patch_test_failed");
    EXPECT_EQ(stale.header("Vary"), "Accept");
}

// ---- final style: the new routes answer as Designate does -------------------

TEST_F(ApiTest, FinalStylePostUpdateAndJsonPatchAnswer202Pending) {
    auto z = create_zone("example.org.");
    const std::string url = "/v2/zones/" + id_of(z);
    auto post = call("POST", url, R"({"zone":{"ttl":3600}})");
    ASSERT_EQ(post.status, 202u) << post.raw.body;
    EXPECT_EQ(post.str("status"), "PENDING");
    EXPECT_EQ(post.str("action"), "UPDATE");
    auto patch = call("PATCH", url,
                      R"([{"op":"test","path":"/zone/version","value":2},
                          {"op":"replace","path":"/zone/description","value":"patched"}])",
                      kPatch);
    ASSERT_EQ(patch.status, 202u) << patch.raw.body;
    EXPECT_EQ(patch.str("description"), "patched");
    EXPECT_EQ(patch.obj().at("version").to_number<int>(), 3);
    EXPECT_EQ(patch.header("ETag"), "\"3\"");

    auto rs = create_recordset(id_of(z), R"({"name":"www.example.org.","type":"A",
                                            "records":["192.0.2.1"]})");
    const std::string rs_url = url + "/recordsets/" + id_of(rs);
    auto append =
        call("PATCH", rs_url, R"([{"op":"add","path":"/recordset/records/-","value":"192.0.2.2"}])",
             kPatch);
    ASSERT_EQ(append.status, 202u) << append.raw.body;
    EXPECT_EQ(append.obj().at("records").as_array().size(), 2u);
    EXPECT_EQ(call("POST", rs_url, R"({"ttl":60})").status, 202u);
    EXPECT_EQ(call("PATCH", rs_url, R"({"ttl":120})").status, 202u);
}

TEST_F(ApiTest, JsonPatchReadOnlyPathIs400AndChangesNothing) {
    auto z = create_zone("example.org.");
    auto r = call("PATCH", "/v2/zones/" + id_of(z),
                  R"([{"op":"replace","path":"/zone/ttl","value":60},
                      {"op":"replace","path":"/zone/serial","value":1}])",
                  kPatch);
    EXPECT_EQ(r.status, 400u);
    EXPECT_EQ(r.str("type"), "invalid_object");
    auto got = call("GET", "/v2/zones/" + id_of(z));
    EXPECT_EQ(got.obj().at("version").to_number<int>(), 1);
    EXPECT_EQ(got.obj().at("ttl").to_number<int>(), 3600);
}

// ---- style_responses.h ------------------------------------------------------

TEST(StyleResponses, WriteStatusesPerStyle) {
    json::object resource{{"id", "x"}, {"status", "ACTIVE"}};
    auto final_create =
        write_response(ApiStyle::Final, WriteKind::Create, "zone", resource, 1, "http://h/x");
    EXPECT_EQ(final_create.status, 202u);
    EXPECT_EQ(json::parse(final_create.body),
              json::parse(R"({"id":"x","status":"PENDING","action":"CREATE"})"));
    auto final_delete =
        write_response(ApiStyle::Final, WriteKind::Delete, "zone", resource, 2, "http://h/x");
    EXPECT_EQ(final_delete.status, 202u);
    EXPECT_EQ(json::parse(final_delete.body).at("action"), "DELETE");

    auto draft_create =
        write_response(ApiStyle::Draft, WriteKind::Create, "zone", resource, 1, "http://h/x");
    EXPECT_EQ(draft_create.status, 201u);
    EXPECT_EQ(json::parse(draft_create.body),
              json::parse(R"({"zone":{"id":"x","status":"ACTIVE"}})"));
    bool has_location = false;
    for (const auto& [k, v] : draft_create.headers)
        if (k == "Location") has_location = v == "http://h/x";
    EXPECT_TRUE(has_location);
    EXPECT_EQ(write_response(ApiStyle::Draft, WriteKind::Update, "zone", resource, 2, "").status,
              200u);
    auto draft_delete = write_response(ApiStyle::Draft, WriteKind::Delete, "zone", resource, 2, "");
    EXPECT_EQ(draft_delete.status, 204u);
    EXPECT_TRUE(draft_delete.body.empty());
    EXPECT_TRUE(draft_delete.content_type.empty());
}

}  // namespace
}  // namespace dnsplane::designate::testing
