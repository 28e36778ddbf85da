#include "service/final_set.h"

#include "core/error.h"
#include "core/name.h"
#include "service/servable.h"
#include "service/validation.h"

namespace dnsplane::service {

namespace {

// A name below a child zone belongs in that zone; only the delegation NS at
// the child's apex may live in the parent.
void check_not_in_child_zone(const std::vector<core::Zone>& children, const core::Zone& zone,
                             const std::string& name, const std::string& type) {
    for (const auto& other : children) {
        if (!core::is_subdomain(name, other.name)) continue;
        if (name == other.name && type == "NS") continue;
        // Another project's zone is not named (nor confirmed beyond the refusal).
        throw core::invalid("Record set '" + name + "' belongs in the child zone " +
                                (other.project_id == zone.project_id ? "'" + other.name + "'"
                                                                     : "below '" + zone.name + "'"),
                            {"name"});
    }
}

}  // namespace

std::vector<core::Zone> child_zones(store::ReadTxn& txn, const core::Zone& zone) {
    return txn.zones_below(zone.name);
}

void validate_final_set(const std::vector<core::Zone>& children, const Quotas& quotas,
                        const core::Zone& zone, const core::RecordSet& rs, bool is_new) {
    if (is_new) {
        validate_owner_for_type(rs.type, rs.name, zone.name);
        if (rs.name != zone.name) check_not_in_child_zone(children, zone, rs.name, rs.type);
    }
    if (rs.records.size() > quotas.records_per_recordset)
        throw core::Error(core::ErrorKind::TooLarge, "over_quota",
                          "Quota exceeded: a record set may hold at most " +
                              std::to_string(quotas.records_per_recordset) + " records");
    if (rs.type == "CNAME" && rs.records.size() > 1)
        throw core::invalid("A CNAME record set can hold only one record", {"records"});
    std::vector<std::string> values;
    values.reserve(rs.records.size());
    for (const auto& r : rs.records) values.push_back(r.data);
    check_servable(rs.name, rs.type, values);
}

}  // namespace dnsplane::service
