#include "dns/server/update_server.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/error.h"
#include "dns/server/update.h"

namespace dnsplane::dns {

namespace {

constexpr std::size_t kHeader = KNOT_WIRE_HEADER_SIZE;

const char* rcode_name(std::uint8_t rcode) {
    switch (rcode) {
        case KNOT_RCODE_NOERROR:
            return "NOERROR";
        case KNOT_RCODE_FORMERR:
            return "FORMERR";
        case KNOT_RCODE_SERVFAIL:
            return "SERVFAIL";
        case KNOT_RCODE_NXDOMAIN:
            return "NXDOMAIN";
        case KNOT_RCODE_NOTIMPL:
            return "NOTIMP";
        case KNOT_RCODE_REFUSED:
            return "REFUSED";
        case KNOT_RCODE_YXDOMAIN:
            return "YXDOMAIN";
        case KNOT_RCODE_YXRRSET:
            return "YXRRSET";
        case KNOT_RCODE_NXRRSET:
            return "NXRRSET";
        case KNOT_RCODE_NOTAUTH:
            return "NOTAUTH";
        case KNOT_RCODE_NOTZONE:
            return "NOTZONE";
        default:
            return "?";
    }
}

const char* tsig_name(TsigStatus s) {
    switch (s) {
        case TsigStatus::Unsigned:
            return "unsigned";
        case TsigStatus::Ok:
            return "ok";
        case TsigStatus::BadKey:
            return "BADKEY";
        case TsigStatus::BadSig:
            return "BADSIG";
        case TsigStatus::BadTime:
            return "BADTIME";
        case TsigStatus::FormErr:
            return "malformed";
    }
    return "?";
}

// Header (ID, opcode, RD copied; QR set) + the zone section when it parsed.
void reply_header(std::span<const std::uint8_t> q, std::size_t zone_end, std::uint8_t rcode,
                  std::vector<std::uint8_t>& out) {
    out.assign(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(zone_end));
    std::uint8_t* w = out.data();
    knot_wire_set_qr(w);
    knot_wire_clear_tc(w);
    knot_wire_clear_aa(w);
    knot_wire_clear_ra(w);
    knot_wire_clear_ad(w);
    knot_wire_clear_cd(w);
    knot_wire_clear_z(w);
    knot_wire_set_rcode(w, rcode);
    knot_wire_set_qdcount(w, zone_end > kHeader ? 1 : 0);
    knot_wire_set_ancount(w, 0);
    knot_wire_set_nscount(w, 0);
    knot_wire_set_arcount(w, 0);
}

struct PktDeleter {
    void operator()(knot_pkt_t* p) const { knot_pkt_free(p); }
};

}  // namespace

UpdateProcessor::UpdateProcessor(service::ZoneService& svc)
    : svc_(svc), keyring_([&svc] { return svc.tsig_keys().all(); }) {}

bool UpdateProcessor::answer(std::span<const std::uint8_t> message, const std::string& client,
                             std::vector<std::uint8_t>& out) {
    if (message.size() < kHeader || knot_wire_get_qr(message.data())) return false;

    // libknot parses in place: work on a copy.
    std::vector<std::uint8_t> wire(message.begin(), message.end());
    std::unique_ptr<knot_pkt_t, PktDeleter> pkt(knot_pkt_new(wire.data(), wire.size(), nullptr));
    if (!pkt) return false;
    std::string zone_text = "-";
    auto finish = [&](std::uint8_t rcode, TsigSession* tsig, std::size_t zone_end,
                      const std::string& detail) {
        reply_header(message, zone_end, rcode, out);
        if (tsig != nullptr && !tsig->sign(out)) {
            reply_header(message, zone_end, KNOT_RCODE_SERVFAIL, out);
            rcode = KNOT_RCODE_SERVFAIL;
        }
        spdlog::info("dns update: client={} key={} zone={} result={} tsig={}{}{}", client,
                     tsig && !tsig->key_name().empty() ? tsig->key_name() : "-", zone_text,
                     rcode_name(rcode), tsig ? tsig_name(tsig->status()) : "-",
                     detail.empty() ? "" : " ", detail);
        return true;
    };

    const int parsed = knot_pkt_parse(pkt.get(), 0);
    if (parsed != KNOT_EOK || knot_wire_get_qdcount(wire.data()) != 1 || pkt->qname_size == 0) {
        // Echo the zone section only when it parsed.
        const std::size_t zone_end =
            pkt->qname_size != 0 ? kHeader + pkt->qname_size + 2 * sizeof(std::uint16_t) : kHeader;
        return finish(KNOT_RCODE_FORMERR, nullptr, zone_end, "(malformed message)");
    }
    const std::size_t zone_end = kHeader + pkt->qname_size + 2 * sizeof(std::uint16_t);
    {
        char* z = knot_dname_to_str_alloc(knot_pkt_qname(pkt.get()));
        zone_text = z ? z : "?";
        free(z);
        for (auto& c : zone_text)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }

    TsigSession tsig;
    const TsigStatus status = tsig.verify(pkt.get(), message, keyring_.current());
    switch (status) {
        case TsigStatus::FormErr:
            return finish(KNOT_RCODE_FORMERR, nullptr, zone_end, "(malformed TSIG)");
        case TsigStatus::BadKey:
        case TsigStatus::BadSig:
        case TsigStatus::BadTime:
            return finish(KNOT_RCODE_NOTAUTH, &tsig, zone_end, "");
        case TsigStatus::Unsigned:
        case TsigStatus::Ok:
            break;
    }
    if (knot_pkt_qtype(pkt.get()) != KNOT_RRTYPE_SOA || knot_pkt_qclass(pkt.get()) != KNOT_CLASS_IN)
        return finish(KNOT_RCODE_FORMERR, &tsig, zone_end, "(zone section is not IN SOA)");

    // The zone, looked up across every project.
    service::Caller system;
    system.all_projects = true;
    std::optional<core::Zone> zone;
    try {
        zone = svc_.zone_for_name(system, zone_text);
    } catch (const std::exception& e) {
        return finish(KNOT_RCODE_SERVFAIL, &tsig, zone_end, std::string("(") + e.what() + ")");
    }
    if (!zone || zone->name != zone_text)
        return finish(KNOT_RCODE_NOTAUTH, &tsig, zone_end, "(not a zone of this server)");
    if (status == TsigStatus::Unsigned)
        return finish(KNOT_RCODE_REFUSED, &tsig, zone_end, "(unsigned)");
    const store::TsigKey& key = tsig.key()->meta;
    const bool covers = (key.scope == "POOL" && key.resource_id == zone->pool_id) ||
                        (key.scope == "ZONE" && key.resource_id == zone->id);
    if (!covers) {
        tsig.refuse_key();
        return finish(KNOT_RCODE_NOTAUTH, &tsig, zone_end, "(key does not cover the zone)");
    }

    const UpdateTranslation t = translate_update(pkt.get(), zone->id, zone->name);
    if (t.rcode != KNOT_RCODE_NOERROR) return finish(t.rcode, &tsig, zone_end, "(" + t.error + ")");
    const std::string counts = "prerequisites=" + std::to_string(t.edit.prerequisites.size()) +
                               " updates=" + std::to_string(t.edit.operations.size()) +
                               " ignored=" + std::to_string(t.ignored);
    if (t.edit.prerequisites.empty() && t.edit.operations.empty())
        return finish(KNOT_RCODE_NOERROR, &tsig, zone_end, counts);

    service::Caller writer;
    writer.project_id = zone->project_id;
    writer.role = service::Role::Member;
    try {
        svc_.apply(writer, t.edit);
    } catch (const core::Error& e) {
        return finish(update_rcode(e, t), &tsig, zone_end,
                      counts + " error=" + e.type() + " (" + e.what() + ")");
    } catch (const std::exception& e) {
        return finish(KNOT_RCODE_SERVFAIL, &tsig, zone_end, counts + " (" + e.what() + ")");
    }
    return finish(KNOT_RCODE_NOERROR, &tsig, zone_end, counts);
}

}  // namespace dnsplane::dns
