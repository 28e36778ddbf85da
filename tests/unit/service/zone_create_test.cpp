// Zone creation: validation, placement (duplicate / illegal child / parent),
// quotas, and the managed SOA and NS record sets it creates.
#include <chrono>

#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

TEST_F(ServiceTest, CreateZoneStoresCanonicalZoneWithDefaults) {
    ZoneCreate in;
    in.name = "Example.ORG.";
    in.email = "Hostmaster@Example.ORG";
    in.description = "my zone";
    auto before = unix_now();
    auto z = svc().create_zone(owner_, in);
    auto after = unix_now();

    EXPECT_EQ(z.name, "example.org.");
    EXPECT_EQ(z.email, "Hostmaster@example.org");
    EXPECT_EQ(z.project_id, "project-a");
    EXPECT_EQ(z.pool_id, settings_.pool.id);
    EXPECT_EQ(z.ttl, 3600u);
    EXPECT_EQ(z.type, "PRIMARY");
    EXPECT_EQ(z.status, "ACTIVE");
    EXPECT_EQ(z.action, "NONE");
    EXPECT_EQ(z.version, 1);
    EXPECT_EQ(z.description, "my zone");
    EXPECT_EQ(z.id.size(), 36u);
    EXPECT_FALSE(z.created_at.empty());
    EXPECT_FALSE(z.updated_at.has_value());
    EXPECT_GE(static_cast<std::int64_t>(z.serial), before);
    EXPECT_LE(static_cast<std::int64_t>(z.serial), after);

    auto stored = stored_zone(z.id);
    EXPECT_EQ(stored.name, z.name);
    EXPECT_EQ(stored.serial, z.serial);
    EXPECT_EQ(svc().get_zone(owner_, z.id).email, "Hostmaster@example.org");
}

TEST_F(ServiceTest, CreateZoneUsesGivenTtlAndConfiguredDefault) {
    ZoneCreate in;
    in.name = "example.org.";
    in.email = "a@example.org";
    in.ttl = 600;
    EXPECT_EQ(svc().create_zone(owner_, in).ttl, 600u);

    settings_.default_zone_ttl = 7200;
    restart();
    EXPECT_EQ(make_zone("example.net.", owner_).ttl, 7200u);
}

TEST_F(ServiceTest, CreateZoneMakesManagedSoaAndApexNs) {
    auto z = make_zone("example.org.", owner_);

    auto soa = stored_set(z, "example.org.", "SOA");
    EXPECT_TRUE(soa.managed);
    EXPECT_FALSE(soa.ttl.has_value());
    EXPECT_EQ(soa.project_id, "project-a");
    EXPECT_EQ(soa.zone_name, "example.org.");
    ASSERT_EQ(soa.records.size(), 1u);
    EXPECT_EQ(soa.records[0].data, "ns1.example.net. hostmaster.example.org. " +
                                       std::to_string(z.serial) + " 3500 600 86400 3600");

    auto ns = stored_set(z, "example.org.", "NS");
    EXPECT_TRUE(ns.managed);
    EXPECT_EQ(values(ns), (std::vector<std::string>{"ns1.example.net.", "ns2.example.net."}));
    EXPECT_NE(ns.records[0].id, ns.records[1].id);
}

TEST_F(ServiceTest, SoaMnameIsTheLowestPriorityNameserver) {
    settings_.pool.ns_records = {{"NS-B.example.net", 2}, {"ns-a.example.net.", 1}};
    restart();
    auto z = make_zone("example.org.", owner_);
    EXPECT_EQ(stored_set(z, "example.org.", "SOA").records[0].data.substr(0, 17),
              "ns-a.example.net.");
    EXPECT_EQ(values(stored_set(z, "example.org.", "NS")),
              (std::vector<std::string>{"ns-b.example.net.", "ns-a.example.net."}));
}

