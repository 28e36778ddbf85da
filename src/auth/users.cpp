#include "auth/users.h"

#include <ctime>

#include "auth/caller_headers.h"
#include "auth/passwords.h"
#include "common/util.h"
#include "core/error.h"

namespace dnsplane::auth {

namespace {

constexpr std::size_t kMaxField = 255;

void require_text(const std::string& value, const char* field) {
    if (value.empty()) throw core::invalid(std::string(field) + " must not be empty", {field});
    if (value.size() > kMaxField)
        throw core::invalid(std::string(field) + " is longer than 255 characters", {field});
    for (unsigned char c : value)
        if (c < 0x20 || c == 0x7f)
            throw core::invalid(std::string(field) + " must not hold control characters", {field});
}

}  // namespace

store::User create_user(store::Store& store, const UserSpec& spec) {
    require_text(spec.name, "name");
    require_text(spec.project_name, "project");
    if (!spec.project_id.empty()) require_text(spec.project_id, "project_id");
    if (spec.password.empty()) throw core::invalid("password must not be empty", {"password"});
    if (spec.password.size() > 4096)
        throw core::invalid("password is longer than 4096 bytes", {"password"});
    auto role = parse_role(spec.role);
    if (!role) throw core::invalid("role must be admin, member or reader", {"role"});
    store::User user;
    user.id = common::new_uuid();
    user.name = spec.name;
    user.project_name = spec.project_name;
    user.project_id = spec.project_id.empty() ? spec.project_name : spec.project_id;
    user.role = role_name(*role);
    user.password_hash = hash_password(spec.password);
    user.created_at = common::now_timestamp();
    auto txn = store.write();
    txn->insert_user(user);
    txn->commit();
    return user;
}

std::optional<store::User> check_password(store::Store& store, const std::string& name,
                                          const std::string& password) {
    auto user = store.read()->find_user_by_name(name);
    if (!user) {
        // Spend the same time as for a known name: no user enumeration by timing.
        static const std::string dummy = hash_password("dnsplane");
        (void)verify_password(password, dummy);
        return std::nullopt;
    }
    if (!verify_password(password, user->password_hash)) return std::nullopt;
    return user;
}

std::string timestamp_in(std::chrono::seconds offset) {
    auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + offset);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000000", &tm);
    return buf;
}

bool token_expired(const store::Token& token, const std::string& now) {
    return !token.expires_at.empty() && token.expires_at <= now;
}

IssuedToken issue_token(store::Store& store, const store::User& user, std::chrono::seconds ttl,
                        bool system) {
    IssuedToken out;
    out.secret = common::random_token();
    out.token.id = common::new_uuid();
    out.token.hash = common::sha256_hex(out.secret);
    out.token.project_id = system ? std::string() : user.project_id;
    out.token.role = user.role;
    out.token.created_at = common::now_timestamp();
    out.token.user_id = user.id;
    out.token.expires_at = timestamp_in(ttl);
    auto txn = store.write();
    txn->delete_expired_tokens(out.token.created_at);
    txn->insert_token(out.token);
    txn->commit();
    return out;
}

}  // namespace dnsplane::auth
