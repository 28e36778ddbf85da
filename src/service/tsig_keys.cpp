#include "service/tsig_keys.h"

#include <algorithm>
#include <cctype>

#include "common/util.h"
#include "core/error.h"
#include "core/name.h"

namespace dnsplane::service {

namespace {

core::Error field_error(const std::string& field, const std::string& message) {
    return core::invalid(message, {field});
}

core::Error key_not_found() {
    return core::not_found("tsigkey_not_found", "Could not find TsigKey");  // as Designate
}

bool is_uuid_text(const std::string& s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
    }
    return true;
}

void merge(store::TsigKey& k, const TsigKeyInput& in) {
    if (in.name) k.name = *in.name;
    if (in.algorithm) k.algorithm = *in.algorithm;
    if (in.secret) k.secret = *in.secret;
    if (in.scope) k.scope = *in.scope;
    if (in.resource_id) k.resource_id = *in.resource_id;
}

}  // namespace

void TsigKeys::require_admin(const Caller& c) {
    if (!c.is_admin())
        throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                          "Only admins may read, create, change or delete TSIG keys");
}

TsigKeys::TsigKeys(store::Store& store, const ServiceSettings& settings)
    : store_(store), settings_(settings) {}

void TsigKeys::validate(const store::TsigKey& k, store::ReadTxn& /*txn*/) const {
    // As in Designate, name, secret and resource are stored as given: a key
    // whose name is no DNS name or whose secret is not base64 is skipped by
    // the DNS server (messages signed with it are answered BADKEY), one whose
    // pool or zone does not exist covers no zone.
    if (k.name.empty() || k.name.size() > 255)
        throw field_error("name", "name must be 1 to 255 characters");
    if (std::find(std::begin(kTsigAlgorithms), std::end(kTsigAlgorithms), k.algorithm) ==
        std::end(kTsigAlgorithms))
        throw field_error("algorithm",
                          "algorithm must be one of hmac-md5, hmac-sha1, hmac-sha224, "
                          "hmac-sha256, hmac-sha384, hmac-sha512");
    if (k.secret.empty() || k.secret.size() > 1024)
        throw field_error("secret", "secret must be 1 to 1024 characters (base64 to be usable)");
    if (k.scope != "POOL" && k.scope != "ZONE")
        throw field_error("scope", "scope must be POOL or ZONE");
    if (!is_uuid_text(k.resource_id))
        throw field_error("resource_id", "resource_id must be the UUID of a pool or zone");
}

// Reads are admins' only (Designate's policy: list and get require_admin), so
// the header's per-key visibility reduces to that.
bool TsigKeys::visible(const Caller& c, const store::TsigKey& /*k*/,
                       store::ReadTxn& /*txn*/) const {
    return c.is_admin();
}

void TsigKeys::reload(store::ReadTxn& txn) {
    keys_ = std::make_shared<const std::vector<store::TsigKey>>(txn.tsig_keys());
}

store::TsigKey TsigKeys::create(const Caller& c, const TsigKeyInput& in) {
    require_admin(c);
    store::TsigKey k;
    k.algorithm = "hmac-md5";
    merge(k, in);
    if (!in.name) throw field_error("name", "name is required");
    if (!in.secret) throw field_error("secret", "secret is required");
    if (!in.scope) throw field_error("scope", "scope is required");
    if (!in.resource_id) throw field_error("resource_id", "resource_id is required");
    k.id = common::new_uuid();
    k.created_at = common::now_timestamp();
    std::lock_guard lock(mutex_);
    auto txn = store_.write();
    validate(k, *txn);
    txn->insert_tsig_key(k);
    txn->commit();
    reload(*store_.read());
    return k;
}

store::TsigKey TsigKeys::update(const Caller& c, const std::string& id, const TsigKeyInput& in) {
    require_admin(c);
    std::lock_guard lock(mutex_);
    auto txn = store_.write();
    std::optional<store::TsigKey> found;
    for (auto& k : txn->tsig_keys())
        if (k.id == id) found = std::move(k);
    if (!found) throw key_not_found();
    merge(*found, in);
    found->updated_at = common::now_timestamp();
    validate(*found, *txn);
    txn->update_tsig_key(*found);
    txn->commit();
    reload(*store_.read());
    return *found;
}

store::TsigKey TsigKeys::remove(const Caller& c, const std::string& id) {
    require_admin(c);
    std::lock_guard lock(mutex_);
    auto txn = store_.write();
    std::optional<store::TsigKey> found;
    for (auto& k : txn->tsig_keys())
        if (k.id == id) found = std::move(k);
    if (!found) throw key_not_found();
    txn->delete_tsig_key(id);
    txn->commit();
    reload(*store_.read());
    return *found;
}

std::vector<store::TsigKey> TsigKeys::list(const Caller& c) {
    require_admin(c);  // Designate: TSIG keys are admins' only
    auto txn = store_.read();
    std::vector<store::TsigKey> out;
    for (auto& k : txn->tsig_keys()) out.push_back(std::move(k));
    return out;
}

store::TsigKey TsigKeys::get(const Caller& c, const std::string& id) {
    require_admin(c);
    auto txn = store_.read();
    for (auto& k : txn->tsig_keys())
        if (k.id == id) return std::move(k);
    throw key_not_found();
}

std::shared_ptr<const std::vector<store::TsigKey>> TsigKeys::all() {
    std::lock_guard lock(mutex_);
    if (!keys_) reload(*store_.read());
    return keys_;
}

}  // namespace dnsplane::service
