#include "common/json_patch.h"

#include <gtest/gtest.h>

#include <cmath>

#include <boost/json.hpp>

namespace dnsplane::common {
namespace {

namespace json = boost::json;
using Kind = JsonPatchError::Kind;

json::value J(std::string_view text) {
    return json::parse(text);
}

json::value patched(std::string_view doc, std::string_view patch) {
    return apply_patch(J(doc), J(patch));
}

// Applies a patch that must fail and returns the error it failed with.
JsonPatchError failure(std::string_view doc, std::string_view patch) {
    try {
        apply_patch(J(doc), J(patch));
    } catch (const JsonPatchError& e) {
        return e;
    }
    ADD_FAILURE() << "patch " << patch << " applied to " << doc;
    return JsonPatchError(Kind::Malformed, "none");
}

#define EXPECT_JSON_EQ(actual, expected_text)           \
    EXPECT_TRUE(json_equal((actual), J(expected_text))) \
        << "actual: " << json::serialize(actual) << "\nexpected: " << (expected_text)

// ---- RFC 6901 pointers -----------------------------------------------------

TEST(JsonPointer, ParsesAndUnescapes) {
    EXPECT_TRUE(parse_json_pointer("").empty());
    EXPECT_EQ(parse_json_pointer("/"), std::vector<std::string>{""});
    EXPECT_EQ(parse_json_pointer("/a~1b/~0c"), (std::vector<std::string>{"a/b", "~c"}));
    // "~01" is "~1" (unescape "~1" only after "~0" would be wrong).
    EXPECT_EQ(parse_json_pointer("/~01"), std::vector<std::string>{"~1"});
    EXPECT_EQ(parse_json_pointer("/a//b/"), (std::vector<std::string>{"a", "", "b", ""}));
}

TEST(JsonPointer, RejectsMalformedPointers) {
    for (std::string_view bad : {"a", "a/b", "/~", "/~2", "/a~"}) {
        try {
            parse_json_pointer(bad);
            ADD_FAILURE() << bad;
        } catch (const JsonPatchError& e) {
            EXPECT_EQ(e.kind(), Kind::Malformed) << bad;
            EXPECT_EQ(e.pointer(), bad);
        }
    }
}

TEST(JsonPointer, FormatEscapesTildeBeforeSlash) {
    EXPECT_EQ(format_json_pointer({}), "");
    EXPECT_EQ(format_json_pointer({"a/b", "~c", "~1"}), "/a~1b/~0c/~01");
    for (std::string p : {"/zone/ttl", "/a~1b/~0c", "/~01", "/"})
        EXPECT_EQ(format_json_pointer(parse_json_pointer(p)), p);
}

TEST(JsonPointer, Rfc6901Section5Examples) {
    json::value doc = J(R"({"foo":["bar","baz"],"":0,"a/b":1,"c%d":2,"e^f":3,"g|h":4,
                           "i\\j":5,"k\"l":6," ":7,"m~n":8})");
    EXPECT_EQ(find_pointer(doc, ""), &doc);
    EXPECT_JSON_EQ(*find_pointer(doc, "/foo"), R"(["bar","baz"])");
    EXPECT_JSON_EQ(*find_pointer(doc, "/foo/0"), R"("bar")");
    const std::pair<const char*, int> cases[] = {{"/", 0},     {"/a~1b", 1}, {"/c%d", 2},
                                                 {"/e^f", 3},  {"/g|h", 4},  {"/i\\j", 5},
                                                 {"/k\"l", 6}, {"/ ", 7},    {"/m~0n", 8}};
    for (auto [ptr, n] : cases) {
        const json::value* v = find_pointer(doc, ptr);
        ASSERT_NE(v, nullptr) << ptr;
        EXPECT_EQ(v->as_int64(), n) << ptr;
    }
}

TEST(JsonPointer, FindReturnsNullForMissingValues) {
    json::value doc = J(R"({"a":[1,2],"s":"x"})");
    EXPECT_EQ(find_pointer(doc, "/b"), nullptr);
    EXPECT_EQ(find_pointer(doc, "/a/2"), nullptr);
    EXPECT_EQ(find_pointer(doc, "/a/-"), nullptr);
    EXPECT_EQ(find_pointer(doc, "/a/01"), nullptr);  // leading zero is not an index
    EXPECT_EQ(find_pointer(doc, "/s/0"), nullptr);   // cannot descend into a string
}

// ---- RFC 6902 appendix A ---------------------------------------------------

TEST(JsonPatchRfcExamples, A1AddObjectMember) {
    EXPECT_JSON_EQ(patched(R"({"foo":"bar"})", R"([{"op":"add","path":"/baz","value":"qux"}])"),
                   R"({"baz":"qux","foo":"bar"})");
}

TEST(JsonPatchRfcExamples, A2AddArrayElement) {
    EXPECT_JSON_EQ(
        patched(R"({"foo":["bar","baz"]})", R"([{"op":"add","path":"/foo/1","value":"qux"}])"),
        R"({"foo":["bar","qux","baz"]})");
}

TEST(JsonPatchRfcExamples, A3RemoveObjectMember) {
    EXPECT_JSON_EQ(patched(R"({"baz":"qux","foo":"bar"})", R"([{"op":"remove","path":"/baz"}])"),
                   R"({"foo":"bar"})");
}

TEST(JsonPatchRfcExamples, A4RemoveArrayElement) {
    EXPECT_JSON_EQ(
        patched(R"({"foo":["bar","qux","baz"]})", R"([{"op":"remove","path":"/foo/1"}])"),
        R"({"foo":["bar","baz"]})");
}

TEST(JsonPatchRfcExamples, A5ReplaceValue) {
    EXPECT_JSON_EQ(patched(R"({"baz":"qux","foo":"bar"})",
                           R"([{"op":"replace","path":"/baz","value":"boo"}])"),
                   R"({"baz":"boo","foo":"bar"})");
}

TEST(JsonPatchRfcExamples, A6MoveValue) {
    EXPECT_JSON_EQ(patched(R"({"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}})",
                           R"([{"op":"move","from":"/foo/waldo","path":"/qux/thud"}])"),
                   R"({"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}})");
}

