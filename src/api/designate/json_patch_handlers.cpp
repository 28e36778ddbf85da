// PATCH on zones and record sets. A JSON Patch (application/json-patch+json)
// is applied to the resource as GET shows it in the configured style,
// wrapped as {"zone": ...} / {"recordset": ...}; the members it changes
// become an ordinary partial update, validated like any other.
//
// All or nothing: the update is written only if the resource is still at
// the version the patch was applied to. If another writer got in between,
// the patch is applied again to the new state, so its "test" operations
// decide: a stale version test then fails (409 patch_test_failed), while a
// patch without tests (say, appending a TXT value) is not lost.
#include "api/designate/handlers.h"
#include "api/designate/json_codec.h"
#include "api/designate/json_patch_body.h"
#include "api/designate/responses.h"
#include "api/designate/style_responses.h"
#include "service/tenancy.h"
#include "service/validation.h"

namespace dnsplane::designate::handlers {

namespace json = boost::json;

namespace {

// Rounds of read, apply, conditional write before giving up on a resource
// that keeps changing under the patch.
constexpr int kAttempts = 5;

bool is_version_race(const core::Error& e) {
    return e.kind() == core::ErrorKind::PreconditionFailed;
}

core::Error keeps_changing(const char* what) {
    return core::Error(core::ErrorKind::Conflict, "version_conflict",
                       std::string("The ") + what +
                           " kept changing while the patch was applied; nothing was changed");
}

const std::string& id_param(const http::Request& req, const char* name, const char* type,
                            const char* message) {
    const std::string& id = req.param(name);
    require_uuid(id, type, message);
    return id;
}

http::Response json_patch_zone(const Context& ctx, const http::Request& req) {
    const std::string& id = id_param(req, "zone_id", "zone_not_found", "Could not find Zone");
    service::require_writer(req.caller);
    const auto if_match = parse_if_match(req);
    const PatchTarget target = zone_patch_target();
    const common::PatchLimits limits = patch_limits(ctx.body_limit);
    const auto ops = read_json_patch(req, target, limits);

    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const core::Zone current = ctx.svc.get_zone(req.caller, id);
        service::check_if_match(if_match, current.version);
        json::object changes =
            patched_members(zone_object(ctx.style, current, req.base_url), target, ops, limits);
        core::Zone result = current;
        if (!changes.empty()) {
            const service::ZoneUpdate in =
                parse_zone_update(changes, ctx.svc.settings().default_zone_ttl);
            try {
                result = ctx.svc.update_zone(req.caller, id, in, current.version);
            } catch (const core::Error& e) {
                if (!is_version_race(e)) throw;
                continue;
            }
        }
        // A patch that changes nothing (only tests, say) writes nothing.
        return write_response(ctx.style, WriteKind::Update, "zone",
                              zone_object(ctx.style, result, req.base_url), result.version,
                              zone_url(req.base_url, result.id));
    }
    throw keeps_changing("zone");
}

http::Response json_patch_recordset(const Context& ctx, const http::Request& req) {
    const std::string& zone_id = id_param(req, "zone_id", "zone_not_found", "Could not find Zone");
    const std::string& id =
        id_param(req, "recordset_id", "recordset_not_found", "Could not find RecordSet");
    service::require_writer(req.caller);
    const auto if_match = parse_if_match(req);
    const PatchTarget target = recordset_patch_target();
    const common::PatchLimits limits = patch_limits(ctx.body_limit);
    const auto ops = read_json_patch(req, target, limits);

    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const core::RecordSet current = ctx.svc.get_recordset(req.caller, zone_id, id);
        service::check_if_match(if_match, current.version);
        json::object changes = patched_members(recordset_object(ctx.style, current, req.base_url),
                                               target, ops, limits);
        core::RecordSet result = current;
        if (!changes.empty()) {
            const service::RecordSetUpdate in =
                parse_recordset_update(changes, [&] { return current.type; });
            try {
                // One change set: the set must still be at the patched version.
                result = *ctx.svc
                              .apply(req.caller, service::recordset_update_edit(zone_id, id, in,
                                                                                current.version))
                              .operations.front()
                              .set;
            } catch (const core::Error& e) {
                if (!is_version_race(e)) throw;
                continue;
            }
        }
        return write_response(ctx.style, WriteKind::Update, "recordset",
                              recordset_object(ctx.style, result, req.base_url), result.version,
                              recordset_url(req.base_url, result.zone_id, result.id));
    }
    throw keeps_changing("record set");
}

}  // namespace

http::Response patch_zone(const Context& ctx, const http::Request& req) {
    if (is_json_patch_request(req)) return json_patch_zone(ctx, req);
    return update_zone(ctx, req);
}

http::Response patch_recordset(const Context& ctx, const http::Request& req) {
    if (is_json_patch_request(req)) return json_patch_recordset(ctx, req);
    return update_recordset(ctx, req);
}

}  // namespace dnsplane::designate::handlers
