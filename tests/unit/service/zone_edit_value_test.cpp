// Change set operations on one member of a set by its record id
// (ReplaceValue, RemoveValues with record_id), AddValues' only_if_added and
// ReplaceSet's only_if_changed.
#include "edit_fixture.h"

namespace dnsplane::service::testing {
namespace {

class ZoneEditValueTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        z_ = make_zone("v.example.", owner_);
        set_ = make_rs(z_, "www.v.example.", "A", {"192.0.2.1", "192.0.2.2", "192.0.2.3"}, 300);
        sink_.changes.clear();
    }

    EditOp by_id(EditOpKind kind, const std::string& record_id,
                 std::optional<std::vector<std::string>> records = std::nullopt) {
        EditOp o;
        o.kind = kind;
        o.target.zone_id = z_.id;
        o.target.recordset_id = set_.id;
        o.record_id = record_id;
        o.records = std::move(records);
        return o;
    }

    EditResult apply(EditOp o) { return svc().apply(owner_, edit_of({std::move(o)})); }

    core::Zone z_;
    core::RecordSet set_;
};

TEST_F(ZoneEditValueTest, ReplaceValueKeepsTheIdAndTheOtherMembers) {
    auto r = apply(by_id(EditOpKind::ReplaceValue, set_.records[1].id, {{"198.51.100.7"}}));
    auto after = stored_set(z_, "www.v.example.", "A");
    ASSERT_EQ(after.records.size(), 3u);
    EXPECT_EQ(after.records[0].id, set_.records[0].id);
    EXPECT_EQ(after.records[0].data, "192.0.2.1");
    EXPECT_EQ(after.records[1].id, set_.records[1].id);
    EXPECT_EQ(after.records[1].data, "198.51.100.7");
    EXPECT_EQ(after.records[2].id, set_.records[2].id);
    EXPECT_EQ(after.ttl, 300u);
    ASSERT_EQ(sink_.changes.size(), 1u);
    EXPECT_EQ(sink_.changes[0].removed, (std::vector{rr("www.v.example.", "A", 300, "192.0.2.2")}));
    EXPECT_EQ(sink_.changes[0].added,
              (std::vector{rr("www.v.example.", "A", 300, "198.51.100.7")}));
    EXPECT_EQ(r.operations[0].set->records[1].id, set_.records[1].id);
}

TEST_F(ZoneEditValueTest, ReplaceValueWithTtlChangesTheSetTtl) {
    auto o = by_id(EditOpKind::ReplaceValue, set_.records[0].id, {{"192.0.2.1"}});
    o.ttl = std::optional<std::int64_t>(600);
    apply(o);
    EXPECT_EQ(stored_set(z_, "www.v.example.", "A").ttl, 600u);
    o.ttl = std::optional<std::int64_t>();  // reset to the zone's TTL
    apply(o);
    EXPECT_FALSE(stored_set(z_, "www.v.example.", "A").ttl.has_value());
}

TEST_F(ZoneEditValueTest, ReplaceValueOntoAnotherMemberMergesKeepingTheAddressedId) {
    apply(by_id(EditOpKind::ReplaceValue, set_.records[0].id, {{"192.0.2.3"}}));
    auto after = stored_set(z_, "www.v.example.", "A");
    ASSERT_EQ(after.records.size(), 2u);
    EXPECT_EQ(after.records[0].id, set_.records[0].id);
    EXPECT_EQ(after.records[0].data, "192.0.2.3");
    EXPECT_EQ(after.records[1].data, "192.0.2.2");
}

TEST_F(ZoneEditValueTest, ReplaceValueOfAnUnknownIdIs404AndChangesNothing) {
    EXPECT_REJECTED(apply(by_id(EditOpKind::ReplaceValue, "nope", {{"192.0.2.9"}})), NotFound,
                    "record_not_found");
}

TEST_F(ZoneEditValueTest, ReplaceValueNeedsExactlyOneValue) {
    EXPECT_REJECTED(
        apply(by_id(EditOpKind::ReplaceValue, set_.records[0].id, {{"192.0.2.8", "192.0.2.9"}})),
        Invalid, "invalid_object");
    EXPECT_REJECTED(apply(by_id(EditOpKind::ReplaceValue, set_.records[0].id)), Invalid,
                    "invalid_object");
}

