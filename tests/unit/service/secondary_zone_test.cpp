// SECONDARY zones in the service (issue 16): creation with masters, the
// change set of a transfer (ZoneEdit::transfer: the master's serial and SOA,
// one ZoneChange), and every other write refused without a change.
#include "service/secondary.h"
#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

ZoneCreate secondary(const std::string& name, std::vector<std::string> masters) {
    ZoneCreate in;
    in.name = name;
    in.type = "SECONDARY";
    in.masters = std::move(masters);
    return in;
}

Caller transfer_caller(const core::Zone& z) {
    Caller c = admin_of(z.project_id, true, true);
    c.owner_names = core::OwnerNames::Rfc4592;
    return c;
}

TransferredSoa master_soa(const core::Zone& z, std::uint32_t serial) {
    TransferredSoa t;
    t.zone_id = z.id;
    t.mname = "ns1.master.test.";
    t.rname = "admin.master.test.";
    t.serial = serial;
    t.refresh = 60;
    t.retry = 10;
    t.expire = 600;
    t.minimum = 30;
    t.ttl = 120;
    return t;
}

EditOp replace(const core::Zone& z, const std::string& name, const std::string& type,
               std::vector<std::string> records, std::int64_t ttl) {
    EditOp op;
    op.kind = EditOpKind::ReplaceSet;
    op.target = {z.id, name, type, ""};
    op.records = std::move(records);
    op.ttl = std::optional<std::int64_t>(ttl);
    return op;
}

TEST(Masters, ParseAndNormalise) {
    EXPECT_EQ(validate_masters({"192.0.2.1", "192.0.2.1:53", "[2001:db8::1]:5353", "2001:db8::2",
                                "ns1.example.org.", "ns2.example.org:54"}),
              (std::vector<std::string>{"192.0.2.1:53", "[2001:db8::1]:5353", "[2001:db8::2]:53",
                                        "ns1.example.org:53", "ns2.example.org:54"}));
    for (const char* bad :
         {"", "192.0.2.1:0", "192.0.2.1:65536", "192.0.2.1:x", "[::1", "a host", "[192.0.2.1]:53"})
        EXPECT_FALSE(parse_master(bad)) << bad;
    EXPECT_THROW(validate_masters({}), core::Error);
}

TEST_F(ServiceTest, SecondaryZoneIsCreatedWithMastersAndSerialOne) {
    auto z = svc().create_zone(owner_, secondary("sec.test.", {"192.0.2.53:5300"}));
    EXPECT_EQ(z.type, "SECONDARY");
    EXPECT_EQ(z.masters, std::vector<std::string>{"192.0.2.53:5300"});
    EXPECT_EQ(z.serial, 1u);
    EXPECT_FALSE(z.transferred_at);
    EXPECT_EQ(z.email, "hostmaster@sec.test");  // no email needed
    auto stored = stored_zone(z.id);
    EXPECT_EQ(stored.type, "SECONDARY");
    EXPECT_EQ(stored.masters, z.masters);
}

TEST_F(ServiceTest, SecondaryZoneNeedsValidMastersAndPrimaryNone) {
    auto e = rejected([&] { svc().create_zone(owner_, secondary("sec.test.", {})); });
    EXPECT_EQ(e.type(), "invalid_object");
    e = rejected([&] { svc().create_zone(owner_, secondary("sec.test.", {"not a host"})); });
    EXPECT_EQ(e.type(), "invalid_object");
    ZoneCreate primary = secondary("pri.test.", {"192.0.2.1"});
    primary.type = "PRIMARY";
    primary.email = "a@pri.test";
    e = rejected([&] { svc().create_zone(owner_, primary); });
    EXPECT_EQ(e.type(), "invalid_object");
    primary.type = "TERTIARY";
    e = rejected([&] { svc().create_zone(owner_, primary); });
    EXPECT_EQ(e.type(), "invalid_object");
}

