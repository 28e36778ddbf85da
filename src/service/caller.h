// Who is asking: produced by the auth layer, enforced by the service layer.
#pragma once

#include <string>

#include "core/name.h"

namespace dnsplane::service {

enum class Role { Reader, Member, Admin };

struct Caller {
    std::string project_id = "default";
    Role role = Role::Admin;
    bool all_projects = false;  // admin only: see every project
    bool edit_managed = false;  // admin only: touch SOA / apex NS
    // The owner names the caller's door accepts (core::OwnerNames): Hostname
    // for Designate and the record API, Rfc4592 for the ExternalDNS webhook.
    core::OwnerNames owner_names = core::OwnerNames::Hostname;
    bool can_write() const { return role != Role::Reader; }
    bool is_admin() const { return role == Role::Admin; }
};

}  // namespace dnsplane::service
