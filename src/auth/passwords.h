// Password hashing for the users of the built-in identity endpoint:
// PBKDF2-HMAC-SHA256 (OpenSSL) with a random per-user salt. The stored form
// names its algorithm and iteration count, so both can change later:
//   pbkdf2-sha256$<iterations>$<salt, base64>$<derived key, base64>
#pragma once

#include <string>
#include <string_view>

namespace dnsplane::auth {

inline constexpr int kPasswordIterations = 100000;

std::string hash_password(std::string_view password, int iterations = kPasswordIterations);

// Recomputes the key with the stored salt and iteration count and compares
// in constant time; a malformed stored form never verifies.
bool verify_password(std::string_view password, std::string_view stored);

}  // namespace dnsplane::auth
