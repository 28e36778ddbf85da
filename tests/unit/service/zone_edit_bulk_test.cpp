// Big change sets addressed by zone id and name (the webhook's and zone
// import's shape): the names are read in one query per zone before the edit
// runs and the new sets are written with multi-row inserts. The semantics
// must be those of a small edit: every set written, one change per zone,
// prerequisites seen against the state before the edit, the child-zone rule,
// errors tagged with their operation, all or nothing.
#include <algorithm>

#include "edit_fixture.h"

namespace dnsplane::service::testing {
namespace {

class ZoneEditBulkTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        a_ = make_zone("a.example.", owner_);
        b_ = make_zone("b.example.", owner_);
        sink_.changes.clear();
    }

    static EditOp in(const core::Zone& z, EditOp o) {
        o.target.zone_id = z.id;
        return o;
    }
    static Prerequisite in(const core::Zone& z, Prerequisite p) {
        p.target.zone_id = z.id;
        return p;
    }
    EditResult apply_ok(std::vector<EditOp> ops, std::vector<Prerequisite> pre = {}) {
        return svc().apply(owner_, edit_of(std::move(ops), std::move(pre)));
    }
    static std::string ip(std::size_t i) {
        return "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250);
    }

    core::Zone a_, b_;
};

TEST_F(ZoneEditBulkTest, ThousandsOfCreatesAcrossTwoZonesAreOneChangePerZone) {
    apply_ok({in(a_, create("keep.a.example.", "A", {"192.0.2.1"})),
              in(a_, create("gone.a.example.", "A", {"192.0.2.2"}))});
    auto keep = stored_set(a_, "keep.a.example.", "A");
    sink_.changes.clear();
    const auto sa = stored_zone(a_.id).serial, sb = stored_zone(b_.id).serial;

    ZoneEdit edit;
    for (std::size_t i = 0; i < 1500; ++i) {
        const std::string name = "h" + std::to_string(i) + ".a.example.";
        edit.prerequisites.push_back(in(a_, prereq(PrerequisiteKind::SetAbsent, name, "A")));
        edit.operations.push_back(in(a_, replace(name, "A", {ip(i)})));
    }
    for (std::size_t i = 0; i < 600; ++i)
        edit.operations.push_back(
            in(b_, create("H" + std::to_string(i) + ".B.example.", "TXT", {"\"v\""})));
    edit.prerequisites.push_back(
        in(a_, prereq(PrerequisiteKind::SetVersion, "keep.a.example.", "A", {}, keep.version)));
    edit.operations.push_back(in(a_, add("keep.a.example.", "A", {"192.0.2.3"})));
    edit.operations.push_back(in(a_, delete_set("gone.a.example.", "A")));
    auto r = svc().apply(owner_, edit);

    ASSERT_EQ(r.operations.size(), edit.operations.size());
    EXPECT_EQ(r.operations[7].set->name, "h7.a.example.");
    EXPECT_EQ(r.operations[1500].set->name, "h0.b.example.");
    auto txn = store_->read();
    EXPECT_EQ(txn->count_recordsets(a_.id), 2u + 1500u + 1u);  // SOA, NS, h*, keep
    EXPECT_EQ(txn->count_recordsets(b_.id), 2u + 600u);
    EXPECT_EQ(values(*txn->find_recordset(a_.id, "h1499.a.example.", "A")),
              std::vector<std::string>{ip(1499)});
    EXPECT_EQ(values(*txn->find_recordset(b_.id, "h599.b.example.", "TXT")),
              std::vector<std::string>{"\"v\""});
    auto kept = *txn->find_recordset(a_.id, "keep.a.example.", "A");
    EXPECT_EQ(kept.id, keep.id);
    EXPECT_EQ(values(kept), (std::vector<std::string>{"192.0.2.1", "192.0.2.3"}));
    EXPECT_FALSE(txn->find_recordset(a_.id, "gone.a.example.", "A"));

    ASSERT_EQ(sink_.changes.size(), 2u);
    const auto& ca = sink_.changes[0];
    EXPECT_EQ(ca.zone_id, a_.id);
    EXPECT_EQ(ca.old_serial, sa);
    EXPECT_EQ(ca.new_serial, sa + 1);
    EXPECT_EQ(ca.added.size(), 1500u + 1u);
    EXPECT_EQ(ca.removed,
              (std::vector<core::ResourceRecord>{rr("gone.a.example.", "A", 3600, "192.0.2.2")}));
    EXPECT_EQ(sink_.changes[1].zone_id, b_.id);
    EXPECT_EQ(sink_.changes[1].new_serial, sb + 1);
    EXPECT_EQ(sink_.changes[1].added.size(), 600u);
    EXPECT_EQ(change_log(a_).back().added.size(), 1501u);
}

