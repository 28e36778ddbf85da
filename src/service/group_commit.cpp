#include "service/group_commit.h"

namespace dnsplane::service {

GroupCommitter::GroupCommitter(store::Store& store, const std::vector<ChangeSink*>& sinks,
                               std::size_t max_batch)
    : store_(store), sinks_(sinks), max_batch_(max_batch == 0 ? 1 : max_batch) {}

CommitStats GroupCommitter::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

void GroupCommitter::run(const Work& work) {
    Request self;
    self.work = &work;
    std::unique_lock lock(mutex_);
    queue_.push_back(&self);
    while (!self.done) {
        if (leading_) {
            wake_.wait(lock);
            continue;
        }
        // Lead one batch (oldest requests first; ours may be beyond the
        // bound, then we lead again or follow the next leader).
        leading_ = true;
        std::vector<Request*> batch;
        while (!queue_.empty() && batch.size() < max_batch_) {
            batch.push_back(queue_.front());
            queue_.pop_front();
        }
        lock.unlock();
        lead(batch);
        lock.lock();
        stats_.commits += 1;
        stats_.requests += batch.size();
        for (auto* r : batch) r->done = true;
        leading_ = false;
        wake_.notify_all();
    }
    if (self.error) std::rethrow_exception(self.error);
}

void GroupCommitter::lead(std::vector<Request*>& batch) {
    try {
        auto txn = store_.write();
        for (auto* r : batch) {
            store::Savepoint sp(*txn, "request");
            try {
                r->changes = (*r->work)(*txn);
                if (hook_ && !r->changes.empty()) hook_->before_commit(*txn, r->changes);
                sp.release();
            } catch (...) {
                r->error = std::current_exception();
                r->changes.clear();
                // Undo this request only; if the database cannot (the whole
                // transaction was aborted), the batch fails as one.
                sp.rollback();
            }
        }
        txn->commit();
    } catch (...) {
        if (observer_) observer_->on_commit_outcome(false);
        auto failure = std::current_exception();
        for (auto* r : batch) {
            r->changes.clear();
            if (!r->error) r->error = failure;
        }
        return;
    }
    if (observer_) observer_->on_commit_outcome(true);
    for (auto* r : batch)
        if (!r->error) publish(*r);
}

void GroupCommitter::publish(Request& r) {
    // Every sink hears about every change even if an earlier one fails; the
    // first failure is the request's error (its change is committed).
    for (const auto& change : r.changes) {
        for (auto* sink : sinks_) {
            try {
                sink->on_commit(change);
            } catch (...) {
                if (!r.error) r.error = std::current_exception();
            }
        }
    }
}

}  // namespace dnsplane::service
