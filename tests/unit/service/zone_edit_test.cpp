// Change sets (ZoneService::apply): each operation, each prerequisite,
// batches across zones, rules checked on the result, all-or-nothing.
#include <algorithm>

#include "edit_fixture.h"

namespace dnsplane::service::testing {
namespace {

class ZoneEditTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        a_ = make_zone("a.example.", owner_);
        b_ = make_zone("b.example.", owner_);
        sink_.changes.clear();
    }

    EditResult apply(std::vector<EditOp> ops, std::vector<Prerequisite> prereqs = {}) {
        return svc().apply(owner_, edit_of(std::move(ops), std::move(prereqs)));
    }

    // The error of an edit that must be rejected without changing anything.
    core::Error refused(std::vector<EditOp> ops, std::vector<Prerequisite> prereqs = {}) {
        return rejected([&] { apply(std::move(ops), std::move(prereqs)); });
    }

    std::optional<core::RecordSet> find(const core::Zone& z, const std::string& name,
                                        const std::string& type) {
        return store_->read()->find_recordset(z.id, name, type);
    }

    std::vector<std::string> sorted_values(const core::Zone& z, const std::string& name,
                                           const std::string& type) {
        auto rs = find(z, name, type);
        if (!rs) return {};
        auto v = values(*rs);
        std::sort(v.begin(), v.end());
        return v;
    }

    core::Zone a_, b_;
};

using V = std::vector<std::string>;

TEST_F(ZoneEditTest, CreateSetFindsTheZoneByNameAndReturnsTheSet) {
    auto r = apply({create("WWW.a.example.", "a", {"192.0.2.1"})});
    ASSERT_EQ(r.operations.size(), 1u);
    ASSERT_TRUE(r.operations[0].set);
    EXPECT_FALSE(r.operations[0].previous);
    EXPECT_EQ(r.operations[0].set->zone_id, a_.id);
    EXPECT_EQ(r.operations[0].set->name, "www.a.example.");
    EXPECT_EQ(r.operations[0].set->type, "A");
    EXPECT_EQ(sorted_values(a_, "www.a.example.", "A"), V{"192.0.2.1"});
    ASSERT_EQ(r.zones.size(), 1u);
    EXPECT_EQ(r.zones[0].serial, a_.serial + 1);
    EXPECT_EQ(stored_zone(a_.id).serial, a_.serial + 1);
}

TEST_F(ZoneEditTest, CreateSetOfAnExistingSetIsDuplicate) {
    apply({create("www.a.example.", "A", {"192.0.2.1"})});
    auto e = refused({create("www.a.example.", "A", {"192.0.2.2"})});
    EXPECT_EQ(e.kind(), core::ErrorKind::Conflict);
    EXPECT_EQ(e.type(), "duplicate_recordset");
    EXPECT_EQ(e.operation(), 0u);
}

TEST_F(ZoneEditTest, LongestZoneWins) {
    auto sub = make_zone("sub.a.example.", owner_);
    auto r = apply({create("x.sub.a.example.", "A", {"192.0.2.1"})});
    EXPECT_EQ(r.operations[0].set->zone_id, sub.id);
    // A name in no zone of the caller: 404.
    auto e = refused({create("www.elsewhere.example.", "A", {"192.0.2.1"})});
    EXPECT_EQ(e.type(), "zone_not_found");
    // Another project's zone is not a candidate.
    auto other = svc().zone_for_name(member_of("project-b"), "www.a.example.");
    EXPECT_FALSE(other);
    EXPECT_EQ(svc().zone_for_name(owner_, "deep.x.sub.a.example.")->id, sub.id);
}

TEST_F(ZoneEditTest, AddValuesCreatesOrExtendsAndKeepsIds) {
    auto first = apply({add("www.a.example.", "A", {"192.0.2.1"})}).operations[0].set;
    ASSERT_TRUE(first);
    auto r = apply({add("www.a.example.", "A", {"192.0.2.1", "192.0.2.2"})});
    auto rs = *r.operations[0].set;
    EXPECT_EQ(values(rs), (V{"192.0.2.1", "192.0.2.2"}));
    EXPECT_EQ(rs.id, first->id);
    EXPECT_EQ(rs.records[0].id, first->records[0].id);
    EXPECT_EQ(rs.version, 2);
    // Adding only values already there changes nothing: no serial bump.
    auto serial = stored_zone(a_.id).serial;
    auto published = sink_.changes.size();
    apply({add("www.a.example.", "A", {"192.0.2.2"})});
    EXPECT_EQ(stored_zone(a_.id).serial, serial);
    EXPECT_EQ(sink_.changes.size(), published);
}

