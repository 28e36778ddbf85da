// Issue 16: the pure rules of the admin resources (service/admin_rules.h).
#include <gtest/gtest.h>

#include "core/error.h"
#include "service/admin_rules.h"

namespace dnsplane::service {
namespace {

core::Tld tld(const std::string& name) {
    core::Tld t;
    t.name = name;
    return t;
}

core::Blacklist blacklist(const std::string& pattern) {
    core::Blacklist b;
    b.pattern = pattern;
    return b;
}

std::string error_type(const std::function<void()>& f) {
    try {
        f();
    } catch (const core::Error& e) {
        return e.type();
    }
    return "accepted";
}

TEST(TldName, AcceptsDesignateShapesLowerCased) {
    EXPECT_EQ(validate_tld_name("com"), "com");
    EXPECT_EQ(validate_tld_name("CO.UK"), "co.uk");
    EXPECT_EQ(validate_tld_name("test_create_tld-123.tldadmintest.test"),
              "test_create_tld-123.tldadmintest.test");
    EXPECT_EQ(validate_tld_name(std::string(63, 'a')), std::string(63, 'a'));
}

TEST(TldName, RefusesWhatTempestProbes) {
    for (std::string bad :
         std::vector<std::string>{"   ", "fff.", "^&$", "@p%", "", "-a", "a-", "a..b", ".a",
                                  std::string(64, 't'), std::string(1000, 't')})
        EXPECT_EQ(error_type([&] { validate_tld_name(bad); }), "invalid_object") << bad;
}

TEST(ZoneUnderTld, NoTldsMeansNoRule) {
    EXPECT_NO_THROW(check_zone_under_tld({}, "example.org."));
}

TEST(ZoneUnderTld, ZoneMustLieStrictlyBelowOne) {
    std::vector<core::Tld> tlds{tld("org"), tld("co.uk")};
    EXPECT_NO_THROW(check_zone_under_tld(tlds, "example.org."));
    EXPECT_NO_THROW(check_zone_under_tld(tlds, "a.b.example.co.uk."));
    EXPECT_EQ(error_type([&] { check_zone_under_tld(tlds, "example.com."); }), "invalid_zone_name");
    EXPECT_EQ(error_type([&] { check_zone_under_tld(tlds, "org."); }), "invalid_zone_name");
    EXPECT_EQ(error_type([&] { check_zone_under_tld(tlds, "co.uk."); }), "invalid_zone_name");
    // A label boundary: "uk" is not a TLD, "xco.uk." is not below "co.uk".
    EXPECT_EQ(error_type([&] { check_zone_under_tld(tlds, "xco.uk."); }), "invalid_zone_name");
}

TEST(Blacklist, PatternsMustCompile) {
    EXPECT_NO_THROW(validate_blacklist_pattern("^evil\\."));
    EXPECT_NO_THROW(validate_blacklist_pattern(".*\\.example\\.com\\.$"));
    for (std::string bad :
         std::vector<std::string>{"", "#(*&^%$%$#@$", "[abc", "(", std::string(256, 'a')})
        EXPECT_EQ(error_type([&] { validate_blacklist_pattern(bad); }), "invalid_object") << bad;
}

TEST(Blacklist, SearchesTheNameAdminsOverride) {
    std::vector<core::Blacklist> list{blacklist("^evil\\."), blacklist("badword")};
    EXPECT_EQ(error_type([&] { check_zone_not_blacklisted(list, "evil.org.", false); }),
              "invalid_zone_name");
    EXPECT_EQ(error_type([&] { check_zone_not_blacklisted(list, "a.badword.org.", false); }),
              "invalid_zone_name");
    EXPECT_NO_THROW(check_zone_not_blacklisted(list, "notevil.org.", false));
    EXPECT_NO_THROW(check_zone_not_blacklisted(list, "evil.org.", true));
}

TEST(Quotas, MapRoundTripAndOverrides) {
    Quotas q;
    auto m = quotas_to_map(q);
    EXPECT_EQ(m.size(), quota_resources().size());
    EXPECT_EQ(m.at("zones"), 1000);
    EXPECT_EQ(m.at("zone_recordsets"), 10000);
    EXPECT_EQ(m.at("recordset_records"), 1000);
    Quotas o = apply_quota_overrides(q, {{"zones", 3}, {"recordset_records", 0}});
    EXPECT_EQ(o.zones_per_project, 3u);
    EXPECT_EQ(o.records_per_recordset, 0u);
    EXPECT_EQ(o.recordsets_per_zone, 10000u);
}

TEST(Quotas, ValuesAreKnownAndInRange) {
    EXPECT_NO_THROW(validate_quota_values({{"zones", 0}, {"api_export_size", 2147483647}}));
    EXPECT_EQ(error_type([] { validate_quota_values({{"bogus", 1}}); }), "invalid_object");
    EXPECT_EQ(error_type([] { validate_quota_values({{"zones", -1}}); }), "invalid_object");
    EXPECT_EQ(error_type([] { validate_quota_values({{"zones", 2147483648}}); }), "invalid_object");
}

TEST(Pools, HostnamesAndPriorities) {
    core::Pool p;
    p.name = "p";
    p.ns_records = {{"NS1.Example.ORG.", 1}};
    validate_pool(p);
    EXPECT_EQ(p.ns_records[0].hostname, "ns1.example.org.");
    for (auto bad :
         {core::NameServer{"ns1_example_org_", 1}, core::NameServer{"ns1.example.org.", -1},
          core::NameServer{"ns1.example.org.", 0}, core::NameServer{"org.", 1}}) {
        core::Pool q;
        q.name = "q";
        q.ns_records = {bad};
        EXPECT_EQ(error_type([&] { validate_pool(q); }), "invalid_object") << bad.hostname;
    }
    core::Pool unnamed;
    EXPECT_EQ(error_type([&] { validate_pool(unnamed); }), "invalid_object");
}

}  // namespace
}  // namespace dnsplane::service
