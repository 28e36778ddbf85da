// Header rules shared by every authenticator: role names and the admin-only
// tenancy headers (all projects, sudo, edit managed records).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"
#include "service/caller.h"

namespace dnsplane::auth {

// "admin" | "member" | "reader" (case-insensitive); nullopt otherwise.
std::optional<service::Role> parse_role(std::string_view name);
std::string role_name(service::Role role);

// X-Roles: the highest known role in the comma list wins; a list naming
// none of them means reader.
service::Role role_from_list(std::string_view roles);

// Designate's boolean header spelling: true/t/yes/y/on/1, any case.
bool header_flag(std::optional<std::string_view> value);

// Applies X-Auth-All-Projects, X-Auth-Sudo-Project-ID and
// X-Designate-Edit-Managed-Records; throws core::Error(Forbidden) when a
// non-admin sends any of them.
void apply_admin_headers(service::Caller& caller, const http::Request& req);

}  // namespace dnsplane::auth
