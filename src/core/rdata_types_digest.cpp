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

// A DNSSEC algorithm number, or its mnemonic (RFC 4034 A.1 and the IANA
// registry, as zone files may write it: "RSASHA256" for 8).
std::uint64_t dnssec_algorithm(const RdataInput& in, const Token& token) {
    static constexpr std::pair<std::string_view, int> kMnemonics[] = {{"RSAMD5", 1},
                                                                      {"DH", 2},
                                                                      {"DSA", 3},
                                                                      {"RSASHA1", 5},
                                                                      {"DSA-NSEC3-SHA1", 6},
                                                                      {"RSASHA1-NSEC3-SHA1", 7},
                                                                      {"RSASHA256", 8},
                                                                      {"RSASHA512", 10},
                                                                      {"ECC-GOST", 12},
                                                                      {"ECDSAP256SHA256", 13},
                                                                      {"ECDSAP384SHA384", 14},
                                                                      {"ED25519", 15},
                                                                      {"ED448", 16},
                                                                      {"INDIRECT", 252},
                                                                      {"PRIVATEDNS", 253},
                                                                      {"PRIVATEOID", 254}};
    if (!token.quoted && !token.raw.empty() && !(token.raw[0] >= '0' && token.raw[0] <= '9')) {
        std::string upper(token.raw);
        for (char& c : upper)
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        for (const auto& [name, number] : kMnemonics)
            if (upper == name) return static_cast<std::uint64_t>(number);
    }
    return in.number(token, "algorithm", 255);
}

}  // namespace

std::string canonical_sshfp(const RdataInput& in) {
    auto tokens = in.fields(3, "algorithm type fingerprint", true);
    // Any algorithm and fingerprint type 0-255 with any hex fingerprint, as
    // zone file parsers (Knot DNS's) take them: unassigned numbers are data too.
    auto algorithm = in.number(tokens[0], "algorithm", 255);
    auto type = in.number(tokens[1], "fingerprint type", 255);
    std::string fingerprint = joined_hex(in, tokens, 2, "fingerprint");
    if (fingerprint.empty()) in.fail("fingerprint must not be empty");
    return std::to_string(algorithm) + " " + std::to_string(type) + " " + fingerprint;
}

std::string canonical_ds(const RdataInput& in) {
    auto tokens = in.fields(4, "key_tag algorithm digest_type digest", true);
    auto key_tag = in.number(tokens[0], "key tag", 65535);
    auto algorithm = dnssec_algorithm(in, tokens[1]);
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
