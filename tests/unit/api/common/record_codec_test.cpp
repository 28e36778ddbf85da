// Record API JSON: the directly written list equals record_json's DOM, with
// escaping of quotes, backslashes and control characters.
#include <gtest/gtest.h>

#include <set>

#include "api/common/record_codec.h"
#include "core/error.h"

namespace dnsplane::api {
namespace {

namespace json = boost::json;

TEST(RecordsCodec, ListJsonMatchesTheDomShape) {
    service::LexRecord txt{
        "id-1", "TXT", "t.example.org.", 300, "a \"quoted\" \\ back\nslash\x01", std::nullopt};
    service::LexRecord mx{"id-2", "MX", "example.org.", 3600, "mx.example.net", 10};
    const std::string text = records_json({txt, mx});
    json::value parsed = json::parse(text);
    ASSERT_TRUE(parsed.is_array());
    ASSERT_EQ(parsed.as_array().size(), 2u);
    EXPECT_EQ(parsed.as_array()[0], json::value(record_json(txt)));
    EXPECT_EQ(parsed.as_array()[1], json::value(record_json(mx)));
    EXPECT_EQ(parsed.as_array()[0].at("name"), "t.example.org");
    EXPECT_EQ(parsed.as_array()[0].at("content"), "a \"quoted\" \\ back\nslash\x01");
    EXPECT_EQ(parsed.as_array()[1].at("options").at("mx").at("priority"), 10);
    EXPECT_EQ(records_json({}), "[]");
}

TEST(RecordsCodec, CreateBodyNeedsTypeNameContentAndAnIntegerPriority) {
    auto ok = parse_create(json::parse(R"({"type":"MX","name":"@","content":"mx.example.net",
        "ttl":null,"options":{"mx":{"priority":5}}})")
                               .as_object());
    EXPECT_EQ(ok.type, "MX");
    EXPECT_EQ(ok.ttl, 0);
    EXPECT_EQ(ok.mx_priority, 5);
    try {
        parse_create(
            json::parse(R"({"type":"A","id":"x","options":{"mx":{"priority":"a"}}})").as_object());
        FAIL() << "accepted";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.type(), "invalid_object");
        std::set<std::string> paths;
        for (const auto& f : e.fields()) paths.insert(f.path.front());
        EXPECT_EQ(paths, (std::set<std::string>{"id", "name", "content", "options"}));
    }
}

}  // namespace
}  // namespace dnsplane::api
