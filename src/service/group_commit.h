// Group commit: concurrent writers share one store write transaction and one
// COMMIT (one fsync with synchronous=full). A request that finds no leader
// becomes the leader: it drains the queue (up to a bound), runs each request's
// work inside its own SAVEPOINT (a failing request rolls back only itself and
// gets its own error), commits once, publishes every ZoneChange to the sinks
// in commit order, then wakes exactly the requests of that batch. While
// requests keep arriving it leads a few batches more before handing the lead
// to the oldest waiter: waking a sleeping thread to lead costs more than the
// batch it would lead, and the whole write path is serial behind the leader.
// A request returns only once its own change is durable and published.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/model.h"
#include "service/change_sink.h"
#include "service/commit_batch.h"
#include "service/commit_hook.h"
#include "store/store.h"

namespace dnsplane::service {

struct CommitStats {
    std::uint64_t commits = 0;   // store transactions committed
    std::uint64_t requests = 0;  // requests that ran in them (failed ones too)
};

class GroupCommitter {
  public:
    // Writes inside the transaction (append_change included) and returns the
    // changes to publish, in order. Throwing rolls back this request only.
    using Work = std::function<std::vector<core::ZoneChange>(store::WriteTxn&)>;

    GroupCommitter(store::Store& store, const std::vector<ChangeSink*>& sinks,
                   std::size_t max_batch = 256);

    // A zone id and canonical owner name the work will read the sets at:
    // the leader passes a batch's hints to the store at once
    // (store::WriteTxn::prefetch_names).
    struct NameHint {
        std::string zone_id;
        std::string name;
    };

    // Runs `work` in the next shared commit; returns after it is committed
    // and published, or rethrows the work's (or the commit's, or a sink's)
    // exception.
    void run(const Work& work, std::vector<NameHint> hints = {});

    CommitStats stats() const;

    // The batch being committed: only for a Work while it runs (the leader's
    // thread), to join an earlier request's change of the same zone.
    CommitBatch* batch() { return batch_; }

    // Set before the first run() (composition root); not owned.
    void set_hook(CommitHook* hook) { hook_ = hook; }
    void set_observer(CommitObserver* observer) { observer_ = observer; }

  private:
    struct Request {
        const Work* work = nullptr;
        std::vector<NameHint> hints;
        std::vector<core::ZoneChange> changes;
        std::vector<core::ZoneChange> published;  // changes, joined ones composed
        std::exception_ptr error;
        bool done = false;
        bool lead = false;             // handed the lead by the previous leader
        std::condition_variable wake;  // this request only (no herd)
    };

    void lead(std::vector<Request*>& batch, std::unique_ptr<store::WriteTxn> txn,
              std::exception_ptr open_failure);
    void publish(Request& r);
    template <typename Requests>
    std::vector<store::Store::ReadAhead> read_ahead(const Requests& requests) const;
    void prefetch(store::WriteTxn& txn, const std::vector<Request*>& batch) const;

    store::Store& store_;
    const std::vector<ChangeSink*>& sinks_;
    const std::size_t max_batch_;
    CommitHook* hook_ = nullptr;
    CommitObserver* observer_ = nullptr;
    CommitBatch* batch_ = nullptr;  // set by the leader while it runs works

    mutable std::mutex mutex_;
    std::deque<Request*> queue_;
    bool leading_ = false;
    CommitStats stats_;
};

}  // namespace dnsplane::service