TEST(JsonPatchRfcExamples, A7MoveArrayElement) {
    EXPECT_JSON_EQ(patched(R"({"foo":["all","grass","cows","eat"]})",
                           R"([{"op":"move","from":"/foo/1","path":"/foo/3"}])"),
                   R"({"foo":["all","cows","eat","grass"]})");
}

TEST(JsonPatchRfcExamples, A8TestSucceeds) {
    EXPECT_JSON_EQ(patched(R"({"baz":"qux","foo":["a",2,"c"]})",
                           R"([{"op":"test","path":"/baz","value":"qux"},
                               {"op":"test","path":"/foo/1","value":2}])"),
                   R"({"baz":"qux","foo":["a",2,"c"]})");
}

TEST(JsonPatchRfcExamples, A9TestFails) {
    auto e = failure(R"({"baz":"qux"})", R"([{"op":"test","path":"/baz","value":"bar"}])");
    EXPECT_EQ(e.kind(), Kind::TestFailed);
    EXPECT_EQ(e.operation(), 0u);
    EXPECT_EQ(e.pointer(), "/baz");
}

TEST(JsonPatchRfcExamples, A10AddNestedObject) {
    EXPECT_JSON_EQ(
        patched(R"({"foo":"bar"})", R"([{"op":"add","path":"/child","value":{"grandchild":{}}}])"),
        R"({"foo":"bar","child":{"grandchild":{}}})");
}

TEST(JsonPatchRfcExamples, A11UnknownMembersAreIgnored) {
    EXPECT_JSON_EQ(
        patched(R"({"foo":"bar"})", R"([{"op":"add","path":"/baz","value":"qux","xyz":123}])"),
        R"({"foo":"bar","baz":"qux"})");
}

TEST(JsonPatchRfcExamples, A12AddToMissingParentFails) {
    auto e = failure(R"({"foo":"bar"})", R"([{"op":"add","path":"/baz/bat","value":"qux"}])");
    EXPECT_EQ(e.kind(), Kind::PathNotFound);
    EXPECT_EQ(e.pointer(), "/baz/bat");
}