TEST_F(ZoneEditTest, RemoveValuesDeletesAnEmptiedSet) {
    apply({create("www.a.example.", "A", {"192.0.2.1", "192.0.2.2"})});
    apply({remove("www.a.example.", "A", {"192.0.2.1", "192.0.2.9"})});
    EXPECT_EQ(sorted_values(a_, "www.a.example.", "A"), V{"192.0.2.2"});
    auto r = apply({remove("www.a.example.", "A", {"192.0.2.2"})});
    EXPECT_FALSE(r.operations[0].set);
    EXPECT_TRUE(r.operations[0].previous);
    EXPECT_FALSE(find(a_, "www.a.example.", "A"));
    EXPECT_EQ(refused({remove("www.a.example.", "A", {"192.0.2.2"})}).type(),
              "recordset_not_found");
    auto missing_ok = remove("www.a.example.", "A", {"192.0.2.2"});
    missing_ok.missing_ok = true;
    apply({missing_ok});
}

TEST_F(ZoneEditTest, ReplaceSetUpsertsByNameAndReplacesMembers) {
    auto r = apply({replace("www.a.example.", "TXT", {"\"one\""})});
    EXPECT_EQ(r.operations[0].set->version, 1);
    auto o = replace("www.a.example.", "TXT", {"\"two\"", "\"three\""});
    o.ttl = std::optional<std::int64_t>(600);
    o.description = "texts";
    auto rs = *apply({o}).operations[0].set;
    EXPECT_EQ(values(rs), (V{"\"two\"", "\"three\""}));
    EXPECT_EQ(rs.ttl, 600u);
    EXPECT_EQ(rs.description, "texts");
    EXPECT_EQ(rs.version, 2);
    // Members not given stay; a TTL of "none" returns to the zone's.
    auto ttl_only = op(EditOpKind::ReplaceSet, "www.a.example.", "TXT");
    ttl_only.ttl = std::optional<std::int64_t>();
    rs = *apply({ttl_only}).operations[0].set;
    EXPECT_FALSE(rs.ttl);
    EXPECT_EQ(values(rs), (V{"\"two\"", "\"three\""}));
    // Without records an absent set cannot be created.
    EXPECT_EQ(refused({op(EditOpKind::ReplaceSet, "x.a.example.", "TXT")}).type(),
              "recordset_not_found");
}

TEST_F(ZoneEditTest, DeleteSetAndDeleteName) {
    apply({create("www.a.example.", "A", {"192.0.2.1"}), create("www.a.example.", "TXT", {"\"t\""}),
           create("www.a.example.", "MX", {"10 mx.a.example."})});
    auto r = apply({delete_set("www.a.example.", "A")});
    EXPECT_EQ(r.operations[0].previous->type, "A");
    EXPECT_FALSE(find(a_, "www.a.example.", "A"));
    EXPECT_EQ(refused({delete_set("www.a.example.", "A")}).type(), "recordset_not_found");

    auto before = sink_.changes.size();
    apply({delete_name("www.a.example.")});
    EXPECT_TRUE(store_->read()->recordsets_at(a_.id, "www.a.example.").empty());
    ASSERT_EQ(sink_.changes.size(), before + 1);
    EXPECT_EQ(sink_.changes.back().removed.size(), 2u);
    EXPECT_EQ(refused({delete_name("www.a.example.")}).type(), "recordset_not_found");
    // At the apex the managed SOA and NS stay.
    apply({create("a.example.", "MX", {"10 mx.a.example."})});
    apply({delete_name("a.example.")});
    EXPECT_TRUE(find(a_, "a.example.", "SOA"));
    EXPECT_TRUE(find(a_, "a.example.", "NS"));
    EXPECT_FALSE(find(a_, "a.example.", "MX"));
}

