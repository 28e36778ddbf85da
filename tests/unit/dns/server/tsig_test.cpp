// TSIG through libknot: a request signed by a client verifies against the key
// ring, replies are signed so that the client's check passes, and unknown
// keys / wrong secrets are told apart.
#include "dns/server/tsig.h"

#include <gtest/gtest.h>

#include <memory>

namespace dnsplane::dns {
namespace {

const char* kSecret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ==";

store::TsigKey key(const std::string& name, const std::string& alg = "hmac-sha256",
                   const std::string& secret = kSecret) {
    store::TsigKey k;
    k.id = "id-" + name;
    k.name = name;
    k.algorithm = alg;
    k.secret = secret;
    k.scope = "POOL";
    k.resource_id = "pool";
    return k;
}

struct KnotKey {
    knot_tsig_key_t k{};
    explicit KnotKey(const store::TsigKey& s) {
        EXPECT_EQ(knot_tsig_key_init(&k, s.algorithm.c_str(), s.name.c_str(), s.secret.c_str()),
                  KNOT_EOK);
    }
    ~KnotKey() { knot_tsig_key_deinit(&k); }
};

// A signed SOA query for example.org. and the MAC the client keeps.
std::vector<std::uint8_t> signed_request(const store::TsigKey& as, std::vector<std::uint8_t>& mac) {
    std::vector<std::uint8_t> w(4096);
    knot_pkt_t* pkt = knot_pkt_new(w.data(), w.size(), nullptr);
    knot_wire_set_id(pkt->wire, 77);
    knot_wire_set_opcode(pkt->wire, KNOT_OPCODE_UPDATE);
    knot_dname_t* zone = knot_dname_from_str_alloc("example.org.");
    EXPECT_EQ(knot_pkt_put_question(pkt, zone, KNOT_CLASS_IN, KNOT_RRTYPE_SOA), KNOT_EOK);
    knot_dname_free(zone, nullptr);
    std::size_t len = pkt->size;
    knot_pkt_free(pkt);
    KnotKey k(as);
    mac.assign(64, 0);
    std::size_t mac_len = mac.size();
    EXPECT_EQ(
        knot_tsig_sign(w.data(), &len, w.size(), nullptr, 0, mac.data(), &mac_len, &k.k, 0, 0),
        KNOT_EOK);
    mac.resize(mac_len);
    w.resize(len);
    return w;
}

struct Parsed {
    std::vector<std::uint8_t> wire;
    knot_pkt_t* pkt;
    explicit Parsed(std::vector<std::uint8_t> w) : wire(std::move(w)) {
        pkt = knot_pkt_new(wire.data(), wire.size(), nullptr);
        EXPECT_EQ(knot_pkt_parse(pkt, 0), KNOT_EOK);
    }
    ~Parsed() { knot_pkt_free(pkt); }
};

std::shared_ptr<const TsigKeySet> ring(std::vector<store::TsigKey> keys) {
    return std::make_shared<const TsigKeySet>(keys);
}

TEST(Tsig, SignedRequestVerifiesAndTheReplyPassesTheClientsCheck) {
    for (const char* alg :
         {"hmac-md5", "hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512"}) {
        const auto k = key("update-key.", alg);
        std::vector<std::uint8_t> mac;
        Parsed req(signed_request(k, mac));
        TsigSession s;
        ASSERT_EQ(s.verify(req.pkt, req.wire, ring({key("other."), k})), TsigStatus::Ok) << alg;
        EXPECT_EQ(s.key_name(), "update-key.");
        EXPECT_EQ(s.key()->meta.id, k.id);

        // A reply: the request's header and question with QR set.
        std::vector<std::uint8_t> reply(req.wire.begin(), req.wire.begin() + req.pkt->size);
        knot_wire_set_qr(reply.data());
        knot_wire_set_arcount(reply.data(), 0);
        ASSERT_TRUE(s.sign(reply));
        Parsed got(reply);
        ASSERT_NE(got.pkt->tsig_rr, nullptr);
        KnotKey kk(k);
        EXPECT_EQ(knot_tsig_client_check(got.pkt->tsig_rr, got.pkt->wire, got.pkt->size, mac.data(),
                                         mac.size(), &kk.k, 0),
                  KNOT_EOK)
            << alg;
    }
}

TEST(Tsig, UnknownKeyWrongSecretAndUnsignedAreToldApart) {
    std::vector<std::uint8_t> mac;
    Parsed unknown(signed_request(key("stranger."), mac));
    TsigSession s1;
    EXPECT_EQ(s1.verify(unknown.pkt, unknown.wire, ring({key("update-key.")})), TsigStatus::BadKey);
    EXPECT_EQ(s1.key_name(), "stranger.");

    Parsed forged(signed_request(key("update-key.", "hmac-sha256", "Zm9yZ2VkLXNlY3JldA=="), mac));
    TsigSession s2;
    EXPECT_EQ(s2.verify(forged.pkt, forged.wire, ring({key("update-key.")})), TsigStatus::BadSig);

    // Same name, other algorithm: BADKEY (RFC 8945 5.2.1).
    Parsed other_alg(signed_request(key("update-key.", "hmac-sha512"), mac));
    TsigSession s3;
    EXPECT_EQ(s3.verify(other_alg.pkt, other_alg.wire, ring({key("update-key.")})),
              TsigStatus::BadKey);

    // Error replies carry the unsigned TSIG RR with the error code.
    std::vector<std::uint8_t> reply(forged.wire.begin(), forged.wire.begin() + forged.pkt->size);
    knot_wire_set_qr(reply.data());
    knot_wire_set_arcount(reply.data(), 0);
    ASSERT_TRUE(s2.sign(reply));
    Parsed got(reply);
    ASSERT_NE(got.pkt->tsig_rr, nullptr);
    EXPECT_EQ(knot_tsig_rdata_error(got.pkt->tsig_rr), KNOT_RCODE_BADSIG);
    EXPECT_EQ(knot_tsig_rdata_mac_length(got.pkt->tsig_rr), 0u);

    std::vector<std::uint8_t> plain(forged.wire.begin(), forged.wire.begin() + 12);
    knot_wire_set_arcount(plain.data(), 0);
    knot_wire_set_qdcount(plain.data(), 0);
    Parsed unsigned_msg(plain);
    TsigSession s4;
    EXPECT_EQ(s4.verify(unsigned_msg.pkt, unsigned_msg.wire, ring({key("update-key.")})),
              TsigStatus::Unsigned);
}

TEST(Tsig, KeyringRebuildsOnlyWhenTheSourceChanges) {
    auto keys = std::make_shared<const std::vector<store::TsigKey>>(
        std::vector<store::TsigKey>{key("a."), key("b.", "hmac-bogus")});
    TsigKeyring r([&] { return keys; });
    auto first = r.current();
    EXPECT_EQ(first->size(), 1u);  // the unusable key is skipped
    EXPECT_EQ(r.current(), first);
    keys = std::make_shared<const std::vector<store::TsigKey>>(
        std::vector<store::TsigKey>{key("a."), key("c.")});
    EXPECT_EQ(r.current()->size(), 2u);
}

// An unsigned AXFR query for example.org.
std::vector<std::uint8_t> axfr_query() {
    std::vector<std::uint8_t> w(512);
    knot_pkt_t* pkt = knot_pkt_new(w.data(), w.size(), nullptr);
    knot_wire_set_id(pkt->wire, 99);
    knot_dname_t* zone = knot_dname_from_str_alloc("example.org.");
    EXPECT_EQ(knot_pkt_put_question(pkt, zone, KNOT_CLASS_IN, KNOT_RRTYPE_AXFR), KNOT_EOK);
    knot_dname_free(zone, nullptr);
    w.resize(pkt->size);
    knot_pkt_free(pkt);
    return w;
}

TEST(Tsig, ClientChecksEveryMessageOfASignedTransferInOrder) {
    auto zone_key = key("xfr-key.");
    zone_key.scope = "ZONE";
    zone_key.resource_id = "zone-1";
    auto keys = ring({key("pool-key."), zone_key});
    ASSERT_NE(keys->find_for_zone("zone-1"), nullptr);
    EXPECT_EQ(keys->find_for_zone("zone-1")->meta.name, "xfr-key.");
    EXPECT_EQ(keys->find_for_zone("pool"), nullptr);  // POOL keys are no zone's

    // Three signed answer messages to one signed query (RFC 8945 5.3.1).
    auto exchange = [&](TsigClient& client) {
        std::vector<std::uint8_t> query = axfr_query();
        EXPECT_TRUE(client.sign(query));
        Parsed req(query);
        TsigSession server;
        EXPECT_EQ(server.verify(req.pkt, req.wire, keys), TsigStatus::Ok);
        std::vector<std::vector<std::uint8_t>> replies;
        for (int i = 0; i < 3; ++i) {
            std::vector<std::uint8_t> reply(req.wire.begin(), req.wire.begin() + req.pkt->size);
            knot_wire_set_qr(reply.data());
            knot_wire_set_arcount(reply.data(), 0);
            EXPECT_TRUE(server.sign(reply));
            replies.push_back(std::move(reply));
        }
        return replies;
    };
    {
        TsigClient client(keys, *keys->find_for_zone("zone-1"));
        auto replies = exchange(client);
        for (const auto& r : replies) EXPECT_TRUE(client.stream_reply_verifies(r));
    }
    {  // a message left out breaks the chain
        TsigClient client(keys, *keys->find_for_zone("zone-1"));
        auto replies = exchange(client);
        EXPECT_TRUE(client.stream_reply_verifies(replies[0]));
        EXPECT_FALSE(client.stream_reply_verifies(replies[2]));
    }
    {  // a changed byte, or a message without TSIG, does not verify
        TsigClient client(keys, *keys->find_for_zone("zone-1"));
        auto replies = exchange(client);
        EXPECT_TRUE(client.stream_reply_verifies(replies[0]));
        auto tampered = replies[1];
        tampered[2] ^= 0x01;  // a header flag
        EXPECT_FALSE(client.stream_reply_verifies(tampered));
        EXPECT_FALSE(client.stream_reply_verifies(axfr_query()));
    }
}

}  // namespace
}  // namespace dnsplane::dns
