// Defaults of the TSIG key operations for stores that do not keep keys yet.
#include "core/error.h"
#include "store/store.h"

namespace dnsplane::store {

namespace {
core::Error unsupported() {
    return core::Error(core::ErrorKind::Unavailable, "database_unavailable",
                       "this database does not store TSIG keys");
}
}  // namespace

// A store without the table has no keys (signed requests are then refused
// as for an unknown key); writes say it cannot keep them.
std::vector<TsigKey> ReadTxn::tsig_keys() {
    return {};
}
void WriteTxn::insert_tsig_key(const TsigKey&) {
    throw unsupported();
}
void WriteTxn::update_tsig_key(const TsigKey&) {
    throw unsupported();
}
void WriteTxn::delete_tsig_key(const std::string&) {
    throw unsupported();
}

}  // namespace dnsplane::store
