// The pure half of RFC 2136 UPDATE: message sections -> service::ZoneEdit,
// and errors of ZoneService::apply -> RCODE. Messages are built byte by
// byte here and parsed with libknot, as the server does.
#include "dns/server/update.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace dnsplane::dns {
namespace {

using service::EditOpKind;
using service::PrerequisiteKind;

constexpr std::uint16_t IN = 1, CH = 3, NONE = 254, ANY = 255;
constexpr std::uint16_t A = 1, NS = 2, SOA = 6, TXT = 16, TANY = 255, AXFR = 252;

void put16(std::vector<std::uint8_t>& w, std::uint16_t v) {
    w.push_back(static_cast<std::uint8_t>(v >> 8));
    w.push_back(static_cast<std::uint8_t>(v));
}
void put32(std::vector<std::uint8_t>& w, std::uint32_t v) {
    put16(w, static_cast<std::uint16_t>(v >> 16));
    put16(w, static_cast<std::uint16_t>(v));
}
void put_name(std::vector<std::uint8_t>& w, const std::string& name) {
    std::size_t start = 0;
    while (start < name.size()) {
        const std::size_t dot = name.find('.', start);
        w.push_back(static_cast<std::uint8_t>(dot - start));
        w.insert(w.end(), name.begin() + static_cast<long>(start),
                 name.begin() + static_cast<long>(dot));
        start = dot + 1;
    }
    w.push_back(0);
}

struct Rr {
    std::string owner;
    std::uint16_t type;
    std::uint16_t cls;
    std::uint32_t ttl;
    std::vector<std::uint8_t> rdata;
};

std::vector<std::uint8_t> a(std::uint8_t last) {
    return {192, 0, 2, last};
}
std::vector<std::uint8_t> txt(const std::string& s) {
    std::vector<std::uint8_t> r{static_cast<std::uint8_t>(s.size())};
    r.insert(r.end(), s.begin(), s.end());
    return r;
}

class Message {
  public:
    Message(const std::vector<Rr>& prereqs, const std::vector<Rr>& updates,
            const std::string& zone = "example.org.") {
        put16(wire_, 0x1234);
        put16(wire_, 5 << 11);  // opcode UPDATE
        put16(wire_, 1);
        put16(wire_, static_cast<std::uint16_t>(prereqs.size()));
        put16(wire_, static_cast<std::uint16_t>(updates.size()));
        put16(wire_, 0);
        put_name(wire_, zone);
        put16(wire_, SOA);
        put16(wire_, IN);
        for (const auto* section : {&prereqs, &updates}) {
            for (const Rr& rr : *section) {
                put_name(wire_, rr.owner);
                put16(wire_, rr.type);
                put16(wire_, rr.cls);
                put32(wire_, rr.ttl);
                put16(wire_, static_cast<std::uint16_t>(rr.rdata.size()));
                wire_.insert(wire_.end(), rr.rdata.begin(), rr.rdata.end());
            }
        }
        pkt_ = knot_pkt_new(wire_.data(), wire_.size(), nullptr);
        EXPECT_EQ(knot_pkt_parse(pkt_, 0), KNOT_EOK);
    }
    ~Message() { knot_pkt_free(pkt_); }
    UpdateTranslation translate() const { return translate_update(pkt_, "zid", "example.org."); }

