// TSIG (RFC 8945) for the server: the key ring built from the store's keys
// (service::TsigKeys), verification of a signed request and signing of the
// replies, all through libknot's knot_tsig_* (no HMAC framing here).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "dns/wire_libknot.h"
#include "store/store.h"

namespace dnsplane::dns {

// One usable key: the store's row and libknot's form of it.
struct TsigKeyEntry {
    store::TsigKey meta;  // name, algorithm, scope, resource_id (secret stays here only)
    knot_tsig_key_t key{};
    TsigKeyEntry() = default;
    TsigKeyEntry(const TsigKeyEntry&) = delete;
    TsigKeyEntry& operator=(const TsigKeyEntry&) = delete;
    ~TsigKeyEntry() { knot_tsig_key_deinit(&key); }
};

class TsigKeySet {
  public:
    explicit TsigKeySet(const std::vector<store::TsigKey>& keys);
    // The key whose name equals `owner` (wire form, any case); null if none.
    const TsigKeyEntry* find(const knot_dname_t* owner) const;
    // The key bound to a zone (Designate: scope ZONE, resource_id the zone's
    // id); null if none. It signs the zone's transfers from its masters.
    const TsigKeyEntry* find_for_zone(const std::string& zone_id) const;
    std::size_t size() const { return entries_.size(); }

  private:
    std::vector<std::unique_ptr<TsigKeyEntry>> entries_;
};

// The current key set, rebuilt when the source hands out a new snapshot.
class TsigKeyring {
  public:
    using Source = std::function<std::shared_ptr<const std::vector<store::TsigKey>>()>;
    explicit TsigKeyring(Source source) : source_(std::move(source)) {}
    std::shared_ptr<const TsigKeySet> current();

  private:
    Source source_;
    std::mutex mutex_;
    std::shared_ptr<const std::vector<store::TsigKey>> seen_;
    std::shared_ptr<const TsigKeySet> set_;
};

enum class TsigStatus {
    Unsigned,  // no TSIG RR
    Ok,        // verified
    BadKey,    // unknown key name or algorithm (NOTAUTH, TSIG error BADKEY)
    BadSig,    // MAC does not verify (NOTAUTH, BADSIG)
    BadTime,   // outside the fudge (NOTAUTH, BADTIME; the reply is signed)
    FormErr,   // malformed TSIG
};

// What signing the reply(ies) to one request needs. Keeps the key set alive.
class TsigSession {
  public:
    // Verifies a parsed request (`pkt->tsig_rr`). `original` is the request
    // as received: knot_pkt_parse lower-cases the question name in place, and
    // the MAC covers the name as the client wrote it.
    TsigStatus verify(const knot_pkt_t* pkt, std::span<const std::uint8_t> original,
                      std::shared_ptr<const TsigKeySet> keys);

    TsigStatus status() const { return status_; }
    const TsigKeyEntry* key() const { return key_; }
    // The key name as sent (presentation, lower case) or "" when unsigned.
    const std::string& key_name() const { return key_name_; }
    // Refuses the request after verification (key not allowed for the zone):
    // the reply then carries the unsigned TSIG error BADKEY.
    void refuse_key() { status_ = TsigStatus::BadKey; }

    // Appends the TSIG RR to a reply in `msg` (which may grow to 65535):
    // signed for Ok/BadTime (the first reply with the request MAC, later
    // ones per RFC 8945 5.3.1), an unsigned error record for BadKey/BadSig,
    // nothing when unsigned. Returns false when it cannot (reply too large).
    bool sign(std::vector<std::uint8_t>& msg);

  private:
    TsigStatus status_ = TsigStatus::Unsigned;
    std::shared_ptr<const TsigKeySet> keys_;
    const TsigKeyEntry* key_ = nullptr;
    std::string key_name_;
    std::vector<std::uint8_t> digest_;  // request MAC, then our previous MAC
    std::uint64_t time_signed_ = 0;     // BADTIME: the request's
    // The request's TSIG RR (copied: error replies echo it).
    std::shared_ptr<knot_rrset_t> request_tsig_;
    std::size_t sent_ = 0;
};

// The client side, for messages dnsplane sends (NOTIFY; SOA queries and
// transfers to the masters of SECONDARY zones): signs one request with a key
// and accepts only replies signed with that key over our MAC.
class TsigClient {
  public:
    // `keys` keeps `key` alive.
    TsigClient(std::shared_ptr<const TsigKeySet> keys, const TsigKeyEntry& key)
        : keys_(std::move(keys)), key_(&key) {}
    // Appends the TSIG RR (time now). False when it cannot (message too large).
    bool sign(std::vector<std::uint8_t>& msg);
    // True when `reply` carries a TSIG RR of our key that verifies against the
    // MAC of the last request signed (RFC 8945 5.3 as seen by the client).
    bool reply_verifies(std::span<const std::uint8_t> reply) const;
    // The next message of a multi-message answer (AXFR/IXFR, RFC 8945
    // 5.3.1): the first must verify over our request's MAC, each next one
    // over the MAC of the message before. Every message must be signed (as
    // Knot DNS and BIND sign them); a message that is not breaks the chain.
    bool stream_reply_verifies(std::span<const std::uint8_t> reply);
    const std::string& key_name() const { return key_->meta.name; }

  private:
    // Verifies `reply` over `prior_mac` (request MAC, or the previous
    // reply's with `next`); sets `reply_mac` to the reply's own MAC.
    bool verify(std::span<const std::uint8_t> reply, const std::vector<std::uint8_t>& prior_mac,
                bool next, std::vector<std::uint8_t>* reply_mac) const;

    std::shared_ptr<const TsigKeySet> keys_;
    const TsigKeyEntry* key_;
    std::vector<std::uint8_t> mac_;         // of the request signed
    std::vector<std::uint8_t> stream_mac_;  // of the last stream message verified
};

}  // namespace dnsplane::dns
