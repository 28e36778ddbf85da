// Zone update and delete: versions and If-Match, serial and SOA rewrites,
// the change a TTL change announces, deletion of everything below the zone.
#include <algorithm>
#include <tuple>

#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

std::string soa_of(const core::Zone& z, const std::string& mname, const std::string& rname) {
    return mname + " " + rname + " " + std::to_string(z.serial) + " 3500 600 86400 3600";
}

TEST_F(ServiceTest, UpdateZoneBumpsVersionSerialAndRewritesSoa) {
    auto z = make_zone("example.org.", owner_);
    ZoneUpdate up;
    up.email = "dns.admin@Example.NET";
    up.ttl = 600;
    up.description = "changed";
    auto u = svc().update_zone(owner_, z.id, up);

    EXPECT_EQ(u.email, "dns.admin@example.net");
    EXPECT_EQ(u.ttl, 600u);
    EXPECT_EQ(u.description, "changed");
    EXPECT_EQ(u.version, 2);
    EXPECT_TRUE(u.updated_at.has_value());
    EXPECT_EQ(u.serial, z.serial + 1);
    EXPECT_EQ(u.created_at, z.created_at);

    auto stored = svc().get_zone(owner_, z.id);
    EXPECT_EQ(stored.version, 2);
    EXPECT_EQ(stored.serial, u.serial);
    EXPECT_EQ(stored.email, u.email);

    auto soa = stored_set(z, "example.org.", "SOA");
    EXPECT_EQ(soa.records[0].data, soa_of(u, "ns1.example.net.", "dns\\.admin.example.net."));
    EXPECT_EQ(soa.version, 2);
}

TEST_F(ServiceTest, UpdateZoneChecksIfMatch) {
    auto z = make_zone("example.org.", owner_);
    ZoneUpdate up;
    up.description = "x";
    auto e = rejected([&] { svc().update_zone(owner_, z.id, up, 7); });
    EXPECT_EQ(e.kind(), core::ErrorKind::PreconditionFailed);
    EXPECT_EQ(e.type(), "precondition_failed");
    auto u = svc().update_zone(owner_, z.id, up, 1);
    EXPECT_EQ(u.version, 2);
    EXPECT_REJECTED(svc().update_zone(owner_, z.id, up, 1), PreconditionFailed,
                    "precondition_failed");
    EXPECT_EQ(svc().update_zone(owner_, z.id, up, 2).version, 3);
}

TEST_F(ServiceTest, UpdateZoneRejectsInvalidValues) {
    auto z = make_zone("example.org.", owner_);
    ZoneUpdate bad_email;
    bad_email.email = "nobody";
    EXPECT_REJECTED(svc().update_zone(owner_, z.id, bad_email), Invalid, "invalid_object");
    ZoneUpdate bad_ttl;
    bad_ttl.ttl = -5;
    EXPECT_REJECTED(svc().update_zone(owner_, z.id, bad_ttl), Invalid, "invalid_object");
    ZoneUpdate bad_description;
    bad_description.description = std::string(200, 'd');
    EXPECT_REJECTED(svc().update_zone(owner_, z.id, bad_description), Invalid, "invalid_object");
    EXPECT_REJECTED(svc().update_zone(reader_of("project-a"), z.id, ZoneUpdate{}), Forbidden,
                    "forbidden");
    EXPECT_REJECTED(svc().update_zone(owner_, "no-such-zone", ZoneUpdate{}), NotFound,
                    "zone_not_found");
}

TEST_F(ServiceTest, ZoneTtlChangeReannouncesRecordSetsWithoutTtl) {
    auto z = make_zone("example.org.", owner_);
    make_rs(z, "www.example.org.", "A", {"192.0.2.1"});
    make_rs(z, "fixed.example.org.", "A", {"192.0.2.9"}, 300);
    sink_.changes.clear();

    ZoneUpdate up;
    up.ttl = 900;
    auto u = svc().update_zone(owner_, z.id, up);
    ASSERT_EQ(sink_.changes.size(), 1u);
    const auto& c = sink_.changes[0];
    EXPECT_EQ(c.old_serial, z.serial + 2);
    EXPECT_EQ(c.new_serial, u.serial);
    auto sorted = [](std::vector<core::ResourceRecord> v) {
        std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
            return std::tie(a.name, a.type, a.data) < std::tie(b.name, b.type, b.data);
        });
        return v;
    };
    EXPECT_EQ(sorted(c.removed),
              (std::vector<core::ResourceRecord>{rr("example.org.", "NS", 3600, "ns1.example.net."),
                                                 rr("example.org.", "NS", 3600, "ns2.example.net."),
                                                 rr("www.example.org.", "A", 3600, "192.0.2.1")}));
    EXPECT_EQ(sorted(c.added),
              (std::vector<core::ResourceRecord>{rr("example.org.", "NS", 900, "ns1.example.net."),
                                                 rr("example.org.", "NS", 900, "ns2.example.net."),
                                                 rr("www.example.org.", "A", 900, "192.0.2.1")}));
}

