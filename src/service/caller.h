// Who is asking: produced by the auth layer, enforced by the service layer.
#pragma once

#include <string>

namespace dnsplane::service {

enum class Role { Reader, Member, Admin };

struct Caller {
    std::string project_id = "default";
    Role role = Role::Admin;
    bool all_projects = false;  // admin only: see every project
    bool edit_managed = false;  // admin only: touch SOA / apex NS
    bool can_write() const { return role != Role::Reader; }
    bool is_admin() const { return role == Role::Admin; }
};

}  // namespace dnsplane::service