TEST_F(ServiceTest, SoaRnameEscapesDotsOfTheLocalPart) {
    ZoneCreate in;
    in.name = "example.org.";
    in.email = "first.last@Mail.Example.COM";
    auto z = svc().create_zone(owner_, in);
    EXPECT_EQ(z.email, "first.last@mail.example.com");
    auto soa = stored_set(z, "example.org.", "SOA").records[0].data;
    EXPECT_NE(soa.find(" first\\.last.mail.example.com. "), std::string::npos) << soa;
}

TEST_F(ServiceTest, CreateZonePublishesZoneCreatedWithApexNs) {
    auto z = make_zone("example.org.", owner_);
    ASSERT_EQ(sink_.changes.size(), 1u);
    const auto& c = sink_.changes[0];
    EXPECT_TRUE(c.zone_created);
    EXPECT_FALSE(c.zone_deleted);
    EXPECT_EQ(c.zone_id, z.id);
    EXPECT_EQ(c.zone_name, "example.org.");
    EXPECT_EQ(c.new_serial, z.serial);
    EXPECT_TRUE(c.removed.empty());
    EXPECT_EQ(c.added, (std::vector<core::ResourceRecord>{
                           rr("example.org.", "NS", 3600, "ns1.example.net."),
                           rr("example.org.", "NS", 3600, "ns2.example.net.")}));
    auto log = change_log(z);
    ASSERT_EQ(log.size(), 1u);
    EXPECT_TRUE(log[0].zone_created);
    EXPECT_EQ(log[0].added, c.added);
}

TEST_F(ServiceTest, ZoneNameMustBeFullyQualified) {
    ZoneCreate in;
    in.name = "example.org";
    in.email = "a@example.org";
    auto e = rejected([&] { svc().create_zone(owner_, in); });
    EXPECT_EQ(e.kind(), core::ErrorKind::Invalid);
    EXPECT_EQ(e.type(), "invalid_object");
    EXPECT_NE(std::string(e.what()).find("fully qualified"), std::string::npos) << e.what();
    ASSERT_EQ(e.fields().size(), 1u);
    EXPECT_EQ(e.fields()[0].path, (std::vector<std::string>{"name"}));
}

TEST_F(ServiceTest, InvalidZoneNamesAreRejected) {
    for (std::string name : std::vector<std::string>{
             "org.", ".", "exa mple.org.", "-bad.example.org.", "a..example.org.", "*.example.org.",
             std::string(64, 'a') + ".example.org."}) {
        ZoneCreate in;
        in.name = name;
        in.email = "a@example.org";
        SCOPED_TRACE(name);
        EXPECT_REJECTED(svc().create_zone(owner_, in), Invalid, "invalid_object");
    }
}

TEST_F(ServiceTest, TldZonesNeedTheSetting) {
    settings_.allow_tld_zones = true;
    restart();
    EXPECT_EQ(make_zone("org.", owner_).name, "org.");
}

TEST_F(ServiceTest, InvalidEmailsAreRejected) {
    for (std::string email :
         std::vector<std::string>{"", "nobody", "a@", "@example.org", "a..b@example.org",
                                  ".a@example.org", "a b@example.org", "a@b@example.org",
                                  "a@exa mple.org", std::string(65, 'a') + "@example.org"}) {
        ZoneCreate in;
        in.name = "example.org.";
        in.email = email;
        SCOPED_TRACE(email);
        auto e = rejected([&] { svc().create_zone(owner_, in); });
        EXPECT_EQ(e.type(), "invalid_object");
        ASSERT_EQ(e.fields().size(), 1u);
        EXPECT_EQ(e.fields()[0].path, (std::vector<std::string>{"email"}));
    }
}

TEST_F(ServiceTest, ZoneTtlMustBeWithinBounds) {
    settings_.min_ttl = 300;
    settings_.max_ttl = 86400;
    restart();
    for (std::int64_t ttl : {-1L, 0L, 299L, 86401L, 2147483648L}) {
        ZoneCreate in;
        in.name = "example.org.";
        in.email = "a@example.org";
        in.ttl = ttl;
        SCOPED_TRACE(ttl);
        EXPECT_REJECTED(svc().create_zone(owner_, in), Invalid, "invalid_object");
    }
    ZoneCreate ok;
    ok.name = "example.org.";
    ok.email = "a@example.org";
    ok.ttl = 300;
    EXPECT_EQ(svc().create_zone(owner_, ok).ttl, 300u);
}

