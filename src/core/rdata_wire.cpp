// RDLENGTH of canonical rdata, computed from its presentation text (no wire
// encoder needed): what the DNS server will write for each value.
#include "core/error.h"
#include "core/name.h"
#include "core/rdata.h"
#include "core/rdata_types.h"

namespace dnsplane::core {

namespace {

using detail::Token;

// A decoded character-string token takes its length octet plus its octets.
std::size_t character_string_wire(const Token& token) {
    return 1 + detail::decode_escapes(token.raw, true).size();
}

std::size_t hex_octets(const std::vector<Token>& tokens, std::size_t first) {
    std::size_t digits = 0;
    for (std::size_t i = first; i < tokens.size(); ++i) digits += tokens[i].raw.size();
    return digits / 2;
}

std::size_t wire_length(std::string_view type, std::string_view canonical) {
    if (type == "TXT" || type == "SPF") {
        std::size_t wire = 0;
        for (const auto& s : detail::parse_text_strings(canonical)) wire += 1 + s.size();
        return wire;
    }
    const std::vector<Token> t = detail::tokenize(canonical);
    auto need = [&](std::size_t n) {
        if (t.size() < n)
            throw invalid(std::string(type) + " value '" + detail::shorten(canonical) +
                          "' is not in canonical form");
    };
    if (type == "A") return 4;
    if (type == "AAAA") return 16;
    if (type == "CNAME" || type == "NS" || type == "PTR") {
        need(1);
        return name_wire_length(t[0].raw);
    }
    if (type == "MX") {
        need(2);
        return 2 + name_wire_length(t[1].raw);
    }
    if (type == "SRV") {
        need(4);
        return 6 + name_wire_length(t[3].raw);
    }
    if (type == "SOA") {
        need(7);
        return name_wire_length(t[0].raw) + name_wire_length(t[1].raw) + 20;
    }
    if (type == "CAA") {
        need(3);  // flags, tag length, tag, value (not length-prefixed)
        return 2 + t[1].raw.size() + detail::decode_escapes(t[2].raw, true).size();
    }
    if (type == "NAPTR") {
        need(6);
        return 4 + character_string_wire(t[2]) + character_string_wire(t[3]) +
               character_string_wire(t[4]) + name_wire_length(t[5].raw);
    }
    if (type == "SSHFP") {
        need(3);
        return 2 + hex_octets(t, 2);
    }
    if (type == "DS") {
        need(4);
        return 4 + hex_octets(t, 3);
    }
    throw invalid("no wire length known for record type '" + std::string(type) + "'");
}

}  // namespace

std::size_t rdata_wire_length(std::string_view type, std::string_view canonical) {
    try {
        return wire_length(type, canonical);
    } catch (const detail::SyntaxError& e) {
        throw invalid(std::string(type) + " value '" + detail::shorten(canonical) +
                      "': " + e.what());
    }
}

}  // namespace dnsplane::core
