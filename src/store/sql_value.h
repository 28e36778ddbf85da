// A value bound to a `?` parameter of dynamically built SQL, shared by every
// SQL backend (the list query builder produces them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace dnsplane::store {

using SqlValue = std::variant<std::nullptr_t, std::int64_t, std::string>;

// An optional text column: NULL when empty.
inline SqlValue sql_value(const std::optional<std::string>& v) {
    return v ? SqlValue(*v) : SqlValue(nullptr);
}
inline SqlValue sql_value(std::string v) {
    return SqlValue(std::move(v));
}
inline SqlValue sql_value(std::int64_t v) {
    return SqlValue(v);
}

}  // namespace dnsplane::store
