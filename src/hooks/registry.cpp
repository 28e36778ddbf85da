#include "hooks/registry.h"

namespace dnsplane::hooks {

const std::vector<AddonsPoint>& addons_points() {
    static const std::vector<AddonsPoint> points = {
        {kChangeCommitted,
         "POSTed after every committed zone change, whatever API or protocol made it: "
         "{id, addons_point, sequence (per zone, increasing), zone {id, name}, serial, "
         "previous_serial, added, removed}; a 2xx acknowledges, anything else is retried with "
         "backoff; event k+1 of a zone follows the acknowledgement of event k (at least once: "
         "de-duplicate by id)"},
        {kValidateChange,
         "POSTed before a zone change commits: {addons_point, zone {id, name}, added, removed}; "
         "answer {\"ret\":0} to allow or a non-zero ret with msg to veto (the request fails "
         "with 403 carrying msg); no answer within --hook-timeout fails the request with 503 "
         "unless --validate-fail-open"},
    };
    return points;
}

bool is_addons_point(const std::string& name) {
    for (const auto& p : addons_points())
        if (name == p.name) return true;
    return false;
}

Registry::Registry(store::Store& store) : store_(store) {}

void Registry::load() {
    auto bindings = store_.read()->hook_bindings();
    std::lock_guard lock(mutex_);
    bindings_ = std::move(bindings);
}

void Registry::bind(const store::HookBinding& b) {
    {
        auto txn = store_.write();
        txn->put_hook_binding(b);
        txn->commit();
    }
    std::lock_guard lock(mutex_);
    std::erase_if(bindings_, [&](const auto& x) { return x.addons_point == b.addons_point; });
    bindings_.push_back(b);
}

std::optional<store::HookBinding> Registry::binding(const std::string& point) const {
    std::lock_guard lock(mutex_);
    for (const auto& b : bindings_)
        if (b.addons_point == point) return b;
    return std::nullopt;
}

std::vector<store::HookBinding> Registry::all() const {
    std::lock_guard lock(mutex_);
    return bindings_;
}

}  // namespace dnsplane::hooks
