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

core::Error key_not_found(const std::string& id) {
    return core::not_found("tsigkey_not_found", "Could not find TsigKey " + id);
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
                          "Only admins may create, change or delete TSIG keys");
}

TsigKeys::TsigKeys(store::Store& store, const ServiceSettings& settings)
    : store_(store), settings_(settings) {}

void TsigKeys::validate(const store::TsigKey& k, store::ReadTxn& txn) const {
    std::string why;
    if (k.name.empty() || k.name.size() > 255 || !core::try_canonical_name(k.name, &why, true))
        throw field_error("name", "name must be a DNS name of 1 to 255 characters" +
                                      (why.empty() ? std::string() : ": " + why));
    if (std::find(std::begin(kTsigAlgorithms), std::end(kTsigAlgorithms), k.algorithm) ==
        std::end(kTsigAlgorithms))
        throw field_error("algorithm",
                          "algorithm must be one of hmac-md5, hmac-sha1, hmac-sha224, "
                          "hmac-sha256, hmac-sha384, hmac-sha512");
    const auto raw = common::base64_decode(k.secret);
    if (k.secret.empty() || k.secret.size() > 1024 || !raw || raw->empty())
        throw field_error("secret", "secret must be non-empty base64 (at most 1024 characters)");
    if (k.scope != "POOL" && k.scope != "ZONE")
        throw field_error("scope", "scope must be POOL or ZONE");
    if (!is_uuid_text(k.resource_id))
        throw field_error("resource_id", "resource_id must be the UUID of a pool or zone");
    if (k.scope == "POOL" && k.resource_id != settings_.pool.id)
        throw field_error("resource_id", "no pool has the id " + k.resource_id);
    if (k.scope == "ZONE") {
        const auto z = txn.get_zone(k.resource_id);
        if (!z || z->status == "DELETED")
            throw field_error("resource_id", "no zone has the id " + k.resource_id);
    }
}

bool TsigKeys::visible(const Caller& c, const store::TsigKey& k, store::ReadTxn& txn) const {
    if (c.is_admin()) return true;
    if (k.scope == "POOL") return true;
    const auto z = txn.get_zone(k.resource_id);
    return z && z->project_id == c.project_id;
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
    if (!found) throw key_not_found(id);
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
    if (!found) throw key_not_found(id);
    txn->delete_tsig_key(id);
    txn->commit();
    reload(*store_.read());
    return *found;
}

std::vector<store::TsigKey> TsigKeys::list(const Caller& c) {
    auto txn = store_.read();
    std::vector<store::TsigKey> out;
    for (auto& k : txn->tsig_keys())
        if (visible(c, k, *txn)) out.push_back(std::move(k));
    return out;
}

store::TsigKey TsigKeys::get(const Caller& c, const std::string& id) {
    auto txn = store_.read();
    for (auto& k : txn->tsig_keys())
        if (k.id == id && visible(c, k, *txn)) return std::move(k);
    throw key_not_found(id);
}

std::shared_ptr<const std::vector<store::TsigKey>> TsigKeys::all() {
    std::lock_guard lock(mutex_);
    if (!keys_) reload(*store_.read());
    return keys_;
}

}  // namespace dnsplane::service
