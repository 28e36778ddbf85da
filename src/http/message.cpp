#include "http/message.h"

#include <algorithm>
#include <cctype>

namespace dnsplane::http {

// ASCII case-insensitive comparison (header names, tokens).
bool iequals(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

std::optional<std::string_view> Request::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) return std::string_view(v);
    return std::nullopt;
}

std::string_view Request::route_path() const {
    std::string_view p(path);
    p.remove_prefix(std::min(mount_length, p.size()));
    return p.empty() ? std::string_view("/") : p;
}

std::optional<std::string_view> Request::query_param(std::string_view name) const {
    for (const auto& [k, v] : query)
        if (k == name) return std::string_view(v);
    return std::nullopt;
}

}  // namespace dnsplane::http
