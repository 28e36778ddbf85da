// Record set creation: names, types, values, CNAME/NS/SRV rules, quotas,
// managed sets, and the serial / SOA / change each create produces.
#include <set>

#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

class RecordSetCreateTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        zone_ = make_zone("example.org.", owner_);
        sink_.changes.clear();
    }

    RecordSetCreate input(const std::string& name, const std::string& type,
                          std::vector<std::string> records) {
        RecordSetCreate in;
        in.name = name;
        in.type = type;
        in.records = std::move(records);
        return in;
    }

    core::Error create_rejected(const RecordSetCreate& in, const Caller* c = nullptr) {
        return rejected([&] { svc().create_recordset(c ? *c : owner_, zone_.id, in); });
    }

    core::Zone zone_;
};

TEST_F(RecordSetCreateTest, CreatesCanonicalRecordSet) {
    auto in = input("WWW.Example.Org.", "a", {"192.0.2.1", "192.0.2.2"});
    in.description = "web";
    auto rs = svc().create_recordset(owner_, zone_.id, in);
    EXPECT_EQ(rs.name, "www.example.org.");
    EXPECT_EQ(rs.type, "A");
    EXPECT_EQ(rs.zone_id, zone_.id);
    EXPECT_EQ(rs.zone_name, "example.org.");
    EXPECT_EQ(rs.project_id, "project-a");
    EXPECT_FALSE(rs.ttl.has_value());
    EXPECT_EQ(rs.description, "web");
    EXPECT_EQ(rs.version, 1);
    EXPECT_FALSE(rs.managed);
    EXPECT_FALSE(rs.updated_at.has_value());
    EXPECT_EQ(values(rs), (std::vector<std::string>{"192.0.2.1", "192.0.2.2"}));
    ASSERT_EQ(rs.records.size(), 2u);
    EXPECT_EQ(rs.records[0].id.size(), 36u);
    EXPECT_NE(rs.records[0].id, rs.records[1].id);

    auto got = svc().get_recordset(owner_, zone_.id, rs.id);
    EXPECT_EQ(got.records[0].id, rs.records[0].id);
    EXPECT_EQ(values(got), values(rs));
}

TEST_F(RecordSetCreateTest, ValuesAreCanonicalised) {
    auto mx = make_rs(zone_, "example.org.", "MX", {"10 MX1.Example.ORG."});
    EXPECT_EQ(values(mx), std::vector<std::string>{"10 mx1.example.org."});
    auto aaaa = make_rs(zone_, "v6.example.org.", "AAAA", {"2001:DB8:0:0::1"});
    EXPECT_EQ(values(aaaa), std::vector<std::string>{"2001:db8::1"});
}

TEST_F(RecordSetCreateTest, CreateBumpsSerialRewritesSoaAndPublishes) {
    auto rs = make_rs(zone_, "www.example.org.", "A", {"192.0.2.1", "192.0.2.2"}, 300);
    auto z = svc().get_zone(owner_, zone_.id);
    EXPECT_EQ(z.serial, zone_.serial + 1);
    // The zone's representation changed (serial), so its version moves too.
    EXPECT_EQ(z.version, zone_.version + 1);
    EXPECT_TRUE(z.updated_at.has_value());
    auto soa = stored_set(zone_, "example.org.", "SOA").records[0].data;
    EXPECT_NE(soa.find(" " + std::to_string(z.serial) + " 3500 "), std::string::npos) << soa;

    ASSERT_EQ(sink_.changes.size(), 1u);
    const auto& c = sink_.changes[0];
    EXPECT_EQ(c.old_serial, zone_.serial);
    EXPECT_EQ(c.new_serial, z.serial);
    EXPECT_FALSE(c.zone_created);
    EXPECT_TRUE(c.removed.empty());
    EXPECT_EQ(c.added,
              (std::vector<core::ResourceRecord>{rr("www.example.org.", "A", 300, "192.0.2.1"),
                                                 rr("www.example.org.", "A", 300, "192.0.2.2")}));
    EXPECT_EQ(change_log(zone_).back().added, c.added);
}

TEST_F(RecordSetCreateTest, NullTtlAnnouncesTheZoneTtl) {
    make_rs(zone_, "www.example.org.", "TXT", {"\"hello\""});
    ASSERT_EQ(sink_.changes.size(), 1u);
    ASSERT_EQ(sink_.changes[0].added.size(), 1u);
    EXPECT_EQ(sink_.changes[0].added[0].ttl, 3600u);
}

