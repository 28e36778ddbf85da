// DNS listen addresses as written in flags and config files: "127.0.0.1:5353",
// "[::1]:5353", "localhost:53", ":53" (every IPv4 address), "[::]:53" (every
// IPv6 address). Hosts must be numeric (or "localhost"): a server binds
// before any resolver is trusted.
#pragma once

#include <boost/asio/ip/address.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace dnsplane::dns {

struct ListenEndpoint {
    boost::asio::ip::address address;
    std::uint16_t port = 0;  // 0: the kernel picks one
};

// Throws std::invalid_argument with a message naming the bad text.
ListenEndpoint parse_listen_endpoint(std::string_view text);

// "127.0.0.1:53" / "[::1]:53".
std::string to_string(const ListenEndpoint& ep);

}  // namespace dnsplane::dns
