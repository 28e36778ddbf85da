// Typed errors shared by every layer. Each API surface renders them in exactly
// one place (http/error_mapping for Designate); nothing else chooses a status.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace dnsplane::core {

enum class ErrorKind {
    BadRequest,        // 400: malformed input (JSON, query parameters, ...)
    Invalid,           // 400: well-formed input that fails validation
    Unauthorized,      // 401
    Forbidden,         // 403
    NotFound,          // 404
    MethodNotAllowed,  // 405
    Conflict,          // 409: duplicates, failed JSON-Patch tests
    PreconditionFailed,// 412: stale If-Match
    TooLarge,          // 413: body over the limit, over quota
    UnsupportedMedia,  // 415
    Internal,          // 500
    Unavailable,       // 503
};

// One failed field of a validation error: path as in Designate's
// {"path":["records",0],...}; elements are either names or indexes.
struct FieldError {
    std::vector<std::string> path;  // indexes are stored as decimal strings
    std::string message;
    std::string validator = "format";
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, std::string type, std::string message,
          std::vector<FieldError> fields = {})
        : std::runtime_error(message),
          kind_(kind),
          type_(std::move(type)),
          fields_(std::move(fields)) {}

    ErrorKind kind() const noexcept { return kind_; }
    // Machine-readable type, e.g. "zone_not_found", "invalid_object".
    const std::string& type() const noexcept { return type_; }
    const std::vector<FieldError>& fields() const noexcept { return fields_; }

    // Which operation of a change set (service::ZoneEdit) failed, counted
    // from 0 in the order given; nullopt for errors outside a change set.
    const std::optional<std::size_t>& operation() const noexcept { return operation_; }
    void set_operation(std::size_t index) noexcept { operation_ = index; }

private:
    ErrorKind kind_;
    std::string type_;
    std::vector<FieldError> fields_;
    std::optional<std::size_t> operation_;
};

// Validation failure of one value; `path` says where.
inline Error invalid(std::string message, std::vector<std::string> path = {}) {
    std::vector<FieldError> f;
    if (!path.empty()) f.push_back({std::move(path), message, "format"});
    return Error(ErrorKind::Invalid, "invalid_object", std::move(message), std::move(f));
}
inline Error not_found(std::string type, std::string message) {
    return Error(ErrorKind::NotFound, std::move(type), std::move(message));
}
inline Error bad_request(std::string type, std::string message) {
    return Error(ErrorKind::BadRequest, std::move(type), std::move(message));
}

}  // namespace dnsplane::core
