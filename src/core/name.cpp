// Domain names in presentation form: parsing, canonical form and label tests.
//
// A name is decoded into raw label octets (escapes resolved), checked against
// the RFC 1035 limits, ASCII lower-cased (RFC 4343) and encoded again with one
// fixed escaping rule, so that two spellings of the same name compare equal.
#include "core/name.h"

#include <cstdio>

#include "core/error.h"

namespace dnsplane::core {

namespace {

constexpr std::size_t kMaxLabel = 63;
constexpr std::size_t kMaxWire = 255;

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

char to_lower_ascii(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Characters that have a meaning in zone files and are therefore written with
// a backslash (the set BIND and Knot escape in names).
bool needs_backslash(unsigned char c) {
    switch (c) {
        case '.':
        case '\\':
        case '"':
        case '(':
        case ')':
        case ';':
        case '@':
        case '$':
            return true;
        default:
            return false;
    }
}

// Appends one label's octets in presentation form.
void encode_label(const std::string& label, std::string& out) {
    for (unsigned char c : label) {
        if (c <= 0x20 || c >= 0x7f) {
            char buf[5];
            std::snprintf(buf, sizeof buf, "\\%03u", static_cast<unsigned>(c));
            out += buf;
        } else {
            if (needs_backslash(c)) out.push_back('\\');
            out.push_back(static_cast<char>(c));
        }
    }
}

struct ParsedName {
    std::vector<std::string> labels;  // raw octets, escapes resolved
    bool absolute = false;
};

// Decodes presentation text into labels; throws on syntax and length errors.
ParsedName parse_name(std::string_view text) {
    ParsedName result;
    if (text.empty()) throw invalid("name must not be empty");
    if (text == ".") {
        result.absolute = true;
        return result;
    }
    std::string label;
    bool label_started = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '.') {
            if (!label_started)
                throw invalid("name " + quoted(text) +
                              " has an empty label (two dots in a row or a leading dot)");
            result.labels.push_back(std::move(label));
            label.clear();
            label_started = false;
            continue;
        }
        label_started = true;
        if (c == '\\') {
            if (i + 1 >= text.size())
                throw invalid("name " + quoted(text) + " ends with a single backslash");
            char next = text[i + 1];
            if (is_digit(next)) {
                if (i + 3 >= text.size() || !is_digit(text[i + 2]) || !is_digit(text[i + 3]))
                    throw invalid("name " + quoted(text) +
                                  " has a \\DDD escape without exactly three digits");
                int value = (next - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
                if (value > 255)
                    throw invalid("name " + quoted(text) + " has an escape \\" +
                                  std::string(text.substr(i + 1, 3)) + " above 255");
                label.push_back(static_cast<char>(value));
                i += 3;
            } else {
                label.push_back(next);
                i += 1;
            }
            continue;
        }
        if (c <= 0x20 || c == 0x7f)
            throw invalid("name " + quoted(text) +
                          " contains a space or control character (write it as \\DDD)");
        if (c >= 0x80)
            throw invalid("name " + quoted(text) +
                          " contains a non-ASCII character (use the xn-- form of the name)");
        label.push_back(static_cast<char>(c));
    }
    if (label_started) {
        result.labels.push_back(std::move(label));
    } else {
        result.absolute = true;
    }

    std::size_t wire = 1;  // the root label
    for (const auto& l : result.labels) {
        if (l.size() > kMaxLabel)
            throw invalid("name " + quoted(text) + " has a label of " + std::to_string(l.size()) +
                          " octets; a label must be at most 63 octets");
        wire += 1 + l.size();
    }
    if (wire > kMaxWire)
        throw invalid("name " + quoted(text) + " is " + std::to_string(wire) +
                      " octets long on the wire; a name must be at most 255 octets");
    return result;
}

// Splits a presentation name on unescaped dots (escapes stay as written).
std::vector<std::string_view> split_presentation(std::string_view name) {
    std::vector<std::string_view> labels;
    if (name.empty() || name == ".") return labels;
    std::size_t start = 0;
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (name[i] == '\\') {
            ++i;  // the escaped character (or the first digit of \DDD) is part of the label
            continue;
        }
        if (name[i] == '.') {
            labels.push_back(name.substr(start, i - start));
            start = i + 1;
        }
    }
    if (start < name.size()) labels.push_back(name.substr(start));
    return labels;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (to_lower_ascii(a[i]) != to_lower_ascii(b[i])) return false;
    return true;
}

bool is_host_label(std::string_view label, bool asterisk_ok = false) {
    if (label.empty() || label.size() > kMaxLabel) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' ||
                  c == '_' || (asterisk_ok && c == '*');
        if (!ok) return false;
    }
    return true;
}

