// The table of config keys: how each one's textual value(s) are parsed into
// the Config. File, environment and flags all go through it, so a key means
// the same thing wherever it is set.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "app/config.h"

namespace dnsplane::app {

struct SettingSpec {
    std::string key;    // "api_listen"
    bool list = false;  // several values allowed (env: comma-separated)
    // Throws std::invalid_argument("expected ...") for a bad value.
    std::function<void(Config&, const std::vector<std::string>&)> apply;
};

const std::vector<SettingSpec>& setting_specs();
const SettingSpec* find_setting(std::string_view key);

}  // namespace dnsplane::app
