#include "store/zone_names.h"

#include "store/row_codec.h"

namespace dnsplane::store {
namespace {

// A dot at `pos` separates labels unless an odd number of backslashes
// precedes it ("a\.b" is one label).
bool is_separator(std::string_view name, std::size_t pos) {
    if (name[pos] != '.') return false;
    std::size_t slashes = 0;
    while (pos > slashes && name[pos - slashes - 1] == '\\') ++slashes;
    return slashes % 2 == 0;
}

}  // namespace

std::vector<std::string> self_and_ancestors(std::string_view name) {
    std::vector<std::string> out;
    out.emplace_back(name);
    if (name == ".") return out;
    // Each separator except the final one starts a parent name after it.
    for (std::size_t i = 0; i + 1 < name.size(); ++i) {
        if (is_separator(name, i)) {
            out.emplace_back(name.substr(i + 1));
        } else if (name[i] == '\\') {
            ++i;  // skip the escaped character
        }
    }
    if (out.back() != ".") out.emplace_back(".");
    return out;
}

ReversedRange names_below(std::string_view name) {
    // Every reversed absolute name starts with "."; below "example.org." they
    // start with ".gro.elpmaxe.".
    std::string low = name == "." ? std::string(".") : reversed(name) + ".";
    std::string high = low;
    high.back() = static_cast<char>(high.back() + 1);
    return {std::move(low), std::move(high)};
}

bool is_strictly_below(std::string_view name, std::string_view zone) {
    if (name.size() <= zone.size() || !name.ends_with(zone)) return false;
    if (zone == ".") return true;
    return is_separator(name, name.size() - zone.size() - 1);
}

}  // namespace dnsplane::store