TEST_F(RecordSetCreateTest, RelativeNameIsRejectedWithAnExplanation) {
    auto e = create_rejected(input("www", "A", {"192.0.2.1"}));
    EXPECT_EQ(e.type(), "invalid_object");
    EXPECT_NE(std::string(e.what()).find("fully qualified"), std::string::npos) << e.what();
    ASSERT_EQ(e.fields().size(), 1u);
    EXPECT_EQ(e.fields()[0].path, (std::vector<std::string>{"name"}));
    EXPECT_EQ(create_rejected(input("www.example.org", "A", {"192.0.2.1"})).type(),
              "invalid_object");
}

TEST_F(RecordSetCreateTest, NameMustLieInsideTheZone) {
    EXPECT_EQ(create_rejected(input("www.example.net.", "A", {"192.0.2.1"})).type(),
              "invalid_object");
    EXPECT_EQ(create_rejected(input("badexample.org.", "A", {"192.0.2.1"})).type(),
              "invalid_object");
    EXPECT_EQ(create_rejected(input("org.", "A", {"192.0.2.1"})).type(), "invalid_object");
    EXPECT_EQ(create_rejected(input("a.*.example.org.", "A", {"192.0.2.1"})).type(),
              "invalid_object");
}

TEST_F(RecordSetCreateTest, WildcardAndUnderscoreOwnersAreAllowed) {
    EXPECT_EQ(make_rs(zone_, "*.example.org.", "A", {"192.0.2.1"}).name, "*.example.org.");
    EXPECT_NO_THROW(make_rs(zone_, "_acme-challenge.example.org.", "TXT", {"\"token\""}));
}

TEST_F(RecordSetCreateTest, TypeMustBeSupportedAndWritable) {
    EXPECT_EQ(create_rejected(input("www.example.org.", "BOGUS", {"x"})).type(), "invalid_object");
    auto e = create_rejected(
        input("www.example.org.", "SOA", {"ns1.example.net. a.example.org. 1 2 3 4 5"}));
    EXPECT_EQ(e.kind(), core::ErrorKind::Invalid);
    EXPECT_NE(std::string(e.what()).find("managed"), std::string::npos);
}

TEST_F(RecordSetCreateTest, ApexNsIsManaged) {
    auto in = input("example.org.", "NS", {"ns9.example.net."});
    EXPECT_EQ(create_rejected(in).type(), "forbidden");
    auto admin = admin_of("project-a");
    EXPECT_EQ(create_rejected(in, &admin).type(), "forbidden");
    auto managing_admin = admin_of("project-a", false, true);
    // Allowed to touch it, but it already exists.
    EXPECT_EQ(create_rejected(in, &managing_admin).type(), "duplicate_recordset");
}

TEST_F(RecordSetCreateTest, DelegationNsBelowTheApexIsAllowed) {
    auto rs = make_rs(zone_, "sub.example.org.", "NS", {"ns1.sub.example.org."});
    EXPECT_FALSE(rs.managed);
}

TEST_F(RecordSetCreateTest, RecordsMustBeValidAndNonEmptyAndRepeatsMerge) {
    EXPECT_EQ(create_rejected(input("www.example.org.", "A", {})).type(), "invalid_object");

    auto e = create_rejected(input("www.example.org.", "A", {"192.0.2.1", "192.0.2.300"}));
    EXPECT_EQ(e.type(), "invalid_object");
    ASSERT_EQ(e.fields().size(), 1u);
    EXPECT_EQ(e.fields()[0].path, (std::vector<std::string>{"records", "1"}));

    // Values equal once canonical are one value (Designate merges repeats).
    auto merged = svc().create_recordset(owner_, zone_.id,
                                         input("v6.example.org.", "AAAA",
                                               {"2001:db8::1", "2001:DB8:0::1"}));
    ASSERT_EQ(merged.records.size(), 1u);
    EXPECT_EQ(merged.records[0].data, "2001:db8::1");

    EXPECT_EQ(create_rejected(input("mx.example.org.", "MX", {"70000 mx.example.org."})).type(),
              "invalid_object");
    EXPECT_EQ(create_rejected(input("c.example.org.", "CNAME", {"relative"})).type(),
              "invalid_object");
}

TEST_F(RecordSetCreateTest, CnameRules) {
    EXPECT_EQ(create_rejected(input("example.org.", "CNAME", {"www.example.net."})).type(),
              "invalid_object");
    EXPECT_EQ(
        create_rejected(input("c.example.org.", "CNAME", {"a.example.net.", "b.example.net."}))
            .type(),
        "invalid_object");

    make_rs(zone_, "www.example.org.", "A", {"192.0.2.1"});
    EXPECT_EQ(create_rejected(input("www.example.org.", "CNAME", {"x.example.net."})).type(),
              "invalid_object");

    make_rs(zone_, "alias.example.org.", "CNAME", {"x.example.net."});
    EXPECT_EQ(create_rejected(input("alias.example.org.", "TXT", {"\"t\""})).type(),
              "invalid_object");
    EXPECT_EQ(create_rejected(input("alias.example.org.", "CNAME", {"y.example.net."})).type(),
              "duplicate_recordset");
}

