#include "http/listen_address.h"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

namespace dnsplane::http {

namespace {
[[noreturn]] void fail(std::string_view text, std::string_view why) {
    throw std::invalid_argument("invalid listen address '" + std::string(text) +
                                "': " + std::string(why) + " (expected HOST:PORT or [IPV6]:PORT)");
}
}  // namespace

ListenAddress parse_listen_address(std::string_view text) {
    ListenAddress out;
    std::string_view port_text;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos) fail(text, "missing ']'");
        out.host = std::string(text.substr(1, close - 1));
        if (close + 1 >= text.size() || text[close + 1] != ':') fail(text, "missing port");
        port_text = text.substr(close + 2);
        boost::system::error_code ec;
        auto addr = boost::asio::ip::make_address(out.host, ec);
        if (ec || !addr.is_v6()) fail(text, "bad IPv6 address");
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string_view::npos) fail(text, "missing port");
        out.host = std::string(text.substr(0, colon));
        if (out.host.find(':') != std::string::npos) fail(text, "IPv6 addresses need brackets");
        port_text = text.substr(colon + 1);
        if (out.host.empty()) out.host = "0.0.0.0";
    }
    if (port_text.empty() || !std::all_of(port_text.begin(), port_text.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
        }))
        fail(text, "bad port");
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || port > 65535) fail(text, "port out of range");
    out.port = static_cast<std::uint16_t>(port);
    return out;
}

std::string format_listen_address(std::string_view host, std::uint16_t port) {
    std::string h(host);
    if (h.find(':') != std::string::npos) h = "[" + h + "]";
    return h + ":" + std::to_string(port);
}

bool is_loopback_host(std::string_view host) {
    std::string lower(host);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (lower == "localhost") return true;
    boost::system::error_code ec;
    auto addr = boost::asio::ip::make_address(lower, ec);
    if (ec) return false;
    if (addr.is_v6() && addr.to_v6().is_v4_mapped())
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, addr.to_v6())
            .is_loopback();
    return addr.is_loopback();
}

}  // namespace dnsplane::http
