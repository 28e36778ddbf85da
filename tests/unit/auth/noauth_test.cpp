#include <gtest/gtest.h>

#include "auth/authenticator.h"
#include "auth/caller_headers.h"
#include "core/error.h"

using namespace dnsplane;
using service::Role;

namespace {

http::Request with_headers(std::vector<std::pair<std::string, std::string>> headers) {
    http::Request r;
    r.method = "GET";
    r.path = "/v2/zones";
    r.headers = std::move(headers);
    return r;
}

core::ErrorKind error_kind(auth::Authenticator& a, const http::Request& r) {
    try {
        a.authenticate(r);
    } catch (const core::Error& e) {
        return e.kind();
    }
    ADD_FAILURE() << "expected an error";
    return core::ErrorKind::Internal;
}

}  // namespace

TEST(NoAuth, DefaultsToAdminOfDefaultProject) {
    auto a = auth::make_noauth();
    auto c = a->authenticate(with_headers({}));
    EXPECT_EQ(c.project_id, "default");
    EXPECT_EQ(c.role, Role::Admin);
    EXPECT_FALSE(c.all_projects);
    EXPECT_FALSE(c.edit_managed);
}

TEST(NoAuth, ProjectHeaderInAnyCase) {
    auto a = auth::make_noauth();
    EXPECT_EQ(a->authenticate(with_headers({{"X-AUTH-PROJECT-ID", "p1"}})).project_id, "p1");
    EXPECT_EQ(a->authenticate(with_headers({{"x-auth-project-id", "p2"}})).project_id, "p2");
    EXPECT_EQ(a->authenticate(with_headers({{"x-auth-project-id", ""}})).project_id, "default");
}

TEST(NoAuth, HighestKnownRoleWins) {
    auto a = auth::make_noauth();
    auto role = [&](std::string roles) {
        return a->authenticate(with_headers({{"x-roles", roles}})).role;
    };
    EXPECT_EQ(role("reader"), Role::Reader);
    EXPECT_EQ(role("member"), Role::Member);
    EXPECT_EQ(role("reader, member"), Role::Member);
    EXPECT_EQ(role("member,ADMIN,reader"), Role::Admin);
    EXPECT_EQ(role("load-balancer_member,member"), Role::Member);
    EXPECT_EQ(role("observer,auditor"), Role::Reader);  // none known: least privilege
    EXPECT_EQ(role(""), Role::Reader);
}

TEST(NoAuth, AllProjectsOnlyForAdmins) {
    auto a = auth::make_noauth();
    auto admin = a->authenticate(with_headers({{"x-auth-all-projects", "True"}}));
    EXPECT_TRUE(admin.all_projects);
    auto off = a->authenticate(with_headers({{"x-auth-all-projects", "false"}}));
    EXPECT_FALSE(off.all_projects);
    EXPECT_EQ(
        error_kind(*a, with_headers({{"x-roles", "member"}, {"x-auth-all-projects", "true"}})),
        core::ErrorKind::Forbidden);
    // "false" from a non-admin asks for nothing and is fine.
    EXPECT_NO_THROW(
        a->authenticate(with_headers({{"x-roles", "reader"}, {"x-auth-all-projects", "no"}})));
}

TEST(NoAuth, SudoSwitchesProjectForAdminsOnly) {
    auto a = auth::make_noauth();
    auto c = a->authenticate(
        with_headers({{"x-auth-project-id", "p1"}, {"x-auth-sudo-project-id", "p9"}}));
    EXPECT_EQ(c.project_id, "p9");
    EXPECT_EQ(
        error_kind(*a, with_headers({{"x-roles", "member"}, {"x-auth-sudo-project-id", "p9"}})),
        core::ErrorKind::Forbidden);
}

TEST(NoAuth, EditManagedOnlyForAdmins) {
    auto a = auth::make_noauth();
    EXPECT_TRUE(
        a->authenticate(with_headers({{"x-designate-edit-managed-records", "true"}})).edit_managed);
    EXPECT_EQ(error_kind(*a, with_headers({{"x-roles", "member"},
                                           {"x-designate-edit-managed-records", "true"}})),
              core::ErrorKind::Forbidden);
}

TEST(CallerHeaders, RoleNamesRoundTrip) {
    for (auto role : {Role::Reader, Role::Member, Role::Admin})
        EXPECT_EQ(auth::parse_role(auth::role_name(role)), role);
    EXPECT_FALSE(auth::parse_role("owner"));
    EXPECT_TRUE(auth::header_flag(std::string_view("1")));
    EXPECT_TRUE(auth::header_flag(std::string_view(" YES ")));
    EXPECT_FALSE(auth::header_flag(std::string_view("nope")));
    EXPECT_FALSE(auth::header_flag(std::nullopt));
}
