// PatchLimits: a patch never costs more than a plain write of its result.
// The doubling patch of issue 17 (copy a member onto itself, 23 times) must
// fail at the operation that crosses the size limit, having allocated no
// more than that limit.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>

#include "common/json_patch.h"

namespace dnsplane::common {
namespace {

namespace json = boost::json;
using Kind = JsonPatchError::Kind;

json::value J(std::string_view text) {
    return json::parse(text);
}

PatchLimits small_limits(std::size_t bytes) {
    PatchLimits l;
    l.max_document_bytes = bytes;
    return l;
}

JsonPatchError failure(const json::value& doc, const json::value& patch, const PatchLimits& l) {
    try {
        apply_patch(doc, patch, l);
    } catch (const JsonPatchError& e) {
        return e;
    }
    ADD_FAILURE() << "patch " << json::serialize(patch) << " applied";
    return JsonPatchError(Kind::Malformed, "none");
}

json::value doubling_patch(std::size_t n) {
    json::array ops;
    for (std::size_t i = 0; i < n; ++i)
        ops.push_back(
            J(R"({"op":"copy","from":"/recordset/records","path":"/recordset/records/-"})"));
    return ops;
}

const char* kRecordSet = R"({"recordset":{"records":["\"v=spf1 -all\""],"ttl":300}})";

TEST(SerializedSize, IsExactAndStopsAtTheCap) {
    for (std::string_view text : {R"(null)", R"("a\"b\n")", R"([1,2.5,{"k":[true,false]}])",
                                  R"({"é":"\u0001"})", R"(-12345678901234)"}) {
        json::value v = J(text);
        EXPECT_EQ(serialized_size(v, static_cast<std::size_t>(-1)), json::serialize(v).size())
            << text;
    }
    json::array big;
    for (int i = 0; i < 100000; ++i) big.push_back("xxxxxxxxxx");
    json::value v(std::move(big));
    std::size_t capped = serialized_size(v, 1000);
    EXPECT_GT(capped, 1000u);
    EXPECT_LT(capped, 1000u + 8192u);  // stops within one chunk of the cap
}

TEST(PatchLimits, TheDoublingPatchFailsAtTheSizeLimitQuickly) {
    const auto started = std::chrono::steady_clock::now();
    JsonPatchError e = failure(J(kRecordSet), doubling_patch(23), PatchLimits{});
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(e.kind(), Kind::TooLarge);
    EXPECT_NE(std::string(e.what()).find("1048576 bytes"), std::string::npos) << e.what();
    // 2^k copies of a 15-byte record pass 1 MiB at k = 16 (0-based 16 or so).
    EXPECT_GE(e.operation(), 14u);
    EXPECT_LE(e.operation(), 17u);
    EXPECT_EQ(e.pointer(), "/recordset/records/-");
    EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(took).count(), 1000);
}

TEST(PatchLimits, DocumentsUpToTheLimitPass) {
    // Each copy appends the whole array to itself: 8 copies hold 256 copies
    // of the record (9 elements, nested), well under 64 KiB.
    json::value out = apply_patch(J(kRecordSet), doubling_patch(8), small_limits(64 * 1024));
    EXPECT_EQ(out.at("recordset").at("records").as_array().size(), 9u);
    std::string text = json::serialize(out);
    std::size_t copies = 0;
    for (std::size_t at = text.find("spf1"); at != std::string::npos;
         at = text.find("spf1", at + 1))
        ++copies;
    EXPECT_EQ(copies, 256u);
    EXPECT_LE(text.size(), 64u * 1024);
    // The same with a limit just below the result's size fails.
    std::size_t size = json::serialize(out).size();
    JsonPatchError e = failure(J(kRecordSet), doubling_patch(8), small_limits(size - 10));
    EXPECT_EQ(e.kind(), Kind::TooLarge);
    EXPECT_EQ(e.operation(), 7u);
}

TEST(PatchLimits, AddAndReplaceCountTheirValues) {
    PatchLimits l = small_limits(100);
    std::string big(200, 'x');
    json::value add = json::array{json::object{{"op", "add"}, {"path", "/a"}, {"value", big}}};
    EXPECT_EQ(failure(J(R"({})"), add, l).kind(), Kind::TooLarge);
    json::value replace =
        json::array{json::object{{"op", "replace"}, {"path", "/a"}, {"value", big}}};
    EXPECT_EQ(failure(J(R"({"a":1})"), replace, l).kind(), Kind::TooLarge);
    // Replacing a large member with a smaller one shrinks the document.
    json::value doc = json::object{{"a", std::string(90, 'y')}};
    json::value shrink = J(R"([{"op":"replace","path":"/a","value":"z"},
                               {"op":"add","path":"/b","value":"0123456789012345678901234567890"}])");
    EXPECT_EQ(apply_patch(doc, shrink, l).at("b").as_string().size(), 31u);
}

