// CommitHook (issue 13): runs inside the request's savepoint before COMMIT;
// a veto rolls back only that request and publishes nothing; rows the hook
// writes commit atomically with the change. CommitObserver hears outcomes.
#include <atomic>

#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

class VetoTxt : public CommitHook {
  public:
    void before_commit(store::WriteTxn& txn,
                       const std::vector<core::ZoneChange>& changes) override {
        for (const auto& c : changes) {
            for (const auto& rr : c.added)
                if (rr.type == "TXT")
                    throw core::Error(core::ErrorKind::Forbidden, "change_vetoed", "no TXT");
            store::OutboxEvent e;
            e.id = "ev-" + std::to_string(++count);
            e.zone_id = c.zone_id;
            e.sequence = txn.next_event_sequence(c.zone_id);
            e.payload = "{}";
            txn.append_outbox(e);
        }
    }
    int count = 0;
};

class Outcomes : public CommitObserver {
  public:
    void on_commit_outcome(bool ok) override { (ok ? good : bad)++; }
    std::atomic<int> good{0}, bad{0};
};

class CommitHookTest : public ServiceTest {};

TEST_F(CommitHookTest, VetoRollsBackOnlyThisRequestAndOutboxCommitsWithChanges) {
    VetoTxt hook;
    Outcomes outcomes;
    svc().set_commit_hook(&hook);
    svc().set_commit_observer(&outcomes);
    auto z = make_zone("hook.example.", owner_);
    make_rs(z, "a.hook.example.", "A", {"192.0.2.1"});
    auto e = rejected([&] { make_rs(z, "t.hook.example.", "TXT", {"\"x\""}); });
    EXPECT_EQ(e.kind(), core::ErrorKind::Forbidden);
    EXPECT_EQ(e.type(), "change_vetoed");

    auto events = store_->read()->outbox_head(10);
    ASSERT_EQ(events.size(), 2u);  // zone creation and the A record set
    EXPECT_EQ(events[0].sequence, 1);
    EXPECT_EQ(events[1].sequence, 2);
    EXPECT_EQ(events[0].zone_id, z.id);
    EXPECT_GE(outcomes.good.load(), 2);
    EXPECT_EQ(outcomes.bad.load(), 0);

    // Sequences survive acknowledgements.
    {
        auto txn = store_->write();
        for (const auto& ev : events) txn->ack_outbox(ev.seq);
        txn->commit();
    }
    EXPECT_EQ(store_->read()->outbox_size(), 0u);
    make_rs(z, "b.hook.example.", "A", {"192.0.2.2"});
    auto next = store_->read()->outbox_head(10);
    ASSERT_EQ(next.size(), 1u);
    EXPECT_EQ(next[0].sequence, 3);
}

TEST_F(CommitHookTest, BindingsAndTenantsAreStored) {
    {
        auto txn = store_->write();
        txn->put_hook_binding({"change_committed", "io.example", "1", "http://x/a", "t"});
        txn->put_hook_binding({"change_committed", "io.example", "2", "http://x/b", "t"});
        txn->put_tenant("acme", "active", "t");
        txn->probe_write("t");
        txn->commit();
    }
    auto txn = store_->read();
    auto b = txn->hook_bindings();
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0].endpoint, "http://x/b");
    EXPECT_EQ(txn->tenant_status("acme"), "active");
    EXPECT_EQ(txn->tenant_status("other"), std::nullopt);
}

}  // namespace
}  // namespace dnsplane::service::testing
