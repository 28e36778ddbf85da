#include "common/util.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <regex>
#include <set>

namespace dnsplane::common {
namespace {

TEST(NewUuid, IsLowerCaseVersion4WithRfc4122Variant) {
    static const std::regex kUuid(
        "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    for (int i = 0; i < 100; ++i) {
        std::string id = new_uuid();
        EXPECT_TRUE(std::regex_match(id, kUuid)) << id;
    }
}

TEST(NewUuid, IsUnique) {
    std::set<std::string> seen;
    for (int i = 0; i < 10000; ++i) seen.insert(new_uuid());
    EXPECT_EQ(seen.size(), 10000u);
}

TEST(NowTimestamp, HasMicrosecondUtcFormat) {
    static const std::regex kStamp(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$)");
    std::string stamp = now_timestamp();
    EXPECT_TRUE(std::regex_match(stamp, kStamp)) << stamp;
}

TEST(NowTimestamp, IsTheCurrentUtcTimeAndDoesNotGoBackwards) {
    std::time_t before = std::time(nullptr);
    std::string first = now_timestamp();
    std::tm tm{};
    int micros = 0;
    ASSERT_EQ(std::sscanf(first.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%6d", &tm.tm_year, &tm.tm_mon,
                          &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &micros),
              7);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    std::time_t parsed = timegm(&tm);  // UTC, so no time zone offset may appear
    EXPECT_LE(std::abs(parsed - before), 2) << first;
    std::string second = now_timestamp();
    EXPECT_LE(first, second);  // fixed-width format: text order is time order
}

TEST(Sha256Hex, MatchesKnownVectors) {
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex(std::string_view("a\0b", 3)).size(), 64u);
    EXPECT_NE(sha256_hex(std::string_view("a\0b", 3)), sha256_hex("a"));
}

TEST(RandomToken, IsPrefixedUrlSafeAndUnique) {
    static const std::regex kToken("^dnsp_[A-Za-z0-9_-]{32}$");
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        std::string token = random_token();
        EXPECT_TRUE(std::regex_match(token, kToken)) << token;
        seen.insert(token);
    }
    EXPECT_EQ(seen.size(), 1000u);
    EXPECT_EQ(random_token(8).size(), 5u + 8u);
}

}  // namespace
}  // namespace dnsplane::common
