#include "auth/caller_headers.h"

#include <algorithm>
#include <cctype>

#include "core/error.h"

namespace dnsplane::auth {

namespace {

std::string lower_trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return out;
}

core::Error forbidden(const std::string& what) {
    return core::Error(core::ErrorKind::Forbidden, "forbidden", what + " requires the admin role");
}

}  // namespace

std::optional<service::Role> parse_role(std::string_view name) {
    auto n = lower_trimmed(name);
    if (n == "admin") return service::Role::Admin;
    if (n == "member") return service::Role::Member;
    if (n == "reader") return service::Role::Reader;
    return std::nullopt;
}

std::string role_name(service::Role role) {
    switch (role) {
        case service::Role::Admin:
            return "admin";
        case service::Role::Member:
            return "member";
        case service::Role::Reader:
            return "reader";
    }
    return "reader";
}

service::Role role_from_list(std::string_view roles) {
    auto best = service::Role::Reader;  // enum order: Reader < Member < Admin
    while (!roles.empty()) {
        auto comma = roles.find(',');
        auto item = roles.substr(0, comma);
        if (auto role = parse_role(item); role && *role > best) best = *role;
        if (comma == std::string_view::npos) break;
        roles.remove_prefix(comma + 1);
    }
    return best;
}

bool header_flag(std::optional<std::string_view> value) {
    if (!value) return false;
    auto v = lower_trimmed(*value);
    return v == "true" || v == "t" || v == "yes" || v == "y" || v == "on" || v == "1";
}

void apply_admin_headers(service::Caller& caller, const http::Request& req) {
    if (header_flag(req.header("x-auth-all-projects"))) {
        if (!caller.is_admin()) throw forbidden("X-Auth-All-Projects");
        caller.all_projects = true;
    }
    if (auto sudo = req.header("x-auth-sudo-project-id"); sudo && !sudo->empty()) {
        if (!caller.is_admin()) throw forbidden("X-Auth-Sudo-Project-ID");
        caller.project_id = std::string(*sudo);
    }
    if (header_flag(req.header("x-designate-edit-managed-records"))) {
        if (!caller.is_admin()) throw forbidden("X-Designate-Edit-Managed-Records");
        caller.edit_managed = true;
    }
}

}  // namespace dnsplane::auth
