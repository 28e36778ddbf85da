// Lexicon record semantics (record_ops): one record per value with a stable
// id; create/list/update/delete with Lexicon's rules, each one change set.
#include "service/record_ops.h"

#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

class RecordOpsTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        zone_ = make_zone("lex.example.", owner_);
        ops_ = std::make_unique<RecordOps>(svc());
        sink_.changes.clear();
    }

    CreateResult create(std::string type, std::string name, std::string content,
                        std::optional<std::int64_t> ttl = std::nullopt,
                        std::optional<std::int64_t> prio = std::nullopt) {
        return ops_->create(owner_, zone_, {type, name, content, ttl, prio});
    }
    std::vector<LexRecord> list(std::optional<std::string> type = std::nullopt,
                                std::optional<std::string> name = std::nullopt,
                                std::optional<std::string> content = std::nullopt) {
        return ops_->list(owner_, zone_, {type, name, content});
    }

    core::Zone zone_;
    std::unique_ptr<RecordOps> ops_;
};

TEST_F(RecordOpsTest, NamesInThreeFormsAreTheSameName) {
    EXPECT_EQ(lexicon_absolute_name("www", "lex.example."), "www.lex.example.");
    EXPECT_EQ(lexicon_absolute_name("WWW.lex.example", "lex.example."), "www.lex.example.");
    EXPECT_EQ(lexicon_absolute_name("www.lex.example.", "lex.example."), "www.lex.example.");
    EXPECT_EQ(lexicon_absolute_name("@", "lex.example."), "lex.example.");
    EXPECT_EQ(lexicon_absolute_name("lex.example", "lex.example."), "lex.example.");
}

TEST_F(RecordOpsTest, DomainIsTheCallersZoneByExactName) {
    EXPECT_EQ(ops_->domain(owner_, "LEX.example").id, zone_.id);
    EXPECT_EQ(ops_->domain(owner_, "lex.example.").id, zone_.id);
    EXPECT_THROW(ops_->domain(owner_, "www.lex.example"), core::Error);
    EXPECT_THROW(ops_->domain(member_of("other"), "lex.example"), core::Error);
    EXPECT_THROW(ops_->domain(owner_, "unknown.example"), core::Error);
}

TEST_F(RecordOpsTest, CreateAddsToTheSetAndDuplicateIsANoOpWithTheSameId) {
    auto a = create("txt", "_acme", "token-1");
    EXPECT_FALSE(a.existed);
    EXPECT_EQ(a.record.name, "_acme.lex.example.");
    EXPECT_EQ(a.record.type, "TXT");
    EXPECT_EQ(a.record.content, "token-1");
    EXPECT_EQ(a.record.ttl, 3600u);
    auto b = create("TXT", "_acme.lex.example.", "token-2");
    EXPECT_NE(b.record.id, a.record.id);
    auto published = sink_.changes.size();
    auto again = create("TXT", "_acme.lex.example", "token-1", 60);
    EXPECT_TRUE(again.existed);
    EXPECT_EQ(again.record.id, a.record.id);
    EXPECT_EQ(again.record.ttl, 3600u);
    EXPECT_EQ(sink_.changes.size(), published);
    auto set = stored_set(zone_, "_acme.lex.example.", "TXT");
    EXPECT_EQ(values(set), (std::vector<std::string>{"\"token-1\"", "\"token-2\""}));
}

TEST_F(RecordOpsTest, CreateTtlZeroOrAbsentIsTheZoneDefault) {
    create("A", "a", "192.0.2.1", 300);
    EXPECT_EQ(stored_set(zone_, "a.lex.example.", "A").ttl, 300u);
    create("A", "a", "192.0.2.2", 0);
    EXPECT_FALSE(stored_set(zone_, "a.lex.example.", "A").ttl.has_value());
    EXPECT_EQ(list("A", "a")[0].ttl, 3600u);
}

