// Record set update and delete: id stability of kept values, TTL set/reset,
// If-Match, managed sets, and the exact change each write publishes.
#include <set>

#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

class RecordSetWriteTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        zone_ = make_zone("example.org.", owner_);
        www_ = make_rs(zone_, "www.example.org.", "A", {"192.0.2.1", "192.0.2.2"});
        sink_.changes.clear();
    }

    RecordSetUpdate records(std::vector<std::string> r) {
        RecordSetUpdate up;
        up.records = std::move(r);
        return up;
    }

    std::uint32_t serial() { return stored_zone(zone_.id).serial; }

    core::Zone zone_;
    core::RecordSet www_;
};

TEST_F(RecordSetWriteTest, UpdateKeepsIdsOfValuesThatStay) {
    auto before_serial = serial();
    auto u = svc().update_recordset(owner_, zone_.id, www_.id, records({"192.0.2.3", "192.0.2.1"}));
    ASSERT_EQ(u.records.size(), 2u);
    EXPECT_EQ(u.records[0].data, "192.0.2.3");
    EXPECT_EQ(u.records[1].data, "192.0.2.1");
    EXPECT_EQ(u.records[1].id, www_.records[0].id);  // kept value, same id
    EXPECT_NE(u.records[0].id, www_.records[0].id);
    EXPECT_NE(u.records[0].id, www_.records[1].id);  // new value, new id
    EXPECT_EQ(u.version, 2);
    EXPECT_TRUE(u.updated_at.has_value());
    EXPECT_EQ(u.created_at, www_.created_at);

    auto stored = svc().get_recordset(owner_, zone_.id, www_.id);
    EXPECT_EQ(stored.version, 2);
    ASSERT_EQ(stored.records.size(), 2u);
    std::set<std::string> ids{stored.records[0].id, stored.records[1].id};
    EXPECT_TRUE(ids.count(www_.records[0].id));
    EXPECT_TRUE(ids.count(u.records[0].id));

    EXPECT_EQ(serial(), before_serial + 1);
    ASSERT_EQ(sink_.changes.size(), 1u);
    const auto& c = sink_.changes[0];
    EXPECT_EQ(c.old_serial, before_serial);
    EXPECT_EQ(c.new_serial, before_serial + 1);
    EXPECT_EQ(c.removed,
              (std::vector<core::ResourceRecord>{rr("www.example.org.", "A", 3600, "192.0.2.2")}));
    EXPECT_EQ(c.added,
              (std::vector<core::ResourceRecord>{rr("www.example.org.", "A", 3600, "192.0.2.3")}));
}

TEST_F(RecordSetWriteTest, IdsSurviveSeveralUpdates) {
    auto kept = www_.records[1].id;  // 192.0.2.2
    svc().update_recordset(owner_, zone_.id, www_.id, records({"192.0.2.2", "192.0.2.5"}));
    svc().update_recordset(owner_, zone_.id, www_.id, records({"192.0.2.6", "192.0.2.2"}));
    auto now = svc().get_recordset(owner_, zone_.id, www_.id);
    bool found = false;
    for (const auto& r : now.records) found = found || (r.data == "192.0.2.2" && r.id == kept);
    EXPECT_TRUE(found);
    EXPECT_EQ(now.version, 3);
}

TEST_F(RecordSetWriteTest, TtlSetAndResetReannounceTheSet) {
    RecordSetUpdate set_ttl;
    set_ttl.ttl = std::optional<std::int64_t>(120);
    auto u = svc().update_recordset(owner_, zone_.id, www_.id, set_ttl);
    EXPECT_EQ(u.ttl, 120u);
    ASSERT_EQ(sink_.changes.size(), 1u);
    EXPECT_EQ(sink_.changes[0].removed,
              (std::vector<core::ResourceRecord>{rr("www.example.org.", "A", 3600, "192.0.2.1"),
                                                 rr("www.example.org.", "A", 3600, "192.0.2.2")}));
    EXPECT_EQ(sink_.changes[0].added,
              (std::vector<core::ResourceRecord>{rr("www.example.org.", "A", 120, "192.0.2.1"),
                                                 rr("www.example.org.", "A", 120, "192.0.2.2")}));
    EXPECT_EQ(u.records[0].id, www_.records[0].id);

    RecordSetUpdate reset;
    reset.ttl = std::optional<std::int64_t>();
    auto r = svc().update_recordset(owner_, zone_.id, www_.id, reset);
    EXPECT_FALSE(r.ttl.has_value());
    EXPECT_FALSE(svc().get_recordset(owner_, zone_.id, www_.id).ttl.has_value());
    ASSERT_EQ(sink_.changes.size(), 2u);
    EXPECT_EQ(sink_.changes[1].added[0].ttl, 3600u);
    EXPECT_EQ(sink_.changes[1].removed[0].ttl, 120u);

    RecordSetUpdate bad;
    bad.ttl = std::optional<std::int64_t>(-3);
    EXPECT_REJECTED(svc().update_recordset(owner_, zone_.id, www_.id, bad), Invalid,
                    "invalid_object");
}

