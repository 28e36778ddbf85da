// ZoneService::commit with a validating CommitHook (issue 13): the hook is
// asked about a request's planned changes outside the shared transaction, so
// a slow validator holds back only its own request; a veto changes nothing;
// a plan changed by a concurrent commit is asked again. And retired projects:
// their zones cannot be changed until bound again.
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>

#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

using namespace std::chrono_literals;

// Validates by zone name: the first request about `blocked_zone` waits until
// release() (later ones pass); a TXT is vetoed.
class GateHook : public CommitHook {
  public:
    void before_commit(store::WriteTxn&, const std::vector<core::ZoneChange>&) override {}
    bool validates() const override { return true; }
    void validate(const std::vector<core::ZoneChange>& planned) override {
        std::unique_lock lock(mutex_);
        asked.push_back(planned);
        for (const auto& c : planned) {
            for (const auto& rr : c.added)
                if (rr.type == "TXT")
                    throw core::Error(core::ErrorKind::Forbidden, "change_vetoed", "no TXT");
            if (c.zone_name == blocked_zone && !waiting) {
                waiting = true;
                cv_.notify_all();
                cv_.wait(lock, [&] { return released; });
            }
        }
    }
    void wait_until_waiting() {
        std::unique_lock lock(mutex_);
        ASSERT_TRUE(cv_.wait_for(lock, 10s, [&] { return waiting; }));
    }
    void release() {
        std::lock_guard lock(mutex_);
        released = true;
        cv_.notify_all();
    }
    // The plans the hook saw for `zone` that add `value` (any when empty).
    std::vector<std::vector<core::ZoneChange>> asked_about(const std::string& zone,
                                                           const std::string& value = "") {
        std::lock_guard lock(mutex_);
        std::vector<std::vector<core::ZoneChange>> out;
        for (const auto& a : asked) {
            if (a.empty() || a.front().zone_name != zone) continue;
            bool adds = value.empty();
            for (const auto& r : a.front().added) adds = adds || r.data == value;
            if (adds) out.push_back(a);
        }
        return out;
    }

    std::string blocked_zone;
    std::vector<std::vector<core::ZoneChange>> asked;
    bool waiting = false;
    bool released = false;

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
};

class ValidatedCommitTest : public ServiceTest {
  protected:
    ZoneEdit add_a(const std::string& name, const std::string& value) {
        ZoneEdit e;
        EditOp op;
        op.kind = EditOpKind::AddValues;
        op.target.name = name;
        op.target.type = "A";
        op.records = std::vector<std::string>{value};
        e.operations.push_back(op);
        return e;
    }
    ZoneEdit replace_a(const std::string& name, const std::string& value) {
        ZoneEdit e = add_a(name, value);
        e.operations[0].kind = EditOpKind::ReplaceSet;
        return e;
    }
};

TEST_F(ValidatedCommitTest, SlowValidatorOfOneZoneDoesNotHoldBackAnother) {
    auto za = make_zone("slow.example.", owner_);
    auto zb = make_zone("fast.example.", owner_);
    GateHook hook;
    hook.blocked_zone = za.name;
    svc().set_commit_hook(&hook);

    auto slow = std::async(std::launch::async,
                           [&] { svc().apply(owner_, add_a("a.slow.example.", "192.0.2.1")); });
    hook.wait_until_waiting();
    // While A's validator is blocked, writes of B validate and commit.
    for (int i = 0; i < 5; ++i) {
        auto fast = std::async(std::launch::async, [&, i] {
            svc().apply(owner_, add_a("b" + std::to_string(i) + ".fast.example.", "192.0.2.2"));
        });
        ASSERT_EQ(fast.wait_for(10s), std::future_status::ready) << "write " << i << " waited";
        fast.get();
    }
    EXPECT_EQ(slow.wait_for(0s), std::future_status::timeout);
    EXPECT_FALSE(store_->read()->find_recordset(za.id, "a.slow.example.", "A").has_value());
    hook.release();
    slow.get();
    EXPECT_EQ(values(stored_set(za, "a.slow.example.", "A")),
              std::vector<std::string>{"192.0.2.1"});
    // The hook saw A's change once, as planned.
    auto asked = hook.asked_about(za.name);
    ASSERT_EQ(asked.size(), 1u);
    EXPECT_EQ(asked[0][0].added,
              (std::vector<core::ResourceRecord>{rr("a.slow.example.", "A", 3600, "192.0.2.1")}));
}

