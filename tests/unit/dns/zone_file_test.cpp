// Zone files: parsing (libzscanner) into a zone import, errors naming the
// line, and rendering a zone back to a file that parses to the same content.
#include <gtest/gtest.h>

#include "core/error.h"
#include "dns/zone_file.h"

namespace dnsplane::dns {
namespace {

const char* const kZone = R"(; a comment
$ORIGIN example.org.
$TTL 900
@   600 IN SOA ns1.example.org. first\.last.example.org. ( 7 1000 200 99999 300 )
@       IN NS  ns1
@       IN NS  ns2.example.net.
@       IN MX  10 mail
www     IN A   192.0.2.1
www     IN A   192.0.2.2
www  60 IN A   192.0.2.1
mail    IN AAAA 2001:DB8::1
txt     IN TXT "hello world" "two"
_sip._udp IN SRV 10 20 5060 sip
sip  IN CNAME www
sub     IN NS  ns.sub
ns.sub  IN A   192.0.2.53
caa     IN CAA 0 issue "ca.example"
)";

TEST(ZoneFile, ParsesZoneFromSoaAndGroupsSets) {
    auto z = parse_zone_file(kZone);
    EXPECT_EQ(z.name, "example.org.");
    EXPECT_EQ(z.email, "first.last@example.org");
    EXPECT_EQ(z.ttl, 600u);
    EXPECT_EQ(z.refresh, 1000u);
    EXPECT_EQ(z.retry, 200u);
    EXPECT_EQ(z.expire, 99999u);
    EXPECT_EQ(z.minimum, 300u);
    // Apex NS left out; MX, A (merged, duplicate dropped), AAAA, TXT, SRV,
    // CNAME, delegation NS, glue A, CAA.
    ASSERT_EQ(z.sets.size(), 9u);
    EXPECT_EQ(z.sets[0].name, "example.org.");
    EXPECT_EQ(z.sets[0].type, "MX");
    EXPECT_EQ(z.sets[0].records, (std::vector<std::string>{"10 mail.example.org."}));
    EXPECT_EQ(z.sets[0].ttl, 900u);
    EXPECT_EQ(z.sets[0].line, 7u);
    EXPECT_EQ(z.sets[1].name, "www.example.org.");
    EXPECT_EQ(z.sets[1].records, (std::vector<std::string>{"192.0.2.1", "192.0.2.2"}));
    EXPECT_EQ(z.sets[2].records, (std::vector<std::string>{"2001:db8::1"}));
    EXPECT_EQ(z.sets[3].records, (std::vector<std::string>{"\"hello world\" \"two\""}));
    EXPECT_EQ(z.sets[4].name, "_sip._udp.example.org.");
    EXPECT_EQ(z.sets[5].records, (std::vector<std::string>{"www.example.org."}));
    EXPECT_EQ(z.sets[6].type, "NS");
    EXPECT_EQ(z.sets[8].type, "CAA");
}

// RFC 4343: the zone keeps the file's spelling; owners are canonical.
TEST(ZoneFile, ZoneNameKeepsTheCaseOfTheSoaOwner) {
    auto z = parse_zone_file(
        "$ORIGIN MiXeD.Example.\n@ 300 IN SOA ns.MiXeD.Example. h.MiXeD.Example. 1 2 3 4 5\n"
        "@ IN NS ns.MiXeD.Example.\nWWW IN A 192.0.2.1\n");
    EXPECT_EQ(z.name, "MiXeD.Example.");
    ASSERT_EQ(z.sets.size(), 1u);  // the apex NS is recognised whatever its case
    EXPECT_EQ(z.sets[0].name, "www.mixed.example.");
}

TEST(ZoneFile, ErrorsNameTheLine) {
    auto message = [](const std::string& text) {
        try {
            parse_zone_file(text);
        } catch (const core::Error& e) {
            EXPECT_EQ(e.type(), "invalid_zone_file");
            return std::string(e.what());
        }
        ADD_FAILURE() << "accepted: " << text;
        return std::string();
    };
    const std::string head = "$ORIGIN a.test.\n@ 300 IN SOA ns.a.test. h.a.test. 1 2 3 4 5\n";
    EXPECT_EQ(message(head + "www IN A 999.1.1.1\n").rfind("line 3: ", 0), 0u);
    EXPECT_EQ(message(head + "www zahlabut IN A 1.1.1.1\n").rfind("line 3: ", 0), 0u);
    EXPECT_NE(message(head + "\nx.other.test. IN A 1.1.1.1\n").find("line 4: "), std::string::npos);
    EXPECT_NE(message(head + "h IN HINFO \"a\" \"b\"\n").find("HINFO"), std::string::npos);
    EXPECT_NE(message(head + "$INCLUDE /etc/passwd\n").find("$INCLUDE"), std::string::npos);
    EXPECT_NE(message("$ORIGIN a.test.\nwww 300 IN A 1.1.1.1\n").find("no SOA"), std::string::npos);
    EXPECT_NE(message(head + "@ 300 IN SOA ns.a.test. h.a.test. 1 2 3 4 5\n").find("second SOA"),
              std::string::npos);
    EXPECT_NE(message("random garbage that is not a zone file").size(), 0u);
}

TEST(ZoneFile, RenderedFileParsesToTheSameContent) {
    core::Zone zone;
    zone.name = "r.test.";
    zone.ttl = 3600;
    auto set = [&](std::string name, std::string type, std::optional<std::uint32_t> ttl,
                   std::vector<std::string> values) {
        core::RecordSet rs;
        rs.name = std::move(name);
        rs.type = std::move(type);
        rs.ttl = ttl;
        for (auto& v : values) rs.records.push_back({"", std::move(v)});
        return rs;
    };
    std::vector<core::RecordSet> sets = {
        set("www.r.test.", "A", 60, {"192.0.2.1"}),
        set("r.test.", "NS", std::nullopt, {"ns1.example.net."}),
        set("r.test.", "SOA", std::nullopt,
            {"ns1.example.net. hostmaster.r.test. 5 3500 600 86400 3600"}),
        set("a.r.test.", "TXT", std::nullopt, {"\"x y\""}),
    };
    auto text = render_zone_file(zone, sets);
    // A set without a TTL of its own leaves the TTL field empty ($TTL applies).
    EXPECT_EQ(text.rfind("$ORIGIN r.test.\n$TTL 3600\nr.test.  IN SOA ", 0), 0u) << text;
    EXPECT_NE(text.find("\nwww.r.test. 60 IN A 192.0.2.1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\na.r.test.  IN TXT \"x y\"\n"), std::string::npos) << text;
    auto back = parse_zone_file(text);
    EXPECT_EQ(back.name, "r.test.");
    EXPECT_EQ(back.email, "hostmaster@r.test");
    ASSERT_EQ(back.sets.size(), 2u);
    EXPECT_EQ(back.sets[0].name, "a.r.test.");  // DNS order: a before www
    EXPECT_EQ(back.sets[1].ttl, 60u);
}

TEST(ZoneFile, RenderedOriginIsTheZonesSpellingAndReimportsWithIt) {
    core::Zone zone;
    zone.name = "mixed.test.";
    zone.spelled_name = "MiXeD.Test.";
    core::RecordSet soa;
    soa.name = "mixed.test.";
    soa.type = "SOA";
    soa.records.push_back({"", "ns1.example.net. hostmaster.mixed.test. 5 3500 600 86400 3600"});
    auto text = render_zone_file(zone, {soa});
    EXPECT_EQ(text.rfind("$ORIGIN MiXeD.Test.\n$TTL 3600\nMiXeD.Test.  IN SOA ", 0), 0u) << text;
    EXPECT_EQ(parse_zone_file(text).name, "MiXeD.Test.");
}

}  // namespace
}  // namespace dnsplane::dns
