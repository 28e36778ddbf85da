// The type registry, the canonical_rdata entry point and TTL bounds.
#include "core/rdata.h"

#include <gtest/gtest.h>

#include "expect_invalid.h"

namespace dnsplane::core {
namespace {

using testing::throws_invalid;

TEST(SupportedTypes, ListsEveryTypeOnce) {
    std::vector<std::string> expected = {"A",   "AAAA",  "CNAME", "MX",  "NS",    "PTR", "SPF",
                                         "SRV", "SSHFP", "TXT",   "CAA", "NAPTR", "DS",  "SOA"};
    EXPECT_EQ(supported_types(), expected);
    for (const auto& type : expected) EXPECT_TRUE(is_supported_type(type)) << type;
}

TEST(SupportedTypes, RejectsUnknownAndLowerCaseMnemonics) {
    for (const char* type : {"", "ANY", "AXFR", "DNSKEY", "RRSIG", "HINFO", "a", "mx", "Txt"})
        EXPECT_FALSE(is_supported_type(type)) << type;
}

TEST(UserWritableTypes, AllButSoa) {
    for (const auto& type : supported_types())
        EXPECT_EQ(is_user_writable_type(type), type != "SOA") << type;
    EXPECT_FALSE(is_user_writable_type("HINFO"));
}

TEST(TypeCode, UsesIanaNumbers) {
    const std::pair<const char*, std::uint16_t> codes[] = {
        {"A", 1},   {"NS", 2},     {"CNAME", 5}, {"SOA", 6},  {"PTR", 12},
        {"MX", 15}, {"TXT", 16},   {"AAAA", 28}, {"SRV", 33}, {"NAPTR", 35},
        {"DS", 43}, {"SSHFP", 44}, {"SPF", 99},  {"CAA", 257}};
    for (const auto& [type, code] : codes) EXPECT_EQ(type_code(type), code) << type;
    EXPECT_EQ(type_code("HINFO"), std::nullopt);
    EXPECT_EQ(type_code("a"), std::nullopt);
}

TEST(CanonicalRdata, RejectsUnsupportedTypes) {
    EXPECT_TRUE(throws_invalid([] { canonical_rdata("HINFO", "x86 linux"); },
                               {"unsupported record type", "HINFO"}));
}

TEST(CanonicalRdata, MessagesNameTypeAndValue) {
    EXPECT_TRUE(throws_invalid([] { canonical_rdata("MX", "70000 mail.example.org."); },
                               {"MX record '70000 mail.example.org.'", "preference",
                                "must be an integer 0-65535, got 70000"}));
}

TEST(CanonicalRdata, ShortensLongValuesInMessages) {
    std::string value = "70000 " + std::string(200, 'a') + ".org.";
    try {
        canonical_rdata("MX", value);
        FAIL() << "accepted";
    } catch (const Error& e) {
        EXPECT_LT(std::string(e.what()).size(), 200u);
        EXPECT_NE(std::string(e.what()).find("..."), std::string::npos);
    }
}

TEST(CanonicalRdata, OriginMustBeAbsolute) {
    EXPECT_EQ(canonical_rdata("CNAME", "www", "Example.Org."), "www.example.org.");
    EXPECT_TRUE(throws_invalid([] { canonical_rdata("CNAME", "www", "example.org"); },
                               {"fully qualified"}));
}

TEST(CanonicalRdata, AbsoluteNamesIgnoreTheOrigin) {
    EXPECT_EQ(canonical_rdata("MX", "10 mail.other.net.", "example.org."), "10 mail.other.net.");
}

TEST(ValidateTtl, AcceptsTheRfc2181Range) {
    EXPECT_NO_THROW(validate_ttl(0));
    EXPECT_NO_THROW(validate_ttl(3600));
    EXPECT_NO_THROW(validate_ttl(2147483647));
}

TEST(ValidateTtl, RejectsOutOfRangeWithTheBounds) {
    EXPECT_TRUE(throws_invalid([] { validate_ttl(-1); }, {"TTL", "0-2147483647", "got -1"}));
    EXPECT_TRUE(throws_invalid([] { validate_ttl(2147483648); }, {"TTL", "got 2147483648"}));
}

TEST(ValidateTtl, HonoursConfiguredLimits) {
    EXPECT_NO_THROW(validate_ttl(300, 300, 86400));
    EXPECT_TRUE(throws_invalid([] { validate_ttl(299, 300, 86400); }, {"300-86400", "got 299"}));
    EXPECT_TRUE(throws_invalid([] { validate_ttl(86401, 300, 86400); }, {"got 86401"}));
}

TEST(ValidateTtl, ErrorPointsAtTheTtlField) {
    try {
        validate_ttl(-5);
        FAIL() << "accepted";
    } catch (const Error& e) {
        ASSERT_EQ(e.fields().size(), 1u);
        EXPECT_EQ(e.fields()[0].path, std::vector<std::string>{"ttl"});
    }
}

}  // namespace
}  // namespace dnsplane::core
