// The process's lifecycle as the plug-in platform's GET /v1/status reports
// it (issue 13). Owned by the composition root (app/serve.cpp):
// STARTING until every zone is loaded and every listener is up; STOPPING
// from SIGTERM until in-flight requests drained; FAILED while the store
// cannot commit (commit failures and the periodic write probe report here);
// ACTIVE otherwise.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "service/commit_hook.h"

namespace dnsplane::service {

enum class LifeState { Starting, Active, Stopping, Failed };

// One component of the process as Designate's /v2/service_statuses shows it
// (issue 16): `service_name` is Designate's name for the role it plays
// (api, central, mdns, worker, producer), `component` what it is in dnsplane.
// Each status comes from a real check by the status probe (app/serve.cpp).
struct ComponentStatus {
    std::string id;  // stable for the life of the process
    std::string service_name;
    std::string component;
    std::string status = "DOWN";  // UP | DOWN | WARNING
    std::string detail;           // why it is not UP ("ok" when it is)
    std::map<std::string, std::int64_t> stats;
    std::string created_at;
    std::optional<std::string> heartbeated_at;  // last check that found it UP
    std::optional<std::string> updated_at;      // last check
};

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
    // The change follower's link (several nodes on one database): while it
    // is down this node misses the other nodes' commits, so the state is
    // FAILED whatever later commits of this node report; nullopt: linked.
    void set_follower_down(const std::optional<std::string>& why);

    LifeState state() const;
    // Why the state is not ACTIVE ("ok" when it is).
    std::string message() const;

    // Component heartbeats: registered once, then reported by each check.
    // `up`: the check succeeded (heartbeated_at moves); `stats` replace the
    // previous ones.
    void register_component(const std::string& service_name, const std::string& component);
    void heartbeat(const std::string& service_name, bool up, const std::string& detail,
                   std::map<std::string, std::int64_t> stats = {});
    std::vector<ComponentStatus> components() const;

  private:
    std::atomic<bool> started_{false};
    std::atomic<bool> stopping_{false};
    std::atomic<bool> store_ok_{true};
    mutable std::mutex mutex_;
    std::string store_error_;
    std::optional<std::string> missing_;
    std::optional<std::string> follower_down_;
    std::vector<ComponentStatus> components_;  // guarded by mutex_
};

}  // namespace dnsplane::service
