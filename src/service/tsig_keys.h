// TSIG keys (Designate /v2/tsigkeys): who may manage them, what a valid key
// is, and the current key set the DNS server verifies UPDATE and transfer
// signatures with. Keys are not zone content, so their writes are plain
// store transactions (no change set, no serial).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "service/caller.h"
#include "service/settings.h"
#include "store/store.h"

namespace dnsplane::service {

inline constexpr const char* kTsigAlgorithms[] = {"hmac-md5",    "hmac-sha1",   "hmac-sha224",
                                                  "hmac-sha256", "hmac-sha384", "hmac-sha512"};

// Fields of a create (all but algorithm required; algorithm defaults to
// hmac-md5 as in Designate) or an update (only those given change).
struct TsigKeyInput {
    std::optional<std::string> name;
    std::optional<std::string> algorithm;
    std::optional<std::string> secret;
    std::optional<std::string> scope;
    std::optional<std::string> resource_id;
};

class TsigKeys {
  public:
    TsigKeys(store::Store& store, const ServiceSettings& settings);

    // Writes: admins only (403 forbidden). Bad fields: 400 invalid_object
    // (per-field errors); a duplicate name: 409 duplicate_tsigkey; unknown
    // id: 404 tsigkey_not_found.
    store::TsigKey create(const Caller& c, const TsigKeyInput& in);
    store::TsigKey update(const Caller& c, const std::string& id, const TsigKeyInput& in);
    store::TsigKey remove(const Caller& c, const std::string& id);

    // 403 forbidden unless the caller is an admin.
    static void require_admin(const Caller& c);

    // Reads: admins see every key; other callers see POOL keys and the ZONE
    // keys of their project's zones (the API hides the secret from them).
    std::vector<store::TsigKey> list(const Caller& c);
    store::TsigKey get(const Caller& c, const std::string& id);

    // Every key, for the DNS server: a shared immutable snapshot, replaced on
    // each write (loaded from the store on first use).
    std::shared_ptr<const std::vector<store::TsigKey>> all();

  private:
    void validate(const store::TsigKey& k, store::ReadTxn& txn) const;
    bool visible(const Caller& c, const store::TsigKey& k, store::ReadTxn& txn) const;
    void reload(store::ReadTxn& txn);

    store::Store& store_;
    const ServiceSettings& settings_;
    std::mutex mutex_;  // serialises writes with the snapshot swap
    std::shared_ptr<const std::vector<store::TsigKey>> keys_;  // guarded by mutex_
};

}  // namespace dnsplane::service
