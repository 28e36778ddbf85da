// Internal building blocks: tokenizer, escapes and quoting.
#include "core/rdata_syntax.h"

#include <gtest/gtest.h>

namespace dnsplane::core::detail {
namespace {

TEST(Tokenize, SplitsOnAnyWhitespace) {
    auto tokens = tokenize("  10\tmail.example.\n ");
    ASSERT_EQ(tokens.size(), 2u);
    EXPECT_EQ(tokens[0].raw, "10");
    EXPECT_EQ(tokens[0].begin, 2u);
    EXPECT_EQ(tokens[1].raw, "mail.example.");
    EXPECT_FALSE(tokens[1].quoted);
    EXPECT_TRUE(tokenize("").empty());
    EXPECT_TRUE(tokenize(" \t ").empty());
}

TEST(Tokenize, QuotedTokensKeepSpacesAndEscapes) {
    auto tokens = tokenize("0 issue \"a b\\\" c\"");
    ASSERT_EQ(tokens.size(), 3u);
    EXPECT_TRUE(tokens[2].quoted);
    EXPECT_EQ(tokens[2].raw, "a b\\\" c");
    EXPECT_EQ(tokens[2].begin, 8u);
}

TEST(Tokenize, EscapedSpaceStaysInsideAnUnquotedToken) {
    auto tokens = tokenize("a\\ b c");
    ASSERT_EQ(tokens.size(), 2u);
    EXPECT_EQ(tokens[0].raw, "a\\ b");
}

TEST(Tokenize, RejectsBrokenQuoting) {
    EXPECT_THROW(tokenize("\"open"), SyntaxError);
    EXPECT_THROW(tokenize("\"a\"b"), SyntaxError);
    EXPECT_THROW(tokenize("a\"b"), SyntaxError);
    EXPECT_THROW(tokenize("\"escaped\\\""), SyntaxError);
}

TEST(DecodeEscapes, ResolvesRfc1035Escapes) {
    EXPECT_EQ(decode_escapes("a\\\"b", true), "a\"b");
    EXPECT_EQ(decode_escapes("a\\\\b", false), "a\\b");
    EXPECT_EQ(decode_escapes("\\065\\000x", false), std::string("A\0x", 3));
    EXPECT_EQ(decode_escapes("\\;", false), ";");
    EXPECT_EQ(decode_escapes("", false), "");
}

TEST(DecodeEscapes, RejectsBadEscapesAndBareQuotes) {
    EXPECT_THROW(decode_escapes("abc\\", true), SyntaxError);
    EXPECT_THROW(decode_escapes("\\25", true), SyntaxError);
    EXPECT_THROW(decode_escapes("\\25x", true), SyntaxError);
    EXPECT_THROW(decode_escapes("\\999", true), SyntaxError);
    EXPECT_THROW(decode_escapes("a\"b", false), SyntaxError);
    EXPECT_EQ(decode_escapes("a\"b", true), "a\"b");
}

TEST(QuoteString, EscapesQuotesBackslashesAndNonPrintables) {
    EXPECT_EQ(quote_string("plain text"), "\"plain text\"");
    EXPECT_EQ(quote_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(quote_string(std::string("\0\n\x7f\xff", 4)), "\"\\000\\010\\127\\255\"");
    EXPECT_EQ(quote_string(""), "\"\"");
}

TEST(QuoteString, RoundTripsEveryOctet) {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    std::string quoted = quote_string(all);
    auto tokens = tokenize(quoted);
    ASSERT_EQ(tokens.size(), 1u);
    EXPECT_EQ(decode_escapes(tokens[0].raw, true), all);
}

TEST(ChunkText, SplitsInto255OctetStrings) {
    EXPECT_EQ(chunk_text(""), std::vector<std::string>{""});
    EXPECT_EQ(chunk_text("abc"), std::vector<std::string>{"abc"});
    auto chunks = chunk_text(std::string(511, 'q'));
    ASSERT_EQ(chunks.size(), 3u);
    EXPECT_EQ(chunks[0].size(), 255u);
    EXPECT_EQ(chunks[1].size(), 255u);
    EXPECT_EQ(chunks[2].size(), 1u);
}

TEST(ParseTextStrings, BothFormsGiveTheSameStrings) {
    EXPECT_EQ(parse_text_strings("\"hello world\""), std::vector<std::string>{"hello world"});
    EXPECT_EQ(parse_text_strings("hello world"), std::vector<std::string>{"hello world"});
    EXPECT_EQ(parse_text_strings("\"a\" \"b\""), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(join_text_strings({"a", "b\""}), "\"a\" \"b\\\"\"");
}

}  // namespace
}  // namespace dnsplane::core::detail
