// Issue 16: component heartbeats behind /v2/service_statuses.
#include <gtest/gtest.h>

#include <thread>

#include "service/lifecycle.h"

namespace dnsplane::service {
namespace {

TEST(LifecycleComponents, RegisteredOnceDownUntilChecked) {
    Lifecycle life;
    life.register_component("central", "store");
    life.register_component("central", "again");  // ignored: one per service name
    life.register_component("mdns", "dns");
    auto list = life.components();
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].service_name, "central");
    EXPECT_EQ(list[0].component, "store");
    EXPECT_EQ(list[0].status, "DOWN");
    EXPECT_FALSE(list[0].heartbeated_at.has_value());
    EXPECT_EQ(list[0].id.size(), 36u);
    EXPECT_NE(list[0].id, list[1].id);
}

TEST(LifecycleComponents, HeartbeatsMoveOnlyWhenUp) {
    Lifecycle life;
    life.register_component("mdns", "dns");
    life.heartbeat("mdns", true, "", {{"queries_udp", 3}});
    auto up = life.components()[0];
    EXPECT_EQ(up.status, "UP");
    EXPECT_EQ(up.detail, "ok");
    EXPECT_EQ(up.stats.at("queries_udp"), 3);
    ASSERT_TRUE(up.heartbeated_at.has_value());

    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    life.heartbeat("mdns", false, "no DNS answer within the timeout");
    auto down = life.components()[0];
    EXPECT_EQ(down.status, "DOWN");
    EXPECT_EQ(down.detail, "no DNS answer within the timeout");
    EXPECT_EQ(down.heartbeated_at, up.heartbeated_at);  // the last time it was UP
    EXPECT_GT(*down.updated_at, *up.updated_at);
    EXPECT_TRUE(down.stats.empty());

    life.heartbeat("unknown", true, "");  // not registered: ignored
    EXPECT_EQ(life.components().size(), 1u);
}

}  // namespace
}  // namespace dnsplane::service
