// The pure parts of the webhook: JSON decoding/encoding of endpoints and
// changes, target <-> rdata mapping, adjustendpoints rules, and the
// reconciliation of a plan into one ZoneEdit.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/webhook/endpoint.h"
#include "api/webhook/mapping.h"
#include "api/webhook/webhook_api.h"
#include "core/error.h"
#include "core/rdata.h"
#include "core/rdata_syntax.h"

namespace dnsplane::webhook {
namespace {

namespace json = boost::json;
using service::EditOpKind;
using service::PrerequisiteKind;
using V = std::vector<std::string>;

core::Zone zone(std::string id, std::string name, std::uint32_t ttl = 3600) {
    core::Zone z;
    z.id = std::move(id);
    z.name = std::move(name);
    z.ttl = ttl;
    return z;
}

core::RecordSet set(std::string zone_id, std::string name, std::string type, V data,
                    std::string meta = {}, std::int64_t version = 3) {
    core::RecordSet rs;
    rs.id = "rs-" + name + type;
    rs.zone_id = std::move(zone_id);
    rs.name = std::move(name);
    rs.type = std::move(type);
    for (auto& d : data) rs.records.push_back({"r-" + d, d});
    rs.provider_meta = std::move(meta);
    rs.version = version;
    return rs;
}

Endpoint ep(std::string name, std::string type, V targets, std::string set_id = {},
            std::int64_t ttl = 0) {
    Endpoint e;
    e.dns_name = std::move(name);
    e.record_type = std::move(type);
    e.targets = std::move(targets);
    e.set_identifier = std::move(set_id);
    e.record_ttl = ttl;
    return e;
}

const std::vector<core::Zone> kZones = {zone("z1", "example.com."),
                                        zone("z2", "sub.example.com.", 300)};

TEST(WebhookJson, ChangesAcceptBothSpellingsAndNull) {
    auto c = changes_from_json(json::parse(
        R"({"Create":[{"dnsName":"a.example.com","recordType":"A","targets":["192.0.2.1"]}],
            "UpdateOld":[{"DNSNAME":"b.example.com","recordType":"A"}],
            "updateNew":[{"dnsName":"b.example.com","RecordType":"A"}],
            "Delete":null,"unknown":1})"));
    ASSERT_EQ(c.create.size(), 1u);
    EXPECT_EQ(c.create[0].targets, V{"192.0.2.1"});
    ASSERT_EQ(c.update_old.size(), 1u);
    EXPECT_EQ(c.update_old[0].dns_name, "b.example.com");
    ASSERT_EQ(c.update_new.size(), 1u);
    EXPECT_EQ(c.update_new[0].record_type, "A");
    EXPECT_TRUE(c.del.empty());
    EXPECT_TRUE(changes_from_json(json::value(nullptr)).empty());
}

TEST(WebhookJson, WrongShapesAreBadRequest) {
    for (const char* text : {R"([])", R"({"create":{}})", R"({"create":[{"targets":"x"}]})",
                             R"({"create":[{"recordTTL":"60"}]})", R"({"create":[1]})"}) {
        try {
            changes_from_json(json::parse(text));
            ADD_FAILURE() << text;
        } catch (const core::Error& e) {
            EXPECT_EQ(e.kind(), core::ErrorKind::BadRequest) << text;
        }
    }
}

TEST(WebhookJson, EndpointRoundTripOmitsEmptyFieldsAndEscapesLikeGo) {
    Endpoint e = ep("a.example.com", "TXT", {"\"heritage=external-dns,<x>&\""}, "v1", 60);
    e.labels["owner"] = "default";
    e.provider_specific.push_back({"webhook/foo", ""});
    std::string text = endpoints_json({e});
    EXPECT_NE(text.find("\\u003cx\\u003e\\u0026"), std::string::npos) << text;
    EXPECT_NE(text.find(R"({"name":"webhook/foo"})"), std::string::npos) << text;
    auto back = endpoints_from_json(json::parse(text));
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0], e);
    EXPECT_EQ(endpoints_json({ep("x.example.com", "A", {})}),
              R"([{"dnsName":"x.example.com","recordType":"A"}])");
}

