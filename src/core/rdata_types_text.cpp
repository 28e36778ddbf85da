// Rdata types built from character-strings: TXT and SPF (RFC 1035, 7208),
// CAA (RFC 8659) and NAPTR (RFC 3403).
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

// RFC 8659 4.1: a tag is 1-15 US-ASCII letters and digits; any such tag is
// data a zone may hold (issue, issuewild, iodef, contactemail, ... and tags
// registered later). Values are not checked further: Knot DNS's zone parser
// takes any character-string for any tag, and RFC 8659 gives a malformed
// issue value a meaning (no CA may issue).
bool is_caa_tag(std::string_view tag) {
    if (tag.empty() || tag.size() > 15) return false;
    for (char c : tag)
        if (!is_alnum(c)) return false;
    return true;
}

}  // namespace

std::string canonical_txt(const RdataInput& in) {
    return join_text_strings(parse_text_strings(in.text()));
}

std::string canonical_caa(const RdataInput& in) {
    auto tokens = in.fields(3, "flags tag value", true);
    auto flags = in.number(tokens[0], "flags", 255);
    // A quoted tag is read as its content, as zone file parsers do.
    std::string tag = lower(tokens[1].raw);
    if (!is_caa_tag(tag))
        in.fail(
            "tag must be 1 to 15 letters and digits (RFC 8659), like issue, issuewild "
            "or iodef, got '" +
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
    return std::to_string(flags) + " " + tag + " " + quote_string(value);
}

std::string canonical_naptr(const RdataInput& in) {
    auto tokens = in.fields(6, "order preference flags service regexp replacement");
    auto order = in.number(tokens[0], "order", 65535);
    auto preference = in.number(tokens[1], "preference", 65535);
    std::string flags = character_string(in, tokens[2], "flags");
    // Flags are case-insensitive (RFC 3403 4.1); the canonical form is upper
    // case. Any character-string is taken, as zone file parsers do.
    for (char& c : flags)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    std::string service = character_string(in, tokens[3], "service");
    std::string regexp = character_string(in, tokens[4], "regexp");
    std::string replacement = in.name(tokens[5], "replacement", RdataInput::NameRule::Any);
    return std::to_string(order) + " " + std::to_string(preference) + " " + quote_string(flags) +
           " " + quote_string(service) + " " + quote_string(regexp) + " " + replacement;
}

}  // namespace dnsplane::core::detail
