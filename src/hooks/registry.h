// dnsplane's extension points and the endpoints other plug-ins bound to them
// (POST /v1/addons/identify). Bindings live in the store (they survive
// restarts) and in memory for the commit path.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace dnsplane::hooks {

inline constexpr const char* kChangeCommitted = "change_committed";
inline constexpr const char* kValidateChange = "validate_change";

struct AddonsPoint {
    const char* name;
    const char* desc;
};

// Every extension point dnsplane offers, with its description.
const std::vector<AddonsPoint>& addons_points();
bool is_addons_point(const std::string& name);

class Registry {
  public:
    explicit Registry(store::Store& store);

    // Reads the stored bindings (start-up).
    void load();
    // Records `b` durably, replacing the point's previous binding.
    void bind(const store::HookBinding& b);
    std::optional<store::HookBinding> binding(const std::string& point) const;
    std::vector<store::HookBinding> all() const;

  private:
    store::Store& store_;
    mutable std::mutex mutex_;
    std::vector<store::HookBinding> bindings_;
};

}  // namespace dnsplane::hooks
