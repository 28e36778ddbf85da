// Extension of the commit path (issue 13). A CommitHook runs inside the write
// transaction, in the request's savepoint, after the request's work produced
// its ZoneChanges and before COMMIT: it may veto (throw core::Error, only this
// request rolls back) and may write rows of its own (the change_committed
// outbox) that then commit atomically with the change. A CommitObserver
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
    virtual void before_commit(store::WriteTxn& txn,
                               const std::vector<core::ZoneChange>& changes) = 0;
};

class CommitObserver {
  public:
    virtual ~CommitObserver() = default;
    // ok: the transaction committed; false: BEGIN, a savepoint or COMMIT failed.
    virtual void on_commit_outcome(bool ok) = 0;
};

}  // namespace dnsplane::service