TEST_F(ZoneEditValueTest, ReplaceValueValidatesTheNewValue) {
    EXPECT_REJECTED(apply(by_id(EditOpKind::ReplaceValue, set_.records[0].id, {{"not-an-ip"}})),
                    Invalid, "invalid_object");
}

TEST_F(ZoneEditValueTest, RemoveValuesByRecordIdLeavesTheOthers) {
    apply(by_id(EditOpKind::RemoveValues, set_.records[1].id));
    auto after = stored_set(z_, "www.v.example.", "A");
    ASSERT_EQ(after.records.size(), 2u);
    EXPECT_EQ(after.records[0].id, set_.records[0].id);
    EXPECT_EQ(after.records[1].id, set_.records[2].id);
}

TEST_F(ZoneEditValueTest, RemoveValuesByRecordIdOfTheLastMemberDeletesTheSet) {
    apply(by_id(EditOpKind::RemoveValues, set_.records[0].id));
    apply(by_id(EditOpKind::RemoveValues, set_.records[1].id));
    apply(by_id(EditOpKind::RemoveValues, set_.records[2].id));
    EXPECT_FALSE(store_->read()->find_recordset(z_.id, "www.v.example.", "A").has_value());
}

TEST_F(ZoneEditValueTest, RemoveValuesOfAnAbsentIdIs404UnlessMissingOk) {
    EXPECT_REJECTED(apply(by_id(EditOpKind::RemoveValues, "gone")), NotFound, "record_not_found");
    auto o = by_id(EditOpKind::RemoveValues, "gone");
    o.missing_ok = true;
    auto before = snapshot();
    apply(o);
    EXPECT_EQ(snapshot(), before);
    EXPECT_TRUE(sink_.changes.empty());
}

TEST_F(ZoneEditValueTest, OnlyIfAddedIgnoresTtlWhenTheValueIsPresent) {
    auto o = add("www.v.example.", "A", {"192.0.2.2"});
    o.only_if_added = true;
    o.ttl = std::optional<std::int64_t>(60);
    auto before = snapshot();
    svc().apply(owner_, edit_of({o}));
    EXPECT_EQ(snapshot(), before);
    EXPECT_TRUE(sink_.changes.empty());
    o.records = std::vector<std::string>{"192.0.2.4"};
    svc().apply(owner_, edit_of({o}));
    auto after = stored_set(z_, "www.v.example.", "A");
    EXPECT_EQ(after.records.size(), 4u);
    EXPECT_EQ(after.ttl, 60u);
}

TEST_F(ZoneEditValueTest, OnlyIfChangedMakesAnIdenticalReplaceSetANoOp) {
    EditOp o;
    o.kind = EditOpKind::ReplaceSet;
    o.target.zone_id = z_.id;
    o.target.name = "www.v.example.";
    o.target.type = "A";
    o.records = std::vector<std::string>{"192.0.2.3", "192.0.2.1", "192.0.2.2"};
    o.ttl = std::optional<std::int64_t>(300);
    o.only_if_changed = true;
    auto before = snapshot();
    svc().apply(owner_, edit_of({o}));
    EXPECT_EQ(snapshot(), before);
    EXPECT_TRUE(sink_.changes.empty());
    o.ttl = std::optional<std::int64_t>(60);  // a different TTL is a change
    svc().apply(owner_, edit_of({o}));
    EXPECT_EQ(stored_set(z_, "www.v.example.", "A").ttl, 60u);
    EXPECT_EQ(sink_.changes.size(), 1u);
    o.records = std::vector<std::string>{"192.0.2.9"};  // other values too
    svc().apply(owner_, edit_of({o}));
    auto after = stored_set(z_, "www.v.example.", "A");
    ASSERT_EQ(after.records.size(), 1u);
    EXPECT_EQ(after.records[0].data, "192.0.2.9");
}

}  // namespace
}  // namespace dnsplane::service::testing
