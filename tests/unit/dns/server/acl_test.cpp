#include "dns/server/acl.h"

#include <gtest/gtest.h>

#include "dns/server/listen_endpoint.h"

namespace dnsplane::dns {
namespace {

using boost::asio::ip::make_address;

TEST(Acl, MatchesIpv4Prefixes) {
    Acl acl({"127.0.0.0/8", "192.0.2.128/25", "198.51.100.7"});
    EXPECT_TRUE(acl.allows(make_address("127.0.0.1")));
    EXPECT_TRUE(acl.allows(make_address("127.255.255.254")));
    EXPECT_FALSE(acl.allows(make_address("128.0.0.1")));
    EXPECT_TRUE(acl.allows(make_address("192.0.2.200")));
    EXPECT_FALSE(acl.allows(make_address("192.0.2.127")));
    EXPECT_TRUE(acl.allows(make_address("198.51.100.7")));  // bare address = /32
    EXPECT_FALSE(acl.allows(make_address("198.51.100.8")));
}

TEST(Acl, MatchesIpv6AndMappedIpv4) {
    Acl acl({"::1/128", "2001:db8::/32", "10.0.0.0/8"});
    EXPECT_TRUE(acl.allows(make_address("::1")));
    EXPECT_FALSE(acl.allows(make_address("::2")));
    EXPECT_TRUE(acl.allows(make_address("2001:db8:ffff::1")));
    EXPECT_FALSE(acl.allows(make_address("2001:db9::1")));
    // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d.
    EXPECT_TRUE(acl.allows(make_address("::ffff:10.1.2.3")));
    EXPECT_FALSE(acl.allows(make_address("::ffff:11.1.2.3")));
    // IPv4 entries never match a native IPv6 address and vice versa.
    EXPECT_FALSE(acl.allows(make_address("0a01:0203::")));
}

TEST(Acl, HostBitsInTheEntryAreIgnoredAndZeroPrefixMatchesAll) {
    Acl acl({"192.0.2.77/24"});
    EXPECT_TRUE(acl.allows(make_address("192.0.2.1")));
    Acl all({"0.0.0.0/0", "::/0"});
    EXPECT_TRUE(all.allows(make_address("203.0.113.9")));
    EXPECT_TRUE(all.allows(make_address("2001:db8::9")));
}

TEST(Acl, EmptyAllowsNobody) {
    Acl acl;
    EXPECT_TRUE(acl.empty());
    EXPECT_FALSE(acl.allows(make_address("127.0.0.1")));
}

TEST(Acl, RejectsBadEntriesWithTheirText) {
    EXPECT_THROW(Acl({"300.0.0.1/8"}), std::invalid_argument);
    EXPECT_THROW(Acl({"10.0.0.0/33"}), std::invalid_argument);
    EXPECT_THROW(Acl({"::/129"}), std::invalid_argument);
    EXPECT_THROW(Acl({"10.0.0.0/"}), std::invalid_argument);
    EXPECT_THROW(Acl({"10.0.0.0/x"}), std::invalid_argument);
    try {
        Acl({"nonsense"});
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("nonsense"), std::string::npos);
    }
}

TEST(ListenEndpoint, ParsesTheUsualForms) {
    auto a = parse_listen_endpoint("127.0.0.1:5353");
    EXPECT_EQ(a.address.to_string(), "127.0.0.1");
    EXPECT_EQ(a.port, 5353);
    auto b = parse_listen_endpoint("[::1]:53");
    EXPECT_TRUE(b.address.is_v6());
    EXPECT_EQ(b.port, 53);
    EXPECT_EQ(to_string(b), "[::1]:53");
    auto c = parse_listen_endpoint(":0");
    EXPECT_TRUE(c.address.is_unspecified());
    EXPECT_EQ(c.port, 0);
    EXPECT_EQ(parse_listen_endpoint("localhost:1").address.to_string(), "127.0.0.1");
}

TEST(ListenEndpoint, RejectsBadText) {
    for (const char* bad : {"127.0.0.1", "127.0.0.1:", "127.0.0.1:70000", "::1:53", "[::1]53",
                            "example.org:53", "1.2.3.4:5x"}) {
        EXPECT_THROW(parse_listen_endpoint(bad), std::invalid_argument) << bad;
    }
}

}  // namespace
}  // namespace dnsplane::dns