bool hostname_labels_valid(std::string_view name, bool wildcard_ok, bool asterisk_ok = false) {
    if (name.empty() || name == ".") return false;
    if (name.back() == '.') name.remove_suffix(1);
    std::size_t start = 0;
    bool first = true;
    while (true) {
        std::size_t dot = name.find('.', start);
        std::string_view label = name.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        bool ok = is_host_label(label, asterisk_ok) || (first && wildcard_ok && label == "*");
        if (!ok) return false;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
        first = false;
    }
    return name.size() + 2 <= kMaxWire;
}

}  // namespace

namespace {

enum class LetterCase { Lower, Keep };

std::string normalised_name(std::string_view text, bool relative_ok, LetterCase letters) {
    ParsedName parsed = parse_name(text);
    if (!parsed.absolute && !relative_ok)
        throw invalid("name " + quoted(text) + " must be fully qualified (end with a dot)");
    if (parsed.labels.empty()) return ".";
    std::string out;
    out.reserve(text.size() + 1);
    for (auto& label : parsed.labels) {
        if (letters == LetterCase::Lower)
            for (char& c : label) c = to_lower_ascii(c);
        encode_label(label, out);
        out.push_back('.');
    }
    if (!parsed.absolute) out.pop_back();
    return out;
}

}  // namespace

std::string canonical_name(std::string_view text, bool relative_ok) {
    return normalised_name(text, relative_ok, LetterCase::Lower);
}

std::string case_preserved_name(std::string_view text, bool relative_ok) {
    return normalised_name(text, relative_ok, LetterCase::Keep);
}

std::optional<std::string> try_canonical_name(std::string_view text, std::string* why,
                                              bool relative_ok) {
    try {
        return canonical_name(text, relative_ok);
    } catch (const Error& e) {
        if (why) *why = e.what();
        return std::nullopt;
    }
}

std::size_t name_wire_length(std::string_view text) {
    std::size_t wire = 1;
    for (const auto& label : parse_name(text).labels) wire += 1 + label.size();
    return wire;
}

std::vector<std::string> split_labels(std::string_view canonical) {
    std::vector<std::string> out;
    for (auto label : split_presentation(canonical)) out.emplace_back(label);
    return out;
}

bool is_subdomain(std::string_view name, std::string_view zone) {
    auto name_labels = split_presentation(name);
    auto zone_labels = split_presentation(zone);
    if (zone_labels.size() > name_labels.size()) return false;
    std::size_t offset = name_labels.size() - zone_labels.size();
    for (std::size_t i = 0; i < zone_labels.size(); ++i)
        if (!equal_ignoring_case(name_labels[offset + i], zone_labels[i])) return false;
    return true;
}

bool is_valid_hostname(std::string_view canonical) {
    return hostname_labels_valid(canonical, false);
}

bool is_valid_owner_name(std::string_view canonical, OwnerNames rule) {
    return hostname_labels_valid(canonical, true, rule == OwnerNames::Rfc4592);
}

bool is_wildcard(std::string_view canonical) {
    auto labels = split_presentation(canonical);
    return !labels.empty() && labels.front() == "*";
}

}  // namespace dnsplane::core
