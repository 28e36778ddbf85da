// JSON Patch bodies -> partial update bodies (see json_patch_body.h).
#include "api/designate/json_patch_body.h"

#include <algorithm>

#include "api/common/json_body.h"
#include "core/error.h"

namespace dnsplane::designate {

namespace json = boost::json;
using common::JsonPatchError;
using common::PatchOp;
using common::PatchOperation;

namespace {

// Every member either style shows (final and draft), so that a patch naming
// one the style leaves out is "read-only", not "unknown".
const std::set<std::string> kZoneMembers = {
    "id",          "pool_id",    "project_id", "name",    "email",
    "ttl",         "serial",     "status",     "action",  "notes",
    "description", "masters",    "type",       "version", "transferred_at",
    "created_at",  "updated_at", "attributes", "shared",  "links"};
const std::set<std::string> kRecordSetMembers = {
    "id",    "project_id",  "zone_id", "zone_name", "name",    "type",       "records",    "ttl",
    "notes", "description", "status",  "action",    "version", "created_at", "updated_at", "links"};

// A 400 invalid_object pointing into the patch document: [<op index>, <member>].
core::Error patch_invalid(std::string message, std::size_t op, std::string member,
                          std::string validator) {
    std::vector<std::string> path;
    if (op != JsonPatchError::kNoOperation) {
        path.push_back(std::to_string(op));
        path.push_back(std::move(member));
    }
    core::FieldError field{std::move(path), message, std::move(validator)};
    return core::Error(core::ErrorKind::Invalid, "invalid_object", std::move(message),
                       {std::move(field)});
}

// 413: the patch would cost more than a plain write of its result may.
core::Error patch_too_large(const JsonPatchError& e, const common::PatchLimits& limits) {
    std::string message = std::string("JSON patch too large, nothing was changed: ") + e.what() +
                          " (limits: the request body limit of " +
                          std::to_string(limits.max_document_bytes) +
                          " bytes for the patched document, " +
                          std::to_string(limits.max_operations) + " operations)";
    std::vector<core::FieldError> fields;
    if (e.operation() != JsonPatchError::kNoOperation)
        fields.push_back({{std::to_string(e.operation()), "path"}, message, "maxLength"});
    return core::Error(core::ErrorKind::TooLarge, "patch_too_large", message, std::move(fields));
}

const std::set<std::string>& members_of(const PatchTarget& target) {
    return target.wrapper == "zone" ? kZoneMembers : kRecordSetMembers;
}

// A pointer that a changing operation writes to (or a move takes from).
void check_writable(const PatchTarget& target, const std::vector<std::string>& tokens,
                    const std::string& pointer, std::size_t index, const char* member) {
    const std::string prefix = "operation " + std::to_string(index) + ": ";
    if (tokens.empty() || tokens[0] != target.wrapper)
        throw patch_invalid(
            prefix + "path \"" + pointer + "\" must start with \"/" + target.wrapper + "/\"", index,
            member, "additionalProperties");
    if (tokens.size() == 1)
        throw patch_invalid(
            prefix + "the whole " + target.wrapper + " cannot be replaced; patch its members",
            index, member, "readOnly");
    const std::string& name = tokens[1];
    if (target.writable.count(name)) return;
    if (members_of(target).count(name))
        throw patch_invalid(prefix + "'" + name + "' is a read-only field and cannot be changed",
                            index, member, "readOnly");
    throw patch_invalid(prefix + "unknown field '" + name + "' in path \"" + pointer + "\"", index,
                        member, "additionalProperties");
}

}  // namespace

bool is_json_patch_request(const http::Request& req) {
    auto ct = req.header("content-type");
    return ct && api::media_type(*ct) == kJsonPatchMediaType;
}

PatchTarget zone_patch_target() {
    return {"zone", {"email", "ttl", "description", "notes"}};
}

PatchTarget recordset_patch_target() {
    return {"recordset", {"records", "ttl", "description", "notes"}};
}

common::PatchLimits patch_limits(std::size_t body_limit) {
    common::PatchLimits limits;
    limits.max_document_bytes = body_limit;
    return limits;
}

std::vector<PatchOperation> read_json_patch(const http::Request& req, const PatchTarget& target,
                                            const common::PatchLimits& limits) {
    boost::system::error_code ec;
    json::value body = json::parse(req.body, ec);
    if (ec) throw core::bad_request("bad_request", "Malformed JSON body: " + ec.message());

    std::vector<PatchOperation> ops;
    try {
        ops = common::parse_patch(body, limits);
    } catch (const JsonPatchError& e) {
        if (e.kind() == JsonPatchError::Kind::TooLarge) throw patch_too_large(e, limits);
        throw patch_invalid(std::string("Invalid JSON patch: ") + e.what(), e.operation(), "op",
                            "json_patch");
    }
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const PatchOperation& op = ops[i];
        if (op.op == PatchOp::Test) continue;
        check_writable(target, op.path_tokens, op.path, i, "path");
        if (op.op == PatchOp::Move) check_writable(target, op.from_tokens, op.from, i, "from");
    }
    return ops;
}

json::object patched_members(const json::object& resource, const PatchTarget& target,
                             const std::vector<PatchOperation>& ops,
                             const common::PatchLimits& limits) {
    json::value doc = json::object{{target.wrapper, resource}};
    json::value after;
    try {
        after = common::apply_patch(doc, ops, limits);
    } catch (const JsonPatchError& e) {
        if (e.kind() == JsonPatchError::Kind::TooLarge) throw patch_too_large(e, limits);
        if (e.kind() == JsonPatchError::Kind::TestFailed)
            throw core::Error(
                core::ErrorKind::Conflict, "patch_test_failed",
                std::string("JSON patch test failed, nothing was changed: ") + e.what());
        const bool from = e.operation() != JsonPatchError::kNoOperation &&
                          e.operation() < ops.size() && e.pointer() == ops[e.operation()].from &&
                          !ops[e.operation()].from.empty();
        throw patch_invalid(
            std::string("JSON patch cannot be applied: ") + e.what(), e.operation(),
            from ? "from" : "path",
            e.kind() == JsonPatchError::Kind::PathNotFound ? "json_pointer" : "json_patch");
    }

    // Changing operations stay inside writable members (read_json_patch), so
    // the wrapper is still an object holding the resource.
    const json::object& before = resource;
    const json::object& now = after.as_object().at(target.wrapper).as_object();
    json::object changed;
    for (const std::string& name : target.writable) {
        const json::value* old_value = before.if_contains(name);
        const json::value* new_value = now.if_contains(name);
        if (!new_value) {
            if (old_value) changed[name] = nullptr;
        } else if (!old_value || !common::json_equal(*old_value, *new_value)) {
            changed[name] = *new_value;
        }
    }
    return changed;
}

}  // namespace dnsplane::designate