TEST(WebhookMapping, TargetsMapToRdataAndBack) {
    EXPECT_EQ(normalise_target("CNAME", "Target.Example.com"), "target.example.com");
    EXPECT_EQ(normalise_target("CNAME", "target.example.com."), "target.example.com");
    EXPECT_EQ(normalise_target("MX", "10 Mail.example.com"), "10 mail.example.com");
    EXPECT_EQ(normalise_target("AAAA", "2001:DB8:0:0::1"), "2001:db8::1");
    EXPECT_EQ(normalise_target("SRV", "0 5 5060 sip.example.com"), "0 5 5060 sip.example.com.");
    EXPECT_THROW(normalise_target("A", "not-an-ip"), core::Error);
}

TEST(WebhookMapping, TxtRoundTripsByteForByteAndSplitsAt255) {
    const std::string registry =
        "\"heritage=external-dns,external-dns/owner=default,external-dns/resource=service/ns/x\"";
    EXPECT_EQ(normalise_target("TXT", registry), registry);
    std::string longer(600, 'a');
    longer[300] = '"';
    longer[10] = '\\';
    longer[20] = ';';
    std::string rdata = target_to_rdata("TXT", longer);
    // Three character-strings on the wire: 255 + 255 + 90.
    EXPECT_EQ(core::detail::parse_text_strings(rdata).size(), 3u);
    EXPECT_EQ(rdata_to_target("TXT", core::canonical_rdata("TXT", rdata)), longer);
    EXPECT_EQ(normalise_target("TXT", ""), "");
}

TEST(WebhookMapping, MetaRoundTripsAndUnknownValuesGoToTheEmptyIdentity) {
    Identity a{"v1", {"192.0.2.1"}, {{"owner", "x"}}, {{"alias", "false"}}};
    Identity b{"v2", {"192.0.2.2", "192.0.2.9"}, {}, {}};
    auto meta = encode_meta({a, b});
    auto rs = set("z1", "www.example.com.", "A", {"192.0.2.1", "192.0.2.2", "192.0.2.3"}, meta);
    auto ids = identities_of(rs);
    ASSERT_EQ(ids.size(), 3u);
    EXPECT_EQ(ids[0].set_identifier, "v1");
    EXPECT_EQ(ids[0].labels.at("owner"), "x");
    EXPECT_EQ(ids[0].provider_specific[0].value, "false");
    EXPECT_EQ(ids[1].targets, V{"192.0.2.2"});  // 192.0.2.9 is gone from the set
    EXPECT_EQ(ids[2].set_identifier, "");
    EXPECT_EQ(ids[2].targets, V{"192.0.2.3"});
    EXPECT_EQ(encode_meta({Identity{"", {"x"}, {}, {}}}), "");
    EXPECT_TRUE(decode_meta("not json").empty());
}

TEST(WebhookMapping, SetEndpointsUseZoneTtlAndSkipManagedSets) {
    auto rs = set("z1", "www.example.com.", "CNAME", {"t.example.com."});
    auto eps = set_endpoints(rs, 3600);
    ASSERT_EQ(eps.size(), 1u);
    EXPECT_EQ(eps[0].dns_name, "www.example.com");
    EXPECT_EQ(eps[0].targets, V{"t.example.com"});
    EXPECT_EQ(eps[0].record_ttl, 3600);
    rs.ttl = 60;
    EXPECT_EQ(set_endpoints(rs, 3600)[0].record_ttl, 60);
    rs.managed = true;
    EXPECT_TRUE(set_endpoints(rs, 3600).empty());
    EXPECT_TRUE(set_endpoints(set("z1", "example.com.", "SOA", {"x"}), 3600).empty());
}

TEST(WebhookMapping, AdjustKeepsKeysNormalisesTtlAndTargetsDropsUnsupported) {
    auto eps = adjust_endpoints(
        {ep("App.sub.example.com", "A", {"192.0.2.1", "192.0.2.1"}, "s1"),
         ep("x.example.com", "CNAME", {"T.example.com."}, "", 120),
         ep("y.example.com", "SSHFP", {"1 1 abcd"}), ep("z.other.org", "A", {"bad"})},
        kZones);
    ASSERT_EQ(eps.size(), 3u);
    EXPECT_EQ(eps[0].dns_name, "App.sub.example.com");  // never rewritten
    EXPECT_EQ(eps[0].set_identifier, "s1");
    EXPECT_EQ(eps[0].record_ttl, 300);  // longest zone: sub.example.com
    EXPECT_EQ(eps[0].targets, V{"192.0.2.1"});
    EXPECT_EQ(eps[1].record_ttl, 120);
    EXPECT_EQ(eps[1].targets, V{"t.example.com"});
    EXPECT_EQ(eps[2].record_ttl, 0);  // no zone: left as sent
    EXPECT_EQ(eps[2].targets, V{"bad"});
}

