// TXT, SPF, CAA, NAPTR.
#include "rdata_cases.h"

namespace dnsplane::core::testing {
namespace {

const std::string k255(255, 'x');
const std::string k256(256, 'x');

INSTANTIATE_TEST_SUITE_P(
    Txt, AcceptedRdata,
    ::testing::Values(
        Accepted{"TXT", "\"hello world\"", "\"hello world\""},
        Accepted{"TXT", "hello world", "\"hello world\""},
        Accepted{"TXT", "  v=spf1 -all  ", "\"v=spf1 -all\""},
        Accepted{"TXT", "\"a\" \"b\"", "\"a\" \"b\""},
        Accepted{"TXT", "\"a\"   \"b\"\t\"c\"", "\"a\" \"b\" \"c\""},
        Accepted{"TXT", "\"\"", "\"\""},
        Accepted{"TXT", "\"say \\\"hi\\\"\"", "\"say \\\"hi\\\"\""},
        Accepted{"TXT", "\"back\\\\slash\"", "\"back\\\\slash\""},
        Accepted{"TXT", "\"ends with escaped backslash\\\\\"",
                 "\"ends with escaped backslash\\\\\""},
        Accepted{"TXT", "mid\\\\dle", "\"mid\\\\dle\""},
        // Designate tempest: an escaped space or trailing spaces inside quotes are fine.
        Accepted{"TXT", "\"\\ \"", "\" \""}, Accepted{"TXT", "\"\\    \"", "\"    \""},
        Accepted{"TXT", "\"the txts    \"", "\"the txts    \""},
        Accepted{"TXT", "unquoted \\\"escaped\\\" quotes", "\"unquoted \\\"escaped\\\" quotes\""},
        // \DDD of a printable character is written plainly; others stay \DDD.
        Accepted{"TXT", "\"\\065\\066\"", "\"AB\""},
        Accepted{"TXT", "\"tab\\009here\"", "\"tab\\009here\""},
        Accepted{"TXT", "\"\\X\"", "\"X\""},
        Accepted{"TXT", "\"caf\xc3\xa9\"", "\"caf\\195\\169\""},
        Accepted{"TXT", "\"" + k255 + "\"", "\"" + k255 + "\""},
        // An unquoted value longer than 255 octets becomes several strings.
        Accepted{"TXT", k256, "\"" + k255 + "\" \"x\""},
        Accepted{"TXT", std::string(600, 'y'),
                 "\"" + std::string(255, 'y') + "\" \"" + std::string(255, 'y') + "\" \"" +
                     std::string(90, 'y') + "\""},
        Accepted{"SPF", "\"v=spf1 include:_spf.example.org ~all\"",
                 "\"v=spf1 include:_spf.example.org ~all\""},
        Accepted{"SPF", "v=spf1 +all", "\"v=spf1 +all\""}));

INSTANTIATE_TEST_SUITE_P(
    Txt, RejectedRdata,
    ::testing::Values(
        // Designate tempest: an unquoted value may not end with any backslash.
        Rejected{"TXT", "trailing\\", {"ends with a backslash"}},
        Rejected{"TXT", "testtext\\", {"ends with a backslash"}},
        Rejected{"TXT", "\\", {"ends with a backslash"}},
        Rejected{"TXT", "\\\\", {"ends with a backslash", "quote"}},
        Rejected{"TXT", "trailing escaped space\\ ", {"ends with a backslash"}},
        Rejected{"TXT", "say \"hi", {"unescaped quote"}},
        Rejected{"TXT", "a\"b", {"unescaped quote"}},
        Rejected{"TXT", "\"unterminated", {"not closed"}},
        Rejected{"TXT", "\"escaped close\\\"", {"not closed", "escaped"}},
        Rejected{"TXT", "\"a\" b", {"outside quotes"}},
        Rejected{"TXT", "\"a\" \"b", {"not closed"}}, Rejected{"TXT", "\"a\"b", {"closing quote"}},
        Rejected{"TXT", "\"" + k256 + "\"", {"256 octets", "255"}},
        Rejected{"TXT", "\"ok\" \"" + k256 + "\"", {"string 2", "256"}},
        Rejected{"TXT", "\"\\300\"", {"above 255"}}, Rejected{"TXT", "\"\\12\"", {"three digits"}},
        Rejected{"TXT", "", {"empty"}}, Rejected{"TXT", std::string(70000, 'z'), {"65535"}},
        Rejected{"SPF", "v=spf1 \"all", {"unescaped quote"}},
        Rejected{"SPF", "x\\", {"ends with a backslash"}}));

INSTANTIATE_TEST_SUITE_P(
    Caa, AcceptedRdata,
    ::testing::Values(
        Accepted{"CAA", "0 issue \"letsencrypt.org\"", "0 issue \"letsencrypt.org\""},
        Accepted{"CAA", "0 ISSUE letsencrypt.org", "0 issue \"letsencrypt.org\""},
        Accepted{"CAA", "128 issuewild \";\"", "128 issuewild \";\""},
        Accepted{"CAA", "0 issue \"\"", "0 issue \"\""},
        Accepted{"CAA", "0 issue \"ca.example.net; account=230123; policy=ev\"",
                 "0 issue \"ca.example.net; account=230123; policy=ev\""},
        Accepted{"CAA", "0 issue ca.example.net; account=230123",
                 "0 issue \"ca.example.net; account=230123\""},
        Accepted{"CAA", "0 iodef \"mailto:security@example.org\"",
                 "0 iodef \"mailto:security@example.org\""},
        Accepted{"CAA", "0 iodef \"https://iodef.example.org/\"",
                 "0 iodef \"https://iodef.example.org/\""},
        Accepted{"CAA", "0 contactemail \"domain@example.org\"",
                 "0 contactemail \"domain@example.org\""},
        Accepted{"CAA", "0 contactphone \"+1 (555) 123-4567\"",
                 "0 contactphone \"+1 (555) 123-4567\""},
        Accepted{"CAA", "0 issuemail \"authority.example\"", "0 issuemail \"authority.example\""},
        Accepted{"CAA", "255 issue \"x.example\"", "255 issue \"x.example\""},
        // Any tag RFC 8659 allows, any value (issue 16; Knot DNS's
        // zone parser takes them all).
        Accepted{"CAA", "0 foo \"bar\"", "0 foo \"bar\""},
        Accepted{"CAA", "0 Tag15abcdefghij \"v\"", "0 tag15abcdefghij \"v\""},
        Accepted{"CAA", "0 \"issue\" \"x.example\"", "0 issue \"x.example\""},
        Accepted{"CAA", "0 issue \"bad domain!\"", "0 issue \"bad domain!\""},
        Accepted{"CAA", "0 iodef \"ftp://example.org/\"", "0 iodef \"ftp://example.org/\""},
        Accepted{"CAA", "0 contactemail \"\"", "0 contactemail \"\""}));

INSTANTIATE_TEST_SUITE_P(
    Caa, RejectedRdata,
    ::testing::Values(
        Rejected{"CAA", "256 issue \"letsencrypt.org\"", {"flags", "0-255", "256"}},
        Rejected{"CAA", "x issue \"letsencrypt.org\"", {"flags", "integer"}},
        Rejected{"CAA", "0 issue", {"3 fields", "flags tag value"}},
        // RFC 8659 4.1: a tag is 1-15 letters and digits.
        Rejected{"CAA", "0 abcdefghijklmnop \"x\"", {"tag", "1 to 15", "abcdefghijklmnop"}},
        Rejected{"CAA", "0 a-b \"x\"", {"tag", "letters and digits"}},
        Rejected{"CAA", "0 \"\" \"x\"", {"tag"}},
        Rejected{"CAA", "0 issue \"x.example\" extra", {"single quoted string"}},
        Rejected{"CAA", "0 issue a\"b", {"unescaped quote"}},
        Rejected{"CAA", "0 issue \"x.example\\\"", {"not closed"}}));

INSTANTIATE_TEST_SUITE_P(
    Naptr, AcceptedRdata,
    ::testing::Values(
        Accepted{"NAPTR", "0 0 \"s!\" \"SIP+D2U\" \"\" .", "0 0 \"S!\" \"SIP+D2U\" \"\" ."},
        Accepted{"NAPTR",
                 "0 0 \"S\" \"SIP+D2U\" \"!^.*$!sip:customer-service@example.com!\" "
                 "_sip._udp.example.com.",
                 "0 0 \"S\" \"SIP+D2U\" \"!^.*$!sip:customer-service@example.com!\" "
                 "_sip._udp.example.com."},
        Accepted{"NAPTR", "100 10 u E2U+sip \"!^.*$!sip:info@example.org!\" .",
                 "100 10 \"U\" \"E2U+sip\" \"!^.*$!sip:info@example.org!\" ."},
        Accepted{"NAPTR", "0100 050 \"\" \"\" \"\" _sip._tcp",
                 "100 50 \"\" \"\" \"\" _sip._tcp.example.org.", "example.org."},
        Accepted{"NAPTR", "1 1 \"a\" \"x\" \"\\\\d\" .", "1 1 \"A\" \"x\" \"\\\\d\" ."}));

INSTANTIATE_TEST_SUITE_P(
    Naptr, RejectedRdata,
    ::testing::Values(
        Rejected{"NAPTR", "65536 0 \"S\" \"SIP+D2U\" \"\" .", {"order", "0-65535"}},
        Rejected{"NAPTR", "0 65536 \"S\" \"SIP+D2U\" \"\" .", {"preference", "0-65535"}},
        Rejected{"NAPTR", "0 0 \"S\" \"" + k256 + "\" \"\" .", {"service", "255", "256"}},
        Rejected{"NAPTR", "0 0 \"S\" \"x\" \"" + k256 + "\" .", {"regexp", "255"}},
        Rejected{"NAPTR",
                 "0 0 \"S\" \"x\" \"\" _sip._udp.example.com",
                 {"replacement", "not fully qualified"}},
        Rejected{
            "NAPTR", "0 0 \"S\" \"x\" \"\" \"target.example.\"", {"replacement", "quoted string"}},
        Rejected{"NAPTR", "0 0 \"S\" \"x\" .", {"6 fields", "got 5"}},
        Rejected{"NAPTR", "0 0 \"S\" \"x\" \"\\\" .", {"not closed"}}));

}  // namespace
}  // namespace dnsplane::core::testing
