// Helpers of the change set tests: short builders of operations and
// prerequisites, and a catcher of an edit's typed error.
#pragma once

#include "service/zone_edit.h"
#include "service_fixture.h"

namespace dnsplane::service::testing {

inline EditOp op(EditOpKind kind, std::string name, std::string type,
                 std::optional<std::vector<std::string>> records = std::nullopt,
                 std::string zone_id = {}) {
    EditOp o;
    o.kind = kind;
    o.target.zone_id = std::move(zone_id);
    o.target.name = std::move(name);
    o.target.type = std::move(type);
    o.records = std::move(records);
    return o;
}

inline EditOp create(std::string name, std::string type, std::vector<std::string> records) {
    return op(EditOpKind::CreateSet, std::move(name), std::move(type), std::move(records));
}
inline EditOp add(std::string name, std::string type, std::vector<std::string> records) {
    return op(EditOpKind::AddValues, std::move(name), std::move(type), std::move(records));
}
inline EditOp remove(std::string name, std::string type, std::vector<std::string> records) {
    return op(EditOpKind::RemoveValues, std::move(name), std::move(type), std::move(records));
}
inline EditOp replace(std::string name, std::string type, std::vector<std::string> records) {
    return op(EditOpKind::ReplaceSet, std::move(name), std::move(type), std::move(records));
}
inline EditOp delete_set(std::string name, std::string type) {
    return op(EditOpKind::DeleteSet, std::move(name), std::move(type));
}
inline EditOp delete_name(std::string name) {
    return op(EditOpKind::DeleteName, std::move(name), "");
}

inline Prerequisite prereq(PrerequisiteKind kind, std::string name, std::string type = {},
                           std::vector<std::string> values = {}, std::int64_t version = 0) {
    Prerequisite p;
    p.kind = kind;
    p.target.name = std::move(name);
    p.target.type = std::move(type);
    p.values = std::move(values);
    p.version = version;
    return p;
}

inline ZoneEdit edit_of(std::vector<EditOp> ops, std::vector<Prerequisite> prereqs = {}) {
    ZoneEdit e;
    e.operations = std::move(ops);
    e.prerequisites = std::move(prereqs);
    return e;
}

}  // namespace dnsplane::service::testing
