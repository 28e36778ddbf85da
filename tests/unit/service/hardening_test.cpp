// Issue 17 at the service: record sets the DNS server could not answer with
// are refused (check_servable), and refusals never name another project's zone.
#include <string>

#include "service/servable.h"
#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

// n distinct TXT values of one 255-octet string each.
std::vector<std::string> txt_values(std::size_t n) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i) {
        std::string s = std::to_string(100000 + i);
        out.push_back("\"" + s + std::string(255 - s.size(), 'x') + "\"");
    }
    return out;
}

// The most such values an RRset at `owner` may hold: the first record
// carries the owner, the others a 2-octet pointer; each has 10 fixed octets
// and 256 of rdata.
std::size_t max_txt_values(const std::string& owner) {
    std::size_t owner_wire = owner.size() + 1;
    return (kMaxRRsetWire - owner_wire - 10 - 256) / (2 + 10 + 256) + 1;
}

TEST(Servable, WireSizeOfAnRRset) {
    // www.example.org. = 17 octets; A: 10 + 4 per record, 2 for each later owner.
    EXPECT_EQ(rrset_wire_size("www.example.org.", "A", {"192.0.2.1"}), 17u + 14);
    EXPECT_EQ(rrset_wire_size("www.example.org.", "A", {"192.0.2.1", "192.0.2.2", "192.0.2.3"}),
              17u + 14 + 2 * 16);
    EXPECT_EQ(rrset_wire_size("e.org.", "TXT", txt_values(2)), 7u + 2 * 266 + 2);
}

TEST(Servable, TheLimitIsOneTcpMessageLessHeaderQuestionAndOpt) {
    EXPECT_EQ(kMaxRRsetWire, 65535u - 12 - 259 - 11);
    const std::string owner = "big.example.org.";
    const std::size_t n = max_txt_values(owner);
    EXPECT_EQ(n, 243u);
    EXPECT_NO_THROW(check_servable(owner, "TXT", txt_values(n)));
    try {
        check_servable(owner, "TXT", txt_values(n + 1));
        FAIL() << "one value over the limit was accepted";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.kind(), core::ErrorKind::Invalid);
        std::string m = e.what();
        EXPECT_NE(m.find(std::to_string(kMaxRRsetWire)), std::string::npos) << m;
        EXPECT_NE(m.find("one DNS message over TCP"), std::string::npos) << m;
        ASSERT_EQ(e.fields().size(), 1u);
        EXPECT_EQ(e.fields()[0].path, std::vector<std::string>{"records"});
    }
}

TEST_F(ServiceTest, OversizedTxtSetsAreRefusedOnCreateAndUpdate) {
    auto z = make_zone("example.org.", owner_);
    auto err = rejected([&] { make_rs(z, "big.example.org.", "TXT", txt_values(280)); });
    EXPECT_EQ(err.kind(), core::ErrorKind::Invalid);
    EXPECT_NE(std::string(err.what()).find("65253"), std::string::npos) << err.what();

    const std::size_t n = max_txt_values("big.example.org.");
    auto rs = make_rs(z, "big.example.org.", "TXT", txt_values(n));
    EXPECT_EQ(rs.records.size(), n);

    RecordSetUpdate grow;
    grow.records = txt_values(n + 1);
    EXPECT_REJECTED(svc().update_recordset(owner_, z.id, rs.id, grow), Invalid, "invalid_object");
    EXPECT_EQ(stored_set(z, "big.example.org.", "TXT").records.size(), n);
}

TEST_F(ServiceTest, IllegalChildAndParentDoNotNameTheOtherProjectsZone) {
    make_zone("secret-owner.test.", owner_);
    auto child = rejected([&] { make_zone("deep.below.secret-owner.test.", member_of("b")); });
    EXPECT_EQ(child.kind(), core::ErrorKind::Forbidden);
    EXPECT_EQ(child.type(), "illegal_child");
    EXPECT_EQ(std::string(child.what()),
              "Zone 'deep.below.secret-owner.test.' cannot be created in this project");

    make_zone("inner.hidden.test.", owner_);
    auto parent = rejected([&] { make_zone("hidden.test.", member_of("b")); });
    EXPECT_EQ(parent.type(), "illegal_parent");
    EXPECT_EQ(std::string(parent.what()), "Zone 'hidden.test.' cannot be created in this project");
    EXPECT_EQ(std::string(parent.what()).find("inner"), std::string::npos);
}

TEST_F(ServiceTest, ARecordSetInAnotherProjectsChildZoneIsRefusedWithoutNamingIt) {
    settings_.allow_cross_project_nesting = true;
    restart();
    auto parent = make_zone("example.org.", owner_);
    make_zone("private.example.org.", member_of("b"));
    auto err = rejected([&] { make_rs(parent, "x.private.example.org.", "A", {"192.0.2.1"}); });
    EXPECT_EQ(err.kind(), core::ErrorKind::Invalid);
    EXPECT_EQ(std::string(err.what()).find("'private.example.org.'"), std::string::npos)
        << err.what();
    // Its own child zone is still named, which helps.
    make_zone("mine.example.org.", owner_);
    auto own = rejected([&] { make_rs(parent, "x.mine.example.org.", "A", {"192.0.2.1"}); });
    EXPECT_NE(std::string(own.what()).find("'mine.example.org.'"), std::string::npos) << own.what();
}

TEST_F(ServiceTest, RecordValuesWithANulAreRefused) {
    auto z = make_zone("example.org.", owner_);
    using namespace std::string_literals;
    EXPECT_REJECTED(make_rs(z, "a.example.org.", "A", {"10.0.0.1\0junk"s}), Invalid,
                    "invalid_object");
    EXPECT_REJECTED(make_rs(z, "a.example.org.", "AAAA", {"2001:db8::1\0"s}), Invalid,
                    "invalid_object");
}

}  // namespace
}  // namespace dnsplane::service::testing