TEST(WebhookMapping, DomainFilterFromZonesOrConfig) {
    EXPECT_EQ(domain_filter_json({}, kZones), R"({"include":["example.com","sub.example.com"]})");
    EXPECT_EQ(domain_filter_json({"foo.bar.com"}, kZones), R"({"include":["foo.bar.com"]})");
    EXPECT_EQ(domain_filter_json({}, {}), "{}");
}

TEST(WebhookPlan, CreateInLongestZoneWithSetAbsentGuard) {
    Changes c;
    auto e = ep("www.sub.example.com", "A", {"192.0.2.1"}, "", 60);
    e.labels["owner"] = "o1";
    c.create = {e};
    auto names = touched_names(c, kZones);
    ASSERT_EQ(names.size(), 1u);
    EXPECT_EQ(names[0], (std::pair<std::string, std::string>{"z2", "www.sub.example.com."}));
    auto edit = plan_edit(c, kZones, {});
    ASSERT_EQ(edit.operations.size(), 1u);
    const auto& op = edit.operations[0];
    EXPECT_EQ(op.kind, EditOpKind::ReplaceSet);
    EXPECT_EQ(op.target.zone_id, "z2");
    EXPECT_EQ(op.target.name, "www.sub.example.com.");
    EXPECT_EQ(*op.records, V{"192.0.2.1"});
    EXPECT_EQ(**op.ttl, 60);
    auto ids = decode_meta(*op.provider_meta);
    ASSERT_EQ(ids.size(), 1u);
    EXPECT_EQ(ids[0].labels.at("owner"), "o1");
    ASSERT_EQ(edit.prerequisites.size(), 1u);
    EXPECT_EQ(edit.prerequisites[0].kind, PrerequisiteKind::SetAbsent);
}

TEST(WebhookPlan, UpdateAndDeleteKeepOtherIdentitiesAndGuardTheVersion) {
    auto meta =
        encode_meta({Identity{"v1", {"192.0.2.1"}, {}, {}}, Identity{"v2", {"192.0.2.2"}, {}, {}}});
    std::vector<core::RecordSet> current = {
        set("z1", "www.example.com.", "A", {"192.0.2.1", "192.0.2.2"}, meta, 7),
        set("z1", "old.example.com.", "TXT", {"\"x\""}, "", 2)};
    Changes c;
    c.update_old = {ep("www.example.com", "A", {"192.0.2.1"}, "v1")};
    c.update_new = {ep("www.example.com", "A", {"192.0.2.5"}, "v1")};
    c.del = {ep("old.example.com", "TXT", {"x"})};
    auto edit = plan_edit(c, kZones, current);
    ASSERT_EQ(edit.operations.size(), 2u);
    // Deletes are planned first.
    EXPECT_EQ(edit.operations[0].kind, EditOpKind::DeleteSet);
    EXPECT_EQ(edit.operations[0].target.name, "old.example.com.");
    EXPECT_EQ(edit.prerequisites[0].kind, PrerequisiteKind::SetVersion);
    EXPECT_EQ(edit.prerequisites[0].version, 2);
    EXPECT_EQ(edit.operations[1].kind, EditOpKind::ReplaceSet);
    // v1 was removed (updateOld) and added again (updateNew): it comes last.
    EXPECT_EQ(*edit.operations[1].records, (V{"192.0.2.2", "192.0.2.5"}));
    EXPECT_EQ(edit.prerequisites[1].version, 7);
    EXPECT_FALSE(*edit.operations[1].ttl);  // TTL 0: the zone's
}