TEST_F(ServiceTest, TransferEditTakesTheMastersSerialAndSoaInOneChange) {
    auto z = svc().create_zone(owner_, secondary("sec.test.", {"192.0.2.53"}));
    sink_.changes.clear();
    ZoneEdit edit;
    edit.transfer = master_soa(z, 2024010101);
    edit.operations.push_back(replace(z, "sec.test.", "NS", {"ns1.master.test."}, 3600));
    edit.operations.push_back(replace(z, "www.sec.test.", "A", {"192.0.2.7"}, 60));
    svc().apply(transfer_caller(z), edit);

    auto after = stored_zone(z.id);
    EXPECT_EQ(after.serial, 2024010101u);  // the master's, not ours + 1
    EXPECT_EQ(after.refresh, 60u);
    EXPECT_EQ(after.expire, 600u);
    EXPECT_EQ(after.ttl, 120u);
    EXPECT_TRUE(after.transferred_at);
    EXPECT_EQ(
        values(stored_set(after, "sec.test.", "SOA")),
        std::vector<std::string>{"ns1.master.test. admin.master.test. 2024010101 60 10 600 30"});
    EXPECT_EQ(values(stored_set(after, "sec.test.", "NS")),
              std::vector<std::string>{"ns1.master.test."});
    ASSERT_EQ(sink_.changes.size(), 1u);
    EXPECT_EQ(sink_.changes[0].old_serial, 1u);
    EXPECT_EQ(sink_.changes[0].new_serial, 2024010101u);
    EXPECT_EQ(sink_.changes[0].soa_data,
              "ns1.master.test. admin.master.test. 2024010101 60 10 600 30");
    auto log = change_log(after);
    EXPECT_EQ(log.back().new_serial, 2024010101u);

    // A new serial with the same data is a change of the SOA alone.
    ZoneEdit bump;
    bump.transfer = master_soa(z, 2024010102);
    svc().apply(transfer_caller(z), bump);
    EXPECT_EQ(stored_zone(z.id).serial, 2024010102u);
    EXPECT_EQ(sink_.changes.size(), 2u);
    // The same SOA again changes nothing.
    svc().apply(transfer_caller(z), bump);
    EXPECT_EQ(sink_.changes.size(), 2u);
}

TEST_F(ServiceTest, SecondaryZoneRefusesEveryOtherWrite) {
    auto z = svc().create_zone(owner_, secondary("sec.test.", {"192.0.2.53"}));
    ZoneEdit first;
    first.transfer = master_soa(z, 5);
    first.operations.push_back(replace(z, "www.sec.test.", "A", {"192.0.2.7"}, 60));
    svc().apply(transfer_caller(z), first);
    auto www = stored_set(stored_zone(z.id), "www.sec.test.", "A");

    RecordSetCreate in{"new.sec.test.", "A", std::nullopt, "", {"192.0.2.8"}};
    auto e = rejected([&] { svc().create_recordset(owner_, z.id, in); });
    EXPECT_EQ(e.type(), "bad_request");
    EXPECT_EQ(e.kind(), core::ErrorKind::BadRequest);
    RecordSetUpdate change;
    change.records = std::vector<std::string>{"192.0.2.9"};
    e = rejected([&] { svc().update_recordset(owner_, z.id, www.id, change); });
    EXPECT_EQ(e.type(), "bad_request");
    e = rejected([&] { svc().delete_recordset(owner_, z.id, www.id); });
    EXPECT_EQ(e.type(), "bad_request");
    // Even an admin editing managed sets.
    e = rejected([&] { svc().create_recordset(admin_of("project-a", true, true), z.id, in); });
    EXPECT_EQ(e.type(), "bad_request");
    // The SOA is the master's: email and TTL stay; the description may change.
    ZoneUpdate email;
    email.email = "other@sec.test";
    e = rejected([&] { svc().update_zone(owner_, z.id, email); });
    EXPECT_EQ(e.type(), "invalid_object");
    ZoneUpdate description;
    description.description = "fed by 192.0.2.53";
    auto updated = svc().update_zone(owner_, z.id, description);
    EXPECT_EQ(updated.description, "fed by 192.0.2.53");
    EXPECT_EQ(stored_zone(z.id).serial, 5u);
    // A transfer edit for a PRIMARY zone is refused too.
    ZoneCreate p;
    p.name = "pri.test.";
    p.email = "a@pri.test";
    auto primary = svc().create_zone(owner_, p);
    ZoneEdit wrong;
    wrong.transfer = master_soa(primary, 9);
    e = rejected([&] { svc().apply(transfer_caller(primary), wrong); });
    EXPECT_EQ(e.type(), "bad_request");
    // tasks/xfr is for SECONDARY zones only.
    e = rejected([&] { svc().xfr_zone(owner_, primary.id); });
    EXPECT_EQ(e.type(), "bad_request");
}

