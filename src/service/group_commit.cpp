#include "service/group_commit.h"

#include <algorithm>
#include <set>
#include <thread>

namespace dnsplane::service {

GroupCommitter::GroupCommitter(store::Store& store, const std::vector<ChangeSink*>& sinks,
                               std::size_t max_batch)
    : store_(store), sinks_(sinks), max_batch_(max_batch == 0 ? 1 : max_batch) {}

CommitStats GroupCommitter::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

void GroupCommitter::run(const Work& work, std::vector<NameHint> hints) {
    // Batches a leader runs back to back once its own request is done, while
    // others wait: bounds how long its own answer waits for the others.
    constexpr int kExtraBatches = 3;
    Request self;
    self.work = &work;
    self.hints = std::move(hints);
    std::unique_lock lock(mutex_);
    queue_.push_back(&self);
    if (leading_) self.wake.wait(lock, [&] { return self.done || self.lead; });
    if (!self.done) {
        leading_ = true;
        for (int extra = 0;;) {
            // Give up the CPU once before taking the batch: requests whose
            // HTTP work is runnable on this core (parsed, about to queue)
            // then join this batch instead of the next. Measured on 2 cores
            // (bench/writes.sh): +15-25 % creates/s, lower latency; with
            // nothing else runnable it returns at once.
            lock.unlock();
            std::this_thread::yield();
            // The transaction is opened before the batch is taken: opening
            // may wait (the writer slot; with PostgreSQL the cluster-wide
            // write lock, held by another node's batch), and whatever
            // arrives meanwhile joins this batch instead of the next. What
            // the requests queued now will read is read with the opening
            // (PostgreSQL: in the round trip that takes the lock).
            lock.lock();
            const auto ahead = read_ahead(queue_);
            lock.unlock();
            std::unique_ptr<store::WriteTxn> txn;
            std::exception_ptr open_failure;
            try {
                txn = store_.write_reading(ahead);
            } catch (...) {
                open_failure = std::current_exception();
            }
            lock.lock();
            // Oldest requests first; ours may be beyond the bound, then we
            // lead again.
            std::vector<Request*> batch;
            while (!queue_.empty() && batch.size() < max_batch_) {
                batch.push_back(queue_.front());
                queue_.pop_front();
            }
            lock.unlock();
            lead(batch, std::move(txn), open_failure);
            lock.lock();
            stats_.commits += 1;
            stats_.requests += batch.size();
            // Notified under the lock: a woken request may return and
            // destroy its Request as soon as the lock is free.
            for (auto* r : batch) {
                r->done = true;
                if (r != &self) r->wake.notify_one();
            }
            if (queue_.empty()) {
                leading_ = false;
                break;
            }
            if (self.done && ++extra > kExtraBatches) {
                queue_.front()->lead = true;  // leading_ stays set: it leads next
                queue_.front()->wake.notify_one();
                break;
            }
        }
    }
    lock.unlock();
    if (self.error) std::rethrow_exception(self.error);
}

void GroupCommitter::lead(std::vector<Request*>& batch, std::unique_ptr<store::WriteTxn> txn,
                          std::exception_ptr open_failure) {
    CommitBatch joins;
    // Held until this batch is published (store::WriteTxn::commit_in_order).
    std::unique_lock<std::mutex> in_order;
    try {
        if (open_failure) std::rethrow_exception(open_failure);
        prefetch(*txn, batch);
        batch_ = &joins;
        for (auto* r : batch) {
            store::Savepoint sp(*txn, "request");
            try {
                r->changes = (*r->work)(*txn);
                if (hook_ && !r->changes.empty()) hook_->before_commit(*txn, r->changes);
                sp.release();
                joins.keep();
            } catch (...) {
                r->error = std::current_exception();
                r->changes.clear();
                joins.drop();
                // Undo this request only; if the database cannot (the whole
                // transaction was aborted), the batch fails as one.
                sp.rollback();
            }
        }
        batch_ = nullptr;
        // What the sinks will hear, decided before COMMIT so that the hook
        // records the same (one change per zone and serial).
        std::vector<core::ZoneChange> all;
        for (auto* r : batch) {
            if (r->error) continue;
            r->published = joins.publication(r->changes);
            all.insert(all.end(), r->published.begin(), r->published.end());
        }
        if (hook_ && !all.empty()) hook_->before_batch_commit(*txn, all);
        in_order = txn->commit_in_order();
        txn.reset();
    } catch (...) {
        txn.reset();
        batch_ = nullptr;
        if (observer_) observer_->on_commit_outcome(false);
        auto failure = std::current_exception();
        for (auto* r : batch) {
            r->changes.clear();
            r->published.clear();
            if (!r->error) r->error = failure;
        }
        return;
    }
    if (observer_) observer_->on_commit_outcome(true);
    for (auto* r : batch)
        if (!r->error) publish(*r);
}

// One entry per zone, names in first-asked order, duplicates dropped; the
// first max_batch requests (those a batch would take).
template <typename Requests>
std::vector<store::Store::ReadAhead> GroupCommitter::read_ahead(const Requests& requests) const {
    std::vector<store::Store::ReadAhead> zones;
    std::set<std::pair<std::string, std::string>> seen;
    std::size_t taken = 0;
    for (const auto* r : requests) {
        if (taken++ == max_batch_) break;
        for (const auto& h : r->hints) {
            if (!seen.emplace(h.zone_id, h.name).second) continue;
            auto it = std::find_if(zones.begin(), zones.end(),
                                   [&](const auto& z) { return z.zone_id == h.zone_id; });
            if (it == zones.end()) it = zones.insert(zones.end(), {h.zone_id, {}});
            it->names.push_back(h.name);
        }
    }
    return zones;
}

// The names of requests that arrived while the transaction was opening
// (those read with it are cached: no round trip for them).
void GroupCommitter::prefetch(store::WriteTxn& txn, const std::vector<Request*>& batch) const {
    for (const auto& a : read_ahead(batch)) txn.prefetch_names(a.zone_id, a.names);
}

void GroupCommitter::publish(Request& r) {
    // Every sink hears about every change even if an earlier one fails; the
    // first failure is the request's error (its change is committed). A
    // change later requests joined goes out once, composed.
    for (const auto& change : r.published) {
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
