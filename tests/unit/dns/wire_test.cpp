// The wire layer: name/rdata conversion helpers, name compression, EDNS,
// truncation and malformed messages (answer_query must never crash).
#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "dns/query_engine.h"
#include "dns/wire.h"
#include "dns_test_util.h"

namespace dnsplane::dns {
namespace {

using test::ask;
using test::make_query;
using Bytes = std::vector<std::uint8_t>;

Bytes rdata_of(const std::string& type, const std::string& text) {
    wire::RdataParser parser;
    Bytes out;
    std::string error;
    auto code = wire::type_from_text(type);
    EXPECT_TRUE(code.has_value()) << type;
    EXPECT_TRUE(parser.parse(*code, text, out, &error)) << type << " " << text << ": " << error;
    return out;
}

TEST(WireNames, TextToLowerWireAndBack) {
    auto w = wire::name_to_wire("WWW.Example.ORG.");
    ASSERT_TRUE(w.has_value());
    EXPECT_EQ(*w, std::string("\3www\7example\3org\0", 17));
    EXPECT_EQ(wire::name_to_wire("www.example.org"), w);  // final dot optional
    EXPECT_EQ(wire::name_to_text(reinterpret_cast<const knot_dname_t*>(w->data())),
              "www.example.org.");
    EXPECT_EQ(*wire::name_to_wire("."), std::string("\0", 1));
    EXPECT_FALSE(wire::name_to_wire("").has_value());
    EXPECT_FALSE(wire::name_to_wire(std::string(64, 'a') + ".org.").has_value());
    EXPECT_FALSE(wire::name_to_wire("a..b.").has_value());
}

TEST(WireTypes, MnemonicsOfEverySupportedType) {
    const std::pair<const char*, std::uint16_t> types[] = {
        {"A", 1},    {"AAAA", 28}, {"CNAME", 5},  {"MX", 15},  {"NS", 2},
        {"PTR", 12}, {"SOA", 6},   {"SPF", 99},   {"SRV", 33}, {"SSHFP", 44},
        {"TXT", 16}, {"CAA", 257}, {"NAPTR", 35}, {"DS", 43},  {"TYPE65280", 65280}};
    for (auto [name, code] : types) {
        EXPECT_EQ(wire::type_from_text(name), code) << name;
        if (code != 65280) EXPECT_EQ(wire::type_to_text(code), name);
    }
    EXPECT_FALSE(wire::type_from_text("BOGUS").has_value());
}

TEST(WireRdata, ParsesEverySupportedTypeFromCanonicalText) {
    EXPECT_EQ(rdata_of("A", "192.0.2.1"), (Bytes{192, 0, 2, 1}));
    EXPECT_EQ(rdata_of("AAAA", "2001:db8::1").size(), 16u);
    EXPECT_EQ(
        rdata_of("MX", "10 mx.example.org."),
        (Bytes{0, 10, 2, 'm', 'x', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0}));
    EXPECT_EQ(rdata_of("TXT", "\"ab\" \"c\""), (Bytes{2, 'a', 'b', 1, 'c'}));
    EXPECT_EQ(rdata_of("SPF", "\"v=spf1 -all\"").size(), 12u);
    EXPECT_EQ(rdata_of("SRV", "10 60 5060 sip.example.org.").size(), 6u + 17u);
    EXPECT_EQ(rdata_of("CNAME", "a.example.org.").size(), 15u);
    EXPECT_EQ(rdata_of("NS", "ns1.example.org.").size(), 17u);
    EXPECT_EQ(rdata_of("PTR", "host.example.org.").size(), 18u);
    EXPECT_EQ(rdata_of("SSHFP", "1 1 0123456789abcdef0123456789abcdef01234567").size(), 22u);
    EXPECT_EQ(rdata_of("CAA", "0 issue \"letsencrypt.org\"").size(), 2u + 5u + 15u);
    EXPECT_EQ(rdata_of("NAPTR", "100 10 \"S\" \"SIP+D2U\" \"\" _sip._udp.example.org.").size(),
              4u + 2u + 8u + 1u + 23u);
    EXPECT_EQ(
        rdata_of("DS", "12345 8 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")
            .size(),
        4u + 32u);
    EXPECT_EQ(rdata_of("SOA", "ns1.example.org. h.example.org. 1 2 3 4 5").size(), 17u + 15u + 20u);
}

TEST(WireRdata, RejectsBadTextAndRecovers) {
    wire::RdataParser parser;
    Bytes out;
    std::string error;
    EXPECT_FALSE(parser.parse(KNOT_RRTYPE_A, "not-an-address", out, &error));
    EXPECT_FALSE(error.empty());
    EXPECT_FALSE(parser.parse(KNOT_RRTYPE_A, "192.0.2.1\n@ 0 IN A 192.0.2.2", out));
    EXPECT_FALSE(parser.parse(KNOT_RRTYPE_MX, "10", out));
    // The parser is usable again after errors.
    EXPECT_TRUE(parser.parse(KNOT_RRTYPE_A, "192.0.2.9", out));
    EXPECT_EQ(out, (Bytes{192, 0, 2, 9}));
}

// Snapshot builders and make_rrset share one parser per thread: a refused
// text left by one caller must not reach the next, and threads never share.
TEST(WireRdata, EachThreadHasOneParserThatRecoversForItsNextCaller) {
    wire::RdataParser& mine = wire::RdataParser::of_this_thread();
    EXPECT_EQ(&mine, &wire::RdataParser::of_this_thread());
    wire::RdataParser* other = nullptr;
    std::thread([&] { other = &wire::RdataParser::of_this_thread(); }).join();
    EXPECT_NE(other, &mine);

    Bytes out;
    EXPECT_FALSE(mine.parse(KNOT_RRTYPE_AAAA, "192.0.2.1", out));
    std::string error;
    auto rr =
        wire::make_rrset("h.example.org.", "A", 60, std::vector<std::string>{"192.0.2.7"}, &error);
    ASSERT_TRUE(rr.has_value()) << error;
    EXPECT_EQ(rr->get().rrs.count, 1u);
    EXPECT_TRUE(mine.parse(KNOT_RRTYPE_A, "192.0.2.8", out));
    EXPECT_EQ(out, (Bytes{192, 0, 2, 8}));
}

TEST(WireRRset, MakeRRsetMergesDuplicatesAndOwnsData) {
    std::vector<std::string> data = {"192.0.2.2", "192.0.2.1", "192.0.2.2"};
    auto rr = wire::make_rrset("Host.Example.org.", "A", 60, data);
    ASSERT_TRUE(rr.has_value());
    EXPECT_EQ(rr->get().rrs.count, 2u);
    EXPECT_EQ(rr->get().ttl, 60u);
    EXPECT_EQ(wire::name_to_text(rr->get().owner), "host.example.org.");
    auto moved = std::move(*rr);
    EXPECT_EQ(moved.get().rrs.count, 2u);
    EXPECT_FALSE(wire::make_rrset(core::ResourceRecord{"x.org.", "A", 1, "bad"}).has_value());
    EXPECT_TRUE(wire::make_rrset(core::ResourceRecord{"x.org.", "TXT", 1, "\"t\""}).has_value());
}

class WireQueryTest : public ::testing::Test {
  protected:
    void SetUp() override { catalog.publish(test::example_zone()); }
    ZoneCatalog catalog;
};

TEST_F(WireQueryTest, AnswerOwnerIsCompressedToTheQuestion) {
    std::vector<std::uint8_t> out;
    ASSERT_TRUE(answer_query(
        catalog, make_query("mail.example.org.", KNOT_RRTYPE_A, {.edns = false}), {}, out));
    // Header (12) + question (18 + 4); the answer owner is a pointer to 12.
    ASSERT_GT(out.size(), 36u);
    EXPECT_EQ(out[34], 0xC0);
    EXPECT_EQ(out[35], 0x0C);
    EXPECT_EQ(out.size(), 34u + 2 + 10 + 4);
    // MX targets inside rdata compress against the zone name already written.
    auto r = ask(catalog, make_query("example.org.", KNOT_RRTYPE_MX, {.edns = false}));
    EXPECT_LT(r.size, 200u);
}

TEST_F(WireQueryTest, OptOnlyWhenQueried) {
    auto with = ask(catalog, make_query("web.example.org.", KNOT_RRTYPE_A));
    EXPECT_TRUE(with.has_opt);
    EXPECT_EQ(with.opt_payload, 1232);
    EXPECT_FALSE(with.opt_do);
    auto without = ask(catalog, make_query("web.example.org.", KNOT_RRTYPE_A, {.edns = false}));
    EXPECT_FALSE(without.has_opt);
    auto dnssec = ask(catalog, make_query("web.example.org.", KNOT_RRTYPE_A, {.dnssec_ok = true}));
    EXPECT_TRUE(dnssec.opt_do);
    // Our advertised payload is the configured cap, whatever the client says.
    auto capped = ask(catalog, make_query("web.example.org.", KNOT_RRTYPE_A, {.bufsize = 4096}),
                      {.max_udp_payload = 1400});
    EXPECT_EQ(capped.opt_payload, 1400);
}

TEST_F(WireQueryTest, BadVersionGetsBadvers) {
    auto r = ask(catalog, make_query("web.example.org.", KNOT_RRTYPE_A, {.version = 1}));
    EXPECT_EQ(r.rcode, KNOT_RCODE_BADVERS);
    EXPECT_TRUE(r.has_opt);
    EXPECT_FALSE(r.aa);
    EXPECT_TRUE(r.answer.empty());
    EXPECT_EQ(r.question, "web.example.org. A");
}

TEST_F(WireQueryTest, TwoOptRecordsAreFormerr) {
    knot_pkt_t* pkt = knot_pkt_new(nullptr, 512, nullptr);
    knot_dname_storage_t name;
    knot_dname_from_str(name, "web.example.org.", sizeof(name));
    knot_pkt_put_question(pkt, name, KNOT_CLASS_IN, KNOT_RRTYPE_A);
    knot_pkt_begin(pkt, KNOT_ADDITIONAL);
    knot_rrset_t opt1, opt2;
    knot_edns_init(&opt1, 1232, 0, 0, nullptr);
    knot_edns_init(&opt2, 1232, 0, 0, nullptr);
    knot_pkt_put(pkt, 0, &opt1, KNOT_PF_FREE);
    knot_pkt_put(pkt, 0, &opt2, KNOT_PF_FREE);
    Bytes q(pkt->wire, pkt->wire + pkt->size);
    knot_pkt_free(pkt);
    auto r = ask(catalog, q);
    EXPECT_EQ(r.rcode, KNOT_RCODE_FORMERR);
    EXPECT_FALSE(r.has_opt);
}

TEST_F(WireQueryTest, SignedQueriesAreNotauthWithoutKeys) {
    knot_pkt_t* pkt = knot_pkt_new(nullptr, 512, nullptr);
    knot_wire_set_id(pkt->wire, 0x4242);
    knot_dname_storage_t name;
    knot_dname_from_str(name, "web.example.org.", sizeof(name));
    knot_pkt_put_question(pkt, name, KNOT_CLASS_IN, KNOT_RRTYPE_A);
    knot_pkt_begin(pkt, KNOT_ADDITIONAL);
    knot_tsig_key_t key{};
    key.algorithm = DNSSEC_TSIG_HMAC_SHA256;
    key.name = reinterpret_cast<knot_dname_t*>(const_cast<char*>("\3key\0"));
    std::uint8_t secret[32] = {1, 2, 3};
    key.secret.data = secret;
    key.secret.size = sizeof(secret);
    std::size_t size = pkt->size;
    std::uint8_t digest[64];
    std::size_t digest_len = sizeof(digest);
    ASSERT_EQ(knot_tsig_sign(pkt->wire, &size, pkt->max_size, nullptr, 0, digest, &digest_len, &key,
                             0, 0),
              KNOT_EOK);
    Bytes q(pkt->wire, pkt->wire + size);
    knot_pkt_free(pkt);
    auto r = ask(catalog, q);
    EXPECT_EQ(r.rcode, KNOT_RCODE_NOTAUTH);
    EXPECT_TRUE(r.answer.empty());
}

TEST_F(WireQueryTest, TruncatesToTheClientSizeOverUdp) {
    // The big TXT (~560 bytes) does not fit in 512: TC, AA, question only.
    auto r = ask(catalog, make_query("big.example.org.", KNOT_RRTYPE_TXT, {.edns = false}));
    EXPECT_TRUE(r.tc);
    EXPECT_TRUE(r.aa);
    EXPECT_TRUE(r.answer.empty());
    EXPECT_LE(r.size, 512u);
    // With EDNS 512 the OPT stays.
    r = ask(catalog, make_query("big.example.org.", KNOT_RRTYPE_TXT, {.bufsize = 512}));
    EXPECT_TRUE(r.tc);
    EXPECT_TRUE(r.has_opt);
    EXPECT_TRUE(r.answer.empty());
    // A client size below 512 counts as 512.
    r = ask(catalog, make_query("web.example.org.", KNOT_RRTYPE_A, {.bufsize = 100}));
    EXPECT_FALSE(r.tc);
    EXPECT_EQ(r.answer.size(), 1u);
    // Enough room: the whole answer.
    r = ask(catalog, make_query("big.example.org.", KNOT_RRTYPE_TXT, {.bufsize = 4096}));
    EXPECT_FALSE(r.tc);
    EXPECT_EQ(r.answer.size(), 1u);
    // The cap wins over the client's size.
    r = ask(catalog, make_query("big.example.org.", KNOT_RRTYPE_TXT, {.bufsize = 4096}),
            {.max_udp_payload = 512});
    EXPECT_TRUE(r.tc);
    // TCP: never truncated.
    r = ask(catalog, make_query("big.example.org.", KNOT_RRTYPE_TXT, {.edns = false}),
            {.transport = Transport::Tcp});
    EXPECT_FALSE(r.tc);
    EXPECT_EQ(r.answer.size(), 1u);
}

TEST_F(WireQueryTest, TruncationKeepsWholeRRsetsAlreadyWritten) {
    // Knot keeps the CNAME that fitted and sets TC.
    auto r = ask(catalog, make_query("cbig.example.org.", KNOT_RRTYPE_TXT, {.edns = false}));
    EXPECT_TRUE(r.tc);
    EXPECT_EQ(r.answer,
              (std::vector<std::string>{"cbig.example.org. 3600 CNAME big.example.org."}));
}

TEST(WireTruncation, AdditionalThatDoesNotFitIsDroppedWithoutTc) {
    std::vector<std::string> lines = {"@ NS ns.example.org.", "ns A 192.0.2.1"};
    for (int i = 0; i < 10; ++i) {
        std::string host = "m" + std::to_string(i);
        lines.push_back("@ MX " + std::to_string(i) + " " + host + ".example.org.");
        lines.push_back(host + " A 192.0.2." + std::to_string(i + 10));
        lines.push_back(host + " AAAA 2001:db8::" + std::to_string(i + 10));
    }
    ZoneCatalog catalog;
    catalog.publish(build_snapshot(test::make_zone("example.org."),
                                   test::sets_from_lines("example.org.", lines)));
    auto r = ask(catalog, make_query("example.org.", KNOT_RRTYPE_MX, {.edns = false}));
    EXPECT_FALSE(r.tc);
    EXPECT_EQ(r.answer.size(), 10u);
    EXPECT_GT(r.additional.size(), 0u);
    EXPECT_LT(r.additional.size(), 20u);
    EXPECT_LE(r.size, 512u);
    r = ask(catalog, make_query("example.org.", KNOT_RRTYPE_MX), {.transport = Transport::Tcp});
    EXPECT_EQ(r.additional.size(), 20u);
}

// --------------------------------------------------------------- malformed

TEST_F(WireQueryTest, ShortOrResponseMessagesAreDropped) {
    std::vector<std::uint8_t> out;
    Bytes tiny(11, 0);
    EXPECT_FALSE(answer_query(catalog, tiny, {}, out));
    EXPECT_TRUE(out.empty());
    Bytes resp = make_query("web.example.org.", KNOT_RRTYPE_A);
    knot_wire_set_qr(resp.data());
    EXPECT_FALSE(answer_query(catalog, resp, {}, out));
    EXPECT_FALSE(answer_query(catalog, {}, {}, out));
}

TEST_F(WireQueryTest, QdcountOtherThanOneIsFormerr) {
    Bytes q = make_query("web.example.org.", KNOT_RRTYPE_A, {.edns = false});
    knot_wire_set_qdcount(q.data(), 2);
    auto r = ask(catalog, q);
    EXPECT_EQ(r.rcode, KNOT_RCODE_FORMERR);
    EXPECT_EQ(r.qdcount, 0);
    EXPECT_EQ(r.id, 0x1234);

    Bytes header_only(q.begin(), q.begin() + 12);
    knot_wire_set_qdcount(header_only.data(), 0);
    r = ask(catalog, header_only);
    EXPECT_EQ(r.rcode, KNOT_RCODE_FORMERR);
    EXPECT_EQ(r.qdcount, 0);
    // No question with an unknown opcode: NOTIMP.
    knot_wire_set_opcode(header_only.data(), 3);
    EXPECT_EQ(ask(catalog, header_only).rcode, KNOT_RCODE_NOTIMPL);
}

TEST_F(WireQueryTest, TruncatedQuestionAndTrailingGarbageAreFormerr) {
    Bytes q = make_query("web.example.org.", KNOT_RRTYPE_A, {.edns = false});
    Bytes cut(q.begin(), q.end() - 3);
    EXPECT_EQ(ask(catalog, cut).rcode, KNOT_RCODE_FORMERR);
    Bytes longer = q;
    longer.push_back(0x42);
    EXPECT_EQ(ask(catalog, longer).rcode, KNOT_RCODE_FORMERR);
    // ARCOUNT claims an RR that is not there.
    Bytes lying = q;
    knot_wire_set_arcount(lying.data(), 1);
    EXPECT_EQ(ask(catalog, lying).rcode, KNOT_RCODE_FORMERR);
}

TEST_F(WireQueryTest, CompressionPointerLoopsAreFormerr) {
    // QNAME is a pointer to itself.
    Bytes self = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0xC0, 0x0C, 0, 1, 0, 1};
    EXPECT_EQ(ask(catalog, self).rcode, KNOT_RCODE_FORMERR);
    // An answer RR whose owner points forward to itself (loop outside the question).
    Bytes q = make_query("web.example.org.", KNOT_RRTYPE_A, {.edns = false});
    std::size_t rr_at = q.size();
    knot_wire_set_ancount(q.data(), 1);
    q.push_back(0xC0);
    q.push_back(static_cast<std::uint8_t>(rr_at));
    for (int i = 0; i < 10; ++i) q.push_back(0);
    EXPECT_EQ(ask(catalog, q).rcode, KNOT_RCODE_FORMERR);
}

TEST_F(WireQueryTest, RandomBytesNeverCrash) {
    std::mt19937 rng(12345);
    std::vector<std::uint8_t> out;
    Bytes base = make_query("www.example.org.", KNOT_RRTYPE_A);
    std::size_t answered = 0;
    for (int i = 0; i < 20000; ++i) {
        Bytes msg;
        if (i % 2 == 0) {
            msg.resize(rng() % 80);
            for (auto& b : msg) b = static_cast<std::uint8_t>(rng());
        } else {
            msg = base;  // mutate a valid query a little
            for (int k = 0; k < 3; ++k) msg[rng() % msg.size()] = static_cast<std::uint8_t>(rng());
        }
        if (answer_query(catalog, msg, {}, out)) {
            ++answered;
            ASSERT_GE(out.size(), 12u);
            ASSERT_LE(out.size(), 65535u);
            EXPECT_TRUE(knot_wire_get_qr(out.data()));
            EXPECT_EQ(knot_wire_get_id(out.data()), knot_wire_get_id(msg.data()));
        }
    }
    EXPECT_GT(answered, 0u);
}

}  // namespace
}  // namespace dnsplane::dns