TEST(JsonPatchRfcExamples, A14EscapeOrdering) {
    EXPECT_JSON_EQ(patched(R"({"/":9,"~1":10})", R"([{"op":"test","path":"/~01","value":10}])"),
                   R"({"/":9,"~1":10})");
}

TEST(JsonPatchRfcExamples, A15StringIsNotNumber) {
    auto e = failure(R"({"/":9,"~1":10})", R"([{"op":"test","path":"/~01","value":"10"}])");
    EXPECT_EQ(e.kind(), Kind::TestFailed);
}

TEST(JsonPatchRfcExamples, A16AppendArrayValue) {
    EXPECT_JSON_EQ(
        patched(R"({"foo":["bar"]})", R"([{"op":"add","path":"/foo/-","value":["abc","def"]}])"),
        R"({"foo":["bar",["abc","def"]]})");
}

// ---- each operation, beyond the RFC's examples -----------------------------

TEST(JsonPatchAdd, ReplacesAnExistingMemberAndTheRoot) {
    EXPECT_JSON_EQ(patched(R"({"a":1})", R"([{"op":"add","path":"/a","value":2}])"), R"({"a":2})");
    EXPECT_JSON_EQ(patched(R"({"a":1})", R"([{"op":"add","path":"","value":[1]}])"), "[1]");
}

TEST(JsonPatchAdd, InsertsAtTheEndIndexAndRejectsBeyondIt) {
    EXPECT_JSON_EQ(patched("[1,2]", R"([{"op":"add","path":"/2","value":3}])"), "[1,2,3]");
    EXPECT_JSON_EQ(patched("[1,2]", R"([{"op":"add","path":"/0","value":0}])"), "[0,1,2]");
    EXPECT_EQ(failure("[1,2]", R"([{"op":"add","path":"/3","value":3}])").kind(),
              Kind::PathNotFound);
    EXPECT_EQ(failure("[1,2]", R"([{"op":"add","path":"/01","value":3}])").kind(),
              Kind::PathNotFound);
    EXPECT_EQ(failure("[1,2]", R"([{"op":"add","path":"/x","value":3}])").kind(),
              Kind::PathNotFound);
}

TEST(JsonPatchAdd, DashIsAnOrdinaryKeyInObjects) {
    EXPECT_JSON_EQ(patched(R"({})", R"([{"op":"add","path":"/-","value":1}])"), R"({"-":1})");
}

TEST(JsonPatchAdd, AppendsDictRecordsWithDash) {
    EXPECT_JSON_EQ(
        patched(R"({"recordset":{"records":[{"address":"10.1.2.3"}]}})",
                R"([{"op":"add","path":"/recordset/records/-","value":{"address":"127.0.0.1"}}])"),
        R"({"recordset":{"records":[{"address":"10.1.2.3"},{"address":"127.0.0.1"}]}})");
}

TEST(JsonPatchAdd, CannotDescendThroughAScalar) {
    EXPECT_EQ(failure(R"({"a":"s"})", R"([{"op":"add","path":"/a/b","value":1}])").kind(),
              Kind::PathNotFound);
}

TEST(JsonPatchRemove, MissingTargetsFail) {
    EXPECT_EQ(failure(R"({"a":1})", R"([{"op":"remove","path":"/b"}])").kind(), Kind::PathNotFound);
    EXPECT_EQ(failure("[1]", R"([{"op":"remove","path":"/1"}])").kind(), Kind::PathNotFound);
    EXPECT_EQ(failure("[1]", R"([{"op":"remove","path":"/-"}])").kind(), Kind::PathNotFound);
}

TEST(JsonPatchRemove, TheWholeDocumentCannotBeRemoved) {
    EXPECT_EQ(failure(R"({"a":1})", R"([{"op":"remove","path":""}])").kind(), Kind::Malformed);
}