TEST_F(RecordOpsTest, ListSplitsSetsAndFilters) {
    create("A", "www", "192.0.2.1");
    create("A", "www", "192.0.2.2");
    create("CNAME", "docs", "www.lex.example");
    auto all = list();
    EXPECT_GE(all.size(), 5u);  // SOA, two NS, two A, one CNAME
    auto www = list("A", "www.lex.example.");
    ASSERT_EQ(www.size(), 2u);
    EXPECT_NE(www[0].id, www[1].id);
    EXPECT_EQ(list("A", "www", "192.0.2.2").size(), 1u);
    EXPECT_TRUE(list("A", "nothing-here").empty());
    auto docs = list(std::nullopt, "docs");
    ASSERT_EQ(docs.size(), 1u);
    EXPECT_EQ(docs[0].content, "www.lex.example");
    EXPECT_EQ(list("CNAME", "docs", "www.lex.example.").size(), 1u);
}

TEST_F(RecordOpsTest, MxPriorityLivesInOptions) {
    auto r = create("MX", "@", "mail.lex.example", std::nullopt, 20);
    EXPECT_EQ(r.record.content, "mail.lex.example");
    EXPECT_EQ(r.record.mx_priority, 20);
    EXPECT_EQ(values(stored_set(zone_, "lex.example.", "MX")),
              std::vector<std::string>{"20 mail.lex.example."});
    auto u = ops_->update(owner_, zone_, r.record.id, {{}, {}, {}, {}, 5});
    EXPECT_EQ(u.mx_priority, 5);
    EXPECT_EQ(u.id, r.record.id);
    EXPECT_EQ(u.content, "mail.lex.example");
}

TEST_F(RecordOpsTest, UpdateByIdChangesOnlyThatMemberAndKeepsItsId) {
    auto a = create("A", "www", "192.0.2.1", 300);
    auto b = create("A", "www", "192.0.2.2", 300);
    auto u = ops_->update(owner_, zone_, b.record.id, {{}, {}, "198.51.100.2", {}, {}});
    EXPECT_EQ(u.id, b.record.id);
    EXPECT_EQ(u.content, "198.51.100.2");
    EXPECT_EQ(u.ttl, 300u);  // TTL absent: kept
    auto set = stored_set(zone_, "www.lex.example.", "A");
    EXPECT_EQ(values(set), (std::vector<std::string>{"192.0.2.1", "198.51.100.2"}));
    EXPECT_EQ(set.records[0].id, a.record.id);
    ops_->update(owner_, zone_, b.record.id, {{}, {}, {}, 0, {}});
    EXPECT_FALSE(stored_set(zone_, "www.lex.example.", "A").ttl.has_value());
}

TEST_F(RecordOpsTest, UpdateByFilterNeedsOneMatch) {
    create("TXT", "t", "one");
    auto u = ops_->update(owner_, zone_, RecordFilter{"TXT", "t", {}},
                          RecordChange{{}, {}, "uno", {}, {}});
    EXPECT_EQ(u.content, "uno");
    create("TXT", "t", "two");
    EXPECT_REJECTED(ops_->update(owner_, zone_, RecordFilter{"TXT", "t", {}},
                                 RecordChange{{}, {}, "x", {}, {}}),
                    Conflict, "ambiguous_filter");
    auto v = ops_->update(owner_, zone_, RecordFilter{"TXT", "t.lex.example.", "two"},
                          RecordChange{{}, {}, "dos", {}, {}});
    EXPECT_EQ(v.content, "dos");
    EXPECT_REJECTED(ops_->update(owner_, zone_, RecordFilter{"TXT", "absent", {}},
                                 RecordChange{{}, {}, "x", {}, {}}),
                    NotFound, "record_not_found");
    EXPECT_REJECTED(ops_->update(owner_, zone_, "no-such-id", RecordChange{{}, {}, "x", {}, {}}),
                    NotFound, "record_not_found");
}

