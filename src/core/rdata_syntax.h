// Internal building blocks for rdata parsing (not part of the public API):
// tokenizing presentation text, numbers, hex, character-strings and names
// inside rdata. Low-level helpers throw SyntaxError with a reason only; the
// per-type parsers add the record type and value through RdataInput::fail.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dnsplane::core::detail {

// A reason without context; canonical_rdata turns it into core::invalid.
class SyntaxError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// One whitespace-separated field of rdata text. `raw` is the text as written
// (escapes not resolved; for a quoted token, without the quotes); `begin` is
// its offset in the input (at the opening quote for quoted tokens).
struct Token {
    std::string raw;
    bool quoted = false;
    std::size_t begin = 0;
};

// The text itself, or its first characters followed by "..." when it is too
// long to quote in an error message.
std::string shorten(std::string_view text);

// Offset of the first raw control character in `text` (0x00-0x1F and 0x7F),
// TAB excepted, and LF/CR excepted too when `line_breaks_ok`; npos if none.
std::size_t find_control_character(std::string_view text, bool line_breaks_ok);

// "the control character 0x00 at offset 8", for messages.
std::string describe_control_character(std::string_view text, std::size_t at);

// Splits rdata text into tokens. A token starting with '"' runs to the next
// unescaped '"' (a raw line break inside it is an error); an unquoted token
// may not contain '"'.
std::vector<Token> tokenize(std::string_view text);

// The value being parsed, with error reporting that names the type and value.
class RdataInput {
  public:
    RdataInput(std::string_view type, std::string_view text, std::string_view origin)
        : type_(type), text_(text), origin_(origin) {}

    std::string_view type() const { return type_; }
    std::string_view text() const { return text_; }
    std::string_view origin() const { return origin_; }

    // Throws core::invalid("<TYPE> record '<value>': <what>").
    [[noreturn]] void fail(const std::string& what) const;

    // Tokenizes text(); fails unless exactly `count` tokens are present
    // (`at_least` accepts more, for types whose last field may contain spaces).
    std::vector<Token> fields(std::size_t count, std::string_view field_names,
                              bool at_least = false) const;

    // Decimal integer 0..max; fails with "<field> must be an integer 0-<max>, got <x>".
    std::uint64_t number(const Token& token, std::string_view field, std::uint64_t max) const;

    // A domain name inside rdata, made absolute (relative names are completed
    // with origin(), or rejected when it is empty) and canonical.
    // DomainName: any name a zone file parser takes unescaped (letters,
    // digits, '-', '_', '*', '/', escapes), the root included: rdata
    // targets (CNAME, NS, PTR, MX, SRV), as Knot DNS's parser accepts them.
    enum class NameRule { Any, Hostname, HostnameOrRoot, DomainName };
    std::string name(const Token& token, std::string_view field, NameRule rule) const;

    // Hex string (whitespace-free), lower-cased; fails on odd length or non-hex.
    std::string hex(std::string_view digits, std::string_view field) const;

  private:
    std::string_view type_;
    std::string_view text_;
    std::string_view origin_;
};

// Resolves RFC 1035 escapes (\X, \DDD) of a character-string's contents.
// When `quotes_allowed` is false an unescaped '"' is an error. A lone
// trailing backslash is always an error.
std::string decode_escapes(std::string_view raw, bool quotes_allowed);

// Writes octets as one quoted character-string: '"' and '\' escaped,
// bytes outside printable ASCII as \DDD.
std::string quote_string(std::string_view octets);

// A character-string field (NAPTR flags/service/regexp): quoted or unquoted
// token, decoded, at most 255 octets.
std::string character_string(const RdataInput& in, const Token& token, std::string_view field);

// TXT/SPF value: one or more quoted strings, or one unquoted value (split into
// 255-octet strings). Returns the decoded strings.
std::vector<std::string> parse_text_strings(std::string_view text);

// Decoded strings -> canonical TXT presentation ("a" "b").
std::string join_text_strings(const std::vector<std::string>& strings);

// Raw text (the draft's dict `text`) -> strings of at most 255 octets.
std::vector<std::string> chunk_text(std::string_view octets);

}  // namespace dnsplane::core::detail
