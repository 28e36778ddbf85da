#include "service/secondary.h"

#include <arpa/inet.h>

#include <charconv>

#include "core/name.h"

namespace dnsplane::service {

namespace {

bool is_ipv6(const std::string& s) {
    in6_addr a{};
    return inet_pton(AF_INET6, s.c_str(), &a) == 1;
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535)
        return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

bool valid_host(const std::string& host) {
    if (host.empty()) return false;
    in_addr a4{};
    if (inet_pton(AF_INET, host.c_str(), &a4) == 1 || is_ipv6(host)) return true;
    // A host name: resolved when the zone is transferred.
    return host.find(' ') == std::string::npos && core::try_canonical_name(host + ".").has_value();
}

}  // namespace

std::optional<MasterAddress> parse_master(const std::string& text) {
    MasterAddress m;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string::npos) return std::nullopt;
        m.host = text.substr(1, close - 1);
        if (!is_ipv6(m.host)) return std::nullopt;
        std::string_view rest = std::string_view(text).substr(close + 1);
        if (rest.empty()) return m;
        if (rest.front() != ':') return std::nullopt;
        auto port = parse_port(rest.substr(1));
        if (!port) return std::nullopt;
        m.port = *port;
        return m;
    }
    if (is_ipv6(text)) {  // a bare IPv6 address: its colons are no port
        m.host = text;
        return m;
    }
    auto colon = text.rfind(':');
    m.host = text.substr(0, colon);
    if (colon != std::string::npos) {
        auto port = parse_port(std::string_view(text).substr(colon + 1));
        if (!port) return std::nullopt;
        m.port = *port;
    }
    if (!m.host.empty() && m.host.back() == '.') m.host.pop_back();
    if (!valid_host(m.host)) return std::nullopt;
    return m;
}

std::string master_text(const MasterAddress& m) {
    if (m.host.find(':') != std::string::npos) return "[" + m.host + "]:" + std::to_string(m.port);
    return m.host + ":" + std::to_string(m.port);
}

std::vector<std::string> validate_masters(const std::vector<std::string>& masters) {
    if (masters.empty())
        throw core::invalid("A SECONDARY zone needs at least one master", {"masters"});
    std::vector<std::string> out;
    for (std::size_t i = 0; i < masters.size(); ++i) {
        auto m = parse_master(masters[i]);
        if (!m)
            throw core::invalid("Master '" + masters[i] +
                                    "' is not an IP address or host name with an optional :port",
                                {"masters", std::to_string(i)});
        auto text = master_text(*m);
        bool seen = false;
        for (const auto& o : out) seen = seen || o == text;
        if (!seen) out.push_back(std::move(text));
    }
    return out;
}

core::Error secondary_zone_read_only(const core::Zone& zone) {
    return core::bad_request("bad_request",
                             "Zone '" + zone.name +
                                 "' is a SECONDARY zone: its record sets come from its masters "
                                 "by zone transfer and cannot be changed through the API");
}

}  // namespace dnsplane::service
