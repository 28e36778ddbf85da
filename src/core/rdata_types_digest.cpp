// Digest-carrying rdata types: SSHFP (RFC 4255, 6594, 7479, 8709) and
// DS (RFC 4034, 4509, 6605). Hex is accepted with inner whitespace and in
// either case, and written as one lower-case run.
#include "core/rdata_types.h"

namespace dnsplane::core::detail {

namespace {

// Joins the tokens from `first` on (zone files may split long hex with spaces).
std::string joined_hex(const RdataInput& in, const std::vector<Token>& tokens, std::size_t first,
                       std::string_view field) {
    std::string digits;
    for (std::size_t i = first; i < tokens.size(); ++i) {
        if (tokens[i].quoted)
            in.fail(std::string(field) + " must be hex digits, not a quoted string");
        digits += tokens[i].raw;
    }
    return in.hex(digits, field);
}

}  // namespace

std::string canonical_sshfp(const RdataInput& in) {
    auto tokens = in.fields(3, "algorithm type fingerprint", true);
    auto algorithm = in.number(tokens[0], "algorithm", 255);
    // Registered SSHFP algorithms: RSA, DSA, ECDSA, Ed25519, (5 unassigned), Ed448.
    if (algorithm == 0 || algorithm == 5 || algorithm > 6)
        in.fail("algorithm must be 1 (RSA), 2 (DSA), 3 (ECDSA), 4 (Ed25519) or 6 (Ed448), got " +
                std::to_string(algorithm));
    auto type = in.number(tokens[1], "fingerprint type", 255);
    if (type != 1 && type != 2)
        in.fail("fingerprint type must be 1 (SHA-1) or 2 (SHA-256), got " + std::to_string(type));
    std::string fingerprint = joined_hex(in, tokens, 2, "fingerprint");
    std::size_t expected = type == 1 ? 40 : 64;
    if (fingerprint.size() != expected)
        in.fail("fingerprint must be " + std::to_string(expected) + " hex digits for " +
                (type == 1 ? "SHA-1 (type 1)" : "SHA-256 (type 2)") + ", got " +
                std::to_string(fingerprint.size()));
    return std::to_string(algorithm) + " " + std::to_string(type) + " " + fingerprint;
}

std::string canonical_ds(const RdataInput& in) {
    auto tokens = in.fields(4, "key_tag algorithm digest_type digest", true);
    auto key_tag = in.number(tokens[0], "key tag", 65535);
    auto algorithm = in.number(tokens[1], "algorithm", 255);
    auto digest_type = in.number(tokens[2], "digest type", 255);
    std::size_t expected = 0;
    switch (digest_type) {
        case 1:
            expected = 40;
            break;  // SHA-1
        case 2:
            expected = 64;
            break;  // SHA-256
        case 4:
            expected = 96;
            break;  // SHA-384
        default:
            in.fail("digest type must be 1 (SHA-1), 2 (SHA-256) or 4 (SHA-384), got " +
                    std::to_string(digest_type));
    }
    std::string digest = joined_hex(in, tokens, 3, "digest");
    if (digest.size() != expected)
        in.fail("digest must be " + std::to_string(expected) + " hex digits for digest type " +
                std::to_string(digest_type) + ", got " + std::to_string(digest.size()));
    return std::to_string(key_tag) + " " + std::to_string(algorithm) + " " +
           std::to_string(digest_type) + " " + digest;
}

}  // namespace dnsplane::core::detail