TEST(WebhookPlan, NameInNoZoneAndBadTargetsArePlanErrors) {
    Changes c;
    c.create = {ep("www.other.org", "A", {"192.0.2.1"})};
    try {
        touched_names(c, kZones);
        ADD_FAILURE();
    } catch (const PlanError& e) {
        EXPECT_EQ(e.type(), "no_zone");
    }
    c.create = {ep("www.example.com", "A", {"not-an-ip"})};
    EXPECT_THROW(plan_edit(c, kZones, {}), PlanError);
    c.create = {ep("www.example.com", "WEIRD", {"x"})};
    EXPECT_THROW(touched_names(c, kZones), PlanError);
}

TEST(WebhookPlan, DeletingWhatIsAbsentPlansNothing) {
    Changes c;
    c.del = {ep("gone.example.com", "A", {"192.0.2.1"})};
    EXPECT_TRUE(plan_edit(c, kZones, {}).operations.empty());
}

TEST(WebhookAuth, BasicAuthMatchesExactly) {
    // "user:pa:ss" base64
    EXPECT_TRUE(basic_auth_matches("Basic dXNlcjpwYTpzcw==", "user:pa:ss"));
    EXPECT_TRUE(basic_auth_matches("basic dXNlcjpwYTpzcw", "user:pa:ss"));
    EXPECT_FALSE(basic_auth_matches("Basic dXNlcjpwYTpzcw==", "user:pa:sx"));
    EXPECT_FALSE(basic_auth_matches("Bearer dXNlcjpwYTpzcw==", "user:pa:ss"));
    EXPECT_FALSE(basic_auth_matches("Basic !!!", "user:pa:ss"));
}

}  // namespace
}  // namespace dnsplane::webhook

namespace dnsplane::webhook {
namespace {

TEST(WebhookPlan, ZonesToCreateAreParentsOfUncoveredNames) {
    Changes c;
    c.create = {ep("app.new.org", "A", {"192.0.2.1"}), ep("a-app.new.org", "TXT", {"x"}),
                ep("www.example.com", "A", {"192.0.2.1"}), ep("other.net", "A", {"192.0.2.1"}),
                ep("deep.x.new.org", "A", {"192.0.2.1"})};
    EXPECT_EQ(zones_to_create(c, kZones), (V{"new.org.", "other.net."}));
}

}  // namespace
}  // namespace dnsplane::webhook

namespace dnsplane::webhook {
namespace {

TEST(WebhookMapping, PlainSetJsonEqualsTheEndpointJson) {
    for (auto rs :
         {set("z1", "www.example.com.", "CNAME", {"t.example.com."}),
          set("z1", "x.example.com.", "TXT", {"\"a<b\" \"c\""}),
          set("z1", "m.example.com.", "MX", {"10 mx.example.com.", "20 b.example.com."})}) {
        for (std::optional<std::uint32_t> ttl :
             {std::optional<std::uint32_t>{}, std::optional<std::uint32_t>{60}}) {
            rs.ttl = ttl;
            std::string plain;
            append_plain_set_json(plain, rs, 3600);
            auto eps = set_endpoints(rs, 3600);
            ASSERT_EQ(eps.size(), 1u);
            std::string full;
            append_endpoint_json(full, eps[0]);
            EXPECT_EQ(plain, full);
            // The streaming read's view writes the same bytes (GET /records).
            std::vector<std::string> data;
            for (const auto& r : rs.records) data.push_back(r.data);
            store::RecordSetView v{rs.id,      rs.name,          rs.type, rs.ttl,
                                   rs.managed, rs.provider_meta, data};
            std::string streamed;
            append_plain_set_json(streamed, v, 3600);
            EXPECT_EQ(streamed, full);
            auto back = recordset_of(v);
            EXPECT_EQ(back.name, rs.name);
            EXPECT_EQ(back.ttl, rs.ttl);
            EXPECT_EQ(set_endpoints(back, 3600), eps);
        }
    }
}

TEST(WebhookMapping, JsonStringsEscapeAsGoDoes) {
    std::string out;
    append_json_string(out, "plain text, then \"q\" \\ <a>&\n\x01\x7f \xe2\x80\xa8 \xe2\x82\xac end");
    EXPECT_EQ(out,
              "\"plain text, then \\\"q\\\" \\\\ \\u003ca\\u003e\\u0026\\n\\u0001\\u007f "
              "\\u2028 \xe2\x82\xac end\"");
}

}  // namespace
}  // namespace dnsplane::webhook
