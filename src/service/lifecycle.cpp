#include "service/lifecycle.h"

#include "common/util.h"

namespace dnsplane::service {

const char* life_state_name(LifeState s) {
    switch (s) {
        case LifeState::Starting:
            return "STARTING";
        case LifeState::Active:
            return "ACTIVE";
        case LifeState::Stopping:
            return "STOPPING";
        case LifeState::Failed:
            return "FAILED";
    }
    return "FAILED";
}

void Lifecycle::on_commit_outcome(bool ok) {
    if (ok) {
        store_ok_ = true;
    } else {
        store_failed("a commit failed");
    }
}

void Lifecycle::store_failed(const std::string& why) {
    std::lock_guard lock(mutex_);
    store_error_ = why;
    store_ok_ = false;
}

void Lifecycle::set_store_missing(const std::optional<std::string>& why) {
    std::lock_guard lock(mutex_);
    missing_ = why;
}

void Lifecycle::set_follower_down(const std::optional<std::string>& why) {
    std::lock_guard lock(mutex_);
    follower_down_ = why;
}

LifeState Lifecycle::state() const {
    if (stopping_) return LifeState::Stopping;
    if (!started_) return LifeState::Starting;
    if (!store_ok_) return LifeState::Failed;
    std::lock_guard lock(mutex_);
    if (missing_ || follower_down_) return LifeState::Failed;
    return LifeState::Active;
}

std::string Lifecycle::message() const {
    switch (state()) {
        case LifeState::Starting:
            return "loading zones and opening listeners";
        case LifeState::Stopping:
            return "stopping: draining in-flight requests";
        case LifeState::Failed: {
            std::lock_guard lock(mutex_);
            if (missing_) return "the store cannot commit durably: " + *missing_;
            if (store_ok_ && follower_down_)
                return "not following the other nodes' commits: " + *follower_down_;
            return "the store cannot commit: " + store_error_;
        }
        case LifeState::Active:
            return "ok";
    }
    return "ok";
}

void Lifecycle::register_component(const std::string& service_name, const std::string& component) {
    std::lock_guard lock(mutex_);
    for (const auto& c : components_)
        if (c.service_name == service_name) return;
    ComponentStatus c;
    c.id = common::new_uuid();
    c.service_name = service_name;
    c.component = component;
    c.detail = "not checked yet";
    c.created_at = common::now_timestamp();
    components_.push_back(std::move(c));
}

void Lifecycle::heartbeat(const std::string& service_name, bool up, const std::string& detail,
                          std::map<std::string, std::int64_t> stats) {
    const std::string now = common::now_timestamp();
    std::lock_guard lock(mutex_);
    for (auto& c : components_) {
        if (c.service_name != service_name) continue;
        c.status = up ? "UP" : "DOWN";
        c.detail = up ? "ok" : detail;
        c.stats = std::move(stats);
        c.updated_at = now;
        if (up) c.heartbeated_at = now;
        return;
    }
}

std::vector<ComponentStatus> Lifecycle::components() const {
    std::lock_guard lock(mutex_);
    return components_;
}

}  // namespace dnsplane::service