TEST_F(RecordOpsTest, RenameMovesOnlyThatMember) {
    auto a = create("A", "old", "192.0.2.1", 120);
    create("A", "old", "192.0.2.2", 120);
    auto moved = ops_->update(owner_, zone_, a.record.id, {{}, "new", {}, {}, {}});
    EXPECT_EQ(moved.name, "new.lex.example.");
    EXPECT_EQ(moved.content, "192.0.2.1");
    EXPECT_EQ(moved.ttl, 120u);
    EXPECT_EQ(values(stored_set(zone_, "old.lex.example.", "A")),
              std::vector<std::string>{"192.0.2.2"});
    EXPECT_EQ(values(stored_set(zone_, "new.lex.example.", "A")),
              std::vector<std::string>{"192.0.2.1"});
    EXPECT_EQ(sink_.changes.size(), 3u);  // two creates, one move (one change set)
}

TEST_F(RecordOpsTest, DeleteByContentLeavesTheOthersAndWithoutContentRemovesTheSet) {
    create("TXT", "d", "a");
    create("TXT", "d", "b");
    create("TXT", "d", "c");
    EXPECT_EQ(ops_->remove(owner_, zone_, RecordFilter{"TXT", "d", "b"}), 1u);
    EXPECT_EQ(values(stored_set(zone_, "d.lex.example.", "TXT")),
              (std::vector<std::string>{"\"a\"", "\"c\""}));
    EXPECT_EQ(ops_->remove(owner_, zone_, RecordFilter{"TXT", "d.lex.example", {}}), 2u);
    EXPECT_TRUE(list("TXT", "d").empty());
}

TEST_F(RecordOpsTest, DeleteOfAbsentRecordsIsASuccessThatChangesNothing) {
    auto before = snapshot();
    EXPECT_EQ(ops_->remove(owner_, zone_, RecordFilter{"TXT", "nothing", "x"}), 0u);
    EXPECT_EQ(ops_->remove(owner_, zone_, RecordFilter{"TXT", "nothing", {}}), 0u);
    EXPECT_EQ(ops_->remove(owner_, zone_, std::string("no-such-id")), 0u);
    EXPECT_EQ(snapshot(), before);
    EXPECT_TRUE(sink_.changes.empty());
}

TEST_F(RecordOpsTest, DeleteByIdEmptiesTheSet) {
    auto a = create("AAAA", "six", "2001:DB8::1");
    EXPECT_EQ(a.record.content, "2001:db8::1");
    EXPECT_EQ(ops_->remove(owner_, zone_, a.record.id), 1u);
    EXPECT_FALSE(store_->read()->find_recordset(zone_.id, "six.lex.example.", "AAAA"));
}

TEST_F(RecordOpsTest, IdsSurviveUnrelatedChangesAndRestart) {
    auto a = create("A", "keep", "192.0.2.1");
    create("A", "keep", "192.0.2.2");
    create("TXT", "other", "x");
    ops_->remove(owner_, zone_, RecordFilter{"A", "keep", "192.0.2.2"});
    restart();
    RecordOps again(svc());
    auto l = again.list(owner_, zone_, {"A", "keep", {}});
    ASSERT_EQ(l.size(), 1u);
    EXPECT_EQ(l[0].id, a.record.id);
}

TEST_F(RecordOpsTest, BadInputIsRejectedAndChangesNothing) {
    EXPECT_REJECTED(create("A", "x", "not-an-address"), Invalid, "invalid_object");
    EXPECT_REJECTED(create("BOGUS", "x", "1"), Invalid, "invalid_object");
    EXPECT_REJECTED(create("A", "x", "192.0.2.1", -5), Invalid, "invalid_object");
    EXPECT_REJECTED(create("A", "x.elsewhere.example.", "192.0.2.1"), Invalid, "invalid_object");
    EXPECT_REJECTED(ops_->remove(owner_, zone_, RecordFilter{{}, "x", {}}), Invalid,
                    "invalid_object");
    EXPECT_REJECTED(ops_->create(reader_of("project-a"), zone_, {"A", "x", "192.0.2.1", {}, {}}),
                    Forbidden, "forbidden");
}

}  // namespace
}  // namespace dnsplane::service::testing
