#include "common/ordered_uuid.h"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace dnsplane::common {
namespace {

TEST(NewOrderedUuid, IsLowerCaseVersion7WithRfc9562Variant) {
    static const std::regex kUuid(
        "^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    for (int i = 0; i < 100; ++i) {
        std::string id = new_ordered_uuid();
        EXPECT_TRUE(std::regex_match(id, kUuid)) << id;
    }
}

TEST(NewOrderedUuid, CarriesTheCurrentUnixMilliseconds) {
    auto ms = [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
    long long before = ms();
    std::string id = new_ordered_uuid();
    long long after = ms();
    long long stamp = std::stoll(id.substr(0, 8) + id.substr(9, 4), nullptr, 16);
    EXPECT_GE(stamp, before);
    // The sequence may carry into the milliseconds after a burst: a little ahead is fine.
    EXPECT_LE(stamp, after + 1000);
}

TEST(NewOrderedUuid, StrictlyIncreasesAcrossThreads) {
    // Each thread's ids increase, and no id repeats among all of them.
    constexpr int kThreads = 4, kEach = 20000;
    std::vector<std::vector<std::string>> made(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) made[t].push_back(new_ordered_uuid());
        });
    for (auto& th : threads) th.join();
    std::set<std::string> all;
    for (const auto& ids : made) {
        for (std::size_t i = 1; i < ids.size(); ++i) EXPECT_LT(ids[i - 1], ids[i]);
        all.insert(ids.begin(), ids.end());
    }
    EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
}

}  // namespace
}  // namespace dnsplane::common
