// Small helpers with no domain meaning.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dnsplane::common {

std::string new_uuid();       // random v4, lower-case, hyphenated
std::string now_timestamp();  // "2026-01-02T03:04:05.000000" (UTC)
std::string sha256_hex(std::string_view data);
std::string random_token(std::size_t bytes = 32);  // URL-safe secret
// Standard base64 (RFC 4648 4); padding optional, non-canonical trailing
// bits and any other character refused (nullopt).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace dnsplane::common
