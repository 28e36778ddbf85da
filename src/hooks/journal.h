// The commit-path side of the extension points (a service::CommitHook):
// validate_change is asked about a request's planned changes before it joins
// a commit, outside the shared transaction (a veto or, fail-closed, a silent
// hook fails only this request, which changed nothing), and every committed
// change of a zone (one per serial: a group commit's change sets of one zone
// are composed) gets a change_committed event in the outbox, in the same
// transaction, while a receiver is bound. Delivery is Sender's job, apart from requests.
#pragma once

#include <chrono>
#include <string>

#include <boost/json.hpp>

#include "hooks/registry.h"
#include "service/commit_hook.h"

namespace dnsplane::hooks {

struct HookOptions {
    std::chrono::milliseconds timeout{2000};  // --hook-timeout
    bool validate_fail_open = false;          // --validate-fail-open
};

// [{"name","type","ttl","records":[...]}] grouped by owner, type and TTL.
boost::json::array rrsets_json(const std::vector<core::ResourceRecord>& rrs);

class Journal : public service::CommitHook {
  public:
    Journal(const Registry& registry, HookOptions options);
    // The change_committed outbox rows (validation happened before, in validate()).
    void before_batch_commit(store::WriteTxn& txn,
                             const std::vector<core::ZoneChange>& changes) override;
    // validate_change: asked outside the write transaction (ZoneService::commit).
    bool validates() const override;
    void validate(const std::vector<core::ZoneChange>& planned) override;

  private:
    void validate(const store::HookBinding& b, const core::ZoneChange& c) const;

    const Registry& registry_;
    HookOptions options_;
};

}  // namespace dnsplane::hooks
