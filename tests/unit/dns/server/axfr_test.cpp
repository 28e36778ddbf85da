// AXFR/IXFR message streams from TransferService, checked by parsing every
// message with libknot (no sockets here; see tcp_framing_test for the wire).
#include "dns/server/axfr.h"

#include <gtest/gtest.h>

#include <map>

#include "dns/server/transfer_writer.h"
#include "net_test_util.h"

namespace dnsplane::dns {
namespace {

using namespace dnsplane::dns::testing;
using boost::asio::ip::make_address;

// One RR of a transfer, flattened across messages.
struct Rr {
    std::string owner;
    std::uint16_t type;
    std::uint32_t soa_serial = 0;  // for SOA records
};

struct Transfer {
    std::vector<Parsed> messages;
    std::vector<Rr> rrs;
};

Transfer flatten(std::vector<std::vector<std::uint8_t>> raw) {
    Transfer t;
    for (auto& bytes : raw) {
        t.messages.emplace_back(std::move(bytes));
        const Parsed& m = t.messages.back();
        EXPECT_EQ(m.parse_result, KNOT_EOK);
        for (std::uint16_t i = 0; i < m.answer_rrsets(); ++i) {
            const knot_rrset_t* rr = m.answer_rr(i);
            knot_rdata_t* rd = rr->rrs.rdata;
            for (std::uint16_t k = 0; k < rr->rrs.count; ++k, rd = knot_rdataset_next(rd)) {
                Rr r{wire::name_to_text(rr->owner), rr->type};
                if (rr->type == KNOT_RRTYPE_SOA) r.soa_serial = knot_soa_serial(rd);
                t.rrs.push_back(r);
            }
        }
    }
    return t;
}

std::size_t zone_records(const ZoneSnapshot& z) {
    std::size_t n = 0;
    z.for_each_record([&](const WireRecord&) { ++n; });
    return n;
}

class FakeChangeLog : public store::Store {
  public:
    std::vector<core::ZoneChange> log;

    class Txn : public store::ReadTxn {
      public:
        explicit Txn(const std::vector<core::ZoneChange>& log) : log_(log) {}
        std::vector<core::ZoneChange> changes_since(const std::string& zone_id,
                                                    std::uint32_t from) override {
            std::vector<core::ZoneChange> out;
            for (const auto& c : log_) {
                if (c.zone_id == zone_id && c.old_serial >= from) out.push_back(c);
            }
            return out;
        }
        // Not used by transfers.
        std::optional<core::Zone> get_zone(const std::string&) override { return {}; }
        std::optional<core::Zone> find_zone_by_name(const std::string&) override { return {}; }
        store::Page<core::Zone> list_zones(const store::ListQuery&) override { return {}; }
        std::vector<core::Zone> related_zones(const std::string&) override { return {}; }
        std::vector<core::Zone> zones_below(const std::string&) override { return {}; }
        std::vector<core::Zone> all_zones() override { return {}; }
        std::size_t count_zones(const std::string&) override { return 0; }
        std::optional<core::RecordSet> get_recordset(const std::string&) override { return {}; }
        std::optional<core::RecordSet> find_recordset(const std::string&, const std::string&,
                                                      const std::string&) override {
            return {};
        }
        std::vector<core::RecordSet> recordsets_at(const std::string&,
                                                   const std::string&) override {
            return {};
        }
        store::Page<core::RecordSet> list_recordsets(const store::ListQuery&) override {
            return {};
        }
        std::vector<core::RecordSet> zone_recordsets(const std::string&) override { return {}; }
        std::size_t count_recordsets(const std::string&) override { return 0; }
        std::optional<store::Token> find_token(const std::string&) override { return {}; }
        std::vector<store::OutboxEvent> outbox_head(std::size_t) override { return {}; }
        std::size_t outbox_size() override { return 0; }
        std::vector<store::HookBinding> hook_bindings() override { return {}; }
        std::optional<std::string> tenant_status(const std::string&) override { return {}; }

