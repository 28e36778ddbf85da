// An address list in CIDR notation ("127.0.0.0/8", "::1/128", "192.0.2.7"),
// used to decide which clients may transfer zones. IPv4-mapped IPv6 clients
// (::ffff:a.b.c.d, as seen on dual-stack sockets) match IPv4 entries.
#pragma once

#include <boost/asio/ip/address.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dnsplane::dns {

class Acl {
  public:
    Acl() = default;  // empty: allows nobody
    // Throws std::invalid_argument naming the entry when one does not parse
    // (bad address, prefix length out of range).
    explicit Acl(const std::vector<std::string>& cidrs);

    bool allows(const boost::asio::ip::address& client) const;
    bool empty() const { return entries_.empty(); }

  private:
    struct Entry {
        bool v6 = false;
        std::array<std::uint8_t, 16> bytes{};  // network address, host bits cleared
        unsigned prefix = 0;
    };
    static Entry parse_entry(std::string_view text);
    static bool matches(const Entry& e, const std::uint8_t* addr);

    std::vector<Entry> entries_;
};

}  // namespace dnsplane::dns
