#include "dns/server/tsig.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace dnsplane::dns {

namespace {
constexpr std::size_t kMaxMessage = 65535;
}

TsigKeySet::TsigKeySet(const std::vector<store::TsigKey>& keys) {
    for (const auto& k : keys) {
        auto e = std::make_unique<TsigKeyEntry>();
        e->meta = k;
        if (knot_tsig_key_init(&e->key, k.algorithm.c_str(), k.name.c_str(), k.secret.c_str()) !=
            KNOT_EOK) {
            // Never log the secret: name and algorithm say which key.
            spdlog::warn("tsig: key {} ({}) cannot be used; skipped", k.name, k.algorithm);
            e->key = knot_tsig_key_t{};
            continue;
        }
        entries_.push_back(std::move(e));
    }
}

const TsigKeyEntry* TsigKeySet::find(const knot_dname_t* owner) const {
    for (const auto& e : entries_)
        if (knot_dname_is_case_equal(e->key.name, owner)) return e.get();
    return nullptr;
}

const TsigKeyEntry* TsigKeySet::find_for_zone(const std::string& zone_id) const {
    for (const auto& e : entries_)
        if (e->meta.scope == "ZONE" && e->meta.resource_id == zone_id) return e.get();
    return nullptr;
}

std::shared_ptr<const TsigKeySet> TsigKeyring::current() {
    auto keys = source_();
    std::lock_guard lock(mutex_);
    if (!set_ || keys != seen_) {
        static const std::vector<store::TsigKey> none;
        set_ = std::make_shared<const TsigKeySet>(keys ? *keys : none);
        seen_ = std::move(keys);
    }
    return set_;
}

