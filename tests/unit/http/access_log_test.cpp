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

namespace {
// RFC 3629 well-formedness, independent of the implementation under test.
bool valid_utf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = s[i];
        std::size_t n = c < 0x80                 ? 1
                        : c >= 0xc2 && c <= 0xdf ? 2
                        : c >= 0xe0 && c <= 0xef ? 3
                        : c >= 0xf0 && c <= 0xf4 ? 4
                                                 : 0;
        if (!n || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
        if (c == 0xe0 && static_cast<unsigned char>(s[i + 1]) < 0xa0) return false;
        if (c == 0xed && static_cast<unsigned char>(s[i + 1]) > 0x9f) return false;
        if (c == 0xf0 && static_cast<unsigned char>(s[i + 1]) < 0x90) return false;
        if (c == 0xf4 && static_cast<unsigned char>(s[i + 1]) > 0x8f) return false;
        i += n;
    }
    return true;
}

std::string path_value(const std::string& path) {
    AccessLogEntry e{"api", "GET", path, 400, 0, "req-1", "127.0.0.1:1"};
    auto line = format_access_line(e);
    EXPECT_TRUE(valid_utf8(line)) << line;
    auto start = line.find(" path=") + 6;
    return line.substr(start, line.find(" status=") - start);
}
}  // namespace

TEST(AccessLog, EscapesBytesThatAreNotUtf8SoTheLineStaysValid) {
    EXPECT_EQ(path_value("/v2/\xff\xfe"), R"("/v2/\xff\xfe")");
    EXPECT_EQ(path_value("/a\xc3"), R"("/a\xc3")");                        // truncated sequence
    EXPECT_EQ(path_value("/\xc0\xaf"), R"("/\xc0\xaf")");                  // overlong '/'
    EXPECT_EQ(path_value("/\xed\xa0\x80"), R"("/\xed\xa0\x80")");          // surrogate
    EXPECT_EQ(path_value("/\xf4\x90\x80\x80"), R"("/\xf4\x90\x80\x80")");  // > U+10FFFF
    EXPECT_EQ(path_value("/\xc2\x85"), R"("/\xc2\x85")");                  // C1 control (NEL)
    EXPECT_EQ(path_value("/\x1b[31m\x7f"), R"("/\x1b[31m\x7f")");          // C0 and DEL
}

TEST(AccessLog, KeepsWellFormedUtf8) {
    EXPECT_EQ(path_value("/z\xc3\xa9ro/\xe2\x82\xac/\xf0\x9f\x98\x80"),
              "\"/z\xc3\xa9ro/\xe2\x82\xac/\xf0\x9f\x98\x80\"");
}

TEST(AccessLog, EscapesEveryRequestDerivedField) {
    AccessLogEntry e{"api", "G\xffT", "/", 400, 0, "req-1", "127.0.0.1:1"};
    auto line = format_access_line(e);
    EXPECT_NE(line.find(R"(method="G\xffT")"), std::string::npos) << line;
    EXPECT_TRUE(valid_utf8(line));
}
