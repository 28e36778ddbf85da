// Reads the members of one JSON body object into typed values, collecting
// every problem as a core::FieldError ({"path", "message", "validator"},
// JSON-Schema validator names) and throwing them together at the end.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace dnsplane::api {

class FieldReader {
  public:
    explicit FieldReader(const boost::json::object& obj) : obj_(obj) {}

    std::vector<core::FieldError>& errors() { return errors_; }

    // Rejects members outside `allowed`; read-only ones get their own message.
    void check_members(const std::set<std::string_view>& allowed,
                       const std::set<std::string_view>& read_only);

    bool has(std::string_view key) const { return obj_.contains(key); }

    void require(std::string_view key);

    // Absent: nullopt. Null is accepted only when `nullable` and reads as "".
    std::optional<std::string> text(std::string_view key, bool nullable);

    // Absent: nullopt. Present null (when `nullable`): an engaged inner nullopt.
    std::optional<std::optional<std::int64_t>> integer(std::string_view key, bool nullable);

    void type_error(std::string_view key, const boost::json::value* v, std::string_view expected);

    void add(std::vector<std::string> path, std::string message, std::string validator);

    // One core::Error(Invalid, "invalid_object") carrying every field problem;
    // its message joins them so that clients that print only `message` still
    // say what is wrong. Does nothing when there is none.
    void throw_if_failed() const;

  private:
    const boost::json::object& obj_;
    std::vector<core::FieldError> errors_;
};

}  // namespace dnsplane::api
