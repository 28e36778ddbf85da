// Resource shapes of the 2013 "Designate/APIv2" draft, served when
// --designate-style=draft: record values as dicts keyed per type (integers
// as JSON numbers), `notes` for the description, every status ACTIVE
// (dnsplane applies a change before it answers, which the draft calls
// synchronous), and pools with the draft's fields.
#pragma once

#include <boost/json.hpp>

#include <string_view>

#include "core/model.h"

namespace dnsplane::designate {

// How write answers and resource bodies look; both styles read both forms.
enum class ApiStyle {
    Final,  // today's Designate: 202 + PENDING, records as strings, unwrapped bodies
    Draft,  // the 2013 draft: 201/200/204, ACTIVE, {"zone": {...}}, dict records
};

// "final" or "draft"; anything else throws core::Error(Invalid).
ApiStyle parse_api_style(std::string_view text);

namespace draft {

// One canonical value -> {"address": "192.0.2.1"} / {"preference": 10, ...}.
boost::json::object record_to_dict(std::string_view type, std::string_view canonical);

// Field sets of the draft's property tables (plus `links`). A record set in
// a collection omits `records` (the draft's nested-collection rule).
boost::json::object zone_to_json(const core::Zone& z, std::string_view base_url);
boost::json::object recordset_to_json(const core::RecordSet& rs, std::string_view base_url,
                                      bool with_records = true);
// id, project_id, name, flavor_id (null: dnsplane has no flavors), public
// (a pool without a project serves every project), nameservers (by
// priority), notes, status ACTIVE, version 1 (pools come from the
// configuration and never change through the API), times, links.
boost::json::object pool_to_json(const core::Pool& p, std::string_view base_url);

}  // namespace draft
}  // namespace dnsplane::designate
