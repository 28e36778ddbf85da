#include "dns/server/listen_endpoint.h"

#include <charconv>
#include <stdexcept>

namespace dnsplane::dns {

namespace {

std::invalid_argument bad(std::string_view text, std::string_view why) {
    return std::invalid_argument("invalid DNS listen address '" + std::string(text) +
                                 "': " + std::string(why));
}

}  // namespace

ListenEndpoint parse_listen_endpoint(std::string_view text) {
    std::string_view host;
    std::string_view port_text;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            throw bad(text, "expected [IPV6]:PORT");
        }
        host = text.substr(1, close - 1);
        port_text = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) throw bad(text, "expected HOST:PORT");
        host = text.substr(0, colon);
        port_text = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) {
            throw bad(text, "IPv6 addresses need brackets, e.g. [::1]:53");
        }
    }
    unsigned port = 0;
    auto [end, err] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || err != std::errc() || end != port_text.data() + port_text.size() ||
        port > 65535) {
        throw bad(text, "port must be 0..65535");
    }

    ListenEndpoint ep;
    ep.port = static_cast<std::uint16_t>(port);
    if (host.empty()) {
        ep.address = boost::asio::ip::address_v4::any();
    } else if (host == "localhost") {
        ep.address = boost::asio::ip::address_v4::loopback();
    } else {
        boost::system::error_code ec;
        ep.address = boost::asio::ip::make_address(std::string(host), ec);
        if (ec) throw bad(text, "host must be a numeric IPv4/IPv6 address or localhost");
    }
    return ep;
}

std::string to_string(const ListenEndpoint& ep) {
    const std::string host = ep.address.to_string();
    return (ep.address.is_v6() ? "[" + host + "]" : host) + ":" + std::to_string(ep.port);
}

}  // namespace dnsplane::dns
