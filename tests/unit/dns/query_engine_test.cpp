// Answer semantics of answer_query over the example zone. Expected sections
// are what Knot DNS 3.2 answered for the same zone (checked with kdig).
#include <gtest/gtest.h>

#include <algorithm>

#include "dns/query_engine.h"
#include "dns/stats.h"
#include "dns_test_util.h"

namespace dnsplane::dns {
namespace {

using test::ask;
using test::make_query;
using Lines = std::vector<std::string>;

Lines lower(Lines v) {
    for (auto& line : v) {
        std::transform(line.begin(), line.end(), line.begin(), ::tolower);
    }
    return v;
}

Lines sorted(Lines v) {
    std::sort(v.begin(), v.end());
    return v;
}

const std::string kSoaNeg =
    "example.org. 300 SOA ns1.example.org. hostmaster.example.org. 100 3500 600 86400 300";

class QueryEngineTest : public ::testing::Test {
  protected:
    void SetUp() override { catalog.publish(test::example_zone()); }
    test::Response q(const std::string& name, std::uint16_t type, test::QueryOptions o = {},
                     QueryLimits limits = {}) {
        return ask(catalog, make_query(name, type, o), limits);
    }
    ZoneCatalog catalog;
};

TEST_F(QueryEngineTest, ExactMatchIsAuthoritativeWithAdditionalForMx) {
    auto r = q("example.org.", KNOT_RRTYPE_MX);
    EXPECT_EQ(r.rcode, KNOT_RCODE_NOERROR);
    EXPECT_TRUE(r.qr);
    EXPECT_TRUE(r.aa);
    EXPECT_FALSE(r.tc);
    EXPECT_TRUE(r.rd);  // copied from the query
    EXPECT_EQ(r.id, 0x1234);
    EXPECT_EQ(sorted(r.answer), sorted(Lines{"example.org. 3600 MX 10 mail.example.org.",
                                             "example.org. 3600 MX 20 mx.other.test."}));
    EXPECT_TRUE(r.authority.empty());
    EXPECT_EQ(r.additional, (Lines{"mail.example.org. 3600 A 192.0.2.25",
                                   "mail.example.org. 3600 AAAA 2001:db8::25"}));
    EXPECT_TRUE(r.has_opt);
    EXPECT_EQ(r.opt_payload, 1232);
}

TEST_F(QueryEngineTest, QuestionCaseIsPreservedAndCnameFollowed) {
    auto r = q("WwW.Example.ORG.", KNOT_RRTYPE_A);
    EXPECT_EQ(r.question, "WwW.Example.ORG. A");
    EXPECT_TRUE(r.aa);
    // Names compress against the question (case-insensitive match), so the
    // answer may carry its case: compare case-insensitively.
    EXPECT_EQ(lower(r.answer), (Lines{"www.example.org. 3600 cname web.example.org.",
                                      "web.example.org. 3600 a 192.0.2.80"}));
}

TEST_F(QueryEngineTest, AnswerOwnerPointsToQuestionName) {
    auto r = q("WEB.example.org.", KNOT_RRTYPE_A);
    EXPECT_EQ(r.answer, (Lines{"WEB.example.org. 3600 A 192.0.2.80"}));
}

TEST_F(QueryEngineTest, CnameChainIsFollowedInZone) {
    auto r = q("chain1.example.org.", KNOT_RRTYPE_A);
    EXPECT_EQ(r.rcode, KNOT_RCODE_NOERROR);
    EXPECT_TRUE(r.aa);
    EXPECT_EQ(r.answer, (Lines{"chain1.example.org. 3600 CNAME chain2.example.org.",
                               "chain2.example.org. 3600 CNAME chain3.example.org.",
                               "chain3.example.org. 3600 A 192.0.2.3"}));
}

TEST_F(QueryEngineTest, CnameLoopStops) {
    auto r = q("loop1.example.org.", KNOT_RRTYPE_A);
    EXPECT_EQ(r.rcode, KNOT_RCODE_NOERROR);
    EXPECT_EQ(r.answer, (Lines{"loop1.example.org. 3600 CNAME loop2.example.org.",
                               "loop2.example.org. 3600 CNAME loop1.example.org."}));
    EXPECT_TRUE(r.authority.empty());
}

TEST_F(QueryEngineTest, CnameLeavingTheZoneStops) {
    auto r = q("out.example.org.", KNOT_RRTYPE_A);
    EXPECT_EQ(r.rcode, KNOT_RCODE_NOERROR);
    EXPECT_EQ(r.answer, (Lines{"out.example.org. 3600 CNAME www.example.net."}));
    EXPECT_TRUE(r.authority.empty());
}

TEST(QueryEngineCname, ChainStopsAfterFiveAndMissingTargetIsNxdomain) {
    std::vector<std::string> lines = {"@ NS ns.example.org.", "ns A 192.0.2.1", "end A 192.0.2.2",
                                      "dangling CNAME nowhere.example.org."};
    for (int i = 0; i < 7; ++i) {
        std::string next = i == 6 ? "end" : "c" + std::to_string(i + 1);
        lines.push_back("c" + std::to_string(i) + " CNAME " + next + ".example.org.");
    }
    ZoneCatalog catalog;
    catalog.publish(build_snapshot(test::make_zone("example.org."),
                                   test::sets_from_lines("example.org.", lines)));
    auto r = ask(catalog, make_query("c0.example.org.", KNOT_RRTYPE_A));
    EXPECT_EQ(r.rcode, KNOT_RCODE_NOERROR);
    EXPECT_EQ(r.answer.size(), 5u);  // Knot 3.2 follows at most 5 CNAMEs
    EXPECT_TRUE(r.authority.empty());
    r = ask(catalog, make_query("c3.example.org.", KNOT_RRTYPE_A));
    EXPECT_EQ(r.answer.size(), 5u);  // c3..c6 and the A of end
    EXPECT_EQ(r.answer.back(), "end.example.org. 3600 A 192.0.2.2");
    r = ask(catalog, make_query("dangling.example.org.", KNOT_RRTYPE_A));
    EXPECT_EQ(r.rcode, KNOT_RCODE_NXDOMAIN);
    EXPECT_TRUE(r.aa);
    EXPECT_EQ(r.answer.size(), 1u);
    EXPECT_EQ(r.authority.size(), 1u);
}

TEST_F(QueryEngineTest, CnameQueryTypeReturnsTheCnameOnly) {
    auto r = q("www.example.org.", KNOT_RRTYPE_CNAME);
    EXPECT_EQ(r.answer, (Lines{"www.example.org. 3600 CNAME web.example.org."}));
}

TEST_F(QueryEngineTest, NxdomainCarriesSoaWithNegativeTtl) {
    auto r = q("nx.example.org.", KNOT_RRTYPE_A);
    EXPECT_EQ(r.rcode, KNOT_RCODE_NXDOMAIN);
    EXPECT_TRUE(r.aa);
    EXPECT_TRUE(r.answer.empty());
    EXPECT_EQ(r.authority, (Lines{kSoaNeg}));
}

TEST_F(QueryEngineTest, NodataCarriesSoa) {
    auto r = q("web.example.org.", KNOT_RRTYPE_AAAA);
    EXPECT_EQ(r.rcode, KNOT_RCODE_NOERROR);
    EXPECT_TRUE(r.aa);
    EXPECT_TRUE(r.answer.empty());
    EXPECT_EQ(r.authority, (Lines{kSoaNeg}));
}

TEST_F(QueryEngineTest, EmptyNonTerminalsAnswerNodata) {
    for (const char* name : {"ent.example.org.", "c.ent.example.org.", "b.c.ent.example.org."}) {
        auto r = q(name, KNOT_RRTYPE_TXT);
        EXPECT_EQ(r.rcode, KNOT_RCODE_NOERROR) << name;
        EXPECT_TRUE(r.answer.empty()) << name;
        EXPECT_EQ(r.authority, (Lines{kSoaNeg})) << name;
    }
    EXPECT_EQ(q("x.c.ent.example.org.", KNOT_RRTYPE_A).rcode, KNOT_RCODE_NXDOMAIN);
}

TEST_F(QueryEngineTest, WildcardSynthesisRewritesOwner) {
    auto r = q("foo.wild.example.org.", KNOT_RRTYPE_A);
    EXPECT_TRUE(r.aa);
    EXPECT_EQ(r.answer, (Lines{"foo.wild.example.org. 3600 A 192.0.2.77"}));
    // Deeper names use the same closest encloser.
    r = q("x.y.wild.example.org.", KNOT_RRTYPE_A);
    EXPECT_EQ(r.answer, (Lines{"x.y.wild.example.org. 3600 A 192.0.2.77"}));
    // Missing type at the wildcard: NODATA.
    r = q("foo.wild.example.org.", KNOT_RRTYPE_AAAA);
    EXPECT_EQ(r.rcode, KNOT_RCODE_NOERROR);
    EXPECT_TRUE(r.answer.empty());
    EXPECT_EQ(r.authority, (Lines{kSoaNeg}));
}

TEST_F(QueryEngineTest, WildcardDoesNotApplyToExistingNames) {
    auto r = q("exists.wild.example.org.", KNOT_RRTYPE_A);
    EXPECT_EQ(r.rcode, KNOT_RCODE_NOERROR);
    EXPECT_TRUE(r.answer.empty());
    EXPECT_EQ(r.authority, (Lines{kSoaNeg}));
    // A name below an existing name that has no wildcard child: NXDOMAIN.
    EXPECT_EQ(q("x.exists.wild.example.org.", KNOT_RRTYPE_A).rcode, KNOT_RCODE_NXDOMAIN);
}

TEST_F(QueryEngineTest, WildcardCnameIsSynthesisedAndFollowed) {
    auto r = q("foo.wc.example.org.", KNOT_RRTYPE_A);
    EXPECT_EQ(r.answer, (Lines{"foo.wc.example.org. 3600 CNAME web.example.org.",
                               "web.example.org. 3600 A 192.0.2.80"}));
    r = q("cname2wild.example.org.", KNOT_RRTYPE_A);
    EXPECT_EQ(r.answer, (Lines{"cname2wild.example.org. 3600 CNAME foo.wild.example.org.",
                               "foo.wild.example.org. 3600 A 192.0.2.77"}));
}

TEST_F(QueryEngineTest, WildcardMxGetsAdditional) {
    auto r = q("x.wcmx.example.org.", KNOT_RRTYPE_MX);
    EXPECT_EQ(r.answer, (Lines{"x.wcmx.example.org. 3600 MX 5 mail.example.org."}));
    EXPECT_EQ(r.additional, (Lines{"mail.example.org. 3600 A 192.0.2.25",
                                   "mail.example.org. 3600 AAAA 2001:db8::25"}));
}

TEST_F(QueryEngineTest, AdditionalForWildcardTargetUsesTargetName) {
    auto r = q("wmx.example.org.", KNOT_RRTYPE_MX);
    EXPECT_EQ(r.additional, (Lines{"foo.wild.example.org. 3600 A 192.0.2.77"}));
    r = q("gluemx.example.org.", KNOT_RRTYPE_MX);
    EXPECT_EQ(r.additional, (Lines{"ns.sub.example.org. 3600 A 192.0.2.60"}));
}

TEST_F(QueryEngineTest, DuplicateTargetsRepeatAdditionalLikeKnot) {
    auto r = q("dupmx.example.org.", KNOT_RRTYPE_MX);
    EXPECT_EQ(r.additional.size(), 4u);
}

TEST_F(QueryEngineTest, SrvTargetGetsAdditional) {
    auto r = q("_sip._tcp.example.org.", KNOT_RRTYPE_SRV);
    EXPECT_EQ(r.answer, (Lines{"_sip._tcp.example.org. 3600 SRV 10 60 5060 sip.example.org."}));
    EXPECT_EQ(r.additional, (Lines{"sip.example.org. 3600 A 192.0.2.50"}));
}

TEST_F(QueryEngineTest, ApexNsAnswerGetsInZoneAddresses) {
    auto r = q("example.org.", KNOT_RRTYPE_NS);
    EXPECT_TRUE(r.aa);
    EXPECT_EQ(sorted(r.answer), sorted(Lines{"example.org. 3600 NS ns1.example.org.",
                                             "example.org. 3600 NS ns2.example.net."}));
    EXPECT_EQ(r.additional, (Lines{"ns1.example.org. 3600 A 192.0.2.53",
                                   "ns1.example.org. 3600 AAAA 2001:db8::53"}));
}

TEST_F(QueryEngineTest, ReferralAtAndBelowCut) {
    for (const char* name : {"sub.example.org.", "x.sub.example.org.", "ns.sub.example.org."}) {
        for (std::uint16_t type : {KNOT_RRTYPE_A, KNOT_RRTYPE_NS}) {
            auto r = q(name, type);
            EXPECT_EQ(r.rcode, KNOT_RCODE_NOERROR) << name;
            EXPECT_FALSE(r.aa) << name;
            EXPECT_TRUE(r.answer.empty()) << name;
            EXPECT_EQ(sorted(r.authority),
                      sorted(Lines{"sub.example.org. 3600 NS ns.sub.example.org.",
                                   "sub.example.org. 3600 NS ns.elsewhere.test."}))
                << name;
            EXPECT_EQ(r.additional, (Lines{"ns.sub.example.org. 3600 A 192.0.2.60"})) << name;
        }
    }
}

TEST_F(QueryEngineTest, ReferralWithoutGlue) {
    auto r = q("nog.example.org.", KNOT_RRTYPE_A);
    EXPECT_FALSE(r.aa);
    EXPECT_EQ(r.authority, (Lines{"nog.example.org. 3600 NS ns.other.test."}));
    EXPECT_TRUE(r.additional.empty());
    r = q("deleg2.example.org.", KNOT_RRTYPE_MX);
    EXPECT_EQ(r.authority, (Lines{"deleg2.example.org. 3600 NS ns.deleg2.example.org."}));
    EXPECT_EQ(r.additional, (Lines{"ns.deleg2.example.org. 3600 AAAA 2001:db8::60"}));
}

TEST_F(QueryEngineTest, DsAtCutIsAnsweredByParent) {
    auto r = q("sub.example.org.", KNOT_RRTYPE_DS);
    EXPECT_TRUE(r.aa);
    EXPECT_EQ(r.answer.size(), 1u);
    EXPECT_TRUE(r.authority.empty());
    r = q("nog.example.org.", KNOT_RRTYPE_DS);
    EXPECT_TRUE(r.aa);
    EXPECT_TRUE(r.answer.empty());
    EXPECT_EQ(r.authority, (Lines{kSoaNeg}));
    // Below the cut, DS is a referral like anything else.
    EXPECT_FALSE(q("x.sub.example.org.", KNOT_RRTYPE_DS).aa);
}

TEST_F(QueryEngineTest, CnameIntoDelegationGivesAuthoritativeReferral) {
    auto r = q("cname2deleg.example.org.", KNOT_RRTYPE_A);
    EXPECT_TRUE(r.aa);
    EXPECT_EQ(r.answer, (Lines{"cname2deleg.example.org. 3600 CNAME x.sub.example.org."}));
    EXPECT_EQ(r.authority.size(), 2u);
    EXPECT_EQ(r.additional, (Lines{"ns.sub.example.org. 3600 A 192.0.2.60"}));
}

TEST_F(QueryEngineTest, RefusedOutsideOurZones) {
    auto r = q("www.example.com.", KNOT_RRTYPE_A);
    EXPECT_EQ(r.rcode, KNOT_RCODE_REFUSED);
    EXPECT_FALSE(r.aa);
    EXPECT_TRUE(r.answer.empty());
    EXPECT_TRUE(r.has_opt);
    EXPECT_EQ(r.ede, 20);  // Not Authoritative, as Knot adds
    r = q("org.", KNOT_RRTYPE_SOA, {.edns = false});
    EXPECT_EQ(r.rcode, KNOT_RCODE_REFUSED);
    EXPECT_FALSE(r.has_opt);
}

TEST_F(QueryEngineTest, AnyIsMinimal) {
    auto r = q("example.org.", KNOT_RRTYPE_ANY);
    EXPECT_TRUE(r.aa);
    EXPECT_EQ(r.answer, (Lines{"example.org. 3600 A 192.0.2.1"}));  // lowest type
    r = q("www.example.org.", KNOT_RRTYPE_ANY);
    EXPECT_EQ(r.answer, (Lines{"www.example.org. 3600 CNAME web.example.org."}));
    r = q("ent.example.org.", KNOT_RRTYPE_ANY);
    EXPECT_TRUE(r.answer.empty());
    EXPECT_EQ(r.authority, (Lines{kSoaNeg}));
    r = q("nx.example.org.", KNOT_RRTYPE_ANY);
    EXPECT_EQ(r.rcode, KNOT_RCODE_NXDOMAIN);
    // Over TCP too.
    r = q("example.org.", KNOT_RRTYPE_ANY, {}, {.transport = Transport::Tcp});
    EXPECT_EQ(r.answer.size(), 1u);
}

TEST_F(QueryEngineTest, SoaQueryAtApex) {
    auto r = q("example.org.", KNOT_RRTYPE_SOA);
    EXPECT_EQ(r.answer, (Lines{"example.org. 3600 SOA ns1.example.org. "
                               "hostmaster.example.org. 100 3500 600 86400 300"}));
}

TEST_F(QueryEngineTest, ClassAnyIsAnsweredClassChaosRefused) {
    auto r = q("web.example.org.", KNOT_RRTYPE_A, {.qclass = KNOT_CLASS_ANY});
    EXPECT_EQ(r.answer.size(), 1u);
    r = q("version.bind.", KNOT_RRTYPE_TXT, {.qclass = KNOT_CLASS_CH});
    EXPECT_EQ(r.rcode, KNOT_RCODE_REFUSED);
    r = q("web.example.org.", KNOT_RRTYPE_A, {.qclass = 3 /* CH */ + 1 /* HS */});
    EXPECT_EQ(r.rcode, KNOT_RCODE_REFUSED);
}

TEST_F(QueryEngineTest, OpcodeAndTypeRouting) {
    EXPECT_EQ(q("example.org.", 0).rcode, KNOT_RCODE_NOTIMPL);
    EXPECT_EQ(q("example.org.", KNOT_RRTYPE_AXFR).rcode, KNOT_RCODE_NOTIMPL);
    EXPECT_EQ(q("example.org.", KNOT_RRTYPE_A, {.opcode = 2 /* STATUS */}).rcode,
              KNOT_RCODE_NOTIMPL);
    EXPECT_EQ(q("example.org.", KNOT_RRTYPE_SOA, {.opcode = KNOT_OPCODE_NOTIFY}).rcode,
              KNOT_RCODE_NOTIMPL);
    auto r = q("example.org.", KNOT_RRTYPE_A, {.opcode = 2});
    EXPECT_FALSE(r.aa);
    EXPECT_EQ(r.question, "example.org. A");
}

TEST(Classify, RoutesByOpcodeAndType) {
    EXPECT_EQ(classify(make_query("example.org.", KNOT_RRTYPE_A)), MessageKind::Query);
    EXPECT_EQ(classify(make_query("example.org.", KNOT_RRTYPE_AXFR)), MessageKind::Axfr);
    EXPECT_EQ(classify(make_query("example.org.", KNOT_RRTYPE_IXFR)), MessageKind::Ixfr);
    EXPECT_EQ(classify(make_query("example.org.", KNOT_RRTYPE_SOA, {.opcode = KNOT_OPCODE_NOTIFY})),
              MessageKind::Notify);
    EXPECT_EQ(classify(make_query("example.org.", KNOT_RRTYPE_SOA, {.opcode = KNOT_OPCODE_UPDATE})),
              MessageKind::Update);
    auto resp = make_query("example.org.", KNOT_RRTYPE_A);
    knot_wire_set_qr(resp.data());
    EXPECT_EQ(classify(resp), MessageKind::Drop);
    std::vector<std::uint8_t> short_msg(11, 0);
    EXPECT_EQ(classify(short_msg), MessageKind::Drop);
}

TEST_F(QueryEngineTest, IxfrOverUdpAnswersSoaWhenAllowed) {
    // Build an IXFR query with the client's SOA in the authority section.
    knot_pkt_t* pkt = knot_pkt_new(nullptr, 512, nullptr);
    knot_wire_set_id(pkt->wire, 7);
    knot_dname_storage_t name;
    knot_dname_from_str(name, "example.org.", sizeof(name));
    knot_pkt_put_question(pkt, name, KNOT_CLASS_IN, KNOT_RRTYPE_IXFR);
    knot_pkt_begin(pkt, KNOT_AUTHORITY);
    auto zone = catalog.get("example.org.");
    knot_pkt_put(pkt, 0, &zone->soa_rrset(), 0);
    std::vector<std::uint8_t> ixfr(pkt->wire, pkt->wire + pkt->size);
    knot_pkt_free(pkt);

    auto r = ask(catalog, ixfr, {.transfer_allowed = true});
    EXPECT_EQ(r.rcode, KNOT_RCODE_NOERROR);
    ASSERT_EQ(r.answer.size(), 1u);
    EXPECT_NE(r.answer[0].find(" SOA "), std::string::npos);
    EXPECT_EQ(ask(catalog, ixfr, {}).rcode, KNOT_RCODE_NOTAUTH);
    // Without the SOA in authority: FORMERR.
    EXPECT_EQ(ask(catalog, make_query("example.org.", KNOT_RRTYPE_IXFR), {.transfer_allowed = true})
                  .rcode,
              KNOT_RCODE_FORMERR);
    // Not a zone apex: NOTAUTH.
    EXPECT_EQ(
        ask(catalog, make_query("www.example.org.", KNOT_RRTYPE_IXFR), {.transfer_allowed = true})
            .rcode,
        KNOT_RCODE_NOTAUTH);
}

TEST_F(QueryEngineTest, LongestZoneWinsAndDsGoesToParent) {
    auto child = build_snapshot(
        test::make_zone("sub.example.org."),
        test::sets_from_lines("sub.example.org.",
                              {"@ NS ns.sub.example.org.", "ns A 192.0.2.61", "www A 192.0.2.62"}));
    catalog.publish(child);
    auto r = q("www.sub.example.org.", KNOT_RRTYPE_A);
    EXPECT_TRUE(r.aa);
    EXPECT_EQ(r.answer, (Lines{"www.sub.example.org. 3600 A 192.0.2.62"}));
    r = q("sub.example.org.", KNOT_RRTYPE_DS);  // parent side
    EXPECT_TRUE(r.aa);
    EXPECT_EQ(r.answer.size(), 1u);
    r = q("sub.example.org.", KNOT_RRTYPE_NS);  // child apex
    EXPECT_TRUE(r.aa);
    EXPECT_EQ(r.answer.size(), 1u);
}

TEST_F(QueryEngineTest, StatsCountQueriesAndRcodes) {
    QueryStats stats;
    std::vector<std::uint8_t> out;
    answer_query(catalog, make_query("web.example.org.", KNOT_RRTYPE_A), {}, out, &stats);
    answer_query(catalog, make_query("nx.example.org.", KNOT_RRTYPE_A), {}, out, &stats);
    answer_query(catalog, make_query("x.test.", KNOT_RRTYPE_A), {.transport = Transport::Tcp}, out,
                 &stats);
    std::vector<std::uint8_t> junk(5, 0);
    answer_query(catalog, junk, {}, out, &stats);
    auto s = stats.snapshot();
    EXPECT_EQ(s.queries, 4u);
    EXPECT_EQ(s.responses, 3u);
    EXPECT_EQ(s.dropped, 1u);
    EXPECT_EQ(s.tcp, 1u);
    EXPECT_EQ(s.udp, 3u);
    EXPECT_EQ(s.rcode[KNOT_RCODE_NOERROR], 1u);
    EXPECT_EQ(s.rcode[KNOT_RCODE_NXDOMAIN], 1u);
    EXPECT_EQ(s.rcode[KNOT_RCODE_REFUSED], 1u);
}

}  // namespace
}  // namespace dnsplane::dns