TEST(JsonPatchReplace, NeedsAnExistingTarget) {
    EXPECT_JSON_EQ(patched("[1,2]", R"([{"op":"replace","path":"/1","value":{"x":null}}])"),
                   R"([1,{"x":null}])");
    EXPECT_JSON_EQ(patched(R"({"a":1})", R"([{"op":"replace","path":"","value":"all"}])"),
                   R"("all")");
    auto e = failure(R"({"a":1})", R"([{"op":"replace","path":"/b","value":2}])");
    EXPECT_EQ(e.kind(), Kind::PathNotFound);
    EXPECT_EQ(e.pointer(), "/b");
    EXPECT_EQ(failure("[1]", R"([{"op":"replace","path":"/-","value":2}])").kind(),
              Kind::PathNotFound);
}

TEST(JsonPatchMove, ToItselfIsANoOpAndIntoItsChildIsRejected) {
    EXPECT_JSON_EQ(patched(R"({"a":{"b":1}})", R"([{"op":"move","from":"/a","path":"/a"}])"),
                   R"({"a":{"b":1}})");
    EXPECT_EQ(failure(R"({"a":{"b":1}})", R"([{"op":"move","from":"/a","path":"/a/c"}])").kind(),
              Kind::Malformed);
    // "/ab" does not lie inside "/a": prefixes are compared token by token.
    EXPECT_JSON_EQ(patched(R"({"a":1})", R"([{"op":"move","from":"/a","path":"/ab"}])"),
                   R"({"ab":1})");
}

TEST(JsonPatchMove, MissingSourceFailsWithFromPointer) {
    auto e = failure(R"({"a":1})", R"([{"op":"move","from":"/x","path":"/y"}])");
    EXPECT_EQ(e.kind(), Kind::PathNotFound);
    EXPECT_EQ(e.pointer(), "/x");
}

TEST(JsonPatchCopy, DuplicatesDeeply) {
    json::value out = patched(R"({"a":{"b":[1]}})", R"([{"op":"copy","from":"/a","path":"/c"},
                                                     {"op":"add","path":"/c/b/-","value":2}])");
    EXPECT_JSON_EQ(out, R"({"a":{"b":[1]},"c":{"b":[1,2]}})");
    EXPECT_JSON_EQ(patched("[1,2]", R"([{"op":"copy","from":"/0","path":"/-"}])"), "[1,2,1]");
}

TEST(JsonPatchTest, ComparesByJsonValue) {
    // Numbers by value, objects without regard to member order.
    EXPECT_NO_THROW(patched(R"({"n":1,"o":{"a":1,"b":[true,null]}})",
                            R"([{"op":"test","path":"/n","value":1.0},
                                {"op":"test","path":"/o","value":{"b":[true,null],"a":1}}])"));
    EXPECT_EQ(
        failure(R"({"o":{"a":1}})", R"([{"op":"test","path":"/o","value":{"a":1,"b":2}}])").kind(),
        Kind::TestFailed);
    EXPECT_EQ(failure(R"({"a":[1,2]})", R"([{"op":"test","path":"/a","value":[2,1]}])").kind(),
              Kind::TestFailed);
    EXPECT_EQ(failure(R"({"a":null})", R"([{"op":"test","path":"/a","value":false}])").kind(),
              Kind::TestFailed);
}

TEST(JsonPatchTest, MissingTargetIsNotFoundRatherThanAFailedTest) {
    EXPECT_EQ(failure(R"({})", R"([{"op":"test","path":"/a","value":null}])").kind(),
              Kind::PathNotFound);
}

TEST(JsonEqual, MixesIntegerRepresentations) {
    EXPECT_TRUE(json_equal(json::value(std::int64_t{5}), json::value(std::uint64_t{5})));
    EXPECT_FALSE(json_equal(json::value(std::int64_t{-1}), json::value(~std::uint64_t{0})));
    EXPECT_TRUE(json_equal(json::value(2.0), json::value(std::int64_t{2})));
    EXPECT_FALSE(json_equal(json::value(2.5), json::value(std::int64_t{2})));
}

// ---- all or nothing, and errors --------------------------------------------

