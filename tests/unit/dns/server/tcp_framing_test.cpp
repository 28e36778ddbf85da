// The TCP listener (RFC 7766 framing, pipelining, timeouts) and AXFR over
// real sockets through the DnsServer facade.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "server_fixture.h"

namespace dnsplane::dns {
namespace {

using namespace dnsplane::dns::testing;

TEST(TcpServer, AnswersAFramedQuery) {
    RunningServer s(loopback_options());
    Fd fd = tcp_connect(s.tcp_port());
    send_all(fd.get(), frame(make_query("www.example.org.", KNOT_RRTYPE_A, 9)));
    auto r = tcp_read_message(fd.get());
    ASSERT_TRUE(r);
    Parsed p(*r);
    EXPECT_EQ(p.id(), 9);
    EXPECT_EQ(p.answer_records(), 2u);
    EXPECT_GE(s.server().stats().snapshot().tcp, 1u);
}

TEST(TcpServer, PipelinedQueriesAreAnsweredInOrder) {
    RunningServer s(loopback_options());
    Fd fd = tcp_connect(s.tcp_port());
    std::vector<std::uint8_t> batch;
    const char* names[] = {"www.example.org.", "nope.example.org.", "ns1.example.org.",
                           "example.org."};
    for (std::uint16_t i = 0; i < 40; ++i) {
        auto f =
            frame(make_query(names[i % 4], KNOT_RRTYPE_A, static_cast<std::uint16_t>(100 + i)));
        batch.insert(batch.end(), f.begin(), f.end());
    }
    send_all(fd.get(), batch);  // all forty in one write
    for (std::uint16_t i = 0; i < 40; ++i) {
        auto r = tcp_read_message(fd.get());
        ASSERT_TRUE(r) << i;
        Parsed p(*r);
        EXPECT_EQ(p.id(), 100 + i);
        EXPECT_EQ(p.rcode(), i % 4 == 1 ? KNOT_RCODE_NXDOMAIN : KNOT_RCODE_NOERROR);
    }
}

TEST(TcpServer, MessagesSplitAcrossSegmentsAreReassembled) {
    RunningServer s(loopback_options());
    Fd fd = tcp_connect(s.tcp_port());
    const auto bytes = frame(make_query("www.example.org.", KNOT_RRTYPE_A, 11));
    for (std::uint8_t b : bytes) {
        send_all(fd.get(), {b});
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    auto r = tcp_read_message(fd.get());
    ASSERT_TRUE(r);
    EXPECT_EQ(Parsed(*r).id(), 11);
}

TEST(TcpServer, IdleConnectionsAreClosed) {
    DnsOptions o = loopback_options();
    o.tcp_idle_timeout_ms = 200;
    RunningServer s(o);
    Fd fd = tcp_connect(s.tcp_port());
    send_all(fd.get(), frame(make_query("www.example.org.", KNOT_RRTYPE_A)));
    ASSERT_TRUE(tcp_read_message(fd.get()));
    const auto began = std::chrono::steady_clock::now();
    EXPECT_TRUE(tcp_closed_by_peer(fd.get(), 3000));
    const auto waited = std::chrono::steady_clock::now() - began;
    EXPECT_GE(waited, std::chrono::milliseconds(150));
    EXPECT_LT(waited, std::chrono::milliseconds(2500));
}

TEST(TcpServer, ZeroLengthFrameClosesTheConnection) {
    RunningServer s(loopback_options());
    Fd fd = tcp_connect(s.tcp_port());
    send_all(fd.get(), {0, 0});
    EXPECT_TRUE(tcp_closed_by_peer(fd.get(), 2000));
}

TEST(TcpServer, GarbageDoesNotStopTheServer) {
    RunningServer s(loopback_options());
    {
        Fd fd = tcp_connect(s.tcp_port());
        send_all(fd.get(), frame({1, 2, 3, 4, 5}));
        std::vector<std::uint8_t> loop = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1};
        send_all(fd.get(), frame(loop));
        send_all(fd.get(), {0xFF});  // half a length prefix, then hang up
    }
    {
        // Announces 1000 octets, sends 10, hangs up.
        Fd fd = tcp_connect(s.tcp_port());
        send_all(fd.get(), {0x03, 0xE8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    }
    Fd fd = tcp_connect(s.tcp_port());
    send_all(fd.get(), frame(make_query("www.example.org.", KNOT_RRTYPE_A, 12)));
    auto r = tcp_read_message(fd.get());
    ASSERT_TRUE(r);
    EXPECT_EQ(Parsed(*r).id(), 12);
}

TEST(TcpServer, ConnectionsBeyondTheLimitAreClosed) {
    DnsOptions o = loopback_options();
    o.tcp_max_connections = 2;
    RunningServer s(o);
    Fd a = tcp_connect(s.tcp_port());
    Fd b = tcp_connect(s.tcp_port());
    // Make sure both are accepted before the third arrives.
    for (Fd* fd : {&a, &b}) {
        send_all(fd->get(), frame(make_query("www.example.org.", KNOT_RRTYPE_A)));
        ASSERT_TRUE(tcp_read_message(fd->get()));
    }
    Fd c = tcp_connect(s.tcp_port());
    EXPECT_TRUE(tcp_closed_by_peer(c.get(), 2000));
    // The first two still work.
    send_all(a.get(), frame(make_query("www.example.org.", KNOT_RRTYPE_A, 3)));
    ASSERT_TRUE(tcp_read_message(a.get()));
}

TEST(TcpServer, AxfrStreamsTheZoneAndThenTheConnectionStaysUsable) {
    RunningServer s(loopback_options(), small_zone(77, 6000));
    Fd fd = tcp_connect(s.tcp_port());
    send_all(fd.get(), frame(make_query("example.org.", KNOT_RRTYPE_AXFR, 21)));
    std::size_t soas = 0, records = 0, messages = 0;
    while (soas < 2) {
        auto r = tcp_read_message(fd.get());
        ASSERT_TRUE(r) << "after " << messages << " messages";
        Parsed p(*r);
        ASSERT_EQ(p.parse_result, KNOT_EOK);
        EXPECT_EQ(p.id(), 21);
        ++messages;
        for (std::uint16_t i = 0; i < p.answer_rrsets(); ++i) {
            records += p.answer_rr(i)->rrs.count;
            if (p.answer_rr(i)->type == KNOT_RRTYPE_SOA) ++soas;
        }
    }
    EXPECT_GT(messages, 1u);
    std::size_t zone_records = 0;
    s.catalog().get("example.org.")->for_each_record([&](const WireRecord&) { ++zone_records; });
    EXPECT_EQ(records, zone_records + 1);
    EXPECT_EQ(s.server().stats().snapshot().axfr, 1u);

    send_all(fd.get(), frame(make_query("www.example.org.", KNOT_RRTYPE_A, 22)));
    auto r = tcp_read_message(fd.get());
    ASSERT_TRUE(r);
    EXPECT_EQ(Parsed(*r).id(), 22);
}

// The idle timeout bounds each write, not the whole answer: a reader that
// takes far longer than the timeout for a big transfer, but keeps reading,
// gets all of it.
TEST(TcpServer, ASlowButSteadyReaderGetsTheWholeTransfer) {
    DnsOptions o = loopback_options();
    o.tcp_idle_timeout_ms = 300;
    RunningServer s(o, small_zone(78, 150000));  // several MB: beyond the socket buffers
    Fd fd = tcp_connect(s.tcp_port());
    int small = 16 * 1024;  // keep the kernel from buffering the whole answer
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    send_all(fd.get(), frame(make_query("example.org.", KNOT_RRTYPE_AXFR, 23)));
    const auto began = std::chrono::steady_clock::now();
    std::size_t soas = 0, messages = 0;
    while (soas < 2) {
        auto r = tcp_read_message(fd.get());
        ASSERT_TRUE(r) << "closed after " << messages << " messages";
        Parsed p(*r);
        ASSERT_EQ(p.parse_result, KNOT_EOK);
        for (std::uint16_t i = 0; i < p.answer_rrsets(); ++i)
            if (p.answer_rr(i)->type == KNOT_RRTYPE_SOA) ++soas;
        if (++messages % 2 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(30));
    }
    // Several idle timeouts long in all.
    EXPECT_GT(std::chrono::steady_clock::now() - began, std::chrono::milliseconds(900));
}

TEST(TcpServer, AxfrFromOutsideTheAclIsRefused) {
    DnsOptions o = loopback_options();
    o.axfr_allow = {"192.0.2.0/24"};
    RunningServer s(o);
    Fd fd = tcp_connect(s.tcp_port());
    send_all(fd.get(), frame(make_query("example.org.", KNOT_RRTYPE_AXFR)));
    auto r = tcp_read_message(fd.get());
    ASSERT_TRUE(r);
    Parsed p(*r);
    EXPECT_EQ(p.rcode(), KNOT_RCODE_REFUSED);
    EXPECT_EQ(p.answer_records(), 0u);
}

TEST(TcpServer, LargeAnswerIsTruncatedOverUdpAndWholeOverTcp) {
    core::Zone z = make_zone("example.org.");
    std::vector<std::string> txt;
    for (int i = 0; i < 40; ++i)
        txt.push_back("\"" + std::to_string(i) + std::string(100, 't') + "\"");
    RunningServer s(loopback_options(),
                    build_snapshot(z, {make_set(z, "example.org.", "NS", {"ns1.example.org."}),
                                       make_set(z, "big.example.org.", "TXT", txt)}));
    auto udp = udp_exchange(s.udp_port(), make_query("big.example.org.", KNOT_RRTYPE_TXT, 1, true));
    ASSERT_TRUE(udp);
    EXPECT_LE(udp->size(), 1232u);
    EXPECT_TRUE(Parsed(*udp).tc());

    Fd fd = tcp_connect(s.tcp_port());
    send_all(fd.get(), frame(make_query("big.example.org.", KNOT_RRTYPE_TXT, 2, true)));
    auto tcp = tcp_read_message(fd.get());
    ASSERT_TRUE(tcp);
    Parsed p(*tcp);
    EXPECT_FALSE(p.tc());
    EXPECT_EQ(p.answer_records(), 40u);
}

}  // namespace
}  // namespace dnsplane::dns
