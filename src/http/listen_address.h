// "HOST:PORT" listen addresses as written in flags and config files:
// "127.0.0.1:9001", "[::1]:9001", "localhost:9001", ":9001" (every IPv4
// address). Port 0 asks the kernel for a free port.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dnsplane::http {

struct ListenAddress {
    std::string host;  // without IPv6 brackets; "0.0.0.0" for ":PORT"
    std::uint16_t port = 0;
};

// Throws std::invalid_argument with a message naming the bad text.
ListenAddress parse_listen_address(std::string_view text);

// "127.0.0.1:9001" / "[::1]:9001".
std::string format_listen_address(std::string_view host, std::uint16_t port);

// True for "localhost", 127.0.0.0/8, ::1 and ::ffff:127.x.y.z; false for
// wildcard and every other address or name.
bool is_loopback_host(std::string_view host);

}  // namespace dnsplane::http