TsigStatus TsigSession::verify(const knot_pkt_t* pkt, std::span<const std::uint8_t> original,
                               std::shared_ptr<const TsigKeySet> keys) {
    keys_ = std::move(keys);
    key_ = nullptr;
    sent_ = 0;
    const knot_rrset_t* rr = pkt->tsig_rr;
    if (rr == nullptr) return status_ = TsigStatus::Unsigned;
    request_tsig_.reset(knot_rrset_copy(rr, nullptr),
                        [](knot_rrset_t* r) { knot_rrset_free(r, nullptr); });
    if (!request_tsig_ || !knot_tsig_rdata_is_ok(rr)) return status_ = TsigStatus::FormErr;
    if (char* name = knot_dname_to_str_alloc(rr->owner)) {
        key_name_ = name;
        free(name);
        std::transform(key_name_.begin(), key_name_.end(), key_name_.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    const uint8_t* mac = knot_tsig_rdata_mac(rr);
    digest_.assign(mac, mac + knot_tsig_rdata_mac_length(rr));
    const TsigKeyEntry* entry = keys_ ? keys_->find(rr->owner) : nullptr;
    // Same name, other algorithm: BADKEY too (RFC 8945 5.2.1; libknot says BADSIG).
    if (entry == nullptr || knot_tsig_rdata_alg(rr) != entry->key.algorithm)
        return status_ = TsigStatus::BadKey;
    key_ = entry;
    // As Knot: the wire without the TSIG RR (knot_pkt_parse strips it from size).
    if (original.size() < pkt->size) return status_ = TsigStatus::FormErr;
    // The request as sent (question case kept) with the header counts libknot
    // left after taking the TSIG RR off (ARCOUNT one less).
    std::vector<std::uint8_t> signed_part(
        original.begin(), original.begin() + static_cast<std::ptrdiff_t>(pkt->size));
    knot_wire_set_arcount(signed_part.data(), knot_wire_get_arcount(pkt->wire));
    const int ret = knot_tsig_server_check(rr, signed_part.data(), pkt->size, &entry->key);
    switch (ret) {
        case KNOT_EOK:
            return status_ = TsigStatus::Ok;
        case KNOT_TSIG_EBADKEY:
            key_ = nullptr;
            return status_ = TsigStatus::BadKey;
        case KNOT_TSIG_EBADSIG:
        case KNOT_TSIG_EBADTRUNC:
            key_ = nullptr;
            return status_ = TsigStatus::BadSig;
        case KNOT_TSIG_EBADTIME:
            time_signed_ = knot_tsig_rdata_time_signed(rr);
            return status_ = TsigStatus::BadTime;
        default:
            key_ = nullptr;
            return status_ = TsigStatus::FormErr;
    }
}

bool TsigSession::sign(std::vector<std::uint8_t>& msg) {
    std::size_t len = msg.size();
    switch (status_) {
        case TsigStatus::Unsigned:
        case TsigStatus::FormErr:
            return true;
        case TsigStatus::BadKey:
        case TsigStatus::BadSig: {
            if (!request_tsig_) return true;
            msg.resize(kMaxMessage);
            const int ret =
                knot_tsig_add(msg.data(), &len, msg.size(),
                              status_ == TsigStatus::BadKey ? KNOT_RCODE_BADKEY : KNOT_RCODE_BADSIG,
                              request_tsig_.get());
            msg.resize(len);  // unchanged on failure
            return ret == KNOT_EOK;
        }
        case TsigStatus::Ok:
        case TsigStatus::BadTime:
            break;
    }
    const std::size_t unsigned_len = len;
    msg.resize(kMaxMessage);
    std::vector<std::uint8_t> digest(64);  // the longest MAC (HMAC-SHA512)
    std::size_t digest_len = digest.size();
    int ret;
    if (sent_ == 0) {
        ret = knot_tsig_sign(msg.data(), &len, msg.size(), digest_.data(), digest_.size(),
                             digest.data(), &digest_len, &key_->key,
                             status_ == TsigStatus::BadTime ? KNOT_RCODE_BADTIME : 0,
                             status_ == TsigStatus::BadTime ? time_signed_ : 0);
    } else {
        ret = knot_tsig_sign_next(msg.data(), &len, msg.size(), digest_.data(), digest_.size(),
                                  digest.data(), &digest_len, &key_->key, msg.data(), len);
    }
    if (ret != KNOT_EOK) {
        msg.resize(unsigned_len);
        return false;
    }
    msg.resize(len);
    digest_.assign(digest.begin(), digest.begin() + static_cast<std::ptrdiff_t>(digest_len));
    ++sent_;
    return true;
}

bool TsigClient::sign(std::vector<std::uint8_t>& msg) {
    std::size_t len = msg.size();
    const std::size_t unsigned_len = len;
    msg.resize(kMaxMessage);
    std::vector<std::uint8_t> digest(64);  // the longest MAC (HMAC-SHA512)
    std::size_t digest_len = digest.size();
    const int ret = knot_tsig_sign(msg.data(), &len, msg.size(), nullptr, 0, digest.data(),
                                   &digest_len, &key_->key, 0, 0);
    if (ret != KNOT_EOK) {
        msg.resize(unsigned_len);
        return false;
    }
    msg.resize(len);
    mac_.assign(digest.begin(), digest.begin() + static_cast<std::ptrdiff_t>(digest_len));
    return true;
}

bool TsigClient::reply_verifies(std::span<const std::uint8_t> reply) const {
    return verify(reply, mac_, false, nullptr);
}

bool TsigClient::stream_reply_verifies(std::span<const std::uint8_t> reply) {
    const bool first = stream_mac_.empty();
    std::vector<std::uint8_t> reply_mac;
    if (!verify(reply, first ? mac_ : stream_mac_, !first, &reply_mac)) return false;
    stream_mac_ = std::move(reply_mac);
    return true;
}

bool TsigClient::verify(std::span<const std::uint8_t> reply,
                        const std::vector<std::uint8_t>& prior_mac, bool next,
                        std::vector<std::uint8_t>* reply_mac) const {
    if (prior_mac.empty()) return false;
    // knot_pkt_parse works in place (lower-cases the question, takes the
    // TSIG RR off the size and ARCOUNT): parse a copy, check the MAC over
    // the bytes as received with the ARCOUNT libknot left.
    std::vector<std::uint8_t> copy(reply.begin(), reply.end());
    knot_pkt_t* pkt = knot_pkt_new(copy.data(), copy.size(), nullptr);
    if (pkt == nullptr) return false;
    bool ok = false;
    if (knot_pkt_parse(pkt, 0) == KNOT_EOK && pkt->tsig_rr != nullptr &&
        knot_dname_is_case_equal(pkt->tsig_rr->owner, key_->key.name) &&
        knot_tsig_rdata_alg(pkt->tsig_rr) == key_->key.algorithm && pkt->size <= reply.size()) {
        std::vector<std::uint8_t> signed_part(
            reply.begin(), reply.begin() + static_cast<std::ptrdiff_t>(pkt->size));
        knot_wire_set_arcount(signed_part.data(), knot_wire_get_arcount(pkt->wire));
        const int ret =
            next ? knot_tsig_client_check_next(pkt->tsig_rr, signed_part.data(), signed_part.size(),
                                               prior_mac.data(), prior_mac.size(), &key_->key, 0)
                 : knot_tsig_client_check(pkt->tsig_rr, signed_part.data(), signed_part.size(),
                                          prior_mac.data(), prior_mac.size(), &key_->key, 0);
        ok = ret == KNOT_EOK && knot_tsig_rdata_error(pkt->tsig_rr) == 0;
        if (ok && reply_mac) {
            const std::uint8_t* mac = knot_tsig_rdata_mac(pkt->tsig_rr);
            reply_mac->assign(mac, mac + knot_tsig_rdata_mac_length(pkt->tsig_rr));
        }
    }
    knot_pkt_free(pkt);
    return ok;
}

}  // namespace dnsplane::dns
