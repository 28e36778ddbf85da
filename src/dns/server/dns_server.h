// The authoritative DNS server facade: UDP and TCP listeners on every
// configured address, AXFR/IXFR over TCP, and the NOTIFY sender. The answers
// themselves come from answer_query() over the ZoneCatalog (dns/query_engine.h).
//
// Wiring (src/app/serve.cpp):
//   dns::ZoneCatalog catalog(*store);
//   catalog.load_all();
//   svc.add_sink(&catalog);                    // first: swap the zone in
//   dns::DnsServer dns(io, opts, catalog, settings.pool, store.get());
//   svc.add_sink(&dns.notifier());             // then: NOTIFY secondaries
//   dns.start();                               // throws std::runtime_error on bind failure
//   ... io.run() on the app's threads ...
//   dns.stop();                                // before io and catalog go away
//
// UDP is served by its own threads (udp_workers per address, SO_REUSEPORT,
// recvmmsg/sendmmsg batching), so it never waits behind HTTP work. TCP and
// NOTIFY run as coroutines on the given io_context.
#pragma once

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/model.h"
#include "dns/server/serial_poll.h"
#include "dns/stats.h"
#include "dns/zone_catalog.h"
#include "service/change_sink.h"
#include "service/zone_service.h"
#include "store/store.h"

namespace dnsplane::dns {

struct DnsOptions {
    // "HOST:PORT", "[V6]:PORT" or ":PORT" (every IPv4 address). Port 0 picks a
    // free port; UDP and TCP of one address then share the chosen number.
    std::vector<std::string> listen = {"127.0.0.1:5353"};
    std::uint16_t max_udp_payload = 1232;  // cap on the client's EDNS UDP size
    // Clients allowed AXFR/IXFR over TCP (CIDR, or a bare address = host route).
    std::vector<std::string> axfr_allow = {"127.0.0.0/8", "::1/128"};
    int udp_workers = 2;  // UDP sockets/threads per listen address
    int tcp_idle_timeout_ms = 10000;
    std::size_t tcp_max_connections = 1024;  // per server; more are closed at once
    // Threads answering RFC 2136 UPDATE (each waits for its commit; the group
    // commit batches concurrent ones). Only used after enable_updates().
    int update_workers = 16;
    // Name of the stored TSIG key that signs NOTIFY to also_notify targets
    // (found once enable_updates() gave the server its key ring); empty: unsigned.
    std::string notify_tsig_key;
};

class Notifier;
class UpdateProcessor;
class UdpServer;
class TcpServer;
class TransferService;
class SecondaryZones;

class DnsServer {
  public:
    // `pool` gives the also_notify "host:port" targets. `change_log` (optional)
    // is the store whose per-zone change log answers IXFR incrementally; when
    // null, every IXFR is answered with a full (AXFR-style) transfer.
    // Throws std::invalid_argument for a bad listen address or ACL entry.
    DnsServer(boost::asio::io_context& io, DnsOptions options, ZoneCatalog& catalog,
              const core::Pool& pool, store::Store* change_log = nullptr);
    ~DnsServer();
    DnsServer(const DnsServer&) = delete;
    DnsServer& operator=(const DnsServer&) = delete;

    // Accepts RFC 2136 UPDATE signed with the service's TSIG keys, applied
    // through `svc` (update_server.h). Call before start(); without it UPDATE
    // is answered NOTIMP.
    void enable_updates(service::ZoneService& svc);

    // Answers NOTIFY from the masters of SECONDARY zones (notify_receiver.h).
    // Call before start(); without it NOTIFY is answered NOTIMP.
    void enable_secondaries(SecondaryZones& zones) { secondaries_ = &zones; }

    // Polls the pool's nameservers for every change's serial and reports to
    // `propagation` (serial_poll.h); add poller() to ZoneService as a
    // ChangeSink. Call before start(). Throws std::invalid_argument for a
    // nameserver that does not parse.
    void enable_polling(SerialPollOptions options, service::Propagation& propagation);
    service::ChangeSink& poller();

    // Binds every listener and starts serving. Throws std::runtime_error with
    // the address and the OS error when a socket cannot be bound.
    void start();
    // Closes the listeners, joins the UDP threads, cancels TCP connections and
    // pending NOTIFY retries. Idempotent; the destructor calls it.
    void stop();

    // Bound ports, one per listen address, in `listen` order (after start()).
    std::vector<unsigned short> udp_ports() const;
    std::vector<unsigned short> tcp_ports() const;

    // The NOTIFY sender: add it to ZoneService as a ChangeSink (after the
    // catalog, so the NOTIFY carries the new SOA).
    service::ChangeSink& notifier();

    // Query, rcode and transfer counters (for metrics).
    const QueryStats& stats() const { return *stats_; }

  private:
    boost::asio::io_context& io_;
    DnsOptions options_;
    ZoneCatalog& catalog_;
    // Shared with the connection coroutines, which may outlive stop().
    std::shared_ptr<QueryStats> stats_;
    std::string pool_id_;  // POOL-scoped TSIG keys name it
    std::shared_ptr<TransferService> transfers_;
    std::unique_ptr<Notifier> notifier_;
    std::unique_ptr<SerialPoller> poller_;
    std::shared_ptr<UpdateProcessor> updates_;
    SecondaryZones* secondaries_ = nullptr;
    struct UpdateWorkers;
    std::shared_ptr<UpdateWorkers> update_workers_;
    std::vector<std::unique_ptr<UdpServer>> udp_;
    std::vector<std::unique_ptr<TcpServer>> tcp_;
    std::vector<std::uint16_t> udp_ports_;
    std::vector<std::uint16_t> tcp_ports_;
    bool started_ = false;
};

}  // namespace dnsplane::dns
