// Name arithmetic the zone lookups need, done on canonical presentation names
// (absolute, lower-case, `\`-escapes kept). Kept here so the store does not
// depend on the core name parser.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dnsplane::store {

// The name itself and every name above it, up to the root:
// "www.example.org." -> {"www.example.org.", "example.org.", "org.", "."}.
std::vector<std::string> self_and_ancestors(std::string_view name);

// Half-open range [low, high) of reversed names (row_codec's reversed())
// holding every name strictly below `name`, plus possibly names whose last
// label merely ends in an escaped dot; is_strictly_below() weeds those out.
struct ReversedRange {
    std::string low;
    std::string high;
};
ReversedRange names_below(std::string_view name);

// True when `name` lies strictly below `zone`, label-wise.
bool is_strictly_below(std::string_view name, std::string_view zone);

}  // namespace dnsplane::store
