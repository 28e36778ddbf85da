// Tokenizer and field readers shared by every rdata type parser.
#include "core/rdata_syntax.h"

#include <cstdio>

#include "core/error.h"
#include "core/name.h"

namespace dnsplane::core::detail {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// True when a presentation name ends with a dot that is not escaped.
bool ends_with_unescaped_dot(std::string_view name) {
    if (name.empty() || name.back() != '.') return false;
    std::size_t backslashes = 0;
    for (std::size_t i = name.size() - 1; i > 0 && name[i - 1] == '\\'; --i) ++backslashes;
    return backslashes % 2 == 0;
}

}  // namespace

std::string shorten(std::string_view text) {
    constexpr std::size_t kMax = 60;
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (out.size() >= kMax) {
            out.resize(kMax - 3);
            return out + "...";
        }
        // Control characters would be invisible (or cut the text) in a message.
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f) {
            char buf[5];
            std::snprintf(buf, sizeof buf, "\\%03u", static_cast<unsigned>(c));
            out += buf;
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    if (out.size() > kMax) {
        out.resize(kMax - 3);
        out += "...";
    }
    return out;
}

std::size_t find_control_character(std::string_view text, bool line_breaks_ok) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\t') continue;
        if ((c == '\n' || c == '\r') && line_breaks_ok) continue;
        if (c < 0x20 || c == 0x7f) return i;
    }
    return std::string_view::npos;
}

std::string describe_control_character(std::string_view text, std::size_t at) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X",
                  static_cast<unsigned>(static_cast<unsigned char>(text[at])));
    return std::string("the control character ") + buf + " at offset " + std::to_string(at);
}

std::vector<Token> tokenize(std::string_view text) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (true) {
        while (i < text.size() && is_space(text[i])) ++i;
        if (i >= text.size()) break;
        Token token;
        token.begin = i;
        if (text[i] == '"') {
            token.quoted = true;
            ++i;
            bool closed = false;
            bool last_was_escaped_quote = false;
            while (i < text.size()) {
                char c = text[i];
                if (c == '\\' && i + 1 < text.size()) {
                    last_was_escaped_quote = text[i + 1] == '"';
                    token.raw.append(text.substr(i, 2));
                    i += 2;
                    continue;
                }
                if (c == '"') {
                    closed = true;
                    ++i;
                    break;
                }
                if (c == '\n' || c == '\r')
                    throw SyntaxError(
                        "a quoted string contains a raw line break; write it as \\010 (LF) or "
                        "\\013 (CR)");
                last_was_escaped_quote = false;
                token.raw.push_back(c);
                ++i;
            }
            if (!closed)
                throw SyntaxError(last_was_escaped_quote
                                      ? "a quoted string is not closed (its closing quote is "
                                        "escaped by a backslash)"
                                      : "a quoted string is not closed");
            if (i < text.size() && !is_space(text[i]))
                throw SyntaxError("text follows a closing quote without a space");
        } else {
            while (i < text.size() && !is_space(text[i])) {
                char c = text[i];
                if (c == '\\' && i + 1 < text.size()) {
                    token.raw.append(text.substr(i, 2));
                    i += 2;
                    continue;
                }
                if (c == '"')
                    throw SyntaxError(
                        "unescaped quote in the middle of an unquoted field; escape it as \\\" "
                        "or quote the whole string");
                token.raw.push_back(c);
                ++i;
            }
        }
        tokens.push_back(std::move(token));
    }
    return tokens;
}

void RdataInput::fail(const std::string& what) const {
    throw invalid(std::string(type_) + " record '" + shorten(text_) + "': " + what);
}

std::vector<Token> RdataInput::fields(std::size_t count, std::string_view field_names,
                                      bool at_least) const {
    std::vector<Token> tokens = tokenize(text_);
    bool ok = at_least ? tokens.size() >= count : tokens.size() == count;
    if (!ok)
        fail("expected " + std::string(at_least ? "at least " : "") + std::to_string(count) +
             (count == 1 ? " field (" : " fields (") + std::string(field_names) + "), got " +
             std::to_string(tokens.size()));
    return tokens;
}

std::uint64_t RdataInput::number(const Token& token, std::string_view field,
                                 std::uint64_t max) const {
    auto reject = [&] {
        fail(std::string(field) + " must be an integer 0-" + std::to_string(max) + ", got " +
             (token.quoted ? "\"" + shorten(token.raw) + "\"" : shorten(token.raw)));
    };
    if (token.quoted || token.raw.empty()) reject();
    std::uint64_t value = 0;
    for (char c : token.raw) {
        if (c < '0' || c > '9') reject();
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
        if (value > max) reject();  // also stops overflow on long inputs
    }
    return value;
}

std::string RdataInput::name(const Token& token, std::string_view field, NameRule rule) const {
    std::string label(field);
    if (token.quoted) fail(label + " must be a domain name, not a quoted string");
    std::string result;
    if (token.raw == "@") {
        if (origin_.empty()) fail(label + " '@' needs a zone origin; write the full name");
        result = std::string(origin_);
    } else {
        std::string why;
        auto parsed = try_canonical_name(token.raw, &why, true);
        if (!parsed) fail(label + ": " + why);
        result = std::move(*parsed);
        if (result != "." && !ends_with_unescaped_dot(result)) {
            if (origin_.empty())
                fail(label + " '" + shorten(token.raw) +
                     "' is not fully qualified; end it with a dot");
            std::string completed = result + "." + (origin_ == "." ? "" : std::string(origin_));
            auto absolute = try_canonical_name(completed, &why);
            if (!absolute) fail(label + ": " + why);
            result = std::move(*absolute);
        }
    }
    if (rule == NameRule::HostnameOrRoot && result == ".") return result;
    if (rule == NameRule::DomainName) {
        for (char c : token.raw == "@" ? std::string_view() : std::string_view(token.raw)) {
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '*' || c == '/' || c == '.' || c == '\\';
            if (!ok)
                fail(label + " '" + shorten(token.raw) + "' holds '" + std::string(1, c) +
                     "': write it as an escape (\\DDD)");
        }
        return result;
    }
    if (rule != NameRule::Any && !is_valid_hostname(result))
        fail(label + " '" + shorten(result) +
             "' is not a valid host name (labels of letters, digits, '-' and '_', not starting "
             "or ending with '-')");
    return result;
}

std::string RdataInput::hex(std::string_view digits, std::string_view field) const {
    std::string out;
    out.reserve(digits.size());
    for (char c : digits) {
        if (!is_hex_digit(c))
            fail(std::string(field) + " must be hexadecimal, got '" + shorten(digits) + "'");
        out.push_back((c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c);
    }
    if (out.empty()) fail(std::string(field) + " must not be empty");
    if (out.size() % 2 != 0)
        fail(std::string(field) + " must have an even number of hex digits, got " +
             std::to_string(out.size()));
    return out;
}

}  // namespace dnsplane::core::detail