TEST_F(ZoneEditBulkTest, ABigBatchWhoseLastOperationFailsChangesNothing) {
    apply_ok({in(a_, create("taken.a.example.", "A", {"192.0.2.1"}))});
    sink_.changes.clear();
    std::vector<EditOp> ops;
    for (std::size_t i = 0; i < 1000; ++i)
        ops.push_back(in(a_, create("n" + std::to_string(i) + ".a.example.", "A", {ip(i)})));
    ops.push_back(in(a_, create("taken.a.example.", "A", {"192.0.2.9"})));
    auto e = rejected([&] { svc().apply(owner_, edit_of(ops)); });
    EXPECT_EQ(e.type(), "duplicate_recordset");
    EXPECT_EQ(e.operation(), 1000u);
    EXPECT_FALSE(store_->read()->find_recordset(a_.id, "n0.a.example.", "A"));
}

TEST_F(ZoneEditBulkTest, PrerequisitesSeeTheStateBeforeTheEdit) {
    apply_ok({in(a_, create("x.a.example.", "A", {"192.0.2.1"}))});
    sink_.changes.clear();
    std::vector<EditOp> ops;
    std::vector<Prerequisite> pre;
    for (std::size_t i = 0; i < 50; ++i) {
        const std::string name = "p" + std::to_string(i) + ".a.example.";
        pre.push_back(in(a_, prereq(PrerequisiteKind::NameAbsent, name)));
        ops.push_back(in(a_, create(name, "A", {ip(i)})));
    }
    // The edit creates x's neighbour, but x itself existed before: refused,
    // naming the prerequisite (operations.size() + its index).
    pre.push_back(in(a_, prereq(PrerequisiteKind::SetAbsent, "X.A.example.", "a")));
    auto e = rejected([&] { svc().apply(owner_, edit_of(ops, pre)); });
    EXPECT_EQ(e.kind(), core::ErrorKind::PreconditionFailed);
    EXPECT_EQ(e.operation(), ops.size() + 50u);
    // SetEquals on a preloaded name; then an op on the same name in another case.
    pre.back() = in(a_, prereq(PrerequisiteKind::SetEquals, "x.a.example.", "A", {"192.0.2.1"}));
    ops.push_back(in(a_, add("X.a.example.", "A", {"192.0.2.2"})));
    apply_ok(ops, pre);
    EXPECT_EQ(values(stored_set(a_, "x.a.example.", "A")),
              (std::vector<std::string>{"192.0.2.1", "192.0.2.2"}));
    EXPECT_EQ(store_->read()->count_recordsets(a_.id), 2u + 51u);
}

TEST_F(ZoneEditBulkTest, ChildZoneRuleAndInvisibleZonesKeepTheirOperationIndex) {
    auto sub = make_zone("sub.a.example.", owner_);
    sink_.changes.clear();
    std::vector<EditOp> ops;
    for (std::size_t i = 0; i < 30; ++i)
        ops.push_back(in(a_, create("c" + std::to_string(i) + ".a.example.", "A", {ip(i)})));
    // The delegation NS at the child's apex may live in the parent ...
    ops.push_back(in(a_, create("sub.a.example.", "NS", {"ns1.example.net."})));
    ops.push_back(in(a_, create("c30.a.example.", "A", {"192.0.2.1"})));
    // ... a name below the child may not.
    ops.push_back(in(a_, create("www.sub.a.example.", "A", {"192.0.2.1"})));
    auto e = rejected([&] { svc().apply(owner_, edit_of(ops)); });
    EXPECT_EQ(e.type(), "invalid_object");
    EXPECT_EQ(e.operation(), 32u);
    EXPECT_NE(std::string(e.what()).find("child zone 'sub.a.example.'"), std::string::npos);
    ops.pop_back();
    // A zone of another project in the middle of the batch: 404, its index.
    auto other = make_zone("other.example.", member_of("project-b"));
    sink_.changes.clear();
    ops.insert(ops.begin() + 10, in(other, create("x.other.example.", "A", {"192.0.2.1"})));
    auto hidden = rejected([&] { svc().apply(owner_, edit_of(ops)); });
    EXPECT_EQ(hidden.type(), "zone_not_found");
    EXPECT_EQ(hidden.operation(), 10u);
    ops.erase(ops.begin() + 10);
    apply_ok(ops);
    EXPECT_TRUE(store_->read()->find_recordset(a_.id, "sub.a.example.", "NS"));
    EXPECT_EQ(store_->read()->count_recordsets(a_.id), 2u + 32u);
    (void)sub;
}

}  // namespace
}  // namespace dnsplane::service::testing
