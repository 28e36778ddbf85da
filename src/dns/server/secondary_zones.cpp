#include "dns/server/secondary_zones.h"

#include <netdb.h>
#include <spdlog/spdlog.h>

#include <ctime>

#include "core/error.h"
#include "dns/server/xfr_changes.h"
#include "dns/server/xfr_client.h"
#include "dns/wire_libknot.h"
#include "service/soa.h"

namespace dnsplane::dns {

namespace {

// The refresher acts for the zone's project with the rights a transfer
// needs: the managed apex NS is the master's too, and owner names are any
// the master serves (RFC 4592 wildcards, underscores).
service::Caller transfer_caller(const core::Zone& zone) {
    service::Caller c;
    c.project_id = zone.project_id;
    c.role = service::Role::Admin;
    c.all_projects = true;
    c.edit_managed = true;
    c.owner_names = core::OwnerNames::Rfc4592;
    return c;
}

// "2026-01-02T03:04:05.000000" (UTC) -> time point; epoch when malformed.
std::chrono::system_clock::time_point parse_timestamp(const std::string& text) {
    std::tm tm{};
    if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return {};
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

// The addresses a master's host stands for.
std::vector<boost::asio::ip::address> master_addresses(const service::MasterAddress& m) {
    std::vector<boost::asio::ip::address> out;
    boost::system::error_code ec;
    auto literal = boost::asio::ip::make_address(m.host, ec);
    if (!ec) return {literal};
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    if (::getaddrinfo(m.host.c_str(), nullptr, &hints, &list) != 0) return out;
    for (addrinfo* ai = list; ai; ai = ai->ai_next) {
        char buf[NI_MAXHOST];
        if (::getnameinfo(ai->ai_addr, ai->ai_addrlen, buf, sizeof buf, nullptr, 0,
                          NI_NUMERICHOST) == 0) {
            auto a = boost::asio::ip::make_address(buf, ec);
            if (!ec) out.push_back(a);
        }
    }
    ::freeaddrinfo(list);
    return out;
}

bool same_address(boost::asio::ip::address a, boost::asio::ip::address b) {
    auto plain = [](boost::asio::ip::address x) {
        if (x.is_v6() && x.to_v6().is_v4_mapped())
            return boost::asio::ip::address(
                boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, x.to_v6()));
        return x;
    };
    return plain(a) == plain(b);
}

}  // namespace

SecondaryZones::SecondaryZones(service::ZoneService& svc, store::Store& store, ZoneCatalog& catalog,
                               SecondaryOptions options)
    : svc_(svc), store_(store), catalog_(catalog), options_(options), keyring_([&svc] {
          return svc.tsig_keys().all();
      }) {}

std::optional<TsigClient> SecondaryZones::signer_for(const core::Zone& zone) {
    auto keys = keyring_.current();
    const TsigKeyEntry* key = keys->find_for_zone(zone.id);
    if (key == nullptr) return std::nullopt;
    return std::optional<TsigClient>(std::in_place, std::move(keys), *key);
}

SecondaryZones::~SecondaryZones() {
    stop();
}

void SecondaryZones::load() {
    std::vector<core::Zone> zones;
    {
        auto txn = store_.read();
        zones = txn->all_zones();
    }
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    for (const auto& z : zones) {
        if (z.type != "SECONDARY") continue;
        Entry& e = zones_[z.id];
        e.zone = z;
        e.next = now;  // check at once after a restart
        e.served = true;
        e.transferred = z.transferred_at.has_value();
        // Our expiry survives a restart: counted from the last transfer.
        if (e.transferred) e.last_ok = parse_timestamp(*z.transferred_at);
        set_served(e, e.transferred && now < e.last_ok + std::chrono::seconds(z.expire));
    }
}

void SecondaryZones::start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void SecondaryZones::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

std::uint64_t SecondaryZones::transfers() const {
    std::lock_guard lock(mutex_);
    return transfers_;
}

void SecondaryZones::set_served(Entry& e, bool served) {
    if (e.served == served) return;
    catalog_.set_serving(e.zone.name, served);
    e.served = served;
    if (!served)
        spdlog::warn("dns secondary: {} is not served (SERVFAIL) until a master answers",
                     e.zone.name);
}

void SecondaryZones::on_commit(const core::ZoneChange& change) {
    std::lock_guard lock(mutex_);
    auto it = zones_.find(change.zone_id);
    if (change.zone_deleted || !change.zone || change.zone->type != "SECONDARY" ||
        change.zone->status == "DELETED") {
        if (it == zones_.end()) return;
        set_served(it->second, true);  // forget the mark with the zone
        zones_.erase(it);
        return;
    }
    if (it != zones_.end()) {
        it->second.zone = *change.zone;  // our transfers: serial, timers, transferred_at
        return;
    }
    Entry& e = zones_[change.zone_id];
    e.zone = *change.zone;
    e.served = true;
    set_served(e, false);  // nothing to serve before the first transfer
    e.next = Clock::now();
    wake_.notify_all();
}

void SecondaryZones::refresh_now(const core::Zone& zone) {
    std::lock_guard lock(mutex_);
    auto it = zones_.find(zone.id);
    if (it == zones_.end()) return;
    if (it->second.busy)
        it->second.again = true;
    else
        it->second.next = Clock::now();
    wake_.notify_all();
}

void SecondaryZones::masters_changed(const core::Zone& zone) {
    {
        std::lock_guard lock(mutex_);
        auto it = zones_.find(zone.id);
        if (it == zones_.end()) return;
        it->second.zone.masters = zone.masters;
        it->second.full = true;
        spdlog::info("dns secondary: {}: masters changed, transferring from them", zone.name);
    }
    refresh_now(zone);
}

std::uint8_t SecondaryZones::on_notify(const std::string& zone,
                                       const boost::asio::ip::address& source,
                                       const TsigKeyEntry* signer) {
    core::Zone found;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, e] : zones_)
            if (e.zone.name == zone) found = e.zone;
    }
    if (found.id.empty()) return KNOT_RCODE_NOTAUTH;
    bool from_master = false;
    for (const auto& text : found.masters)
        if (auto m = service::parse_master(text))
            for (const auto& a : master_addresses(*m)) from_master |= same_address(a, source);
    if (!from_master) {
        spdlog::info("dns secondary: NOTIFY for {} from {} refused: not one of its masters", zone,
                     source.to_string());
        return KNOT_RCODE_REFUSED;
    }
    const auto keys = keyring_.current();
    if (const TsigKeyEntry* key = keys->find_for_zone(found.id);
        key && (!signer || signer->meta.id != key->meta.id)) {
        spdlog::info(
            "dns secondary: NOTIFY for {} from {} refused: not signed with the zone's "
            "TSIG key {}",
            zone, source.to_string(), key->meta.name);
        return KNOT_RCODE_NOTAUTH;
    }
    spdlog::info("dns secondary: NOTIFY for {} from {}{}", zone, source.to_string(),
                 signer ? " (TSIG " + signer->meta.name + ")" : std::string());
    refresh_now(found);
    return KNOT_RCODE_NOERROR;
}

