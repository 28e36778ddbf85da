// NOTIFY sending: a test UDP socket plays the secondary.
#include "dns/server/notify.h"

#include <gtest/gtest.h>
#include <boost/asio/executor_work_guard.hpp>

#include <thread>

#include "net_test_util.h"

namespace dnsplane::dns {
namespace {

using namespace dnsplane::dns::testing;
using namespace std::chrono_literals;

class NotifyTest : public ::testing::Test {
  protected:
    NotifyTest() : guard_(io_.get_executor()) {
        catalog_.publish(small_zone(4242));
        sockaddr_in addr = loopback(0);
        ::bind(secondary_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        socklen_t len = sizeof addr;
        ::getsockname(secondary_.get(), reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { io_.run(); });
    }
    ~NotifyTest() override {
        guard_.reset();
        io_.stop();
        thread_.join();
    }

    NotifyOptions options(int tries) {
        NotifyOptions o;
        o.targets = {"127.0.0.1:" + std::to_string(port_)};
        o.waits = {100ms};
        o.tries = tries;
        return o;
    }

    // The next NOTIFY and where it came from.
    std::optional<std::pair<std::vector<std::uint8_t>, sockaddr_in>> receive(int timeout_ms) {
        if (!wait_readable(secondary_.get(), timeout_ms)) return std::nullopt;
        std::vector<std::uint8_t> buf(4096);
        sockaddr_in from{};
        socklen_t len = sizeof from;
        const ssize_t n = ::recvfrom(secondary_.get(), buf.data(), buf.size(), 0,
                                     reinterpret_cast<sockaddr*>(&from), &len);
        buf.resize(static_cast<std::size_t>(n));
        return std::make_pair(buf, from);
    }
    void acknowledge(std::vector<std::uint8_t> msg, const sockaddr_in& to) {
        knot_wire_set_qr(msg.data());
        ::sendto(secondary_.get(), msg.data(), msg.size(), 0,
                 reinterpret_cast<const sockaddr*>(&to), sizeof to);
    }
    core::ZoneChange change() {
        core::ZoneChange c;
        c.zone_id = "zone-example.org.";
        c.zone_name = "example.org.";
        c.old_serial = 4241;
        c.new_serial = 4242;
        return c;
    }
    bool eventually(const std::function<bool()>& cond) {
        for (int i = 0; i < 300; ++i) {
            if (cond()) return true;
            std::this_thread::sleep_for(10ms);
        }
        return cond();
    }

    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    ZoneCatalog catalog_;
    Fd secondary_ = udp_socket();
    std::uint16_t port_ = 0;
    std::thread thread_;
};

TEST_F(NotifyTest, SendsNotifyWithTheSoaAndRetriesUntilAnswered) {
    QueryStats stats;
    Notifier n(io_, catalog_, options(5), &stats);
    n.on_commit(change());

    auto first = receive(2000);
    ASSERT_TRUE(first);
    Parsed p(first->first);
    ASSERT_EQ(p.parse_result, KNOT_EOK);
    EXPECT_EQ(knot_wire_get_opcode(p.bytes.data()), KNOT_OPCODE_NOTIFY);
    EXPECT_TRUE(p.aa());
    EXPECT_FALSE(knot_wire_get_qr(p.bytes.data()));
    EXPECT_EQ(knot_pkt_qtype(p.pkt.get()), KNOT_RRTYPE_SOA);
    EXPECT_EQ(wire::name_to_text(knot_pkt_qname(p.pkt.get())), "example.org.");
    ASSERT_EQ(p.answer_records(), 1u);
    EXPECT_EQ(knot_soa_serial(p.answer_rr(0)->rrs.rdata), 4242u);

    // Unanswered: it comes again after the wait; answer that one.
    auto second = receive(2000);
    ASSERT_TRUE(second);
    acknowledge(second->first, second->second);
    EXPECT_TRUE(eventually([&] { return n.pending() == 0; }));
    EXPECT_EQ(n.acknowledged(), 1u);
    EXPECT_FALSE(receive(400)) << "no retry after an acknowledgement";
    EXPECT_EQ(stats.snapshot().notify_sent, 2u);
}

TEST_F(NotifyTest, AResponseWithTheWrongIdDoesNotCount) {
    Notifier n(io_, catalog_, options(2));
    n.on_commit(change());
    auto first = receive(2000);
    ASSERT_TRUE(first);
    auto wrong = first->first;
    knot_wire_set_id(wrong.data(), knot_wire_get_id(wrong.data()) ^ 0xFFFF);
    acknowledge(wrong, first->second);
    EXPECT_TRUE(receive(2000)) << "retried despite the mismatched response";
    EXPECT_TRUE(eventually([&] { return n.pending() == 0; }));
    EXPECT_EQ(n.acknowledged(), 0u);
}

TEST_F(NotifyTest, GivesUpAfterTheConfiguredTries) {
    Notifier n(io_, catalog_, options(3));
    n.on_commit(change());
    int received = 0;
    while (receive(600)) ++received;
    EXPECT_EQ(received, 3);
    EXPECT_EQ(n.pending(), 0u);
    EXPECT_EQ(n.acknowledged(), 0u);
}

TEST_F(NotifyTest, DeletedZonesAndEmptyTargetListsSendNothing) {
    Notifier n(io_, catalog_, options(3));
    auto c = change();
    c.zone_deleted = true;
    n.on_commit(c);
    Notifier none(io_, catalog_, NotifyOptions{});
    none.on_commit(change());
    EXPECT_FALSE(receive(300));
}

TEST_F(NotifyTest, StopCancelsPendingRetries) {
    auto n = std::make_unique<Notifier>(io_, catalog_, options(5));
    n->on_commit(change());
    ASSERT_TRUE(receive(2000));
    n->stop();
    EXPECT_TRUE(eventually([&] { return n->pending() == 0; }));
    n.reset();
    EXPECT_FALSE(receive(400));
}

TEST(BuildNotify, HasTheNotifyShape) {
    const std::string zone = case_kept_wire("example.org.");
    auto msg = build_notify(99, reinterpret_cast<const knot_dname_t*>(zone.data()), nullptr);
    Parsed p(msg);
    EXPECT_EQ(p.parse_result, KNOT_EOK);
    EXPECT_EQ(p.id(), 99);
    EXPECT_EQ(knot_wire_get_opcode(msg.data()), KNOT_OPCODE_NOTIFY);
    EXPECT_EQ(p.answer_records(), 0u);
}

}  // namespace
}  // namespace dnsplane::dns