TEST_F(ZoneEditTest, SetAddressedByIdMustBeInTheGivenZone) {
    auto rs = *apply({create("www.a.example.", "A", {"192.0.2.1"})}).operations[0].set;
    EditOp by_id;
    by_id.kind = EditOpKind::ReplaceSet;
    by_id.target.recordset_id = rs.id;
    by_id.records = V{"192.0.2.7"};
    EXPECT_EQ(values(*apply({by_id}).operations[0].set), V{"192.0.2.7"});
    by_id.target.zone_id = b_.id;
    EXPECT_EQ(refused({by_id}).type(), "recordset_not_found");
    // Another project cannot reach it by id.
    by_id.target.zone_id.clear();
    EXPECT_REJECTED(svc().apply(member_of("project-b"), edit_of({by_id})), NotFound,
                    "recordset_not_found");
}

TEST_F(ZoneEditTest, Prerequisites) {
    using K = PrerequisiteKind;
    apply({create("www.a.example.", "A", {"192.0.2.1", "192.0.2.2"})});
    auto noop = [] { return std::vector<EditOp>{}; };
    // Each that holds.
    apply(noop(),
          {prereq(K::NameExists, "www.a.example."), prereq(K::NameAbsent, "nothing.a.example."),
           prereq(K::SetExists, "www.a.example.", "A"),
           prereq(K::SetAbsent, "www.a.example.", "AAAA"),
           prereq(K::SetEquals, "www.a.example.", "A", {"192.0.2.2", "192.0.2.1"}),
           prereq(K::SetVersion, "www.a.example.", "A", {}, 1)});
    Prerequisite zv = prereq(K::ZoneVersion, "");
    zv.target.zone_id = a_.id;
    zv.version = stored_zone(a_.id).version;
    apply(noop(), {zv});

    // Each that fails: 412 with its own type, index after the operations.
    auto one = std::vector<EditOp>{create("new.a.example.", "A", {"192.0.2.3"})};
    auto expect = [&](Prerequisite p, core::ErrorKind kind, const std::string& type) {
        auto e = refused(one, {prereq(K::NameExists, "www.a.example."), p});
        EXPECT_EQ(e.kind(), kind) << e.what();
        EXPECT_EQ(e.type(), type) << e.what();
        EXPECT_EQ(e.operation(), 2u) << e.what();
    };
    using E = core::ErrorKind;
    expect(prereq(K::NameExists, "nothing.a.example."), E::PreconditionFailed,
           kPrerequisiteNameAbsent);
    expect(prereq(K::NameAbsent, "www.a.example."), E::PreconditionFailed, kPrerequisiteNameExists);
    expect(prereq(K::SetExists, "www.a.example.", "AAAA"), E::PreconditionFailed,
           kPrerequisiteSetAbsent);
    expect(prereq(K::SetAbsent, "www.a.example.", "A"), E::PreconditionFailed,
           kPrerequisiteSetExists);
    expect(prereq(K::SetEquals, "www.a.example.", "A", {"192.0.2.1"}), E::PreconditionFailed,
           kPrerequisiteSetDiffers);
    expect(prereq(K::SetVersion, "www.a.example.", "A", {}, 7), E::PreconditionFailed,
           "precondition_failed");
    expect(prereq(K::SetVersion, "nothing.a.example.", "A", {}, 1), E::NotFound,
           "recordset_not_found");
    zv.version += 1;
    expect(zv, E::PreconditionFailed, "precondition_failed");
    EXPECT_FALSE(find(a_, "new.a.example.", "A"));
}