void SecondaryZones::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        auto now = Clock::now();
        Entry* due = nullptr;
        Clock::time_point wake_at = Clock::time_point::max();
        for (auto& [id, e] : zones_) {
            const auto expires = e.last_ok + std::chrono::seconds(e.zone.expire);
            if (e.served && now >= expires) {
                spdlog::warn("dns secondary: {} expired: no master confirmed it for {} s",
                             e.zone.name, e.zone.expire);
                set_served(e, false);
            }
            if (e.served) wake_at = std::min(wake_at, expires);
            if (e.busy) continue;
            if (e.next <= now && !due) due = &e;
            wake_at = std::min(wake_at, e.next);
        }
        if (!due) {
            if (wake_at == Clock::time_point::max())
                wake_.wait(lock);
            else
                wake_.wait_until(lock, wake_at);
            continue;
        }
        due->busy = true;
        const core::Zone zone = due->zone;
        const bool full = due->full;
        due->full = false;
        lock.unlock();
        bool ok = false;
        try {
            ok = refresh(zone, full);
        } catch (const std::exception& e) {
            spdlog::error("dns secondary: refreshing {} failed: {}", zone.name, e.what());
        }
        lock.lock();
        auto it = zones_.find(zone.id);
        if (it == zones_.end()) continue;  // deleted meanwhile
        Entry& e = it->second;
        e.busy = false;
        if (!ok && full) e.full = true;  // the retry transfers from the new masters too
        now = Clock::now();
        if (ok) {
            e.last_ok = now;
            e.transferred = true;
            set_served(e, true);
        }
        // e.zone now has the master's timers (on_commit of the transfer).
        e.next = now + std::chrono::seconds(
                           std::max<std::uint32_t>(1, ok ? e.zone.refresh : e.zone.retry));
        if (e.again) {
            e.again = false;
            e.next = now;
        }
    }
}