TEST_F(ValidatedCommitTest, VetoChangesNothingAndTheHookSeesThePlan) {
    auto z = make_zone("veto.example.", owner_);
    GateHook hook;
    svc().set_commit_hook(&hook);
    EXPECT_REJECTED(make_rs(z, "t.veto.example.", "TXT", {"\"x\""}), Forbidden, "change_vetoed");
    // A request the service refuses never reaches the hook.
    const auto before = hook.asked.size();
    EXPECT_REJECTED(make_rs(z, "c.veto.example.", "CNAME", {"a.", "b."}), Invalid,
                    "invalid_object");
    EXPECT_EQ(hook.asked.size(), before);
    make_rs(z, "a.veto.example.", "A", {"192.0.2.1"});
    EXPECT_EQ(hook.asked.size(), before + 1);
}

TEST_F(ValidatedCommitTest, APlanChangedByAConcurrentCommitIsAskedAgain) {
    auto z = make_zone("race.example.", owner_);
    auto other = make_zone("other.example.", owner_);
    make_rs(z, "s.race.example.", "A", {"192.0.2.1"});
    GateHook hook;
    hook.blocked_zone = z.name;
    svc().set_commit_hook(&hook);

    // X replaces the set; while its validator waits, Y adds a value to it
    // (validated and committed at once), so X's plan no longer removes what
    // it will remove: X is planned and asked again.
    auto x = std::async(std::launch::async,
                        [&] { svc().apply(owner_, replace_a("s.race.example.", "192.0.2.9")); });
    hook.wait_until_waiting();
    svc().apply(owner_, add_a("s.race.example.", "192.0.2.5"));
    EXPECT_EQ(values(stored_set(z, "s.race.example.", "A")),
              (std::vector<std::string>{"192.0.2.1", "192.0.2.5"}));
    hook.release();
    x.get();
    EXPECT_EQ(values(stored_set(z, "s.race.example.", "A")), std::vector<std::string>{"192.0.2.9"});
    EXPECT_EQ(hook.asked_about(z.name, "192.0.2.5").size(), 1u);
    auto asked = hook.asked_about(z.name, "192.0.2.9");
    ASSERT_EQ(asked.size(), 2u);  // the first plan, then the one after Y
    EXPECT_EQ(asked[0][0].removed.size(), 1u);
    EXPECT_EQ(asked[1][0].removed.size(), 2u);
    (void)other;
}

TEST_F(ValidatedCommitTest, SameToValidatorIgnoresSerialsAndTimes) {
    core::ZoneChange a;
    a.zone_id = "z";
    a.zone_name = "z.example.";
    a.added = {rr("a.z.example.", "A", 60, "192.0.2.1")};
    core::ZoneChange b = a;
    b.old_serial = 7;
    b.new_serial = 8;
    b.committed_at = "later";
    EXPECT_TRUE(same_to_validator({a}, {b}));
    b.added[0].ttl = 61;
    EXPECT_FALSE(same_to_validator({a}, {b}));
    EXPECT_FALSE(same_to_validator({a}, {}));
}

TEST_F(ValidatedCommitTest, RetiredProjectsZonesCannotBeChangedUntilBoundAgain) {
    auto z = make_zone("retired.example.", owner_);
    make_rs(z, "a.retired.example.", "A", {"192.0.2.1"});
    svc().projects().set(owner_.project_id, true);
    // Not by the project, and not by an admin of another project either.
    const Caller admin = admin_of("ops", /*all_projects=*/true);
    EXPECT_REJECTED(make_rs(z, "b.retired.example.", "A", {"192.0.2.2"}), Forbidden,
                    "project_retired");
    EXPECT_REJECTED(svc().apply(admin, add_a("c.retired.example.", "192.0.2.3")), Forbidden,
                    "project_retired");
    EXPECT_REJECTED(svc().delete_zone(admin, z.id), Forbidden, "project_retired");
    ZoneUpdate u;
    u.ttl = 600;
    EXPECT_REJECTED(svc().update_zone(admin, z.id, u), Forbidden, "project_retired");
    EXPECT_REJECTED(make_zone("new.example.", owner_), Forbidden, "project_retired");
    // Reads still work (the zone keeps being served).
    EXPECT_EQ(svc().get_zone(admin, z.id).name, z.name);
    svc().projects().set(owner_.project_id, false);
    make_rs(z, "b.retired.example.", "A", {"192.0.2.2"});
}

TEST_F(ValidatedCommitTest, RetiredStatusIsReadFromTheStore) {
    {
        auto txn = store_->write();
        txn->put_tenant("gone", "retired", "t");
        txn->put_tenant("here", "active", "t");
        txn->commit();
    }
    restart();
    EXPECT_TRUE(svc().projects().retired("gone"));
    EXPECT_FALSE(svc().projects().retired("here"));
    EXPECT_FALSE(svc().projects().retired("never-bound"));
    EXPECT_FALSE(svc().projects().retired(""));
    EXPECT_THROW(require_active_project(svc().projects(), "gone"), core::Error);
}

}  // namespace
}  // namespace dnsplane::service::testing