TEST_F(ZoneEditTest, MixedBatchAcrossTwoZonesIsOneChangePerZone) {
    apply({create("www.a.example.", "A", {"192.0.2.1"}),
           create("www.b.example.", "A", {"192.0.2.1"})});
    sink_.changes.clear();
    auto sa = stored_zone(a_.id).serial, sb = stored_zone(b_.id).serial;
    auto r = apply({add("www.a.example.", "A", {"192.0.2.2"}), delete_set("www.b.example.", "A"),
                    create("mail.a.example.", "MX", {"10 mx.b.example."}),
                    add("www.b.example.", "AAAA", {"2001:db8::1"})});
    ASSERT_EQ(r.zones.size(), 2u);
    EXPECT_EQ(stored_zone(a_.id).serial, sa + 1);
    EXPECT_EQ(stored_zone(b_.id).serial, sb + 1);
    ASSERT_EQ(sink_.changes.size(), 2u);
    const auto& ca = sink_.changes[0];
    const auto& cb = sink_.changes[1];
    EXPECT_EQ(ca.zone_id, a_.id);
    EXPECT_EQ(ca.old_serial, sa);
    EXPECT_EQ(ca.new_serial, sa + 1);
    EXPECT_EQ(ca.added, (std::vector<core::ResourceRecord>{
                            rr("www.a.example.", "A", 3600, "192.0.2.2"),
                            rr("mail.a.example.", "MX", 3600, "10 mx.b.example.")}));
    EXPECT_TRUE(ca.removed.empty());
    EXPECT_EQ(cb.removed,
              (std::vector<core::ResourceRecord>{rr("www.b.example.", "A", 3600, "192.0.2.1")}));
    EXPECT_EQ(
        cb.added,
        (std::vector<core::ResourceRecord>{rr("www.b.example.", "AAAA", 3600, "2001:db8::1")}));
    // Sinks learn the zone's new state from the change itself.
    ASSERT_TRUE(ca.zone);
    EXPECT_EQ(ca.zone->serial, sa + 1);
    EXPECT_EQ(ca.soa_data, values(stored_set(a_, "a.example.", "SOA"))[0]);
    EXPECT_EQ(change_log(a_).back().new_serial, sa + 1);
    EXPECT_EQ(change_log(b_).back().new_serial, sb + 1);
}

TEST_F(ZoneEditTest, BatchWhoseLastOperationFailsChangesNothing) {
    apply({create("www.a.example.", "A", {"192.0.2.1"})});
    sink_.changes.clear();
    auto e = refused({add("www.a.example.", "A", {"192.0.2.2"}),
                      create("x.b.example.", "A", {"192.0.2.1"}), delete_name("www.a.example."),
                      create("www.b.example.", "TXT", {"\"ok\""}),
                      delete_set("nothing.b.example.", "A")});
    EXPECT_EQ(e.type(), "recordset_not_found");
    EXPECT_EQ(e.operation(), 4u);
    EXPECT_TRUE(sink_.changes.empty());
    // Input errors name their operation too, before anything is read.
    auto bad = refused(
        {create("y.a.example.", "A", {"192.0.2.1"}), create("z.a.example.", "A", {"999.0.0.1"})});
    EXPECT_EQ(bad.type(), "invalid_object");
    EXPECT_EQ(bad.operation(), 1u);
}

TEST_F(ZoneEditTest, CnameRulesApplyToTheResultNotPerStep) {
    apply({create("x.a.example.", "A", {"192.0.2.1"})});
    // Delete A then add a CNAME at the same name: fine as a whole.
    apply({delete_set("x.a.example.", "A"), create("x.a.example.", "CNAME", {"t.a.example."})});
    EXPECT_TRUE(find(a_, "x.a.example.", "CNAME"));
    // The reverse order in one edit is equally fine.
    apply({create("y.a.example.", "A", {"192.0.2.1"})});
    apply({create("y.a.example.", "CNAME", {"t.a.example."}), delete_set("y.a.example.", "A")});
    EXPECT_FALSE(find(a_, "y.a.example.", "A"));
    // Add a CNAME then an A at one name: refused, blaming the A.
    auto e = refused({create("z.a.example.", "CNAME", {"t.a.example."}),
                      create("z.a.example.", "A", {"192.0.2.1"})});
    EXPECT_EQ(e.type(), "invalid_object");
    EXPECT_EQ(e.operation(), 1u);
    EXPECT_NE(std::string(e.what()).find("a CNAME already exists"), std::string::npos);
    // Beside an existing CNAME: blames the new set; a new CNAME beside an
    // existing set: blames the CNAME.
    auto c =
        refused({create("x2.a.example.", "TXT", {"\"t\""}), add("x.b.example.", "A", {"192.0.2.1"}),
                 create("y.a.example.", "AAAA", {"2001:db8::1"})});
    EXPECT_EQ(c.operation(), 2u);
    apply({create("q.a.example.", "A", {"192.0.2.1"})});
    auto d = refused({add("r.a.example.", "A", {"192.0.2.1"}),
                      create("q.a.example.", "CNAME", {"t.a.example."})});
    EXPECT_EQ(d.operation(), 1u);
    EXPECT_NE(std::string(d.what()).find("A CNAME cannot be added"), std::string::npos);
    // Two values in a CNAME built by two adds: refused on the result.
    auto two = refused({add("w.a.example.", "CNAME", {"t1.a.example."}),
                        add("w.a.example.", "CNAME", {"t2.a.example."})});
    EXPECT_EQ(two.operation(), 1u);
}

