// A value bound to a `?` parameter of dynamically built SQL, shared by every
// SQL backend (the list query builder produces them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

namespace dnsplane::store {

using SqlValue = std::variant<std::nullptr_t, std::int64_t, std::string>;

}  // namespace dnsplane::store
