// The text form of a UUID's 16 bytes, shared by the id makers in this folder.
#pragma once

#include <string>

namespace dnsplane::common {

// Lower-case, hyphenated (8-4-4-4-12). Hex by hand: snprintf with sixteen
// conversions showed up in request profiles (every request gets a uuid).
inline std::string uuid_text(const unsigned char (&b)[16]) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += kHex[b[i] >> 4];
        out += kHex[b[i] & 15];
    }
    return out;
}

}  // namespace dnsplane::common
