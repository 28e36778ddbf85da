// Defaults of the zone task/grant operations for stores (and test doubles)
// that do not keep them: reads find none, deletes have nothing to do, and
// writes say so with 503.
#include "core/error.h"
#include "store/store.h"

namespace dnsplane::store {

namespace {
[[noreturn]] void unsupported() {
    throw core::Error(core::ErrorKind::Unavailable, "database_unavailable",
                      "this store does not keep this kind of data yet");
}
}  // namespace

std::optional<ZoneTask> ReadTxn::get_task(const std::string&) {
    return std::nullopt;
}
std::vector<ZoneTask> ReadTxn::list_tasks(const std::string&, const std::optional<std::string>&) {
    return {};
}
void WriteTxn::insert_task(const ZoneTask&) {
    unsupported();
}
void WriteTxn::update_task(const ZoneTask&) {
    unsupported();
}
void WriteTxn::delete_task(const std::string&) {}
void WriteTxn::move_zone_project(const std::string&, const std::string&, const std::string&) {
    unsupported();
}

}  // namespace dnsplane::store

// Designate admin tables (issue 16): same default for a backend that lacks
// them (the PostgreSQL store, for now).
namespace dnsplane::store {
void WriteTxn::insert_tld(const core::Tld&) { unsupported(); }
void WriteTxn::update_tld(const core::Tld&) { unsupported(); }
void WriteTxn::delete_tld(const std::string&) { unsupported(); }
void WriteTxn::insert_blacklist(const core::Blacklist&) { unsupported(); }
void WriteTxn::update_blacklist(const core::Blacklist&) { unsupported(); }
void WriteTxn::delete_blacklist(const std::string&) { unsupported(); }
void WriteTxn::set_project_quota(const std::string&, const std::string&, std::int64_t) {
    unsupported();
}
void WriteTxn::reset_project_quotas(const std::string&) { unsupported(); }
void WriteTxn::insert_pool(const core::Pool&) { unsupported(); }
void WriteTxn::update_pool(const core::Pool&) { unsupported(); }
void WriteTxn::delete_pool(const std::string&) { unsupported(); }
}  // namespace dnsplane::store
