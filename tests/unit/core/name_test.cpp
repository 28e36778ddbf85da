#include "core/name.h"

#include <gtest/gtest.h>

#include "expect_invalid.h"

namespace dnsplane::core {
namespace {

using testing::throws_invalid;

struct NameCase {
    const char* input;
    const char* canonical;
};

class CanonicalNameTest : public ::testing::TestWithParam<NameCase> {};

TEST_P(CanonicalNameTest, GivesCanonicalForm) {
    EXPECT_EQ(canonical_name(GetParam().input), GetParam().canonical);
}

INSTANTIATE_TEST_SUITE_P(
    Names, CanonicalNameTest,
    ::testing::Values(NameCase{"example.org.", "example.org."},
                      NameCase{"WWW.Example.ORG.", "www.example.org."}, NameCase{".", "."},
                      NameCase{"*.example.org.", "*.example.org."},
                      NameCase{"_sip._tcp.example.org.", "_sip._tcp.example.org."},
                      // \DDD escapes of ordinary characters are written plainly, lower-cased.
                      NameCase{"\\065bc.example.", "abc.example."},
                      NameCase{"\\Abc.example.", "abc.example."},
                      // Special characters keep (or gain) a backslash.
                      NameCase{"a\\.b.example.", "a\\.b.example."},
                      NameCase{"a\\046b.example.", "a\\.b.example."},
                      NameCase{"a\\@b.example.", "a\\@b.example."},
                      NameCase{"semi\\;colon.example.", "semi\\;colon.example."},
                      // Spaces and non-printable octets become \DDD.
                      NameCase{"a\\ b.example.", "a\\032b.example."},
                      NameCase{"a\\000b.example.", "a\\000b.example."},
                      NameCase{"\\200.example.", "\\200.example."},
                      NameCase{"x\\\\y.example.", "x\\\\y.example."}));

TEST(CanonicalName, AcceptsMaximumLengths) {
    std::string label63(63, 'a');
    EXPECT_EQ(canonical_name(label63 + ".org."), label63 + ".org.");
    // 4 labels of 63 octets: 4*64 + 1 = 257 > 255; 3 of 63 + one of 61: 3*64 + 62 + 1 = 255.
    std::string name255 =
        label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b') + ".";
    EXPECT_EQ(canonical_name(name255), name255);
}

TEST(CanonicalName, EscapedOctetsCountOnceTowardsTheLabelLimit) {
    std::string label;
    for (int i = 0; i < 63; ++i) label += "\\065";
    EXPECT_EQ(canonical_name(label + "."), std::string(63, 'a') + ".");
    EXPECT_TRUE(throws_invalid([&] { canonical_name(label + "\\065."); }, {"63"}));
}

struct Rejection {
    std::string input;
    std::vector<std::string> key_words;
};

class NameRejectionTest : public ::testing::TestWithParam<Rejection> {};

TEST_P(NameRejectionTest, RejectsWithReason) {
    EXPECT_TRUE(throws_invalid([&] { canonical_name(GetParam().input); }, GetParam().key_words));
}

INSTANTIATE_TEST_SUITE_P(
    Names, NameRejectionTest,
    ::testing::Values(
        Rejection{"", {"empty"}}, Rejection{"example.org", {"fully qualified", "example.org"}},
        Rejection{"a..example.", {"empty label"}}, Rejection{".example.", {"empty label"}},
        Rejection{"..", {"empty label"}},
        Rejection{std::string(64, 'a') + ".org.", {"63 octets", "64"}},
        Rejection{std::string(63, 'a') + "." + std::string(63, 'a') + "." + std::string(63, 'a') +
                      "." + std::string(62, 'a') + ".",
                  {"255 octets", "256"}},
        Rejection{"a b.example.", {"space"}}, Rejection{"tab\t.example.", {"control"}},
        Rejection{"caf\xc3\xa9.example.", {"non-ASCII", "xn--"}},
        Rejection{"abc\\", {"single backslash"}}, Rejection{"a\\25.example.", {"three digits"}},
        Rejection{"a\\256.example.", {"above 255"}}));

TEST(CanonicalName, RelativeOkKeepsRelativeNamesRelative) {
    EXPECT_EQ(canonical_name("WWW", true), "www");
    EXPECT_EQ(canonical_name("mail.Sub", true), "mail.sub");
    EXPECT_EQ(canonical_name("www.example.org.", true), "www.example.org.");
    // An escaped final dot is part of the label, so the name is still relative.
    EXPECT_EQ(canonical_name("a\\.", true), "a\\.");
    EXPECT_TRUE(throws_invalid([] { canonical_name("a\\."); }, {"fully qualified"}));
}

TEST(CasePreservedName, NormalisesLikeCanonicalNameButKeepsLetterCase) {
    EXPECT_EQ(case_preserved_name("MiXeD.Example.ORG."), "MiXeD.Example.ORG.");
    EXPECT_EQ(case_preserved_name("\\065bc.Org."), "Abc.Org.");
    EXPECT_EQ(case_preserved_name("a\\.B.org."), "a\\.B.org.");
    EXPECT_EQ(case_preserved_name("Sub", true), "Sub");
    EXPECT_TRUE(throws_invalid([] { case_preserved_name("A..b."); }, {}));
}

TEST(TryCanonicalName, ReportsReasonWithoutThrowing) {
    std::string why;
    EXPECT_EQ(try_canonical_name("Example.ORG.", &why), "example.org.");
    EXPECT_EQ(try_canonical_name("a..b.", &why), std::nullopt);
    EXPECT_NE(why.find("empty label"), std::string::npos);
    EXPECT_EQ(try_canonical_name("rel", nullptr), std::nullopt);
    EXPECT_EQ(try_canonical_name("rel", nullptr, true), "rel");
}

TEST(SplitLabels, SplitsOnUnescapedDots) {
    EXPECT_EQ(split_labels("www.example.org."),
              (std::vector<std::string>{"www", "example", "org"}));
    EXPECT_TRUE(split_labels(".").empty());
    EXPECT_EQ(split_labels("a\\.b.example."), (std::vector<std::string>{"a\\.b", "example"}));
    EXPECT_EQ(split_labels("x\\\\.y."), (std::vector<std::string>{"x\\\\", "y"}));
    EXPECT_EQ(split_labels("*.example."), (std::vector<std::string>{"*", "example"}));
}

TEST(IsSubdomain, ComparesWholeLabels) {
    EXPECT_TRUE(is_subdomain("example.org.", "example.org."));
    EXPECT_TRUE(is_subdomain("www.example.org.", "example.org."));
    EXPECT_TRUE(is_subdomain("a.b.c.example.org.", "example.org."));
    EXPECT_TRUE(is_subdomain("example.org.", "."));
    EXPECT_TRUE(is_subdomain(".", "."));
    EXPECT_FALSE(is_subdomain("xexample.org.", "example.org."));
    EXPECT_FALSE(is_subdomain("example.org.", "www.example.org."));
    EXPECT_FALSE(is_subdomain("example.com.", "example.org."));
    EXPECT_FALSE(is_subdomain(".", "org."));
    // An escaped dot does not start a new label.
    EXPECT_FALSE(is_subdomain("www\\.example.org.", "example.org."));
    EXPECT_TRUE(is_subdomain("a.www\\.example.org.", "www\\.example.org."));
}

TEST(IsValidHostname, AllowsLettersDigitsHyphenUnderscore) {
    EXPECT_TRUE(is_valid_hostname("mail.example.org."));
    EXPECT_TRUE(is_valid_hostname("mx-1.example.org."));
    EXPECT_TRUE(is_valid_hostname("_sip._tcp.example.org."));
    EXPECT_TRUE(is_valid_hostname("xn--caf-dma.example."));
    EXPECT_TRUE(is_valid_hostname("123.example.org."));
    EXPECT_TRUE(is_valid_hostname("org."));
    EXPECT_TRUE(is_valid_hostname("Mail.Example.org."));
}

TEST(IsValidHostname, RejectsOtherCharactersWildcardsAndEdgeHyphens) {
    EXPECT_FALSE(is_valid_hostname("."));
    EXPECT_FALSE(is_valid_hostname(""));
    EXPECT_FALSE(is_valid_hostname("*.example.org."));
    EXPECT_FALSE(is_valid_hostname("a*b.example.org."));
    EXPECT_FALSE(is_valid_hostname("-mx.example.org."));
    EXPECT_FALSE(is_valid_hostname("mx-.example.org."));
    EXPECT_FALSE(is_valid_hostname("a\\.b.example.org."));
    EXPECT_FALSE(is_valid_hostname("a\\032b.example.org."));
    EXPECT_FALSE(is_valid_hostname("a..example.org."));
    EXPECT_FALSE(is_valid_hostname("mail@example.org."));
}

TEST(IsValidOwnerName, AllowsOnlyALeadingWildcardLabel) {
    EXPECT_TRUE(is_valid_owner_name("*.example.org."));
    EXPECT_TRUE(is_valid_owner_name("www.example.org."));
    EXPECT_TRUE(is_valid_owner_name("_dmarc.example.org."));
    EXPECT_FALSE(is_valid_owner_name("www.*.example.org."));
    EXPECT_FALSE(is_valid_owner_name("*x.example.org."));
    EXPECT_FALSE(is_valid_owner_name("."));
}

TEST(IsValidOwnerName, Rfc4592PolicyTakesAStarAsAnOrdinaryCharacter) {
    constexpr auto rfc = OwnerNames::Rfc4592;
    // ExternalDNS's TXT registry name of "*.example.org."
    EXPECT_TRUE(is_valid_owner_name("a-*.example.org.", rfc));
    EXPECT_TRUE(is_valid_owner_name("*x.example.org.", rfc));
    EXPECT_TRUE(is_valid_owner_name("www.*.example.org.", rfc));
    EXPECT_TRUE(is_valid_owner_name("*.example.org.", rfc));
    EXPECT_TRUE(is_valid_owner_name("www.example.org.", rfc));
    // Everything else stays refused.
    EXPECT_FALSE(is_valid_owner_name("-*.example.org.", rfc));
    EXPECT_FALSE(is_valid_owner_name("a b.example.org.", rfc));
    EXPECT_FALSE(is_valid_owner_name("mail@example.org.", rfc));
    EXPECT_FALSE(is_valid_owner_name(".", rfc));
    // The default (Designate's) rule is unchanged.
    EXPECT_FALSE(is_valid_owner_name("a-*.example.org."));
    // Only a whole leftmost "*" is a wildcard.
    EXPECT_FALSE(is_wildcard("a-*.example.org."));
}

TEST(IsWildcard, OnlyWhenTheFirstLabelIsAStar) {
    EXPECT_TRUE(is_wildcard("*.example.org."));
    EXPECT_TRUE(is_wildcard("*."));
    EXPECT_FALSE(is_wildcard("www.example.org."));
    EXPECT_FALSE(is_wildcard("*x.example.org."));
    EXPECT_FALSE(is_wildcard("a.*.example.org."));
    EXPECT_FALSE(is_wildcard("."));
}

}  // namespace
}  // namespace dnsplane::core
