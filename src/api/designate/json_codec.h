// Designate v2 JSON shapes: model values -> response objects, and request
// bodies -> service inputs (with Designate-style per-field validation errors).
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "http/message.h"
#include "service/zone_service.h"

namespace dnsplane::designate {

// Absolute URLs of resources, from the request's base URL ("http://host:port").
std::string zone_url(std::string_view base_url, std::string_view zone_id);
std::string recordset_url(std::string_view base_url, std::string_view zone_id,
                          std::string_view recordset_id);
std::string pool_url(std::string_view base_url, std::string_view pool_id);

// Pieces both styles' shapes are built from (draft_style.cpp reuses them).
// Unset optional values show as null, not "" or a missing key.
boost::json::value text_or_null(const std::string& s);
boost::json::value optional_text(const std::optional<std::string>& s);
boost::json::value optional_ttl(const std::optional<std::uint32_t>& ttl);
// id, pool_id, project_id, name, email, ttl, serial: how every zone opens.
void put_zone_identity(boost::json::object& o, const core::Zone& z);
// created_at and updated_at, which every resource carries.
void put_times(boost::json::object& o, const std::string& created_at,
               const std::optional<std::string>& updated_at);

// Model -> JSON, every field Designate clients read; records always as strings.
boost::json::object zone_to_json(const core::Zone& z, std::string_view base_url);
boost::json::object recordset_to_json(const core::RecordSet& rs, std::string_view base_url);
boost::json::object pool_to_json(const core::Pool& p, std::string_view base_url);

// Reads the body of a write: checks Content-Type (415), parses JSON (400
// bad_request), requires an object (400 invalid_object) and unwraps
// {"<wrapper>": {...}} when that is the body's only member.
boost::json::object read_body_object(const http::Request& req, std::string_view wrapper);

// Body object -> service input. Wrong types, unknown or read-only fields
// throw one core::Error(Invalid, "invalid_object") listing every bad field.
// `notes` (2013 draft) is accepted as an alias of `description`.
service::ZoneCreate parse_zone_create(const boost::json::object& body);
service::ZoneUpdate parse_zone_update(const boost::json::object& body,
                                      std::uint32_t default_zone_ttl);
service::RecordSetCreate parse_recordset_create(const boost::json::object& body);
// `type_of` gives the record set's type; it is called only when dict records
// need converting (the type is not part of an update body).
service::RecordSetUpdate parse_recordset_update(const boost::json::object& body,
                                                const std::function<std::string()>& type_of);

// One `records` list: strings pass through as presentation text; the draft's
// dicts ({"address": "192.0.2.1"}) are converted with core::rdata_from_fields
// for `type`. Problems are appended to `errors` with paths ["records", i, ...].
std::vector<std::string> parse_records(const boost::json::value& v, std::string_view type,
                                       std::vector<core::FieldError>& errors);

}  // namespace dnsplane::designate