TEST(JsonPatchAtomicity, AFailureHalfWayLeavesTheInputUntouched) {
    json::value doc = J(R"({"zone":{"ttl":3600,"version":1}})");
    json::value before = doc;
    try {
        apply_patch(doc, J(R"([{"op":"replace","path":"/zone/ttl","value":60},
                              {"op":"test","path":"/zone/version","value":2}])"));
        FAIL() << "test should have failed";
    } catch (const JsonPatchError& e) {
        EXPECT_EQ(e.kind(), Kind::TestFailed);
        EXPECT_EQ(e.operation(), 1u);
    }
    EXPECT_TRUE(json_equal(doc, before));
}

TEST(JsonPatchAtomicity, OperationsSeeEachOthersResults) {
    EXPECT_JSON_EQ(patched(R"({"a":1})", R"([{"op":"add","path":"/b","value":2},
                                             {"op":"test","path":"/b","value":2},
                                             {"op":"remove","path":"/a"}])"),
                   R"({"b":2})");
}

TEST(JsonPatchParse, RejectsMalformedDocuments) {
    const char* bad[] = {
        R"({"op":"add","path":"/a","value":1})",        // not an array
        R"([1])",                                       // operation is not an object
        R"([{"path":"/a","value":1}])",                 // no op
        R"([{"op":7,"path":"/a"}])",                    // op not a string
        R"([{"op":"merge","path":"/a"}])",              // unknown op
        R"([{"op":"add","value":1}])",                  // no path
        R"([{"op":"add","path":1,"value":1}])",         // path not a string
        R"([{"op":"add","path":"a","value":1}])",       // path not a pointer
        R"([{"op":"add","path":"/a"}])",                // no value
        R"([{"op":"replace","path":"/a"}])",            // no value
        R"([{"op":"test","path":"/a"}])",               // no value
        R"([{"op":"move","path":"/a"}])",               // no from
        R"([{"op":"copy","from":"/~3","path":"/a"}])",  // bad from pointer
    };
    for (const char* patch : bad) {
        try {
            parse_patch(J(patch));
            ADD_FAILURE() << patch;
        } catch (const JsonPatchError& e) {
            EXPECT_EQ(e.kind(), Kind::Malformed) << patch;
        }
    }
}

TEST(JsonPatchParse, KeepsOperationsInOrderWithTheirPointers) {
    auto ops = parse_patch(J(R"([{"op":"test","path":"/zone/version","value":1},
                                 {"op":"copy","from":"/a~1b","path":"/c"},
                                 {"op":"add","path":"/x","value":null}])"));
    ASSERT_EQ(ops.size(), 3u);
    EXPECT_EQ(ops[0].op, PatchOp::Test);
    EXPECT_EQ(ops[0].path_tokens, (std::vector<std::string>{"zone", "version"}));
    EXPECT_EQ(ops[0].value.as_int64(), 1);
    EXPECT_EQ(ops[1].op, PatchOp::Copy);
    EXPECT_EQ(ops[1].from_tokens, std::vector<std::string>{"a/b"});
    EXPECT_TRUE(ops[2].value.is_null());  // an explicit null value is a value
    EXPECT_TRUE(parse_patch(J("[]")).empty());
}

TEST(JsonPatchErrors, MessagesNameTheOperationAndPointer) {
    auto e =
        failure(R"({"zone":{"version":3}})", R"([{"op":"test","path":"/zone/version","value":1}])");
    EXPECT_NE(std::string(e.what()).find("operation 0 (test)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("/zone/version"), std::string::npos) << e.what();
    EXPECT_EQ(patch_op_name(PatchOp::Copy), "copy");
}

}  // namespace
}  // namespace dnsplane::common

namespace {
// fuzz_json_patch found a document holding NaN (Boost.JSON's parser makes one
// from extreme literals): equality must stay reflexive for it.
TEST(JsonEqual, NanEqualsItself) {
    const boost::json::value nan = std::nan("");
    EXPECT_TRUE(dnsplane::common::json_equal(nan, nan));
    EXPECT_FALSE(dnsplane::common::json_equal(nan, boost::json::value(1.0)));
    EXPECT_TRUE(dnsplane::common::json_equal(boost::json::value(2), boost::json::value(2.0)));
}
}  // namespace