TEST_F(RecordSetWriteTest, DescriptionOnlyUpdateStillAdvancesTheSerial) {
    auto before_serial = serial();
    RecordSetUpdate up;
    up.description = "front door";
    auto u = svc().update_recordset(owner_, zone_.id, www_.id, up);
    EXPECT_EQ(u.description, "front door");
    EXPECT_EQ(values(u), values(www_));
    EXPECT_EQ(serial(), before_serial + 1);
    ASSERT_EQ(sink_.changes.size(), 1u);
    EXPECT_TRUE(sink_.changes[0].removed.empty());
    EXPECT_TRUE(sink_.changes[0].added.empty());
    auto soa = stored_set(zone_, "example.org.", "SOA").records[0].data;
    EXPECT_NE(soa.find(" " + std::to_string(before_serial + 1) + " "), std::string::npos);
}

TEST_F(RecordSetWriteTest, UpdateChecksIfMatch) {
    auto e = rejected(
        [&] { svc().update_recordset(owner_, zone_.id, www_.id, records({"192.0.2.9"}), 5); });
    EXPECT_EQ(e.kind(), core::ErrorKind::PreconditionFailed);
    EXPECT_EQ(e.type(), "precondition_failed");
    EXPECT_EQ(svc().update_recordset(owner_, zone_.id, www_.id, records({"192.0.2.9"}), 1).version,
              2);
    EXPECT_REJECTED(svc().update_recordset(owner_, zone_.id, www_.id, records({"192.0.2.8"}), 1),
                    PreconditionFailed, "precondition_failed");
}

TEST_F(RecordSetWriteTest, UpdateValidatesRecords) {
    EXPECT_REJECTED(svc().update_recordset(owner_, zone_.id, www_.id, records({})), Invalid,
                    "invalid_object");
    auto e = rejected([&] {
        svc().update_recordset(owner_, zone_.id, www_.id, records({"192.0.2.1", "nonsense"}));
    });
    ASSERT_EQ(e.fields().size(), 1u);
    EXPECT_EQ(e.fields()[0].path, (std::vector<std::string>{"records", "1"}));
    // A repeated value is the same record: merged (RFC 2181 5, as Designate).
    auto merged =
        svc().update_recordset(owner_, zone_.id, www_.id, records({"192.0.2.7", "192.0.2.7"}));
    EXPECT_EQ(values(merged), (std::vector<std::string>{"192.0.2.7"}));

    auto cname = make_rs(zone_, "alias.example.org.", "CNAME", {"www.example.org."});
    EXPECT_REJECTED(svc().update_recordset(owner_, zone_.id, cname.id,
                                           records({"a.example.net.", "b.example.net."})),
                    Invalid, "invalid_object");
}

TEST_F(RecordSetWriteTest, UpdateRespectsRecordQuota) {
    settings_.quotas.records_per_recordset = 2;
    restart();
    EXPECT_REJECTED(svc().update_recordset(owner_, zone_.id, www_.id,
                                           records({"192.0.2.1", "192.0.2.2", "192.0.2.3"})),
                    TooLarge, "over_quota");
}

TEST_F(RecordSetWriteTest, SoaIsNeverWritable) {
    auto soa = stored_set(zone_, "example.org.", "SOA");
    auto admin = admin_of("project-a", false, true);
    RecordSetUpdate up;
    up.description = "mine";
    // 400 bad_request for everyone, as in Designate.
    EXPECT_REJECTED(svc().update_recordset(admin, zone_.id, soa.id, up), BadRequest, "bad_request");
    EXPECT_REJECTED(svc().delete_recordset(admin, zone_.id, soa.id), BadRequest, "bad_request");
    EXPECT_REJECTED(svc().delete_recordset(owner_, zone_.id, soa.id), BadRequest, "bad_request");
}

