#include "http/listen_address.h"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace dnsplane::http;

TEST(ListenAddress, ParsesIpv4Ipv6AndNames) {
    auto a = parse_listen_address("127.0.0.1:9001");
    EXPECT_EQ(a.host, "127.0.0.1");
    EXPECT_EQ(a.port, 9001);
    auto b = parse_listen_address("[::1]:53");
    EXPECT_EQ(b.host, "::1");
    EXPECT_EQ(b.port, 53);
    auto c = parse_listen_address("localhost:0");
    EXPECT_EQ(c.host, "localhost");
    EXPECT_EQ(c.port, 0);
    auto d = parse_listen_address(":8080");
    EXPECT_EQ(d.host, "0.0.0.0");
}

TEST(ListenAddress, RejectsMalformedText) {
    for (const char* bad : {"127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "::1:53",
                            "[::1]53", "[::1", "[127.0.0.1]:53", "host:port"})
        EXPECT_THROW(parse_listen_address(bad), std::invalid_argument) << bad;
}

TEST(ListenAddress, FormatsWithBracketsForIpv6) {
    EXPECT_EQ(format_listen_address("::1", 9001), "[::1]:9001");
    EXPECT_EQ(format_listen_address("127.0.0.1", 9001), "127.0.0.1:9001");
}

TEST(ListenAddress, LoopbackDetection) {
    EXPECT_TRUE(is_loopback_host("127.0.0.1"));
    EXPECT_TRUE(is_loopback_host("127.1.2.3"));
    EXPECT_TRUE(is_loopback_host("::1"));
    EXPECT_TRUE(is_loopback_host("LocalHost"));
    EXPECT_TRUE(is_loopback_host("::ffff:127.0.0.1"));
    EXPECT_FALSE(is_loopback_host("0.0.0.0"));
    EXPECT_FALSE(is_loopback_host("::"));
    EXPECT_FALSE(is_loopback_host("192.0.2.1"));
    EXPECT_FALSE(is_loopback_host("example.org"));
}
