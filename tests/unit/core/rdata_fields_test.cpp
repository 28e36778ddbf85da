// The 2013 draft's dict form: field lists, dict -> text, text -> dict.
#include <gtest/gtest.h>

#include "core/rdata.h"
#include "expect_invalid.h"

namespace dnsplane::core {
namespace {

using testing::throws_invalid;
using Fields = std::vector<std::pair<std::string, std::string>>;

std::vector<std::string> names_of(std::string_view type) {
    std::vector<std::string> out;
    for (const auto& f : rdata_fields(type)) out.push_back(f.name);
    return out;
}

TEST(RdataFields, NamesInPresentationOrder) {
    using V = std::vector<std::string>;
    EXPECT_EQ(names_of("A"), V{"address"});
    EXPECT_EQ(names_of("AAAA"), V{"address"});
    EXPECT_EQ(names_of("CNAME"), V{"cname"});
    EXPECT_EQ(names_of("MX"), (V{"preference", "exchange"}));
    EXPECT_EQ(names_of("NS"), V{"nsdname"});
    EXPECT_EQ(names_of("PTR"), V{"ptrdname"});
    EXPECT_EQ(names_of("SOA"),
              (V{"mname", "rname", "serial", "refresh", "retry", "expire", "minimum"}));
    EXPECT_EQ(names_of("SPF"), V{"text"});
    EXPECT_EQ(names_of("TXT"), V{"text"});
    EXPECT_EQ(names_of("SRV"), (V{"priority", "weight", "port", "target"}));
    EXPECT_EQ(names_of("SSHFP"), (V{"algorithm", "type", "fingerprint"}));
    EXPECT_EQ(names_of("CAA"), (V{"flags", "tag", "value"}));
    EXPECT_EQ(names_of("NAPTR"),
              (V{"order", "preference", "flags", "service", "regexp", "replacement"}));
    EXPECT_EQ(names_of("DS"), (V{"key_tag", "algorithm", "digest_type", "digest"}));
}

TEST(RdataFields, MarksIntegerFields) {
    for (const auto& f : rdata_fields("SRV")) EXPECT_EQ(f.is_integer, f.name != "target");
    for (const auto& f : rdata_fields("CAA")) EXPECT_EQ(f.is_integer, f.name == "flags");
    for (const auto& f : rdata_fields("TXT")) EXPECT_FALSE(f.is_integer);
}

TEST(RdataFields, UnknownTypeIsInvalid) {
    EXPECT_TRUE(throws_invalid([] { rdata_fields("HINFO"); }, {"unsupported", "HINFO"}));
}

struct RoundTrip {
    std::string type;
    Fields fields;  // as a client sends them
    std::string canonical;
    Fields back;  // rdata_to_fields(canonical), in field order
};

void PrintTo(const RoundTrip& c, std::ostream* os) {
    *os << c.type << " " << c.canonical;
}

class DictRoundTrip : public ::testing::TestWithParam<RoundTrip> {};

TEST_P(DictRoundTrip, ToTextAndBack) {
    const auto& c = GetParam();
    EXPECT_EQ(rdata_from_fields(c.type, c.fields), c.canonical);
    EXPECT_EQ(rdata_to_fields(c.type, c.canonical), c.back);
    EXPECT_EQ(rdata_from_fields(c.type, c.back), c.canonical);
}

const std::string kSha1 = "123456789abcdef67890123456789abcdef67890";
const std::string kSha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

INSTANTIATE_TEST_SUITE_P(
    AllTypes, DictRoundTrip,
    ::testing::Values(
        RoundTrip{"A", {{"address", "192.0.2.1"}}, "192.0.2.1", {{"address", "192.0.2.1"}}},
        RoundTrip{
            "AAAA", {{"address", "2001:DB8:0::1"}}, "2001:db8::1", {{"address", "2001:db8::1"}}},
        RoundTrip{"CNAME",
                  {{"cname", "WWW.example.org."}},
                  "www.example.org.",
                  {{"cname", "www.example.org."}}},
        // Keys may come in any order.
        RoundTrip{"MX",
                  {{"exchange", "Mail.example.org."}, {"preference", "10"}},
                  "10 mail.example.org.",
                  {{"preference", "10"}, {"exchange", "mail.example.org."}}},
        RoundTrip{"NS",
                  {{"nsdname", "ns1.example.org."}},
                  "ns1.example.org.",
                  {{"nsdname", "ns1.example.org."}}},
        RoundTrip{"PTR",
                  {{"ptrdname", "host.example.org."}},
                  "host.example.org.",
                  {{"ptrdname", "host.example.org."}}},
        RoundTrip{"SOA",
                  {{"mname", "ns1.example.org."},
                   {"rname", "admin.example.org."},
                   {"serial", "7"},
                   {"refresh", "3500"},
                   {"retry", "600"},
                   {"expire", "86400"},
                   {"minimum", "3600"}},
                  "ns1.example.org. admin.example.org. 7 3500 600 86400 3600",
                  {{"mname", "ns1.example.org."},
                   {"rname", "admin.example.org."},
                   {"serial", "7"},
                   {"refresh", "3500"},
                   {"retry", "600"},
                   {"expire", "86400"},
                   {"minimum", "3600"}}},
        // `text` is raw: quotes and backslashes need no escaping in the dict.
        RoundTrip{"TXT",
                  {{"text", "say \"hi\" \\o/"}},
                  "\"say \\\"hi\\\" \\\\o/\"",
                  {{"text", "say \"hi\" \\o/"}}},
        RoundTrip{"TXT", {{"text", ""}}, "\"\"", {{"text", ""}}},
        RoundTrip{"TXT",
                  {{"text", std::string(300, 'k')}},
                  "\"" + std::string(255, 'k') + "\" \"" + std::string(45, 'k') + "\"",
                  {{"text", std::string(300, 'k')}}},
        RoundTrip{"SPF", {{"text", "v=spf1 -all"}}, "\"v=spf1 -all\"", {{"text", "v=spf1 -all"}}},
        RoundTrip{
            "SRV",
            {{"priority", "10"}, {"weight", "5"}, {"port", "5060"}, {"target", "sip.example.org."}},
            "10 5 5060 sip.example.org.",
            {{"priority", "10"},
             {"weight", "5"},
             {"port", "5060"},
             {"target", "sip.example.org."}}},
        // SSHFP `type` defaults to 1 (SHA-1).
        RoundTrip{"SSHFP",
                  {{"algorithm", "2"}, {"fingerprint", kSha1}},
                  "2 1 " + kSha1,
                  {{"algorithm", "2"}, {"type", "1"}, {"fingerprint", kSha1}}},
        RoundTrip{"SSHFP",
                  {{"algorithm", "4"}, {"type", "2"}, {"fingerprint", kSha256}},
                  "4 2 " + kSha256,
                  {{"algorithm", "4"}, {"type", "2"}, {"fingerprint", kSha256}}},
        RoundTrip{"CAA",
                  {{"flags", "0"}, {"tag", "ISSUE"}, {"value", "letsencrypt.org"}},
                  "0 issue \"letsencrypt.org\"",
                  {{"flags", "0"}, {"tag", "issue"}, {"value", "letsencrypt.org"}}},
        RoundTrip{"NAPTR",
                  {{"order", "100"},
                   {"preference", "10"},
                   {"flags", "u"},
                   {"service", "E2U+sip"},
                   {"regexp", "!^.*$!sip:info@example.org!"},
                   {"replacement", "."}},
                  "100 10 \"U\" \"E2U+sip\" \"!^.*$!sip:info@example.org!\" .",
                  {{"order", "100"},
                   {"preference", "10"},
                   {"flags", "U"},
                   {"service", "E2U+sip"},
                   {"regexp", "!^.*$!sip:info@example.org!"},
                   {"replacement", "."}}},
        RoundTrip{"DS",
                  {{"key_tag", "60485"},
                   {"algorithm", "5"},
                   {"digest_type", "2"},
                   {"digest", kSha256.substr(0, 32) + " " + kSha256.substr(32)}},
                  "60485 5 2 " + kSha256,
                  {{"key_tag", "60485"},
                   {"algorithm", "5"},
                   {"digest_type", "2"},
                   {"digest", kSha256}}}));

TEST(RdataFromFields, MissingRequiredFieldIsNamed) {
    EXPECT_TRUE(throws_invalid(
        [] {
            rdata_from_fields("MX", {{"preference", "10"}});
        },
        {"MX record", "missing field 'exchange'"}));
    EXPECT_TRUE(throws_invalid(
        [] {
            rdata_from_fields("SSHFP", {{"type", "1"}, {"fingerprint", kSha1}});
        },
        {"missing field 'algorithm'"}));
    EXPECT_TRUE(throws_invalid([] { rdata_from_fields("TXT", {}); }, {"missing field 'text'"}));
}

TEST(RdataFromFields, UnknownKeyIsNamed) {
    EXPECT_TRUE(throws_invalid(
        [] {
            rdata_from_fields("MX",
                              {{"preference", "10"}, {"exchange", "mx.example."}, {"weight", "1"}});
        },
        {"unknown field 'weight'", "preference, exchange"}));
    EXPECT_TRUE(throws_invalid(
        [] {
            rdata_from_fields("A", {{"ip", "192.0.2.1"}});
        },
        {"unknown field 'ip'", "address"}));
}

TEST(RdataFromFields, ErrorsCarryTheFieldPath) {
    try {
        rdata_from_fields("MX", {{"preference", "10"}});
        FAIL() << "accepted";
    } catch (const Error& e) {
        ASSERT_EQ(e.fields().size(), 1u);
        EXPECT_EQ(e.fields()[0].path, std::vector<std::string>{"exchange"});
    }
}

TEST(RdataFromFields, DuplicateKeyIsRejected) {
    EXPECT_TRUE(throws_invalid(
        [] {
            rdata_from_fields("A", {{"address", "192.0.2.1"}, {"address", "192.0.2.2"}});
        },
        {"'address'", "twice"}));
}

TEST(RdataFromFields, ValuesAreValidatedLikeText) {
    EXPECT_TRUE(throws_invalid(
        [] {
            rdata_from_fields("MX", {{"preference", "70000"}, {"exchange", "mx.example."}});
        },
        {"preference", "0-65535", "70000"}));
    EXPECT_TRUE(throws_invalid(
        [] {
            rdata_from_fields("A", {{"address", "300.1.1.1"}});
        },
        {"IPv4"}));
    EXPECT_TRUE(throws_invalid(
        [] {
            rdata_from_fields("CNAME", {{"cname", "relative"}});
        },
        {"not fully qualified"}));
}

TEST(RdataFromFields, FieldsCannotSmuggleExtraTokens) {
    EXPECT_TRUE(throws_invalid(
        [] {
            rdata_from_fields("MX", {{"preference", "10 mx.example."}, {"exchange", "x."}});
        },
        {"'preference'", "single value"}));
    EXPECT_TRUE(throws_invalid(
        [] {
            rdata_from_fields("CNAME", {{"cname", "a.example. \"b\""}});
        },
        {"single value"}));
    EXPECT_TRUE(throws_invalid(
        [] {
            rdata_from_fields("A", {{"address", ""}});
        },
        {"'address'", "empty"}));
    // Character-string fields are quoted by the conversion, so quotes inside are data.
    EXPECT_EQ(rdata_from_fields(
                  "CAA", {{"flags", "0"}, {"tag", "iodef"}, {"value", "mailto:\"x\"@example.org"}}),
              "0 iodef \"mailto:\\\"x\\\"@example.org\"");
}

TEST(RdataToFields, AcceptsNonCanonicalInputAndCanonicalizes) {
    EXPECT_EQ(rdata_to_fields("MX", "010 MAIL.example.org."),
              (Fields{{"preference", "10"}, {"exchange", "mail.example.org."}}));
    EXPECT_EQ(rdata_to_fields("TXT", "\"a\" \"b\\\"c\""), (Fields{{"text", "ab\"c"}}));
}

TEST(RdataToFields, InvalidTextIsRejected) {
    EXPECT_TRUE(throws_invalid([] { rdata_to_fields("MX", "mail.example.org."); },
                               {"MX record", "2 fields"}));
}

}  // namespace
}  // namespace dnsplane::core
