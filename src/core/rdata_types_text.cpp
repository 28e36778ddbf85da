// Rdata types built from character-strings: TXT and SPF (RFC 1035, 7208),
// CAA (RFC 8659) and NAPTR (RFC 3403).
#include <array>

#include "core/name.h"
#include "core/rdata_types.h"

namespace dnsplane::core::detail {

namespace {

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view trim(std::string_view text) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    while (!text.empty() && space(text.back())) text.remove_suffix(1);
    return text;
}

constexpr std::array<std::string_view, 6> kCaaTags = {"issue",        "issuewild",    "iodef",
                                                      "contactemail", "contactphone", "issuemail"};

// issue/issuewild/issuemail: [issuer-domain] [";" name=value *(";" name=value)]
void check_issuer_value(const RdataInput& in, std::string_view tag, std::string_view value) {
    auto semicolon = value.find(';');
    std::string_view issuer = trim(value.substr(0, semicolon));
    if (!issuer.empty() && !is_valid_hostname(std::string(issuer) + "."))
        in.fail(std::string(tag) +
                " value must start with the CA's domain name (like "
                "letsencrypt.org), got '" +
                shorten(issuer) + "'");
    while (semicolon != std::string_view::npos) {
        std::size_t start = semicolon + 1;
        semicolon = value.find(';', start);
        std::string_view parameter =
            trim(value.substr(start, semicolon == std::string_view::npos ? std::string_view::npos
                                                                         : semicolon - start));
        if (parameter.empty()) continue;
        auto equals = parameter.find('=');
        std::string_view key = trim(parameter.substr(0, equals));
        bool key_ok = equals != std::string_view::npos && !key.empty();
        for (char c : key) key_ok = key_ok && is_alnum(c);
        std::string_view val = equals == std::string_view::npos
                                   ? std::string_view{}
                                   : trim(parameter.substr(equals + 1));
        bool value_ok = val.find_first_of(" \t") == std::string_view::npos;
        if (!key_ok || !value_ok)
            in.fail(std::string(tag) + " parameter '" + shorten(parameter) +
                    "' must look like name=value");
    }
}

void check_caa_value(const RdataInput& in, std::string_view tag, std::string_view value) {
    if (tag == "issue" || tag == "issuewild" || tag == "issuemail") {
        check_issuer_value(in, tag, value);
    } else if (tag == "iodef") {
        std::string url = lower(value);
        bool ok = false;
        for (std::string_view scheme : {"mailto:", "http://", "https://"})
            ok = ok || (url.size() > scheme.size() && url.starts_with(scheme));
        if (!ok)
            in.fail("iodef value must be a mailto:, http:// or https:// URL, got '" +
                    shorten(value) + "'");
    } else if (value.empty()) {
        in.fail(std::string(tag) + " value must not be empty");
    }
}

}  // namespace

std::string canonical_txt(const RdataInput& in) {
    return join_text_strings(parse_text_strings(in.text()));
}

std::string canonical_caa(const RdataInput& in) {
    auto tokens = in.fields(3, "flags tag value", true);
    auto flags = in.number(tokens[0], "flags", 255);
    std::string tag = lower(tokens[1].raw);
    bool known = !tokens[1].quoted;
    bool listed = false;
    for (auto t : kCaaTags) listed = listed || t == tag;
    if (!known || !listed)
        in.fail(
            "tag must be one of issue, issuewild, iodef, contactemail, contactphone, "
            "issuemail, got '" +
            shorten(tokens[1].raw) + "'");

    // The value is the rest of the rdata: one quoted string, or unquoted text.
    std::string value;
    try {
        if (tokens[2].quoted) {
            if (tokens.size() != 3) in.fail("value must be a single quoted string");
            value = decode_escapes(tokens[2].raw, true);
        } else {
            value = decode_escapes(trim(in.text().substr(tokens[2].begin)), false);
        }
    } catch (const SyntaxError& e) {
        in.fail(std::string("value ") + e.what());
    }
    if (value.size() + tag.size() + 2 > 65535)
        in.fail("value is too long; a record must be at most 65535 octets");
    check_caa_value(in, tag, value);
    return std::to_string(flags) + " " + tag + " " + quote_string(value);
}

std::string canonical_naptr(const RdataInput& in) {
    auto tokens = in.fields(6, "order preference flags service regexp replacement");
    auto order = in.number(tokens[0], "order", 65535);
    auto preference = in.number(tokens[1], "preference", 65535);
    std::string flags = character_string(in, tokens[2], "flags");
    for (char& c : flags) {
        if (!is_alnum(c))
            in.fail("flags must be letters and digits only, got '" + shorten(flags) + "'");
        // Flags are case-insensitive (RFC 3403 4.1); the canonical form is upper case.
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    std::string service = character_string(in, tokens[3], "service");
    std::string regexp = character_string(in, tokens[4], "regexp");
    std::string replacement = in.name(tokens[5], "replacement", RdataInput::NameRule::Any);
    return std::to_string(order) + " " + std::to_string(preference) + " " + quote_string(flags) +
           " " + quote_string(service) + " " + quote_string(regexp) + " " + replacement;
}

}  // namespace dnsplane::core::detail
