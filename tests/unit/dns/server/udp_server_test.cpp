// The UDP listener through the DnsServer facade, with real sockets.
#include <gtest/gtest.h>

#include <set>

#include "server_fixture.h"

namespace dnsplane::dns {
namespace {

using namespace dnsplane::dns::testing;

TEST(UdpServer, AnswersAQueryOnAKernelChosenPortSharedWithTcp) {
    RunningServer s(loopback_options());
    ASSERT_NE(s.udp_port(), 0);
    EXPECT_EQ(s.udp_port(), s.tcp_port());
    auto reply = udp_exchange(s.udp_port(), make_query("WWW.example.org.", KNOT_RRTYPE_A, 0xBEEF));
    ASSERT_TRUE(reply);
    Parsed p(*reply);
    EXPECT_EQ(p.id(), 0xBEEF);
    EXPECT_EQ(p.rcode(), KNOT_RCODE_NOERROR);
    EXPECT_TRUE(p.aa());
    EXPECT_EQ(p.answer_records(), 2u);
    EXPECT_EQ(wire::name_to_text(knot_pkt_wire_qname(p.pkt.get())), "WWW.example.org.");
    EXPECT_GE(s.server().stats().snapshot().udp, 1u);
}

TEST(UdpServer, AnswersEveryQueryOfABurst) {
    RunningServer s(loopback_options());
    Fd fd = udp_socket();
    constexpr int kQueries = 500;
    for (int i = 0; i < kQueries; ++i) {
        udp_send(fd.get(), s.udp_port(),
                 make_query("www.example.org.", KNOT_RRTYPE_A, static_cast<std::uint16_t>(i)));
    }
    std::set<std::uint16_t> ids;
    while (auto r = udp_recv(fd.get(), 2000)) {
        ids.insert(Parsed(*r).id());
        if (ids.size() == kQueries) break;
    }
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(kQueries));
}

TEST(UdpServer, EveryWorkerSocketServes) {
    DnsOptions o = loopback_options();
    o.udp_workers = 4;
    RunningServer s(o);
    // SO_REUSEPORT spreads by source port: many client sockets reach every
    // worker; all of them must answer.
    for (int i = 0; i < 64; ++i) {
        auto r = udp_exchange(s.udp_port(), make_query("www.example.org.", KNOT_RRTYPE_A));
        ASSERT_TRUE(r) << "client " << i;
    }
}

TEST(UdpServer, SurvivesGarbageAndKeepsAnswering) {
    RunningServer s(loopback_options());
    Fd fd = udp_socket();
    udp_send(fd.get(), s.udp_port(), {});                  // empty datagram
    udp_send(fd.get(), s.udp_port(), {0x12, 0x34, 0x01});  // runt
    std::vector<std::uint8_t> junk(300);
    for (std::size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<std::uint8_t>(i * 37);
    udp_send(fd.get(), s.udp_port(), junk);
    // A compression pointer that points at itself in the question.
    std::vector<std::uint8_t> loop = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1};
    udp_send(fd.get(), s.udp_port(), loop);
    auto response = make_query("www.example.org.", KNOT_RRTYPE_A);
    knot_wire_set_qr(response.data());  // a response must never be answered
    udp_send(fd.get(), s.udp_port(), response);
    // Drain whatever error replies came back, then check the server still works.
    while (udp_recv(fd.get(), 300)) {
    }
    auto r = udp_exchange(s.udp_port(), make_query("www.example.org.", KNOT_RRTYPE_A, 77));
    ASSERT_TRUE(r);
    EXPECT_EQ(Parsed(*r).id(), 77);
}

TEST(UdpServer, IxfrOverUdpIsTheSoaAloneForAllowedClients) {
    RunningServer s(loopback_options());
    auto r = udp_exchange(s.udp_port(), make_ixfr("example.org.", 1));
    ASSERT_TRUE(r);
    Parsed p(*r);
    EXPECT_EQ(p.rcode(), KNOT_RCODE_NOERROR);
    ASSERT_EQ(p.answer_records(), 1u);
    EXPECT_EQ(p.answer_rr(0)->type, KNOT_RRTYPE_SOA);

    DnsOptions closed = loopback_options();
    closed.axfr_allow = {"10.0.0.0/8"};
    RunningServer s2(closed);
    auto r2 = udp_exchange(s2.udp_port(), make_ixfr("example.org.", 1));
    ASSERT_TRUE(r2);
    EXPECT_NE(Parsed(*r2).rcode(), KNOT_RCODE_NOERROR);
    EXPECT_EQ(Parsed(*r2).answer_records(), 0u);
}

TEST(UdpServer, WildcardListenerRepliesFromTheAddressQueried) {
    DnsOptions o;
    o.listen = {"0.0.0.0:0"};
    RunningServer s(o);
    // Connected to 127.0.0.2: only a reply whose source is 127.0.0.2 arrives.
    Fd fd = udp_socket();
    sockaddr_in to = loopback(s.udp_port());
    to.sin_addr.s_addr = htonl(0x7F000002);
    ASSERT_EQ(::connect(fd.get(), reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
    auto q = make_query("www.example.org.", KNOT_RRTYPE_A, 5);
    ASSERT_EQ(::send(fd.get(), q.data(), q.size(), 0), static_cast<ssize_t>(q.size()));
    auto r = udp_recv(fd.get(), 2000);
    ASSERT_TRUE(r);
    EXPECT_EQ(Parsed(*r).id(), 5);
}

TEST(UdpServer, ServesIpv6Loopback) {
    Fd probe(::socket(AF_INET6, SOCK_DGRAM, 0));
    sockaddr_in6 any{};
    any.sin6_family = AF_INET6;
    any.sin6_addr = in6addr_loopback;
    if (probe.get() < 0 || ::bind(probe.get(), reinterpret_cast<sockaddr*>(&any), sizeof any)) {
        GTEST_SKIP() << "no IPv6 loopback here";
    }
    DnsOptions o;
    o.listen = {"[::1]:0"};
    RunningServer s(o);
    Fd fd(::socket(AF_INET6, SOCK_DGRAM, 0));
    sockaddr_in6 to = any;
    to.sin6_port = htons(s.udp_port());
    auto q = make_query("www.example.org.", KNOT_RRTYPE_AAAA, 6);
    ::sendto(fd.get(), q.data(), q.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    auto r = udp_recv(fd.get(), 2000);
    ASSERT_TRUE(r);
    EXPECT_EQ(Parsed(*r).id(), 6);
    EXPECT_EQ(Parsed(*r).rcode(), KNOT_RCODE_NOERROR);  // NODATA
}

TEST(UdpServer, ServesEveryListenAddress) {
    DnsOptions o;
    o.listen = {"127.0.0.1:0", "127.0.0.2:0"};
    RunningServer s(o);
    const auto ports = s.server().udp_ports();
    ASSERT_EQ(ports.size(), 2u);
    EXPECT_EQ(s.server().tcp_ports(), ports);
    Fd fd = udp_socket();
    sockaddr_in to = loopback(ports[1]);
    to.sin_addr.s_addr = htonl(0x7F000002);
    auto q = make_query("www.example.org.", KNOT_RRTYPE_A, 8);
    ::sendto(fd.get(), q.data(), q.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    auto r = udp_recv(fd.get(), 2000);
    ASSERT_TRUE(r);
    EXPECT_EQ(Parsed(*r).id(), 8);
    ASSERT_TRUE(udp_exchange(ports[0], make_query("www.example.org.", KNOT_RRTYPE_A)));
}

TEST(UdpServer, BadAddressesAndTakenPortsFailClearly) {
    boost::asio::io_context io;
    ZoneCatalog catalog;
    DnsOptions bad;
    bad.listen = {"not-an-address"};
    EXPECT_THROW(DnsServer(io, bad, catalog, core::Pool{}), std::invalid_argument);
    DnsOptions bad_acl = loopback_options();
    bad_acl.axfr_allow = {"10.0.0.0/99"};
    EXPECT_THROW(DnsServer(io, bad_acl, catalog, core::Pool{}), std::invalid_argument);

    // A port held by a socket without SO_REUSEPORT cannot be shared.
    Fd holder = udp_socket();
    sockaddr_in addr = loopback(0);
    ASSERT_EQ(::bind(holder.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(holder.get(), reinterpret_cast<sockaddr*>(&addr), &len);
    DnsOptions taken;
    taken.listen = {"127.0.0.1:" + std::to_string(ntohs(addr.sin_port))};
    DnsServer server(io, taken, catalog, core::Pool{});
    try {
        server.start();
        FAIL() << "bind should fail";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("127.0.0.1:"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace dnsplane::dns
