// Character-strings (RFC 1035 3.3, 5.1): escapes, quoting, and the TXT/SPF
// value forms users send through the API.
#include <cstdio>

#include "core/rdata_syntax.h"

namespace dnsplane::core::detail {

namespace {

constexpr std::size_t kMaxString = 255;
constexpr std::size_t kMaxRdata = 65535;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

std::string trim(std::string_view text) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    while (!text.empty() && space(text.back())) text.remove_suffix(1);
    return std::string(text);
}

}  // namespace

std::string decode_escapes(std::string_view raw, bool quotes_allowed) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '"' && !quotes_allowed)
            throw SyntaxError(
                "unescaped quote in the middle of an unquoted value; escape it as \\\" or quote "
                "the whole string");
        if (c != '\\') {
            out.push_back(c);
            continue;
        }
        if (i + 1 >= raw.size())
            throw SyntaxError("ends with a single backslash; write \\\\ for a literal backslash");
        char next = raw[i + 1];
        if (!is_digit(next)) {
            out.push_back(next);
            ++i;
            continue;
        }
        if (i + 3 >= raw.size() || !is_digit(raw[i + 2]) || !is_digit(raw[i + 3]))
            throw SyntaxError("a \\DDD escape needs exactly three digits");
        int value = (next - '0') * 100 + (raw[i + 2] - '0') * 10 + (raw[i + 3] - '0');
        if (value > 255)
            throw SyntaxError("escape \\" + std::string(raw.substr(i + 1, 3)) + " is above 255");
        out.push_back(static_cast<char>(value));
        i += 3;
    }
    return out;
}

std::string quote_string(std::string_view octets) {
    std::string out = "\"";
    out.reserve(octets.size() + 2);
    for (unsigned char c : octets) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(c));
        } else if (c < 0x20 || c >= 0x7f) {
            char buf[5];
            std::snprintf(buf, sizeof buf, "\\%03u", static_cast<unsigned>(c));
            out += buf;
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    out.push_back('"');
    return out;
}

std::string character_string(const RdataInput& in, const Token& token, std::string_view field) {
    std::string decoded;
    try {
        decoded = decode_escapes(token.raw, token.quoted);
    } catch (const SyntaxError& e) {
        in.fail(std::string(field) + " " + e.what());
    }
    if (decoded.size() > kMaxString)
        in.fail(std::string(field) + " must be at most 255 octets, got " +
                std::to_string(decoded.size()));
    return decoded;
}

std::vector<std::string> chunk_text(std::string_view octets) {
    std::vector<std::string> strings;
    if (octets.empty()) strings.emplace_back();
    for (std::size_t at = 0; at < octets.size(); at += kMaxString)
        strings.emplace_back(octets.substr(at, kMaxString));
    return strings;
}

std::vector<std::string> parse_text_strings(std::string_view text) {
    std::string value = trim(text);
    if (value.empty()) throw SyntaxError("text must not be empty");

    std::vector<std::string> strings;
    if (value.front() == '"') {
        // Quoted form: every string is quoted, separated by whitespace.
        for (const Token& token : tokenize(value)) {
            if (!token.quoted)
                throw SyntaxError(
                    "text outside quotes; when the value starts with a quote, every "
                    "string must be quoted");
            std::string decoded = decode_escapes(token.raw, true);
            if (decoded.size() > kMaxString)
                throw SyntaxError("string " + std::to_string(strings.size() + 1) + " is " +
                                  std::to_string(decoded.size()) +
                                  " octets; each string must be at most 255 octets");
            strings.push_back(std::move(decoded));
        }
    } else {
        // Unquoted form: the whole value is one text, split into 255-octet strings.
        // Like Designate, any trailing backslash is refused here (even an escaped
        // one, `\\`): it is the classic sign of a broken quote; the quoted form
        // can still end with an escaped backslash.
        if (value.find_first_of("\r\n") != std::string::npos)
            throw SyntaxError(
                "the text contains a raw line break; write it as \\010 (LF) or \\013 (CR)");
        if (value.back() == '\\')
            throw SyntaxError(
                "ends with a backslash; to end the text with a backslash, quote it and escape "
                "the backslash (\"...\\\\\")");
        strings = chunk_text(decode_escapes(value, false));
    }

    std::size_t wire = 0;
    for (const auto& s : strings) wire += 1 + s.size();
    if (wire > kMaxRdata)
        throw SyntaxError("text is " + std::to_string(wire) +
                          " octets on the wire; a record must be at most 65535 octets");
    return strings;
}

std::string join_text_strings(const std::vector<std::string>& strings) {
    std::string out;
    for (const auto& s : strings) {
        if (!out.empty()) out.push_back(' ');
        out += quote_string(s);
    }
    return out;
}

}  // namespace dnsplane::core::detail
