// The serial poller (dns/server/serial_poll.h) against a real DnsServer on
// loopback as the polled nameserver: a change stays PENDING while that
// server serves an older serial, turns ACTIVE once it serves the change's
// serial, and ERROR when no nameserver answers before the retries run out.
#include "dns/server/serial_poll.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "server_fixture.h"
#include "service/propagation.h"

namespace dnsplane::dns::testing {
namespace {

using namespace std::chrono_literals;

core::ZoneChange change_to(std::uint32_t serial) {
    core::ZoneChange c;
    c.zone_id = "zone-example.org.";
    c.zone_name = "example.org.";
    c.old_serial = serial - 1;
    c.new_serial = serial;
    c.added.push_back({"www.example.org.", "A", 3600, "192.0.2.9"});
    return c;
}

std::string status_of(const service::Propagation& p) {
    core::Zone z;
    z.id = "zone-example.org.";
    p.show(z);
    return z.status;
}

// Polls `p` until the zone shows `want` or two seconds pass.
bool shows_within(const service::Propagation& p, const std::string& want) {
    for (auto end = std::chrono::steady_clock::now() + 2s; std::chrono::steady_clock::now() < end;
         std::this_thread::sleep_for(5ms))
        if (status_of(p) == want) return true;
    return status_of(p) == want;
}

SerialPollOptions fast_options(std::vector<std::string> nameservers) {
    SerialPollOptions o;
    o.nameservers = std::move(nameservers);
    o.delay = 0ms;
    o.retry_interval = 20ms;
    o.max_retries = 10;
    o.query_timeout = 500ms;
    return o;
}

TEST(SerialPoll, PendingUntilThePolledNameserverServesTheSerial) {
    RunningServer target(loopback_options(), small_zone(1000));
    service::Propagation propagation(true);
    SerialPoller poller(fast_options({"127.0.0.1:" + std::to_string(target.tcp_port())}),
                        propagation);
    poller.start();

    poller.on_commit(change_to(1001));
    EXPECT_EQ(status_of(propagation), "PENDING");
    std::this_thread::sleep_for(100ms);  // several rounds: the target still serves 1000
    EXPECT_EQ(status_of(propagation), "PENDING");

    target.catalog().publish(small_zone(1001));
    EXPECT_TRUE(shows_within(propagation, "ACTIVE"));
    EXPECT_EQ(propagation.zones_tracked(), 0u);
    poller.stop();
}

TEST(SerialPoll, ANewerServedSerialConfirmsTooAndEveryNameserverMustServeIt) {
    RunningServer ahead(loopback_options(), small_zone(1005));
    RunningServer behind(loopback_options(), small_zone(1000));
    service::Propagation propagation(true);
    SerialPoller poller(fast_options({"127.0.0.1:" + std::to_string(ahead.tcp_port()),
                                      "127.0.0.1:" + std::to_string(behind.tcp_port())}),
                        propagation);
    poller.start();
    poller.on_commit(change_to(1001));
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(status_of(propagation), "PENDING");  // one of two is behind
    behind.catalog().publish(small_zone(1002));
    EXPECT_TRUE(shows_within(propagation, "ACTIVE"));
}

TEST(SerialPoll, ErrorWhenNoNameserverAnswersInTime) {
    std::uint16_t closed_port;
    {
        RunningServer gone(loopback_options(), small_zone(1000));
        closed_port = gone.tcp_port();
    }
    service::Propagation propagation(true);
    auto options = fast_options({"127.0.0.1:" + std::to_string(closed_port)});
    options.max_retries = 3;
    SerialPoller poller(options, propagation);
    poller.start();
    poller.on_commit(change_to(1001));
    EXPECT_TRUE(shows_within(propagation, "ERROR"));

    poller.on_commit(change_to(1002));  // a new change is pending again
    EXPECT_EQ(status_of(propagation), "PENDING");
    poller.stop();
}

TEST(SerialPoll, WithoutNameserversNothingIsPolledNorPending) {
    service::Propagation propagation(false);
    SerialPoller poller(SerialPollOptions{}, propagation);
    poller.start();
    poller.on_commit(change_to(1001));
    EXPECT_EQ(status_of(propagation), "ACTIVE");
}

TEST(SerialPoll, RejectsANameserverThatDoesNotParse) {
    service::Propagation propagation(true);
    EXPECT_THROW(SerialPoller(fast_options({"[::1"}), propagation), std::invalid_argument);
}

}  // namespace
}  // namespace dnsplane::dns::testing