TEST_F(RecordSetWriteTest, ApexNsIsNeverReplaced) {
    auto ns = stored_set(zone_, "example.org.", "NS");
    auto up = records({"ns1.example.net.", "ns3.example.net."});
    EXPECT_REJECTED(svc().update_recordset(owner_, zone_.id, ns.id, up), Forbidden, "forbidden");
    EXPECT_REJECTED(svc().update_recordset(admin_of("project-a"), zone_.id, ns.id, up), Forbidden,
                    "forbidden");
    EXPECT_REJECTED(svc().delete_recordset(owner_, zone_.id, ns.id), Forbidden, "forbidden");
    // Even an admin asking to edit managed sets: the apex NS follow the pool (Designate).
    EXPECT_REJECTED(svc().update_recordset(admin_of("project-a", false, true), zone_.id, ns.id, up),
                    BadRequest, "bad_request");
    EXPECT_EQ(values(stored_set(zone_, "example.org.", "NS")), values(ns));
    EXPECT_TRUE(sink_.changes.empty());
}

TEST_F(RecordSetWriteTest, RecordSetIsAddressedThroughItsOwnZone) {
    auto other = make_zone("example.net.", owner_);
    EXPECT_REJECTED(svc().update_recordset(owner_, other.id, www_.id, records({"192.0.2.7"})),
                    NotFound, "recordset_not_found");
    EXPECT_REJECTED(svc().delete_recordset(owner_, other.id, www_.id), NotFound,
                    "recordset_not_found");
    EXPECT_REJECTED(svc().get_recordset(owner_, other.id, www_.id), NotFound,
                    "recordset_not_found");
    EXPECT_REJECTED(svc().get_recordset(owner_, zone_.id, "missing"), NotFound,
                    "recordset_not_found");
}

TEST_F(RecordSetWriteTest, ReadersCannotUpdateOrDelete) {
    auto reader = reader_of("project-a");
    EXPECT_REJECTED(svc().update_recordset(reader, zone_.id, www_.id, records({"192.0.2.7"})),
                    Forbidden, "forbidden");
    EXPECT_REJECTED(svc().delete_recordset(reader, zone_.id, www_.id), Forbidden, "forbidden");
    // Reading is fine.
    EXPECT_EQ(svc().get_recordset(reader, zone_.id, www_.id).id, www_.id);
}

TEST_F(RecordSetWriteTest, DeleteReturnsTheSetAndAnnouncesItsRecords) {
    auto before_serial = serial();
    auto gone = svc().delete_recordset(owner_, zone_.id, www_.id);
    EXPECT_EQ(gone.id, www_.id);
    EXPECT_EQ(values(gone), values(www_));
    EXPECT_EQ(gone.records[0].id, www_.records[0].id);
    EXPECT_REJECTED(svc().get_recordset(owner_, zone_.id, www_.id), NotFound,
                    "recordset_not_found");
    EXPECT_EQ(serial(), before_serial + 1);
    ASSERT_EQ(sink_.changes.size(), 1u);
    EXPECT_TRUE(sink_.changes[0].added.empty());
    EXPECT_EQ(sink_.changes[0].removed,
              (std::vector<core::ResourceRecord>{rr("www.example.org.", "A", 3600, "192.0.2.1"),
                                                 rr("www.example.org.", "A", 3600, "192.0.2.2")}));
    auto soa = stored_set(zone_, "example.org.", "SOA").records[0].data;
    EXPECT_NE(soa.find(" " + std::to_string(before_serial + 1) + " "), std::string::npos);
    // The name is free again, even for a CNAME.
    EXPECT_NO_THROW(make_rs(zone_, "www.example.org.", "CNAME", {"example.org."}));
}

TEST_F(RecordSetWriteTest, DeleteChecksIfMatch) {
    EXPECT_REJECTED(svc().delete_recordset(owner_, zone_.id, www_.id, 3), PreconditionFailed,
                    "precondition_failed");
    EXPECT_NO_THROW(svc().delete_recordset(owner_, zone_.id, www_.id, 1));
}

TEST_F(RecordSetWriteTest, SerialCountsEveryCommit) {
    auto start = serial();
    auto a = make_rs(zone_, "a.example.org.", "A", {"192.0.2.1"});
    svc().update_recordset(owner_, zone_.id, a.id, records({"192.0.2.2"}));
    svc().delete_recordset(owner_, zone_.id, a.id);
    ZoneUpdate zu;
    zu.description = "d";
    svc().update_zone(owner_, zone_.id, zu);
    EXPECT_EQ(serial(), start + 4);
    auto log = change_log(zone_);
    ASSERT_GE(log.size(), 4u);
    for (std::size_t i = log.size() - 4; i < log.size(); ++i)
        EXPECT_EQ(log[i].new_serial, log[i].old_serial + 1);
    ASSERT_EQ(sink_.changes.size(), 4u);
    EXPECT_EQ(sink_.changes.back().new_serial, start + 4);
}

}  // namespace
}  // namespace dnsplane::service::testing
