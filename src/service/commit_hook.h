// Extension of the commit path (issue 13). A CommitHook is asked in two
// places: validate() with the changes a request PLANS, outside any
// transaction, before the request joins a commit (ZoneService::commit), so a
// slow validator holds back only its own request; and before_commit() inside
// the write transaction, in the request's savepoint, after the request's
// work produced its ZoneChanges and before COMMIT: it may still veto (throw
// core::Error, only this request rolls back) and may write rows of its own
// that then commit atomically with the change; and before_batch_commit() once
// per shared commit with the batch's composed changes (the change_committed
// outbox: one event per zone and serial). A CommitObserver
// hears whether each shared commit reached the disk (the status probe's
// FAILED detection).
#pragma once

#include <vector>

#include "core/model.h"
#include "store/store.h"

namespace dnsplane::service {

class CommitHook {
  public:
    virtual ~CommitHook() = default;
    virtual void before_commit(store::WriteTxn& txn, const std::vector<core::ZoneChange>& changes) {
        (void)txn;
        (void)changes;
    }
    // Once per group commit, after every request of the batch ran and before
    // COMMIT, with what the sinks will get: one change per zone and serial
    // (the changes of requests that joined one are composed). Rows written
    // here commit with the batch; a throw fails the whole batch.
    virtual void before_batch_commit(store::WriteTxn& txn,
                                     const std::vector<core::ZoneChange>& changes) {
        (void)txn;
        (void)changes;
    }
    // Whether validate() wants to see writes (a validator is bound).
    virtual bool validates() const { return false; }
    // Throws core::Error to veto the planned changes; may block (network).
    virtual void validate(const std::vector<core::ZoneChange>& planned) { (void)planned; }
};

// Whether two lists of changes are the same to a validator: same zones,
// same records added and removed, same zone creation/deletion (serials and
// times may differ: other commits may have moved them).
bool same_to_validator(const std::vector<core::ZoneChange>& a,
                       const std::vector<core::ZoneChange>& b);

class CommitObserver {
  public:
    virtual ~CommitObserver() = default;
    // ok: the transaction committed; false: BEGIN, a savepoint or COMMIT failed.
    virtual void on_commit_outcome(bool ok) = 0;
};

}  // namespace dnsplane::service