      private:
        const std::vector<core::ZoneChange>& log_;
    };

    std::unique_ptr<store::ReadTxn> read() override { return std::make_unique<Txn>(log); }
    std::unique_ptr<store::WriteTxn> write() override { throw std::logic_error("read-only fake"); }
};

class TransferTest : public ::testing::Test {
  protected:
    void publish(ZoneSnapshotPtr z) { catalog.publish(std::move(z)); }
    std::vector<std::vector<std::uint8_t>> ask(const TransferService& svc,
                                               const std::vector<std::uint8_t>& query,
                                               const char* client = "127.0.0.1") {
        std::vector<std::vector<std::uint8_t>> out;
        EXPECT_TRUE(svc.answer_tcp(query, make_address(client), out));
        return out;
    }

    ZoneCatalog catalog;
    QueryStats stats;
};

TEST_F(TransferTest, AxfrStartsAndEndsWithTheSoaAndCarriesEveryRecord) {
    publish(small_zone(1000, 20));
    TransferService svc(catalog, Acl({"127.0.0.0/8"}), nullptr, &stats);
    auto t = flatten(ask(svc, make_query("Example.ORG.", KNOT_RRTYPE_AXFR, 0x7777)));

    ASSERT_EQ(t.messages.size(), 1u);
    const Parsed& m = t.messages.front();
    EXPECT_EQ(m.id(), 0x7777);
    EXPECT_TRUE(m.aa());
    EXPECT_EQ(m.rcode(), KNOT_RCODE_NOERROR);
    ASSERT_EQ(m.qdcount(), 1);
    // The question keeps the client's case.
    EXPECT_EQ(wire::name_to_text(knot_pkt_wire_qname(m.pkt.get())), "Example.ORG.");

    ASSERT_GE(t.rrs.size(), 2u);
    EXPECT_EQ(t.rrs.front().type, KNOT_RRTYPE_SOA);
    EXPECT_EQ(t.rrs.back().type, KNOT_RRTYPE_SOA);
    EXPECT_EQ(t.rrs.front().soa_serial, 1000u);
    EXPECT_EQ(t.rrs.size(), zone_records(*catalog.get("example.org.")) + 1);
    std::size_t soas = 0;
    for (const auto& r : t.rrs) soas += r.type == KNOT_RRTYPE_SOA;
    EXPECT_EQ(soas, 2u);
    EXPECT_EQ(stats.snapshot().axfr, 1u);
}

TEST_F(TransferTest, LargeZoneIsSplitIntoMessagesOfAtMost64KiB) {
    publish(small_zone(5, 8000));
    TransferService svc(catalog, Acl({"127.0.0.0/8"}), nullptr, nullptr);
    auto raw = ask(svc, make_query("example.org.", KNOT_RRTYPE_AXFR));
    ASSERT_GT(raw.size(), 1u);
    for (const auto& msg : raw) EXPECT_LE(msg.size(), 65535u);
    auto t = flatten(std::move(raw));
    for (const auto& m : t.messages) {
        EXPECT_EQ(m.id(), 0x1234);
        EXPECT_TRUE(m.aa());
        EXPECT_EQ(m.qdcount(), 1);
    }
    EXPECT_EQ(t.rrs.size(), zone_records(*catalog.get("example.org.")) + 1);
    EXPECT_EQ(t.rrs.front().type, KNOT_RRTYPE_SOA);
    EXPECT_EQ(t.rrs.back().type, KNOT_RRTYPE_SOA);
}

TEST_F(TransferTest, AnRRsetLargerThanOneMessageIsSplitRecordByRecord) {
    core::Zone z = make_zone("big.test.", 9);
    std::vector<std::string> txt;
    for (int i = 0; i < 600; ++i) {
        txt.push_back("\"" + std::to_string(i) + std::string(240, 'x') + "\"");
    }
    publish(build_snapshot(z, {make_set(z, "big.test.", "NS", {"ns.big.test."}),
                               make_set(z, "t.big.test.", "TXT", txt)}));
    TransferService svc(catalog, Acl({"127.0.0.1"}), nullptr, nullptr);
    auto raw = ask(svc, make_query("big.test.", KNOT_RRTYPE_AXFR));
    EXPECT_GE(raw.size(), 3u);  // 600 x ~250 octets > 2 x 64 KiB
    auto t = flatten(std::move(raw));
    std::size_t txt_records = 0;
    for (const auto& r : t.rrs) txt_records += r.type == KNOT_RRTYPE_TXT;
    EXPECT_EQ(txt_records, 600u);
    EXPECT_EQ(t.rrs.back().type, KNOT_RRTYPE_SOA);
}

TEST_F(TransferTest, ClientsOutsideTheAclAreRefused) {
    publish(small_zone());
    TransferService svc(catalog, Acl({"10.0.0.0/8"}), nullptr, &stats);
    auto t = flatten(ask(svc, make_query("example.org.", KNOT_RRTYPE_AXFR), "127.0.0.1"));
    ASSERT_EQ(t.messages.size(), 1u);
    EXPECT_EQ(t.messages[0].rcode(), KNOT_RCODE_REFUSED);
    EXPECT_TRUE(t.rrs.empty());
    auto ok = flatten(ask(svc, make_query("example.org.", KNOT_RRTYPE_AXFR), "10.9.8.7"));
    EXPECT_EQ(ok.messages[0].rcode(), KNOT_RCODE_NOERROR);
    EXPECT_EQ(stats.snapshot().rcode[KNOT_RCODE_REFUSED], 1u);
}

TEST_F(TransferTest, NamesThatAreNotAZoneApexGetNotAuth) {
    publish(small_zone());
    TransferService svc(catalog, Acl({"127.0.0.0/8"}), nullptr, nullptr);
    for (const char* name : {"www.example.org.", "example.net.", "org."}) {
        auto t = flatten(ask(svc, make_query(name, KNOT_RRTYPE_AXFR)));
        ASSERT_EQ(t.messages.size(), 1u) << name;
        EXPECT_EQ(t.messages[0].rcode(), KNOT_RCODE_NOTAUTH) << name;
        EXPECT_EQ(t.messages[0].qdcount(), 1) << name;
    }
}

TEST_F(TransferTest, MalformedRequestsGetFormErrAndResponsesAreDropped) {
    publish(small_zone());
    TransferService svc(catalog, Acl({"127.0.0.0/8"}), nullptr, nullptr);
    // IXFR without the client's SOA in the authority section.
    auto t = flatten(ask(svc, make_query("example.org.", KNOT_RRTYPE_IXFR)));
    EXPECT_EQ(t.messages.at(0).rcode(), KNOT_RCODE_FORMERR);
    // Trailing garbage after the question.
    auto q = make_query("example.org.", KNOT_RRTYPE_AXFR);
    q.push_back(0xFF);
    EXPECT_EQ(flatten(ask(svc, q)).messages.at(0).rcode(), KNOT_RCODE_FORMERR);
    // A response (QR=1) and a runt are not answered.
    auto r = make_query("example.org.", KNOT_RRTYPE_AXFR);
    knot_wire_set_qr(r.data());
    std::vector<std::vector<std::uint8_t>> out;
    EXPECT_FALSE(svc.answer_tcp(r, make_address("127.0.0.1"), out));
    EXPECT_FALSE(
        svc.answer_tcp(std::vector<std::uint8_t>{1, 2, 3}, make_address("127.0.0.1"), out));
    EXPECT_TRUE(out.empty());
}

TEST_F(TransferTest, IxfrFromTheCurrentSerialIsTheSoaAlone) {
    publish(small_zone(1000));
    TransferService svc(catalog, Acl({"127.0.0.0/8"}), nullptr, &stats);
    auto t = flatten(ask(svc, make_ixfr("example.org.", 1000)));
    ASSERT_EQ(t.rrs.size(), 1u);
    EXPECT_EQ(t.rrs[0].type, KNOT_RRTYPE_SOA);
    EXPECT_EQ(t.rrs[0].soa_serial, 1000u);
    EXPECT_EQ(stats.snapshot().ixfr, 1u);
}

TEST_F(TransferTest, IxfrWithoutAChangeLogFallsBackToAFullTransfer) {
    publish(small_zone(1000, 5));
    TransferService svc(catalog, Acl({"127.0.0.0/8"}), nullptr, nullptr);
    auto t = flatten(ask(svc, make_ixfr("example.org.", 990)));
    EXPECT_EQ(t.rrs.size(), zone_records(*catalog.get("example.org.")) + 1);
    EXPECT_EQ(t.rrs.front().type, KNOT_RRTYPE_SOA);
    EXPECT_NE(t.rrs.at(1).type, KNOT_RRTYPE_SOA);  // AXFR form, not a difference
}

TEST_F(TransferTest, IxfrSendsTheDifferenceSequenceFromTheChangeLog) {
    publish(small_zone(1002));
    FakeChangeLog log;
    core::ZoneChange c1;
    c1.zone_id = "zone-example.org.";
    c1.zone_name = "example.org.";
    c1.old_serial = 1000;
    c1.new_serial = 1001;
    c1.added = {{"new.example.org.", "A", 300, "192.0.2.9"}};
    core::ZoneChange c2 = c1;
    c2.old_serial = 1001;
    c2.new_serial = 1002;
    c2.added.clear();
    c2.removed = {{"www.example.org.", "A", 3600, "192.0.2.3"}};
    log.log = {c1, c2};
    TransferService svc(catalog, Acl({"127.0.0.0/8"}), &log, nullptr);

    auto t = flatten(ask(svc, make_ixfr("example.org.", 1000)));
    std::vector<std::pair<std::uint16_t, std::uint32_t>> seq;
    for (const auto& r : t.rrs) seq.emplace_back(r.type, r.soa_serial);
    const std::vector<std::pair<std::uint16_t, std::uint32_t>> expected = {
        {KNOT_RRTYPE_SOA, 1002}, {KNOT_RRTYPE_SOA, 1000}, {KNOT_RRTYPE_SOA, 1001},
        {KNOT_RRTYPE_A, 0},      {KNOT_RRTYPE_SOA, 1001}, {KNOT_RRTYPE_A, 0},
        {KNOT_RRTYPE_SOA, 1002}, {KNOT_RRTYPE_SOA, 1002}};
    EXPECT_EQ(seq, expected);
    EXPECT_EQ(t.rrs[3].owner, "new.example.org.");
    EXPECT_EQ(t.rrs[5].owner, "www.example.org.");

    // From a serial the log does not reach: full transfer.
    auto full = flatten(ask(svc, make_ixfr("example.org.", 900)));
    EXPECT_EQ(full.rrs.size(), zone_records(*catalog.get("example.org.")) + 1);
}

TEST(TransferWriter, StartsAMessageWithTheQuestionWhenTheFirstIsFull) {
    core::Zone z = make_zone("w.test.");
    auto snap = build_snapshot(z, {make_set(z, "w.test.", "NS", {"ns.w.test."})});
    std::vector<std::vector<std::uint8_t>> out;
    const std::string qname = case_kept_wire("w.test.");
    TransferWriter w(7, reinterpret_cast<const knot_dname_t*>(qname.data()), KNOT_RRTYPE_AXFR, out,
                     100);
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(w.put(snap->soa_rrset()));
    EXPECT_GE(w.finish(), 3u);  // one SOA (~60 octets) per 100-octet message
    for (auto& m : out) {
        EXPECT_LE(m.size(), 100u);
        EXPECT_EQ(knot_wire_get_qdcount(m.data()), 1);
        EXPECT_EQ(knot_wire_get_id(m.data()), 7);
    }
}

}  // namespace
}  // namespace dnsplane::dns
