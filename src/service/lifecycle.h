// The process's lifecycle as the plug-in platform's GET /v1/status reports
// it (issue 13). Owned by the composition root (app/serve.cpp):
// STARTING until every zone is loaded and every listener is up; STOPPING
// from SIGTERM until in-flight requests drained; FAILED while the store
// cannot commit (commit failures and the periodic write probe report here);
// ACTIVE otherwise.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>

#include "service/commit_hook.h"

namespace dnsplane::service {

enum class LifeState { Starting, Active, Stopping, Failed };

const char* life_state_name(LifeState s);

class Lifecycle : public CommitObserver {
  public:
    void set_started() { started_ = true; }
    void set_stopping() { stopping_ = true; }
    bool stopping() const { return stopping_; }
    // Accepting API work (not starting, not stopping).
    bool serving() const { return started_ && !stopping_; }

    void on_commit_outcome(bool ok) override;
    void store_failed(const std::string& why);
    // The probe's file check (store::Store::missing()); nullopt: in place.
    void set_store_missing(const std::optional<std::string>& why);

    LifeState state() const;
    // Why the state is not ACTIVE ("ok" when it is).
    std::string message() const;

  private:
    std::atomic<bool> started_{false};
    std::atomic<bool> stopping_{false};
    std::atomic<bool> store_ok_{true};
    mutable std::mutex mutex_;
    std::string store_error_;
    std::optional<std::string> missing_;
};

}  // namespace dnsplane::service
