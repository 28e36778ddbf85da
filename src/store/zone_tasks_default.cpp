// Defaults of the zone task/grant operations for stores (and test doubles)
// that do not keep them: reads find none, deletes have nothing to do, and
// writes say so with 503.
#include "core/error.h"
#include "store/store.h"

namespace dnsplane::store {

namespace {
[[noreturn]] void unsupported() {
    throw core::Error(core::ErrorKind::Unavailable, "database_unavailable",
                      "this store keeps no zone tasks");
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
