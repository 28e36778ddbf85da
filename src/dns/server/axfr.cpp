#include "dns/server/axfr.h"

#include <spdlog/spdlog.h>
#include "dns/wire_libknot.h"

#include <cstring>
#include <memory>
#include <optional>

#include "dns/server/transfer_writer.h"
#include "dns/wire.h"

namespace dnsplane::dns {

namespace {

struct PktDeleter {
    void operator()(knot_pkt_t* p) const { knot_pkt_free(p); }
};
using PktPtr = std::unique_ptr<knot_pkt_t, PktDeleter>;

struct RRsetDeleter {
    void operator()(knot_rrset_t* r) const { knot_rrset_free(r, nullptr); }
};
using RRsetPtr = std::unique_ptr<knot_rrset_t, RRsetDeleter>;

// RFC 1982: true when serial a is older than b.
bool serial_older(std::uint32_t a, std::uint32_t b) {
    return a != b && static_cast<std::int32_t>(b - a) > 0;
}

// A request parsed by libknot over a private copy of its bytes.
struct Request {
    std::vector<std::uint8_t> bytes;
    PktPtr pkt;
    bool question_ok = false;  // header and question parsed
    bool fully_ok = false;     // every section parsed
};

// nullopt: drop silently (no header, or a response).
std::optional<Request> parse_request(std::span<const std::uint8_t> query) {
    if (query.size() < KNOT_WIRE_HEADER_SIZE || knot_wire_get_qr(query.data())) {
        return std::nullopt;
    }
    Request req;
    req.bytes.assign(query.begin(), query.end());
    if (knot_wire_get_qdcount(req.bytes.data()) != 1) {
        req.pkt.reset(knot_pkt_new(req.bytes.data(), req.bytes.size(), nullptr));
        return req;
    }
    req.pkt.reset(knot_pkt_new(req.bytes.data(), req.bytes.size(), nullptr));
    if (knot_pkt_parse(req.pkt.get(), 0) == KNOT_EOK) {
        req.question_ok = req.fully_ok = true;
        return req;
    }
    // Some later section is malformed: keep the question for the FORMERR.
    req.pkt.reset(knot_pkt_new(req.bytes.data(), req.bytes.size(), nullptr));
    req.question_ok = knot_pkt_parse_question(req.pkt.get()) == KNOT_EOK;
    return req;
}

// A header-only (plus question, when it parsed) reply with `rcode`.
std::vector<std::uint8_t> error_reply(const Request& req, std::uint16_t rcode) {
    std::vector<std::uint8_t> buf(KNOT_WIRE_HEADER_SIZE + KNOT_DNAME_MAXLEN + 4);
    PktPtr pkt(knot_pkt_new(buf.data(), buf.size(), nullptr));
    const std::uint8_t* q = req.bytes.data();
    knot_wire_set_id(pkt->wire, knot_wire_get_id(q));
    knot_wire_set_qr(pkt->wire);
    knot_wire_set_opcode(pkt->wire, knot_wire_get_opcode(q));
    if (knot_wire_get_rd(q)) knot_wire_set_rd(pkt->wire);
    if (req.question_ok) {
        knot_pkt_put_question(pkt.get(), knot_pkt_wire_qname(req.pkt.get()),
                              knot_pkt_qclass(req.pkt.get()), knot_pkt_qtype(req.pkt.get()));
    }
    knot_wire_set_rcode(pkt->wire, static_cast<std::uint8_t>(rcode));
    buf.resize(pkt->size);
    return buf;
}

// The client's serial from the SOA in the authority section of an IXFR.
std::optional<std::uint32_t> client_serial(const knot_pkt_t* pkt) {
    const knot_pktsection_t* auth = knot_pkt_section(pkt, KNOT_AUTHORITY);
    for (std::uint16_t i = 0; i < auth->count; ++i) {
        const knot_rrset_t* rr = knot_pkt_rr(auth, i);
        if (rr->type == KNOT_RRTYPE_SOA && rr->rrs.count > 0) {
            return knot_soa_serial(rr->rrs.rdata);
        }
    }
    return std::nullopt;
}

RRsetPtr soa_with_serial(const knot_rrset_t& soa, std::uint32_t serial) {
    RRsetPtr copy(knot_rrset_copy(&soa, nullptr));
    if (!copy) throw std::bad_alloc();
    knot_soa_serial_set(copy->rrs.rdata, serial);
    return copy;
}

// The change log entries leading from `from` to `to`, or nullopt when the
// log does not connect them (trimmed, zone re-created, store unavailable).
std::optional<std::vector<core::ZoneChange>> change_chain(store::Store& store,
                                                          const std::string& zone_id,
                                                          std::uint32_t from, std::uint32_t to) {
    std::vector<core::ZoneChange> chain;
    try {
        auto txn = store.read();
        std::uint32_t at = from;
        for (auto& c : txn->changes_since(zone_id, from)) {
            if (at == to) break;
            if (c.old_serial != at) continue;
            if (c.zone_created || c.zone_deleted) return std::nullopt;
            at = c.new_serial;
            chain.push_back(std::move(c));
        }
        if (at != to) return std::nullopt;
    } catch (const std::exception& e) {
        spdlog::warn("dns ixfr: change log unavailable for zone {}: {}", zone_id, e.what());
        return std::nullopt;
    }
    return chain;
}

void write_full_zone(TransferWriter& w, const ZoneSnapshot& zone) {
    zone.for_each_rrset([&](const knot_rrset_t& rr) { w.put(rr); });
    w.put(zone.soa_rrset());
}

// Writes the IXFR difference sequence; false when a logged record no
// longer converts (the caller then sends the full zone instead).
bool write_differences(std::vector<std::vector<std::uint8_t>>& out, std::uint16_t id,
                       const knot_dname_t* qname, const ZoneSnapshot& zone,
                       const std::vector<core::ZoneChange>& chain, std::uint16_t max_size) {
    // Everything the messages point to must live until finish().
    std::vector<RRsetPtr> soas;
    std::vector<wire::OwnedRRset> records;
    std::vector<std::vector<std::uint8_t>> messages;
    TransferWriter w(id, qname, KNOT_RRTYPE_IXFR, messages, max_size);
    auto put_records = [&](const std::vector<core::ResourceRecord>& rrs) {
        for (const auto& rr : rrs) {
            std::string error;
            auto owned = wire::make_rrset(rr, &error);
            if (!owned) {
                spdlog::warn("dns ixfr: {}: cannot encode {} {} {}: {}", zone.name(), rr.name,
                             rr.type, rr.data, error);
                return false;
            }
            records.push_back(std::move(*owned));
            if (!w.put(records.back().get())) return false;
        }
        return true;
    };
    const knot_rrset_t& current = zone.soa_rrset();
    w.put(current);
    for (const auto& change : chain) {
        soas.push_back(soa_with_serial(current, change.old_serial));
        w.put(*soas.back());
        if (!put_records(change.removed)) return false;
        soas.push_back(soa_with_serial(current, change.new_serial));
        w.put(*soas.back());
        if (!put_records(change.added)) return false;
    }
    w.put(current);
    w.finish();
    for (auto& m : messages) out.push_back(std::move(m));
    return true;
}

}  // namespace

TransferService::TransferService(const ZoneCatalog& catalog, Acl acl, store::Store* change_log,
                                 QueryStats* stats)
    : catalog_(catalog), acl_(std::move(acl)), change_log_(change_log), stats_(stats) {}

bool TransferService::answer_tcp(std::span<const std::uint8_t> query,
                                 const boost::asio::ip::address& client,
                                 std::vector<std::vector<std::uint8_t>>& out) const {
    if (stats_) {
        stats_->add(QueryStats::Queries);
        stats_->add(QueryStats::Tcp);
    }
    auto req = parse_request(query);
    if (!req) {
        if (stats_) stats_->add(QueryStats::Dropped);
        return false;
    }
    auto count = [&](std::uint16_t rcode) {
        if (stats_) {
            stats_->add(QueryStats::Responses);
            stats_->add_rcode(rcode);
        }
        return true;
    };
    // Signed requests: every reply below is signed at the end (`sign_all`).
    TsigSession tsig;
    const std::size_t first = out.size();
    auto sign_all = [&](std::uint16_t rcode) {
        for (std::size_t i = first; i < out.size(); ++i) {
            if (!tsig.sign(out[i])) {
                out.resize(first);
                out.push_back(error_reply(*req, KNOT_RCODE_SERVFAIL));
                return count(KNOT_RCODE_SERVFAIL);
            }
        }
        return count(rcode);
    };
    auto refuse = [&](std::uint16_t rcode) {
        out.push_back(error_reply(*req, rcode));
        return sign_all(rcode);
    };
    if (!req->fully_ok) return refuse(KNOT_RCODE_FORMERR);
    const knot_pkt_t* pkt = req->pkt.get();
    const std::uint16_t qtype = knot_pkt_qtype(pkt);
    if (ring_ != nullptr && pkt->tsig_rr != nullptr) {
        const TsigStatus st = tsig.verify(pkt, query, ring_->current());
        if (st == TsigStatus::FormErr) return refuse(KNOT_RCODE_FORMERR);
        if (st != TsigStatus::Ok) {
            spdlog::info("dns: {} from {} with key {}: TSIG check failed",
                         qtype == KNOT_RRTYPE_AXFR ? "AXFR" : "IXFR", client.to_string(),
                         tsig.key_name());
            return refuse(KNOT_RCODE_NOTAUTH);
        }
    }
    if (knot_pkt_qclass(pkt) != KNOT_CLASS_IN) return refuse(KNOT_RCODE_REFUSED);
    const knot_dname_t* lower_qname = knot_pkt_qname(pkt);
    ZoneSnapshotPtr zone = catalog_.find_wire(lower_qname);
    const TsigKeyEntry* key = tsig.status() == TsigStatus::Ok ? tsig.key() : nullptr;
    const bool key_allows =
        key != nullptr && zone &&
        ((key->meta.scope == "POOL" && key->meta.resource_id == pool_id_) ||
         (key->meta.scope == "ZONE" && key->meta.resource_id == zone->zone_id()));
    if (!acl_.allows(client) && !key_allows) {
        spdlog::info("dns: {} refused to {}", qtype == KNOT_RRTYPE_AXFR ? "AXFR" : "IXFR",
                     client.to_string());
        return refuse(KNOT_RCODE_REFUSED);
    }
    if (!zone || !knot_dname_is_equal(zone->apex_name(), lower_qname)) {
        return refuse(KNOT_RCODE_NOTAUTH);
    }
    // A SECONDARY zone not (yet, or no longer) in step with its master.
    if (zone->unserved()) return refuse(KNOT_RCODE_SERVFAIL);

    const std::uint16_t id = knot_wire_get_id(req->bytes.data());
    const knot_dname_t* qname = knot_pkt_wire_qname(pkt);
    // Room for the TSIG RR in every message of a signed transfer.
    const std::uint16_t max_size = tsig.status() == TsigStatus::Ok ? 65535 - 512 : 65535;
    if (qtype == KNOT_RRTYPE_IXFR) {
        const auto from = client_serial(pkt);
        if (!from) return refuse(KNOT_RCODE_FORMERR);
        if (stats_) stats_->add(QueryStats::Ixfr);
        if (!serial_older(*from, zone->serial())) {
            // Up to date (or ahead of us): the current SOA alone.
            TransferWriter w(id, qname, qtype, out, max_size);
            w.put(zone->soa_rrset());
            w.finish();
            return sign_all(KNOT_RCODE_NOERROR);
        }
        if (change_log_ != nullptr) {
            auto chain = change_chain(*change_log_, zone->zone_id(), *from, zone->serial());
            if (chain && write_differences(out, id, qname, *zone, *chain, max_size)) {
                return sign_all(KNOT_RCODE_NOERROR);
            }
        }
        TransferWriter w(id, qname, qtype, out, max_size);  // full zone, AXFR form
        write_full_zone(w, *zone);
        w.finish();
        return sign_all(KNOT_RCODE_NOERROR);
    }

    if (stats_) stats_->add(QueryStats::Axfr);
    TransferWriter w(id, qname, qtype, out, max_size);
    write_full_zone(w, *zone);
    w.finish();
    return sign_all(KNOT_RCODE_NOERROR);
}

}  // namespace dnsplane::dns