TEST_F(ServiceTest, XfrAsksTheRefresher) {
    struct Recorder : SecondaryRefresh {
        std::vector<std::string> asked;
        void refresh_now(const core::Zone& z) override { asked.push_back(z.id); }
        void masters_changed(const core::Zone&) override { ADD_FAILURE(); }
    } recorder;
    svc().set_secondary_refresh(&recorder);
    auto z = svc().create_zone(owner_, secondary("sec.test.", {"192.0.2.53"}));
    svc().xfr_zone(owner_, z.id);
    EXPECT_EQ(recorder.asked, std::vector<std::string>{z.id});
    EXPECT_THROW(svc().xfr_zone(member_of("project-b"), z.id), core::Error);  // 404
    svc().set_secondary_refresh(nullptr);
}

TEST_F(ServiceTest, MastersOfASecondaryZoneAreUpdatedAndAskedAtOnce) {
    struct Recorder : SecondaryRefresh {
        std::vector<std::vector<std::string>> changed;
        void refresh_now(const core::Zone&) override {}
        void masters_changed(const core::Zone& z) override { changed.push_back(z.masters); }
    } recorder;
    svc().set_secondary_refresh(&recorder);
    auto z = svc().create_zone(owner_, secondary("sec.test.", {"192.0.2.53"}));
    ZoneUpdate in;
    in.masters = std::vector<std::string>{"192.0.2.54:5300", "ns1.example.org.", "192.0.2.54:5300"};
    auto updated = svc().update_zone(owner_, z.id, in);
    const std::vector<std::string> normalised = {"192.0.2.54:5300", "ns1.example.org:53"};
    EXPECT_EQ(updated.masters, normalised);
    EXPECT_EQ(stored_zone(z.id).masters, normalised);
    EXPECT_EQ(updated.version, z.version + 1);
    EXPECT_EQ(updated.serial, z.serial);  // not DNS data: no new serial
    EXPECT_EQ(recorder.changed, std::vector<std::vector<std::string>>{normalised});
    // The same masters again change nothing to ask.
    svc().update_zone(owner_, z.id, in);
    EXPECT_EQ(recorder.changed.size(), 1u);
    // Validated as on create: none, or one that does not parse, is refused.
    for (std::vector<std::string> bad :
         {std::vector<std::string>{}, std::vector<std::string>{"192.0.2.1", "a host"}}) {
        in.masters = bad;
        auto e = rejected([&] { svc().update_zone(owner_, z.id, in); });
        EXPECT_EQ(e.type(), "invalid_object");
    }
    EXPECT_EQ(stored_zone(z.id).masters, normalised);
    // A PRIMARY zone has no masters to change (an empty list is no change).
    ZoneCreate p;
    p.name = "pri.test.";
    p.email = "a@pri.test";
    auto primary = svc().create_zone(owner_, p);
    in.masters = std::vector<std::string>{"192.0.2.1"};
    auto e = rejected([&] { svc().update_zone(owner_, primary.id, in); });
    EXPECT_EQ(e.type(), "invalid_object");
    ASSERT_FALSE(e.fields().empty());
    EXPECT_EQ(e.fields().front().path, std::vector<std::string>{"masters"});
    in.masters = std::vector<std::string>{};
    in.description = "still primary";
    EXPECT_EQ(svc().update_zone(owner_, primary.id, in).description, "still primary");
    // Other projects cannot.
    in.masters = std::vector<std::string>{"192.0.2.9"};
    e = rejected([&] { svc().update_zone(member_of("project-b"), z.id, in); });
    EXPECT_EQ(e.type(), "zone_not_found");
    EXPECT_EQ(recorder.changed.size(), 1u);
    svc().set_secondary_refresh(nullptr);
}

}  // namespace
}  // namespace dnsplane::service::testing