bool SecondaryZones::refresh(const core::Zone& zone, bool full) {
    std::string last_error = "no usable master";
    for (const auto& text : zone.masters) {
        auto master = service::parse_master(text);
        if (!master) continue;
        std::string error;
        if (zone.transferred_at && !full) {  // we hold a master's data: is there newer?
            auto signer = signer_for(zone);
            auto serial = query_master_serial(*master, zone.name, options_.timeout,
                                              signer ? &*signer : nullptr, &error);
            if (!serial) {
                spdlog::warn("dns secondary: {}: SOA query to {} failed: {}", zone.name, text,
                             error);
                last_error = error;
                continue;
            }
            if (!service::serial_before(zone.serial, *serial)) return true;
            if (transfer(zone, *master, true, &error)) return true;
            spdlog::info("dns secondary: {}: IXFR from {} failed ({}), trying AXFR", zone.name,
                         text, error);
        }
        if (transfer(zone, *master, false, &error)) return true;
        spdlog::warn("dns secondary: {}: transfer from {} failed: {}", zone.name, text, error);
        last_error = error;
    }
    spdlog::warn("dns secondary: {}: no master could be used ({})", zone.name, last_error);
    return false;
}

bool SecondaryZones::transfer(const core::Zone& zone, const service::MasterAddress& master,
                              bool incremental, std::string* error) {
    const std::optional<std::uint32_t> from =
        incremental ? std::optional<std::uint32_t>(zone.serial) : std::nullopt;
    XfrStream stream(zone.name, from);
    auto signer = signer_for(zone);
    if (!transfer_from_master(master, zone.name, from, stream, options_.timeout,
                              signer ? &*signer : nullptr, error))
        return false;
    if (stream.kind() == XfrStream::Kind::UpToDate) return true;
    const service::Caller caller = transfer_caller(zone);
    // Twice at most: a zone changed between our read and the commit (a
    // ZoneVersion prerequisite fails) is read and planned again.
    for (int attempt = 0; attempt < 2; ++attempt) {
        const core::Zone now = svc_.get_zone(caller, zone.id);
        const auto sets = svc_.zone_recordsets(caller, zone.id);
        auto plan = plan_transfer(now, sets, stream, error);
        if (!plan) return false;
        for (const auto& note : plan->notes)
            spdlog::warn("dns secondary: {}: left out {}", zone.name, note);
        try {
            svc_.apply(caller, plan->edit);
        } catch (const core::Error& e) {
            if (e.kind() == core::ErrorKind::PreconditionFailed && attempt == 0) continue;
            *error = std::string("the change set was refused: ") + e.what();
            return false;
        }
        std::lock_guard lock(mutex_);
        ++transfers_;
        spdlog::info("dns secondary: {} {} from {}: serial {} -> {}, {} record sets changed{}",
                     zone.name, stream.kind() == XfrStream::Kind::Incremental ? "IXFR" : "AXFR",
                     service::master_text(master), now.serial, plan->edit.transfer->serial,
                     plan->edit.operations.size(),
                     plan->skipped ? ", " + std::to_string(plan->skipped) + " records left out"
                                   : std::string());
        return true;
    }
    return false;
}

}  // namespace dnsplane::dns
