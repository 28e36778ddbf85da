// Issue 17: raw control characters in rdata (a NUL used to cut an A value
// where inet_pton read it), RDLENGTH from canonical text (the servable
// check's input), and draft dict fields: a number is not text.
#include <gtest/gtest.h>

#include <string>

#include "core/name.h"
#include "core/rdata.h"
#include "expect_invalid.h"

namespace dnsplane::core {
namespace {

using namespace std::string_literals;
using testing::throws_invalid;

// ---- control characters -----------------------------------------------------

struct ControlCase {
    const char* type;
    std::string value;  // holds a raw control character
};

TEST(RdataControlCharacters, EveryTypeRefusesARawNul) {
    const ControlCase cases[] = {
        {"A", "10.0.0.1\0junk"s},
        {"A", "10.0.0.1\0"s},
        {"AAAA", "2001:db8::1\0"s},
        {"AAAA", "2001:db8::1\0:2"s},
        {"CNAME", "www.example.org.\0evil."s},
        {"NS", "ns1.example.org.\0"s},
        {"PTR", "host.example.org\0."s},
        {"MX", "10 mx.example.org.\0"s},
        {"MX", "1\0 mx.example.org."s},
        {"SRV", "10 5 5060 sip.example.org.\0"s},
        {"SSHFP", "1 1 0123456789abcdef0123456789abcdef01234567\0"s},
        {"DS", "60485 5 1 2bb183af5f22588179a53b0a98631fad1a292118\0"s},
        {"CAA", "0 issue \"ca.example.net\0\""s},
        {"NAPTR", "100 10 \"S\" \"SIP+D2U\" \"\0\" _sip._udp.example.org."s},
        {"TXT", "\"hello\0world\""s},
        {"TXT", "hello\0world"s},
        {"SPF", "\"v=spf1\0 -all\""s},
    };
    for (const auto& c : cases) {
        EXPECT_TRUE(throws_invalid([&] { canonical_rdata(c.type, c.value); },
                                   {c.type, "control character 0x00"}))
            << c.type;
    }
}

TEST(RdataControlCharacters, OtherControlCharactersAndDelAreRefusedToo) {
    for (char bad : {'\x01', '\x07', '\x0b', '\x0c', '\x1b', '\x1f', '\x7f'}) {
        std::string a = "10.0.0.1"s + bad;
        EXPECT_TRUE(throws_invalid([&] { canonical_rdata("A", a); }, {"control character"}))
            << int(bad);
        std::string txt = "\"a"s + bad + "b\"";
        EXPECT_TRUE(throws_invalid([&] { canonical_rdata("TXT", txt); }, {"\\DDD"})) << int(bad);
    }
}

TEST(RdataControlCharacters, MessagesShowTheCharacterEscaped) {
    try {
        canonical_rdata("A", "10.0.0.1\0junk"s);
        FAIL();
    } catch (const Error& e) {
        std::string m = e.what();
        EXPECT_EQ(m.find('\0'), std::string::npos);
        EXPECT_NE(m.find("10.0.0.1\\000junk"), std::string::npos) << m;
        EXPECT_NE(m.find("offset 8"), std::string::npos) << m;
    }
}

TEST(RdataControlCharacters, LineBreaksSeparateFieldsButNotInsideStrings) {
    // Whitespace between fields, as in a zone file.
    EXPECT_EQ(canonical_rdata("MX", "10\nmx.example.org.\r\n"), "10 mx.example.org.");
    EXPECT_EQ(canonical_rdata("TXT", "\"a\"\n\"b\""), "\"a\" \"b\"");
    // Inside a string a line break must be written \010 / \013.
    EXPECT_TRUE(throws_invalid([] { canonical_rdata("TXT", "\"a\nb\""); }, {"\\010"}));
    EXPECT_TRUE(throws_invalid([] { canonical_rdata("TXT", "a\nb"); }, {"line break"}));
    EXPECT_TRUE(throws_invalid([] { canonical_rdata("TXT", "\"a\rb\""); }, {"\\013"}));
    // TAB is text.
    EXPECT_EQ(canonical_rdata("TXT", "\"a\tb\""), "\"a\\009b\"");
}

TEST(RdataControlCharacters, EscapedOctetsRemainPossible) {
    EXPECT_EQ(canonical_rdata("TXT", "\"a\\000b\""), "\"a\\000b\"");
    EXPECT_EQ(canonical_rdata("TXT", "\"line\\010break\""), "\"line\\010break\"");
    // Non-ASCII (UTF-8) octets are text, as before.
    EXPECT_EQ(canonical_rdata("TXT", "\"caf\xc3\xa9\""), "\"caf\\195\\169\"");
}

TEST(RdataControlCharacters, DictFieldsRefuseThemAsWell) {
    EXPECT_TRUE(throws_invalid(
        [] {
            rdata_from_fields("TXT", {{"text", "a\0b"s}});
        },
        {"field 'text'", "control character 0x00"}));
    EXPECT_TRUE(throws_invalid(
        [] {
            rdata_from_fields("TXT", {{"text", "a\nb"s}});
        },
        {"control character 0x0A"}));
    EXPECT_TRUE(throws_invalid(
        [] {
            rdata_from_fields("A", {{"address", "10.0.0.1\0x"s}});
        },
        {"field 'address'", "0x00"}));
    EXPECT_EQ(rdata_from_fields("TXT", {{"text", "a\tb"}}), "\"a\\009b\"");
}

// ---- dict fields: a number is not text ----------------------------------------

TEST(RdataFieldValues, ANumberIsNotText) {
    EXPECT_TRUE(throws_invalid(
        [] {
            rdata_from_field_values("TXT", {{"text", RdataFieldValue{"5", true}}});
        },
        {"TXT record", "field 'text' must be a string, not a number"}));
    EXPECT_TRUE(throws_invalid(
        [] {
            rdata_from_field_values("MX", {{"preference", RdataFieldValue{"10", true}},
                                           {"exchange", RdataFieldValue{"7", true}}});
        },
        {"field 'exchange' must be a string"}));
    EXPECT_TRUE(throws_invalid(
        [] {
            rdata_from_field_values("CAA", {{"flags", RdataFieldValue{"0", true}},
                                            {"tag", RdataFieldValue{"issue", false}},
                                            {"value", RdataFieldValue{"1", true}}});
        },
        {"field 'value' must be a string"}));
}

TEST(RdataFieldValues, IntegerFieldsTakeNumbersOrDecimalText) {
    EXPECT_EQ(
        rdata_from_field_values("MX", {{"preference", RdataFieldValue{"10", true}},
                                       {"exchange", RdataFieldValue{"mx.example.org.", false}}}),
        "10 mx.example.org.");
    EXPECT_EQ(
        rdata_from_field_values("MX", {{"preference", RdataFieldValue{"10", false}},
                                       {"exchange", RdataFieldValue{"mx.example.org.", false}}}),
        "10 mx.example.org.");
    EXPECT_EQ(rdata_from_field_values("TXT", {{"text", RdataFieldValue{"5", false}}}), "\"5\"");
}

// ---- RDLENGTH from canonical text -------------------------------------------

std::size_t wire(const char* type, std::string_view text) {
    return rdata_wire_length(type, canonical_rdata(type, text));
}

TEST(RdataWireLength, PerType) {
    EXPECT_EQ(wire("A", "192.0.2.1"), 4u);
    EXPECT_EQ(wire("AAAA", "2001:db8::1"), 16u);
    EXPECT_EQ(wire("CNAME", "www.example.org."), 17u);  // 3www7example3org0
    EXPECT_EQ(wire("MX", "0 ."), 2u + 1);
    EXPECT_EQ(wire("PTR", "host.example."), 1u + 4 + 1 + 7 + 1);
    // An escaped dot is one octet of its label.
    EXPECT_EQ(wire("NAPTR", "100 10 \"\" \"\" \"\" a\\.b.example."), 4u + 3 + 1 + 3 + 1 + 7 + 1);
    EXPECT_EQ(wire("MX", "10 mx.example.org."), 2u + 16);
    EXPECT_EQ(wire("SRV", "10 5 5060 sip.example.org."), 6u + 17);
    EXPECT_EQ(wire("SOA", "ns1.example.org. hostmaster.example.org. 1 2 3 4 5"), 17u + 24 + 20);
    EXPECT_EQ(wire("TXT", "\"abc\" \"\""), 4u + 1);
    EXPECT_EQ(wire("TXT", "\"a\\000b\""), 4u);
    EXPECT_EQ(wire("SPF", std::string(300, 'x')), 256u + 46);  // split into 255 + 45
    EXPECT_EQ(wire("CAA", "0 issue \"ca.example.net\""), 2u + 5 + 14);
    EXPECT_EQ(wire("CAA", "128 iodef \"mailto:a@b\\\"c\""), 2u + 5 + 12);
    EXPECT_EQ(wire("NAPTR", "100 10 \"S\" \"SIP+D2U\" \"\" _sip._udp.example.org."),
              4u + 2 + 8 + 1 + 23);
    EXPECT_EQ(wire("SSHFP", "1 1 0123456789abcdef0123456789abcdef01234567"), 2u + 20);
    EXPECT_EQ(wire("DS", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"), 4u + 20);
}

TEST(RdataWireLength, TheLargestTxtValue) {
    // 255 strings of 255 octets and one of 254: exactly 65535 octets, the
    // most one value may hold (canonical_rdata enforces it).
    std::string value;
    for (int i = 0; i < 255; ++i) value += "\"" + std::string(255, 'a') + "\" ";
    EXPECT_EQ(wire("TXT", value + "\"" + std::string(254, 'a') + "\""), 65535u);
    EXPECT_TRUE(throws_invalid(
        [&] { canonical_rdata("TXT", value + "\"" + std::string(255, 'a') + "\""); }, {"65535"}));
}

TEST(NameWireLength, CountsLabelsAndRoot) {
    EXPECT_EQ(name_wire_length("."), 1u);
    EXPECT_EQ(name_wire_length("example.org."), 13u);
    EXPECT_EQ(name_wire_length("a\\046b.example."), 1u + 3 + 8 + 1);
    EXPECT_EQ(name_wire_length("*.example."), 2u + 8 + 1);
}

}  // namespace
}  // namespace dnsplane::core