TEST(PatchLimits, ALargerStartingDocumentMayShrinkButNotGrow) {
    // A resource already over the limit can still be patched in place.
    json::value doc = json::object{{"a", std::string(500, 'y')}, {"ttl", 300}};
    PatchLimits l = small_limits(100);
    EXPECT_EQ(apply_patch(doc, J(R"([{"op":"replace","path":"/ttl","value":60}])"), l)
                  .at("ttl")
                  .as_int64(),
              60);
    EXPECT_EQ(failure(doc, J(R"([{"op":"copy","from":"/a","path":"/b"}])"), l).kind(),
              Kind::TooLarge);
}

TEST(PatchLimits, OperationCount) {
    PatchLimits l;
    l.max_operations = 3;
    json::value four =
        J(R"([{"op":"test","path":"/a","value":1},{"op":"test","path":"/a","value":1},
                             {"op":"test","path":"/a","value":1},{"op":"test","path":"/a","value":1}])");
    try {
        parse_patch(four, l);
        ADD_FAILURE() << "four operations parsed";
    } catch (const JsonPatchError& e) {
        EXPECT_EQ(e.kind(), Kind::TooLarge);
        EXPECT_NE(std::string(e.what()).find("at most 3 operations"), std::string::npos);
    }
    EXPECT_EQ(failure(J(R"({"a":1})"), four, l).kind(), Kind::TooLarge);
    EXPECT_NO_THROW(apply_patch(J(R"({"a":1})"), J(R"([{"op":"test","path":"/a","value":1}])"), l));
}

TEST(PatchLimits, Depth) {
    PatchLimits l;
    l.max_depth = 4;
    // {"a":[[x]]} is 3 deep; one more level is fine, two are not.
    EXPECT_NO_THROW(
        apply_patch(J(R"({"a":[[1]]})"), J(R"([{"op":"add","path":"/a/0/0","value":[2]}])"), l));
    JsonPatchError e =
        failure(J(R"({"a":[[1]]})"), J(R"([{"op":"add","path":"/a/0/0","value":[[2]]}])"), l);
    EXPECT_EQ(e.kind(), Kind::TooLarge);
    EXPECT_NE(std::string(e.what()).find("deeper than 4"), std::string::npos) << e.what();
    // Copying a value into itself, level after level, stops at the bound too.
    json::array ops;
    for (int i = 0; i < 10; ++i) ops.push_back(J(R"({"op":"copy","from":"/a","path":"/a/0"})"));
    EXPECT_EQ(failure(J(R"({"a":[1]})"), ops, l).kind(), Kind::TooLarge);
}

TEST(PatchLimits, CopyAndRemoveLoopsRunOutOfWork) {
    // The document never grows (copy then remove), but every copy costs its
    // size: the total is bounded by work_factor times the document limit.
    PatchLimits l = small_limits(4096);
    json::value doc = json::object{{"a", std::string(2000, 'x')}};
    json::array ops;
    for (int i = 0; i < 100; ++i) {
        ops.push_back(J(R"({"op":"copy","from":"/a","path":"/b"})"));
        ops.push_back(J(R"({"op":"remove","path":"/b"})"));
    }
    JsonPatchError e = failure(doc, ops, l);
    EXPECT_EQ(e.kind(), Kind::TooLarge);
    EXPECT_NE(std::string(e.what()).find("copies, measures or shifts"), std::string::npos);
    EXPECT_LT(e.operation(), 20u);
}

TEST(PatchLimits, InsertingAtTheFrontOfALongArrayIsCharged) {
    PatchLimits l = small_limits(64 * 1024);
    json::array items;
    for (int i = 0; i < 10000; ++i) items.push_back(i % 10);
    json::value doc = json::object{{"a", std::move(items)}};
    json::array ops;
    for (int i = 0; i < 1000; ++i) ops.push_back(J(R"({"op":"add","path":"/a/0","value":1})"));
    EXPECT_EQ(failure(doc, ops, l).kind(), Kind::TooLarge);
}

TEST(PatchLimits, MoveDoesNotGrowTheDocument) {
    PatchLimits l = small_limits(300);
    json::value doc = json::object{{"a", std::string(200, 'x')}};
    json::array ops;
    for (int i = 0; i < 20; ++i) {
        ops.push_back(J(R"({"op":"move","from":"/a","path":"/b"})"));
        ops.push_back(J(R"({"op":"move","from":"/b","path":"/a"})"));
    }
    l.work_factor = 100;
    json::value out = apply_patch(doc, ops, l);
    EXPECT_EQ(out.at("a").as_string().size(), 200u);
    EXPECT_FALSE(out.as_object().contains("b"));
}

TEST(PatchLimits, TestFailureMessagesAreShort) {
    json::value doc = json::object{{"a", std::string(5000, 'x')}};
    JsonPatchError e = failure(doc, J(R"([{"op":"test","path":"/a","value":"y"}])"), PatchLimits{});
    EXPECT_EQ(e.kind(), Kind::TestFailed);
    EXPECT_LT(std::string(e.what()).size(), 600u);
}

}  // namespace
}  // namespace dnsplane::common
