// The refresher of SECONDARY zones (issue 16), RFC 1034 4.3.5 / RFC 1996:
// keeps every SECONDARY zone in step with its masters. Per zone: a transfer
// at once when the zone is created (and at start-up), then an SOA check
// every SOA refresh interval (retry interval after a failure), earlier when
// a master sends NOTIFY or the API asks (tasks/xfr); a master with a newer
// serial is asked for an IXFR from our serial (AXFR when the zone was never
// transferred or the IXFR does not apply). What a transfer brings is one
// change set through ZoneService::apply (dns/server/xfr_changes.h), so the
// serial, change log, DNS publication, NOTIFY to our own secondaries and
// hooks are the ones every write has. A zone with no successful check for
// its SOA expire interval, or never transferred, answers SERVFAIL
// (ZoneCatalog::set_serving) until a master answers again.
//
// A TSIG key bound to the zone (Designate's /v2/tsigkeys with scope ZONE and
// the zone's id as resource_id) signs our SOA queries and transfer requests
// to its masters, whose answers must then verify with it; a NOTIFY for the
// zone is then accepted only when signed with it.
//
// Work runs on one thread of its own (transfers block on the network); the
// ChangeSink and NOTIFY/API entry points only update the schedule.
#pragma once

#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/model.h"
#include "dns/server/tsig.h"
#include "dns/zone_catalog.h"
#include "service/change_sink.h"
#include "service/secondary.h"
#include "service/zone_service.h"
#include "store/store.h"

namespace dnsplane::dns {

struct SecondaryOptions {
    // Deadline of one SOA query or one whole transfer from one master.
    std::chrono::milliseconds timeout{10000};
};

class SecondaryZones : public service::ChangeSink, public service::SecondaryRefresh {
  public:
    SecondaryZones(service::ZoneService& svc, store::Store& store, ZoneCatalog& catalog,
                   SecondaryOptions options = {});
    ~SecondaryZones() override;
    SecondaryZones(const SecondaryZones&) = delete;
    SecondaryZones& operator=(const SecondaryZones&) = delete;

    // Learns every SECONDARY zone from the store; those never transferred or
    // past their expiry are marked not served. Call before catalog.load_all()
    // and before add_sink(this), which must come before the catalog's (a new
    // SECONDARY zone is then never served before its first transfer).
    void load();
    void start();
    void stop();  // idempotent; the destructor calls it

    // ChangeSink: follows creations, deletions and our own transfers.
    void on_commit(const core::ZoneChange& change) override;
    // SecondaryRefresh (tasks/xfr): check the masters now.
    void refresh_now(const core::Zone& zone) override;
    // SecondaryRefresh (PATCH masters): an AXFR from the new masters now.
    void masters_changed(const core::Zone& zone) override;
    // A NOTIFY (RFC 1996) for `zone` (canonical) from `source`, verified
    // with `signer` (null: unsigned): the RCODE to answer. NOERROR: a check
    // is scheduled; NOTAUTH: no SECONDARY zone of that name, or the zone has
    // a TSIG key and the NOTIFY is not signed with it; REFUSED: the source is
    // none of the zone's masters.
    std::uint8_t on_notify(const std::string& zone, const boost::asio::ip::address& source,
                           const TsigKeyEntry* signer = nullptr);
    // Every TSIG key, for verifying NOTIFY.
    std::shared_ptr<const TsigKeySet> tsig_keys() { return keyring_.current(); }

    // Completed transfers (tests, logs).
    std::uint64_t transfers() const;

  private:
    using Clock = std::chrono::system_clock;
    struct Entry {
        core::Zone zone;
        Clock::time_point next;     // next check
        Clock::time_point last_ok;  // last time a master confirmed our data
        bool transferred = false;   // holds a master's data
        bool served = false;        // what the catalog was last told
        bool busy = false;          // being refreshed now
        bool again = false;         // asked again while busy
        bool full = false;          // next check: AXFR whatever the serials (new masters)
    };
    void run();
    // One check of the zone's masters; true when the zone is in step.
    // `full`: transfer the whole zone without comparing serials first.
    bool refresh(const core::Zone& zone, bool full);
    bool transfer(const core::Zone& zone, const service::MasterAddress& master, bool incremental,
                  std::string* error);
    // The signer of one request to the zone's masters; empty when no key is
    // bound to the zone.
    std::optional<TsigClient> signer_for(const core::Zone& zone);
    void set_served(Entry& e, bool served);

    service::ZoneService& svc_;
    store::Store& store_;
    ZoneCatalog& catalog_;
    SecondaryOptions options_;
    TsigKeyring keyring_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::map<std::string, Entry> zones_;  // by zone id
    bool stopping_ = false;
    std::uint64_t transfers_ = 0;
    std::thread thread_;
};

}  // namespace dnsplane::dns
