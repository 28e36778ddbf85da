// Address and name-based rdata types: A, AAAA, CNAME, NS, PTR, MX, SRV, SOA.
#include <arpa/inet.h>

#include "core/rdata_types.h"

namespace dnsplane::core::detail {

namespace {

using NameRule = RdataInput::NameRule;

// Reads the single field of a one-name type (CNAME/NS/PTR).
std::string single_host(const RdataInput& in, std::string_view field) {
    auto tokens = in.fields(1, field);
    return in.name(tokens[0], field, NameRule::DomainName);
}

}  // namespace

std::string canonical_a(const RdataInput& in) {
    auto tokens = in.fields(1, "address");
    in_addr address{};
    if (tokens[0].quoted || inet_pton(AF_INET, tokens[0].raw.c_str(), &address) != 1)
        in.fail("address must be an IPv4 address like 192.0.2.1, got '" + shorten(tokens[0].raw) +
                "'");
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &address, text, sizeof text);
    return text;
}

std::string canonical_aaaa(const RdataInput& in) {
    auto tokens = in.fields(1, "address");
    in6_addr address{};
    if (tokens[0].quoted || inet_pton(AF_INET6, tokens[0].raw.c_str(), &address) != 1)
        in.fail("address must be an IPv6 address like 2001:db8::1, got '" + shorten(tokens[0].raw) +
                "'");
    // glibc's inet_ntop writes the RFC 5952 form (lower case, longest zero run as ::).
    char text[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &address, text, sizeof text);
    return text;
}

std::string canonical_cname(const RdataInput& in) {
    return single_host(in, "cname");
}
std::string canonical_ns(const RdataInput& in) {
    return single_host(in, "nsdname");
}
std::string canonical_ptr(const RdataInput& in) {
    return single_host(in, "ptrdname");
}

std::string canonical_mx(const RdataInput& in) {
    auto tokens = in.fields(2, "preference exchange");
    auto preference = in.number(tokens[0], "preference", 65535);
    // "." is the null MX of RFC 7505 (the domain accepts no mail).
    auto exchange = in.name(tokens[1], "exchange", NameRule::DomainName);
    return std::to_string(preference) + " " + exchange;
}

std::string canonical_srv(const RdataInput& in) {
    auto tokens = in.fields(4, "priority weight port target");
    auto priority = in.number(tokens[0], "priority", 65535);
    auto weight = in.number(tokens[1], "weight", 65535);
    auto port = in.number(tokens[2], "port", 65535);
    // "." means the service is decidedly not available (RFC 2782).
    auto target = in.name(tokens[3], "target", NameRule::DomainName);
    return std::to_string(priority) + " " + std::to_string(weight) + " " + std::to_string(port) +
           " " + target;
}

std::string canonical_soa(const RdataInput& in) {
    auto tokens = in.fields(7, "mname rname serial refresh retry expire minimum");
    std::string out = in.name(tokens[0], "mname", NameRule::Hostname);
    out += " " + in.name(tokens[1], "rname", NameRule::Any);
    static constexpr std::string_view kTimers[] = {"serial", "refresh", "retry", "expire",
                                                   "minimum"};
    for (std::size_t i = 0; i < 5; ++i)
        out += " " + std::to_string(in.number(tokens[2 + i], kTimers[i], 4294967295u));
    return out;
}

}  // namespace dnsplane::core::detail
