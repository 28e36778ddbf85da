// Pure mapping between ExternalDNS endpoints and dnsplane record sets, and
// the reconciliation of a plan into one change set. No I/O: the handlers
// read the store (through ZoneService), call these, and apply the result.
//
// A record set is keyed by (name, type); ExternalDNS keys endpoints by
// (dnsName, recordType, setIdentifier). Each set keeps, in
// core::RecordSet::provider_meta, the endpoints ("identities") that make it
// up: setIdentifier, targets, labels, providerSpecific. The DNS set serves
// the union of their targets. Values added outside the webhook (Designate)
// belong to the identity without setIdentifier.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "api/webhook/endpoint.h"
#include "core/model.h"
#include "service/zone_edit.h"
#include "store/store.h"

namespace dnsplane::webhook {

// Types an endpoint may carry (upper case, exact match); others are dropped
// by adjustendpoints and refused by POST /records.
bool is_supported_type(std::string_view type);

// Endpoint target <-> rdata presentation text. Names gain/lose the trailing
// dot (except SRV and NAPTR, kept as written); TXT targets are the raw text,
// split into 255-octet character-strings and joined back byte for byte.
std::string target_to_rdata(const std::string& type, const std::string& target);
std::string rdata_to_target(const std::string& type, const std::string& canonical);
// The target as GET /records will return it (canonicalised); throws
// core::Error(Invalid) when the target is not valid for the type.
std::string normalise_target(const std::string& type, const std::string& target);

// "App.Example.com." -> "app.example.com." (absolute, lower case); throws
// core::Error(Invalid) on a bad name.
std::string canonical_owner(const std::string& dns_name);
// "app.example.com." -> "app.example.com"
std::string endpoint_name(const std::string& canonical);

struct Identity {
    std::string set_identifier;
    std::vector<std::string> targets;  // endpoint form
    std::map<std::string, std::string> labels;
    std::vector<ProviderSpecific> provider_specific;
};

// provider_meta text <-> identities ("" when the set is one identity with no
// setIdentifier, labels or providerSpecific). decode_meta of text it cannot
// read gives no identities (the values then form the "" identity).
std::string encode_meta(const std::vector<Identity>& ids);
std::vector<Identity> decode_meta(std::string_view text);

// The identities of a stored set, each with only the targets the set holds;
// values no identity names go to the "" identity.
std::vector<Identity> identities_of(const core::RecordSet& rs);

// The endpoints of one stored set (one per identity), TTL = the set's or the
// zone's. Managed sets (SOA, apex NS) and unsupported types give none.
std::vector<Endpoint> set_endpoints(const core::RecordSet& rs, std::uint32_t zone_ttl);

// The JSON of set_endpoints(rs, zone_ttl) for a set with an empty
// provider_meta (exactly one endpoint), written without building it.
void append_plain_set_json(std::string& out, const core::RecordSet& rs, std::uint32_t zone_ttl);
// The same from a streaming store read (GET /records), with no copies.
void append_plain_set_json(std::string& out, const store::RecordSetView& rs,
                           std::uint32_t zone_ttl);
// The set of a streaming read as a core::RecordSet (for set_endpoints).
core::RecordSet recordset_of(const store::RecordSetView& rs);

// The zone (from `zones`) with the longest name containing `canonical`; nullptr if none.
const core::Zone* zone_of(const std::vector<core::Zone>& zones, const std::string& canonical);

// POST /adjustendpoints: drops unsupported types and NS at a zone apex
// (managed by dnsplane); TTL 0 -> the zone's TTL
// (for a name in a zone); targets canonicalised and de-duplicated (a target
// that does not parse is left as sent). dnsName, recordType, setIdentifier,
// labels and providerSpecific are never rewritten.
std::vector<Endpoint> adjust_endpoints(std::vector<Endpoint> eps,
                                       const std::vector<core::Zone>& zones);

// Domain filter for GET /: {"include":[...]} from `configured` when given,
// else the zone names (no trailing dot, sorted); {} when empty.
std::string domain_filter_json(const std::vector<std::string>& configured,
                               const std::vector<core::Zone>& zones);

// A plan that cannot be applied for a reason on the provider's side (no
// zone for a name, a value the type does not accept): 5xx, nothing applied.
class PlanError : public std::runtime_error {
  public:
    PlanError(std::string type, const std::string& message)
        : std::runtime_error(message), type_(std::move(type)) {}
    const std::string& type() const { return type_; }

  private:
    std::string type_;
};

// Every (zone id, canonical name) the plan touches, to read the current
// sets there. Throws PlanError("no_zone") for a name in no zone of `zones`,
// PlanError("unsupported_type") / ("invalid_endpoint") for bad endpoints.
std::vector<std::pair<std::string, std::string>> touched_names(
    const Changes& changes, const std::vector<core::Zone>& zones);

// --webhook-create-zones: the zones to create so that every endpoint of the
// plan has one: for each name in no zone of `zones`, its parent (the name
// without its first label; the name itself when that would leave one label),
// canonical, de-duplicated, sorted. Names that are already covered give none.
std::vector<std::string> zones_to_create(const Changes& changes,
                                         const std::vector<core::Zone>& zones);

// The reconciliation: desired changes x current sets (every set at the
// touched names) -> one ZoneEdit. Deletes and updateOld remove identities,
// updateNew and create add or replace them; each touched set becomes one
// ReplaceSet (union of its identities' targets, provider_meta, TTL of the
// last endpoint that set one: 0 -> the zone's) or DeleteSet when no identity
// is left. Each existing set is guarded by a SetVersion prerequisite and
// each absent one by SetAbsent, so a concurrent writer makes the apply fail
// (retried) instead of being overwritten. An empty plan gives an empty edit.
service::ZoneEdit plan_edit(const Changes& changes, const std::vector<core::Zone>& zones,
                            const std::vector<core::RecordSet>& current);

}  // namespace dnsplane::webhook
