// The ExternalDNS wire model (endpoint.Endpoint, plan.Changes) and its JSON
// form: decoding with case-insensitive keys (as Go's encoding/json), null as
// empty, unknown keys ignored; encoding with every empty field omitted.
// Pure: no I/O. Malformed shapes throw core::Error(BadRequest) -> 400.
#pragma once

#include <boost/json/fwd.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dnsplane::webhook {

struct ProviderSpecific {
    std::string name;
    std::string value;
    bool operator==(const ProviderSpecific&) const = default;
};

struct Endpoint {
    std::string dns_name;
    std::vector<std::string> targets;
    std::string record_type;
    std::string set_identifier;
    std::int64_t record_ttl = 0;  // 0: not set
    std::map<std::string, std::string> labels;
    std::vector<ProviderSpecific> provider_specific;
    bool operator==(const Endpoint&) const = default;
};

struct Changes {
    std::vector<Endpoint> create;
    std::vector<Endpoint> update_old;
    std::vector<Endpoint> update_new;
    std::vector<Endpoint> del;  // "delete"
    bool empty() const {
        return create.empty() && update_old.empty() && update_new.empty() && del.empty();
    }
};

Endpoint endpoint_from_json(const boost::json::value& v);
// null -> no endpoints; otherwise an array of endpoint objects.
std::vector<Endpoint> endpoints_from_json(const boost::json::value& v);
// null -> no changes; keys create/updateOld/updateNew/delete in any case.
Changes changes_from_json(const boost::json::value& v);

// JSON text, fields omitted when empty; `<`, `>`, `&` escaped as \u003c...
// (as Go writes them), other control characters as \u00XX.
void append_endpoint_json(std::string& out, const Endpoint& e);
std::string endpoints_json(const std::vector<Endpoint>& eps);
void append_json_string(std::string& out, std::string_view s);

}  // namespace dnsplane::webhook