  private:
    std::vector<std::uint8_t> wire_;
    knot_pkt_t* pkt_ = nullptr;
};

TEST(UpdateTranslate, PrerequisitesMapToEditPrerequisitesWithTheirRcodes) {
    Message m({{"www.example.org.", TANY, ANY, 0, {}},
               {"new.example.org.", TANY, NONE, 0, {}},
               {"www.example.org.", A, ANY, 0, {}},
               {"www.example.org.", TXT, NONE, 0, {}}},
              {});
    const auto t = m.translate();
    ASSERT_EQ(t.rcode, KNOT_RCODE_NOERROR) << t.error;
    ASSERT_EQ(t.edit.prerequisites.size(), 4u);
    EXPECT_EQ(t.edit.prerequisites[0].kind, PrerequisiteKind::NameExists);
    EXPECT_EQ(t.edit.prerequisites[0].target.name, "www.example.org.");
    EXPECT_EQ(t.edit.prerequisites[0].target.zone_id, "zid");
    EXPECT_EQ(t.edit.prerequisites[1].kind, PrerequisiteKind::NameAbsent);
    EXPECT_EQ(t.edit.prerequisites[2].kind, PrerequisiteKind::SetExists);
    EXPECT_EQ(t.edit.prerequisites[2].target.type, "A");
    EXPECT_EQ(t.edit.prerequisites[3].kind, PrerequisiteKind::SetAbsent);
    EXPECT_EQ(t.edit.prerequisites[3].target.type, "TXT");
    EXPECT_EQ(t.prerequisite_rcodes,
              (std::vector<std::uint8_t>{KNOT_RCODE_NXDOMAIN, KNOT_RCODE_YXDOMAIN,
                                         KNOT_RCODE_NXRRSET, KNOT_RCODE_YXRRSET}));
    EXPECT_TRUE(t.edit.operations.empty());
}

TEST(UpdateTranslate, ValueDependentPrerequisitesGroupIntoOneSetEqualsPerRRset) {
    Message m({{"WWW.example.org.", A, IN, 0, a(1)},
               {"mail.example.org.", TXT, IN, 0, txt("x y")},
               {"www.example.org.", A, IN, 0, a(2)}},
              {});
    const auto t = m.translate();
    ASSERT_EQ(t.rcode, KNOT_RCODE_NOERROR) << t.error;
    ASSERT_EQ(t.edit.prerequisites.size(), 2u);
    EXPECT_EQ(t.edit.prerequisites[0].kind, PrerequisiteKind::SetEquals);
    EXPECT_EQ(t.edit.prerequisites[0].target.name, "www.example.org.");
    EXPECT_EQ(t.edit.prerequisites[0].values, (std::vector<std::string>{"192.0.2.1", "192.0.2.2"}));
    EXPECT_EQ(t.edit.prerequisites[1].values, (std::vector<std::string>{"\"x y\""}));
    EXPECT_EQ(t.prerequisite_rcodes[0], KNOT_RCODE_NXRRSET);
}

TEST(UpdateTranslate, MalformedPrerequisitesAreFormerrAndNamesOutsideNotzone) {
    EXPECT_EQ(Message({{"www.example.org.", A, ANY, 5, {}}}, {}).translate().rcode,
              KNOT_RCODE_FORMERR);  // TTL != 0
    EXPECT_EQ(Message({{"www.example.org.", A, ANY, 0, a(1)}}, {}).translate().rcode,
              KNOT_RCODE_FORMERR);  // data with ANY
    EXPECT_EQ(Message({{"www.example.org.", A, CH, 0, a(1)}}, {}).translate().rcode,
              KNOT_RCODE_FORMERR);  // another class
    EXPECT_EQ(Message({{"www.example.org.", AXFR, NONE, 0, {}}}, {}).translate().rcode,
              KNOT_RCODE_FORMERR);  // meta type
    EXPECT_EQ(Message({{"www.example.net.", A, ANY, 0, {}}}, {}).translate().rcode,
              KNOT_RCODE_NOTZONE);
    EXPECT_EQ(Message({{"org.", TANY, ANY, 0, {}}}, {}).translate().rcode, KNOT_RCODE_NOTZONE);
}

TEST(UpdateTranslate, UpdatesBecomeOperationsInMessageOrder) {
    Message m({}, {{"www.example.org.", A, IN, 300, a(7)},
                   {"www.example.org.", A, IN, 300, a(8)},
                   {"old.example.org.", TANY, ANY, 0, {}},
                   {"www.example.org.", TXT, ANY, 0, {}},
                   {"www.example.org.", A, NONE, 0, a(1)}});
    const auto t = m.translate();
    ASSERT_EQ(t.rcode, KNOT_RCODE_NOERROR) << t.error;
    ASSERT_EQ(t.edit.operations.size(), 5u);
    const auto& add = t.edit.operations[0];
    EXPECT_EQ(add.kind, EditOpKind::AddValues);
    EXPECT_EQ(add.target.name, "www.example.org.");
    EXPECT_EQ(add.target.type, "A");
    EXPECT_EQ(*add.records, (std::vector<std::string>{"192.0.2.7"}));
    ASSERT_TRUE(add.ttl && *add.ttl);
    EXPECT_EQ(**add.ttl, 300);
    EXPECT_EQ(t.edit.operations[2].kind, EditOpKind::DeleteName);
    EXPECT_EQ(t.edit.operations[2].target.name, "old.example.org.");
    EXPECT_EQ(t.edit.operations[3].kind, EditOpKind::DeleteSet);
    EXPECT_EQ(t.edit.operations[3].target.type, "TXT");
    EXPECT_EQ(t.edit.operations[4].kind, EditOpKind::RemoveValues);
    EXPECT_EQ(*t.edit.operations[4].records, (std::vector<std::string>{"192.0.2.1"}));
    for (const auto& op : t.edit.operations) EXPECT_TRUE(op.missing_ok);
}

TEST(UpdateTranslate, ManagedApexSoaAndNsAreIgnoredNsBelowTheApexIsNot) {
    std::vector<std::uint8_t> ns_rdata;
    put_name(ns_rdata, "ns.example.net.");
    Message m({}, {{"example.org.", NS, IN, 300, ns_rdata},
                   {"example.org.", NS, ANY, 0, {}},
                   {"example.org.", SOA, ANY, 0, {}},
                   {"example.org.", NS, NONE, 0, ns_rdata},
                   {"sub.example.org.", NS, IN, 300, ns_rdata},
                   {"example.org.", TANY, ANY, 0, {}}});
    const auto t = m.translate();
    ASSERT_EQ(t.rcode, KNOT_RCODE_NOERROR) << t.error;
    EXPECT_EQ(t.ignored, 4u);
    ASSERT_EQ(t.edit.operations.size(), 2u);
    EXPECT_EQ(t.edit.operations[0].target.name, "sub.example.org.");
    EXPECT_EQ(t.edit.operations[1].kind, EditOpKind::DeleteName);  // keeps SOA/NS itself
}

TEST(UpdateTranslate, MalformedUpdatesRefuseTheWholeMessage) {
    const Rr good{"www.example.org.", A, IN, 300, a(1)};
    EXPECT_EQ(Message({}, {good, {"www.example.org.", A, ANY, 5, {}}}).translate().rcode,
              KNOT_RCODE_FORMERR);  // delete with TTL
    EXPECT_EQ(Message({}, {good, {"www.example.org.", A, ANY, 0, a(1)}}).translate().rcode,
              KNOT_RCODE_FORMERR);  // delete with data
    // (An add of type ANY without data does not even parse: the server answers FORMERR.)
    EXPECT_EQ(Message({}, {good, {"www.example.org.", A, NONE, 0, {}}}).translate().rcode,
              KNOT_RCODE_FORMERR);  // delete one RR without the RR
    EXPECT_EQ(Message({}, {good, {"www.example.org.", A, CH, 0, a(1)}}).translate().rcode,
              KNOT_RCODE_FORMERR);
    const auto t = Message({}, {good, {"x.example.com.", A, IN, 0, a(1)}}).translate();
    EXPECT_EQ(t.rcode, KNOT_RCODE_NOTZONE);
    EXPECT_TRUE(t.edit.operations.empty());
}

TEST(UpdateRcode, FailedPrerequisitesGiveTheirRcodeOtherRefusalsRefused) {
    Message m({{"www.example.org.", TANY, ANY, 0, {}}, {"www.example.org.", A, NONE, 0, {}}},
              {{"www.example.org.", A, IN, 300, a(1)}});
    const auto t = m.translate();
    core::Error second(core::ErrorKind::PreconditionFailed, service::kPrerequisiteSetExists, "x");
    second.set_operation(1 + 1);  // operations.size() + prerequisite index
    EXPECT_EQ(update_rcode(second, t), KNOT_RCODE_YXRRSET);
    core::Error first(core::ErrorKind::PreconditionFailed, service::kPrerequisiteNameAbsent, "x");
    first.set_operation(1);
    EXPECT_EQ(update_rcode(first, t), KNOT_RCODE_NXDOMAIN);
    core::Error cname(core::ErrorKind::Conflict, "cname_conflict", "x");
    cname.set_operation(0);
    EXPECT_EQ(update_rcode(cname, t), KNOT_RCODE_REFUSED);
    EXPECT_EQ(update_rcode(core::invalid("ttl"), t), KNOT_RCODE_REFUSED);
    EXPECT_EQ(update_rcode(core::Error(core::ErrorKind::TooLarge, "over_quota", "x"), t),
              KNOT_RCODE_REFUSED);
    EXPECT_EQ(update_rcode(core::Error(core::ErrorKind::Unavailable, "db", "x"), t),
              KNOT_RCODE_SERVFAIL);
}

}  // namespace
}  // namespace dnsplane::dns