TEST_F(ServiceTest, ZoneUpdateWithoutTtlChangeAnnouncesOnlyTheSerial) {
    auto z = make_zone("example.org.", owner_);
    make_rs(z, "www.example.org.", "A", {"192.0.2.1"});
    sink_.changes.clear();
    ZoneUpdate up;
    up.description = "just words";
    up.ttl = 3600;  // unchanged
    auto u = svc().update_zone(owner_, z.id, up);
    ASSERT_EQ(sink_.changes.size(), 1u);
    EXPECT_TRUE(sink_.changes[0].removed.empty());
    EXPECT_TRUE(sink_.changes[0].added.empty());
    EXPECT_EQ(sink_.changes[0].new_serial, u.serial);
    EXPECT_EQ(change_log(z).back().new_serial, u.serial);
}

TEST_F(ServiceTest, SerialWrapsAroundPerRfc1982) {
    auto z = make_zone("example.org.", owner_);
    {
        auto txn = store_->write();
        auto stored = *txn->get_zone(z.id);
        stored.serial = 4294967295u;
        txn->update_zone(stored);
        txn->commit();
    }
    auto rs = make_rs(z, "www.example.org.", "A", {"192.0.2.1"});
    auto now = stored_zone(z.id);
    EXPECT_EQ(now.serial, 0u);
    EXPECT_EQ(sink_.changes.back().old_serial, 4294967295u);
    EXPECT_EQ(sink_.changes.back().new_serial, 0u);
    EXPECT_EQ(stored_set(z, "example.org.", "SOA").records[0].data,
              soa_of(now, "ns1.example.net.", "hostmaster.example.org."));
    svc().delete_recordset(owner_, z.id, rs.id);
    EXPECT_EQ(stored_zone(z.id).serial, 1u);
}

TEST_F(ServiceTest, DeleteZoneRemovesItsRecordSetsAndReturnsTheZone) {
    auto z = make_zone("example.org.", owner_);
    auto rs = make_rs(z, "www.example.org.", "A", {"192.0.2.1", "192.0.2.2"});
    auto current = svc().get_zone(owner_, z.id);
    sink_.changes.clear();

    auto gone = svc().delete_zone(owner_, z.id);
    EXPECT_EQ(gone.id, z.id);
    EXPECT_EQ(gone.name, "example.org.");
    EXPECT_EQ(gone.serial, current.serial);
    EXPECT_EQ(gone.version, current.version);

    EXPECT_REJECTED(svc().get_zone(owner_, z.id), NotFound, "zone_not_found");
    EXPECT_REJECTED(svc().find_recordset(owner_, rs.id), NotFound, "recordset_not_found");
    EXPECT_TRUE(store_->read()->zone_recordsets(z.id).empty());
    EXPECT_EQ(svc().list_zones(owner_, {}).total_count, 0u);

    ASSERT_EQ(sink_.changes.size(), 1u);
    const auto& c = sink_.changes[0];
    EXPECT_TRUE(c.zone_deleted);
    EXPECT_TRUE(c.added.empty());
    EXPECT_EQ(c.removed.size(), 4u);  // two apex NS, two A
    EXPECT_NE(std::find(c.removed.begin(), c.removed.end(),
                        rr("www.example.org.", "A", 3600, "192.0.2.2")),
              c.removed.end());

    // The name is free again.
    EXPECT_NO_THROW(make_zone("example.org.", member_of("project-b")));
}

TEST_F(ServiceTest, DeleteZoneChecksIfMatchAndRole) {
    auto z = make_zone("example.org.", owner_);
    EXPECT_REJECTED(svc().delete_zone(owner_, z.id, 2), PreconditionFailed, "precondition_failed");
    EXPECT_REJECTED(svc().delete_zone(reader_of("project-a"), z.id), Forbidden, "forbidden");
    EXPECT_NO_THROW(svc().delete_zone(owner_, z.id, 1));
}

}  // namespace
}  // namespace dnsplane::service::testing
