#include "dns/server/acl.h"

#include <charconv>
#include <stdexcept>

namespace dnsplane::dns {

namespace {

std::invalid_argument bad_entry(std::string_view text, std::string_view why) {
    return std::invalid_argument("invalid ACL entry '" + std::string(text) +
                                 "': " + std::string(why));
}

}  // namespace

Acl::Acl(const std::vector<std::string>& cidrs) {
    entries_.reserve(cidrs.size());
    for (const auto& c : cidrs) entries_.push_back(parse_entry(c));
}

Acl::Entry Acl::parse_entry(std::string_view text) {
    std::string_view addr_text = text;
    std::string_view prefix_text;
    if (auto slash = text.find('/'); slash != std::string_view::npos) {
        addr_text = text.substr(0, slash);
        prefix_text = text.substr(slash + 1);
    }
    boost::system::error_code ec;
    auto addr = boost::asio::ip::make_address(std::string(addr_text), ec);
    if (ec) throw bad_entry(text, "not an IP address");

    Entry e;
    e.v6 = addr.is_v6();
    const unsigned max_prefix = e.v6 ? 128 : 32;
    e.prefix = max_prefix;
    if (!prefix_text.empty() || text.find('/') != std::string_view::npos) {
        unsigned p = 0;
        auto [end, err] =
            std::from_chars(prefix_text.data(), prefix_text.data() + prefix_text.size(), p);
        if (err != std::errc() || end != prefix_text.data() + prefix_text.size() ||
            p > max_prefix) {
            throw bad_entry(text, "prefix length must be 0.." + std::to_string(max_prefix));
        }
        e.prefix = p;
    }
    if (e.v6) {
        auto b = addr.to_v6().to_bytes();
        std::copy(b.begin(), b.end(), e.bytes.begin());
    } else {
        auto b = addr.to_v4().to_bytes();
        std::copy(b.begin(), b.end(), e.bytes.begin());
    }
    // Clear the host bits so that matching compares whole bytes cheaply.
    for (unsigned bit = e.prefix; bit < max_prefix; ++bit) {
        e.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
    }
    return e;
}

bool Acl::matches(const Entry& e, const std::uint8_t* addr) {
    const unsigned full = e.prefix / 8;
    for (unsigned i = 0; i < full; ++i) {
        if (addr[i] != e.bytes[i]) return false;
    }
    if (unsigned rest = e.prefix % 8; rest != 0) {
        const auto mask = static_cast<std::uint8_t>(0xFFu << (8 - rest));
        if ((addr[full] & mask) != e.bytes[full]) return false;
    }
    return true;
}

bool Acl::allows(const boost::asio::ip::address& client) const {
    std::array<std::uint8_t, 16> v6{};
    std::array<std::uint8_t, 4> v4{};
    bool have_v4 = false;
    bool have_v6 = false;
    if (client.is_v4()) {
        v4 = client.to_v4().to_bytes();
        have_v4 = true;
    } else {
        const auto a6 = client.to_v6();
        v6 = a6.to_bytes();
        have_v6 = true;
        if (a6.is_v4_mapped()) {
            v4 = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a6).to_bytes();
            have_v4 = true;
        }
    }
    for (const Entry& e : entries_) {
        if (e.v6 ? (have_v6 && matches(e, v6.data())) : (have_v4 && matches(e, v4.data()))) {
            return true;
        }
    }
    return false;
}

}  // namespace dnsplane::dns
