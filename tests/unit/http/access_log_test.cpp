#include "http/access_log.h"

#include <gtest/gtest.h>

using namespace dnsplane::http;

TEST(AccessLog, FormatsKeyValueLine) {
    AccessLogEntry e{"api", "GET", "/v2/zones", 200, 1.5, "req-1", "127.0.0.1:4000"};
    EXPECT_EQ(format_access_line(e),
              "access server=api method=GET path=/v2/zones status=200 duration_ms=1.500 "
              "request_id=req-1 remote=127.0.0.1:4000");
}

TEST(AccessLog, QuotesAndEscapesHostileValues) {
    AccessLogEntry e{"api", "GET", "/a b\n\"x\"", 404, 0, "req-1", ""};
    auto line = format_access_line(e);
    EXPECT_NE(line.find(R"(path="/a b\x0a\"x\"")"), std::string::npos) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos);
    EXPECT_NE(line.find("remote=\"\""), std::string::npos);
}