TEST_F(RecordSetCreateTest, NsWildcardAndSrvOwnerRules) {
    EXPECT_EQ(create_rejected(input("*.example.org.", "NS", {"ns.example.net."})).type(),
              "invalid_object");
    EXPECT_EQ(
        create_rejected(input("sip.example.org.", "SRV", {"0 5 5060 sip.example.org."})).type(),
        "invalid_object");
    EXPECT_EQ(
        create_rejected(input("_sip.example.org.", "SRV", {"0 5 5060 sip.example.org."})).type(),
        "invalid_object");
    auto srv = make_rs(zone_, "_sip._tcp.example.org.", "SRV", {"0 5 5060 sip.example.org."});
    EXPECT_EQ(values(srv), std::vector<std::string>{"0 5 5060 sip.example.org."});
}

TEST_F(RecordSetCreateTest, TtlMustBeWithinBounds) {
    settings_.min_ttl = 60;
    restart();
    for (std::int64_t ttl : {-1L, 59L, 2147483648L}) {
        auto in = input("www.example.org.", "A", {"192.0.2.1"});
        in.ttl = ttl;
        SCOPED_TRACE(ttl);
        auto e = create_rejected(in);
        EXPECT_EQ(e.type(), "invalid_object");
        ASSERT_EQ(e.fields().size(), 1u);
        EXPECT_EQ(e.fields()[0].path, (std::vector<std::string>{"ttl"}));
    }
    EXPECT_EQ(make_rs(zone_, "www.example.org.", "A", {"192.0.2.1"}, 60).ttl, 60u);
}

TEST_F(RecordSetCreateTest, DuplicateNameAndTypeIsAConflict) {
    make_rs(zone_, "www.example.org.", "A", {"192.0.2.1"});
    auto e = create_rejected(input("WWW.example.org.", "A", {"192.0.2.2"}));
    EXPECT_EQ(e.kind(), core::ErrorKind::Conflict);
    EXPECT_EQ(e.type(), "duplicate_recordset");
    EXPECT_NO_THROW(make_rs(zone_, "www.example.org.", "AAAA", {"2001:db8::1"}));
}

TEST_F(RecordSetCreateTest, RecordSetQuotas) {
    settings_.quotas.recordsets_per_zone = 4;  // SOA + NS + two more
    settings_.quotas.records_per_recordset = 2;
    restart();
    auto too_many =
        create_rejected(input("a.example.org.", "A", {"192.0.2.1", "192.0.2.2", "192.0.2.3"}));
    EXPECT_EQ(too_many.kind(), core::ErrorKind::TooLarge);
    EXPECT_EQ(too_many.type(), "over_quota");
    make_rs(zone_, "a.example.org.", "A", {"192.0.2.1", "192.0.2.2"});
    make_rs(zone_, "b.example.org.", "A", {"192.0.2.1"});
    auto full = create_rejected(input("c.example.org.", "A", {"192.0.2.1"}));
    EXPECT_EQ(full.kind(), core::ErrorKind::TooLarge);
    EXPECT_EQ(full.type(), "over_quota");
}

TEST_F(RecordSetCreateTest, NamesInsideAChildZoneBelongThere) {
    auto child = make_zone("sub.example.org.", owner_);
    EXPECT_EQ(create_rejected(input("www.sub.example.org.", "A", {"192.0.2.1"})).type(),
              "invalid_object");
    EXPECT_EQ(create_rejected(input("sub.example.org.", "A", {"192.0.2.1"})).type(),
              "invalid_object");
    // The delegation itself may live in the parent.
    EXPECT_NO_THROW(make_rs(zone_, "sub.example.org.", "NS", {"ns1.example.net."}));
    EXPECT_NO_THROW(make_rs(child, "www.sub.example.org.", "A", {"192.0.2.1"}));
}

TEST_F(RecordSetCreateTest, ReadersCannotCreate) {
    auto reader = reader_of("project-a");
    EXPECT_EQ(create_rejected(input("www.example.org.", "A", {"192.0.2.1"}), &reader).type(),
              "forbidden");
}

TEST_F(RecordSetCreateTest, OtherProjectsZoneIsNotFound) {
    auto stranger = member_of("project-b");
    auto e = create_rejected(input("www.example.org.", "A", {"192.0.2.1"}), &stranger);
    EXPECT_EQ(e.kind(), core::ErrorKind::NotFound);
    EXPECT_EQ(e.type(), "zone_not_found");
}

}  // namespace
}  // namespace dnsplane::service::testing
