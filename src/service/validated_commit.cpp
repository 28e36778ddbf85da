// ZoneService::commit: every write's way into the group commit, with the
// validate_change hook asked OUTSIDE the shared transaction.
//
// Asking the hook inside the batch (as a CommitHook step) would make every
// request committed with a slow validator's request wait for it. Instead a
// request is run twice when a validator is bound:
//   1. plan: the work runs in the next batch, in its savepoint, and is rolled
//      back at once (nothing written, nobody waits on the hook);
//   2. the hook is asked about the planned changes, outside any transaction
//      (a veto ends the request: nothing changed);
//   3. commit: the work runs again in a later batch; if it makes the changes
//      the hook allowed (same_to_validator) they commit; if a concurrent
//      commit changed them, the request is rolled back and planned again.
// After kMaxPlans plans that a concurrent writer kept changing, the hook is
// asked inside the batch (the old way), so a request always ends.
#include "service/commit_hook.h"
#include "service/tenancy.h"
#include "service/zone_service.h"

namespace dnsplane::service {

namespace {

constexpr int kMaxPlans = 3;

struct PlanDone {};  // thrown by a planning run to roll it back
struct Replan {};    // thrown by a commit run whose changes differ from the plan

}  // namespace

bool same_to_validator(const std::vector<core::ZoneChange>& a,
                       const std::vector<core::ZoneChange>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto& x = a[i];
        const auto& y = b[i];
        if (x.zone_id != y.zone_id || x.zone_name != y.zone_name || x.added != y.added ||
            x.removed != y.removed || x.zone_created != y.zone_created ||
            x.zone_deleted != y.zone_deleted)
            return false;
    }
    return true;
}

void ZoneService::commit(const GroupCommitter::Work& work,
                         std::vector<GroupCommitter::NameHint> hints) {
    // Retired projects' zones cannot be changed (by anyone): checked on the
    // zone row each change leaves (deletions check their zone themselves).
    auto guarded = [&](store::WriteTxn& txn) {
        auto changes = work(txn);
        for (const auto& c : changes)
            if (c.zone) require_active_project(projects_, txn, c.zone->project_id);
        return changes;
    };
    if (!hook_ || !hook_->validates()) {
        committer_.run(guarded, std::move(hints));
        return;
    }
    for (int plan = 1;; ++plan) {
        std::vector<core::ZoneChange> planned;
        try {
            committer_.run([&](store::WriteTxn& txn) -> std::vector<core::ZoneChange> {
                planned = guarded(txn);
                throw PlanDone{};
            });
        } catch (const PlanDone&) {
        }
        if (!planned.empty()) hook_->validate(planned);
        const bool last = plan >= kMaxPlans;
        try {
            committer_.run([&](store::WriteTxn& txn) {
                auto changes = guarded(txn);
                if (same_to_validator(changes, planned)) return changes;
                if (!last) throw Replan{};
                if (!changes.empty()) hook_->validate(changes);  // inside the batch
                return changes;
            });
            return;
        } catch (const Replan&) {
            // A concurrent commit changed what this request does: plan again.
        }
    }
}

}  // namespace dnsplane::service