TEST_F(ZoneEditTest, ManagedSetsAndOwnerRules) {
    // The apex NS is managed: 403 for members, also inside a batch.
    auto e = refused({create("ok.a.example.", "A", {"192.0.2.1"}),
                      add("a.example.", "NS", {"ns9.example.net."})});
    EXPECT_EQ(e.kind(), core::ErrorKind::Forbidden);
    EXPECT_EQ(e.operation(), 1u);
    // SOA cannot be addressed by type at all.
    EXPECT_EQ(refused({replace("a.example.", "SOA", {"x"})}).type(), "invalid_object");
    // Owner rules on the result: CNAME at the apex, SRV shape.
    EXPECT_EQ(refused({add("a.example.", "CNAME", {"t.b.example."})}).type(), "invalid_object");
    EXPECT_EQ(refused({add("srv.a.example.", "SRV", {"1 1 5060 sip.a.example."})}).type(),
              "invalid_object");
    // Child zone placement: a name inside b's child belongs there; by name
    // lookup it lands in the child, by explicit parent id it is refused.
    auto child = make_zone("c.b.example.", owner_);
    EXPECT_EQ(apply({add("x.c.b.example.", "A", {"192.0.2.1"})}).operations[0].set->zone_id,
              child.id);
    EXPECT_EQ(
        refused({op(EditOpKind::AddValues, "y.c.b.example.", "A", V{"192.0.2.1"}, b_.id)}).type(),
        "invalid_object");
}

TEST_F(ZoneEditTest, QuotaIsCheckedOnTheResult) {
    settings_.quotas.recordsets_per_zone = 4;  // SOA + NS + 2
    restart();
    apply({create("one.a.example.", "A", {"192.0.2.1"})});
    // Delete one and create two: 5 > 4 -> refused; delete one, create one: fine.
    auto e =
        refused({delete_set("one.a.example.", "A"), create("two.a.example.", "A", {"192.0.2.1"}),
                 create("three.a.example.", "A", {"192.0.2.1"}),
                 create("four.a.example.", "A", {"192.0.2.1"})});
    EXPECT_EQ(e.kind(), core::ErrorKind::TooLarge);
    EXPECT_EQ(e.type(), "over_quota");
    EXPECT_EQ(e.operation(), 3u);
    apply({delete_set("one.a.example.", "A"), create("two.a.example.", "A", {"192.0.2.1"}),
           create("three.a.example.", "A", {"192.0.2.1"})});
    EXPECT_EQ(store_->read()->count_recordsets(a_.id), 4u);
}

TEST_F(ZoneEditTest, ReadersCannotApply) {
    EXPECT_REJECTED(
        svc().apply(reader_of("project-a"), edit_of({add("x.a.example.", "A", {"192.0.2.1"})})),
        Forbidden, "forbidden");
}

TEST_F(ZoneEditTest, DeleteAndCreateAgainInOneEditIsANewSet) {
    auto old = *apply({create("x.a.example.", "A", {"192.0.2.1"})}).operations[0].set;
    auto r = apply({delete_set("x.a.example.", "A"), create("x.a.example.", "A", {"192.0.2.9"})});
    auto now = find(a_, "x.a.example.", "A");
    ASSERT_TRUE(now);
    EXPECT_NE(now->id, old.id);
    EXPECT_EQ(values(*now), V{"192.0.2.9"});
    EXPECT_EQ(r.operations[1].set->id, now->id);
    EXPECT_EQ(store_->read()->count_recordsets(a_.id), 3u);
}

}  // namespace
}  // namespace dnsplane::service::testing