TEST_F(ServiceTest, SecondaryZonesNeedMastersAndTypesAreChecked) {
    ZoneCreate in;
    in.name = "example.org.";
    in.email = "a@example.org";
    in.type = "SECONDARY";  // without masters (secondary_zone_test.cpp has the rest)
    auto e = rejected([&] { svc().create_zone(owner_, in); });
    EXPECT_EQ(e.type(), "invalid_object");
    EXPECT_EQ(std::string(e.what()), "A SECONDARY zone needs at least one master");
    in.type = "WEIRD";
    EXPECT_REJECTED(svc().create_zone(owner_, in), Invalid, "invalid_object");
}

TEST_F(ServiceTest, LongDescriptionIsRejected) {
    ZoneCreate in;
    in.name = "example.org.";
    in.email = "a@example.org";
    in.description = std::string(161, 'x');
    EXPECT_REJECTED(svc().create_zone(owner_, in), Invalid, "invalid_object");
}

TEST_F(ServiceTest, DuplicateZoneNameIsAConflictAcrossProjects) {
    make_zone("example.org.", owner_);
    EXPECT_REJECTED(make_zone("EXAMPLE.org.", owner_), Conflict, "duplicate_zone");
    EXPECT_REJECTED(make_zone("example.org.", member_of("project-b")), Conflict, "duplicate_zone");
}

TEST_F(ServiceTest, ZoneInsideAnotherProjectsZoneIsIllegalChild) {
    make_zone("example.org.", owner_);
    EXPECT_REJECTED(make_zone("sub.example.org.", member_of("project-b")), Forbidden,
                    "illegal_child");
    EXPECT_REJECTED(make_zone("a.b.example.org.", member_of("project-b")), Forbidden,
                    "illegal_child");
}

TEST_F(ServiceTest, ZoneAboveAnotherProjectsZoneIsIllegalParent) {
    make_zone("deep.sub.example.org.", owner_);
    EXPECT_REJECTED(make_zone("example.org.", member_of("project-b")), Forbidden, "illegal_parent");
    // A sibling is fine.
    EXPECT_NO_THROW(make_zone("other.example.org.", member_of("project-b")));
}

TEST_F(ServiceTest, NestingWithinOneProjectIsAllowed) {
    make_zone("example.org.", owner_);
    EXPECT_EQ(make_zone("sub.example.org.", owner_).name, "sub.example.org.");
    make_zone("deep.example.net.", owner_);
    EXPECT_EQ(make_zone("example.net.", owner_).name, "example.net.");
}

TEST_F(ServiceTest, CrossProjectNestingCanBeAllowed) {
    settings_.allow_cross_project_nesting = true;
    restart();
    make_zone("example.org.", owner_);
    EXPECT_NO_THROW(make_zone("sub.example.org.", member_of("project-b")));
}

TEST_F(ServiceTest, ZoneQuotaPerProject) {
    settings_.quotas.zones_per_project = 2;
    restart();
    make_zone("one.org.", owner_);
    make_zone("two.org.", owner_);
    auto e = rejected([&] { make_zone("three.org.", owner_); });
    EXPECT_EQ(e.kind(), core::ErrorKind::TooLarge);
    EXPECT_EQ(e.type(), "over_quota");
    EXPECT_NO_THROW(make_zone("three.org.", member_of("project-b")));
}

TEST_F(ServiceTest, ReadersCannotCreateZones) {
    EXPECT_REJECTED(make_zone("example.org.", reader_of("project-a")), Forbidden, "forbidden");
}

TEST_F(ServiceTest, PoolWithoutNameserversCannotHostZones) {
    settings_.pool.ns_records.clear();
    restart();
    EXPECT_REJECTED(make_zone("example.org.", owner_), Internal, "no_nameservers");
}

}  // namespace
}  // namespace dnsplane::service::testing
