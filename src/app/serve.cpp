#include "app/serve.h"

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "api/connector/connector_api.h"
#include "api/designate/designate_api.h"
#include "api/identity/identity_api.h"
#include "api/platform/platform_api.h"
#include "api/records/records_api.h"
#include "api/webhook/webhook_api.h"
#include "app/component_probes.h"
#include "app/health_surface.h"
#include "app/logging.h"
#include "app/version.h"
#include "auth/authenticator.h"
#include "auth/keystone_auth.h"
#include "common/metrics.h"
#include "common/util.h"
#include "dns/server/dns_server.h"
#include "dns/server/secondary_zones.h"
#include "dns/zone_catalog.h"
#include "hooks/journal.h"
#include "hooks/registry.h"
#include "hooks/sender.h"
#include "http/io_pool.h"
#include "http/listen_address.h"
#include "http/server.h"
#include "http/surface.h"
#include "service/lifecycle.h"
#include "service/zone_service.h"
#include "store/store.h"

namespace dnsplane::app {

namespace asio = boost::asio;

namespace {

// "HOST:PORT" with the port actually bound (the configured one may be 0).
std::string bound_address(const std::string& listen, unsigned short port) {
    return http::format_listen_address(http::parse_listen_address(listen).host, port);
}

std::string dns_addresses(const std::vector<std::string>& listen,
                          const std::vector<unsigned short>& ports) {
    std::string out;
    for (std::size_t i = 0; i < listen.size() && i < ports.size(); ++i)
        out += (out.empty() ? "" : ",") + bound_address(listen[i], ports[i]);
    return out.empty() ? "none" : out;
}

// Runs `io` on `threads` threads (the caller's included) until it runs out of work.
void run_io(asio::io_context& io, int threads) {
    auto worker = [&io] {
        try {
            io.run();
        } catch (const std::exception& e) {
            spdlog::critical("io thread failed: {}", e.what());
            io.stop();
        }
    };
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
}

// /metrics: the DNS server's query counters and the group commit's counts,
// rendered at scrape time.
void register_collectors(service::ZoneService& zones, dns::DnsServer& dns,
                         const dns::ZoneCatalog& catalog) {
    common::metrics().add_collector("dns", [&dns](std::string& out) {
        auto s = dns.stats().snapshot();
        using common::metric_header, common::metric_sample;
        metric_header(out, "dnsplane_dns_queries_total", "counter", "DNS queries handled");
        metric_sample(out, "dnsplane_dns_queries_total", {{"transport", "udp"}}, s.udp);
        metric_sample(out, "dnsplane_dns_queries_total", {{"transport", "tcp"}}, s.tcp);
        metric_header(out, "dnsplane_dns_responses_total", "counter", "DNS responses by rcode");
        for (std::size_t i = 0; i < s.rcode.size(); ++i)
            if (s.rcode[i])
                metric_sample(out, "dnsplane_dns_responses_total", {{"rcode", std::to_string(i)}},
                              s.rcode[i]);
        metric_header(out, "dnsplane_dns_dropped_total", "counter", "DNS messages dropped");
        metric_sample(out, "dnsplane_dns_dropped_total", {}, s.dropped);
        metric_header(out, "dnsplane_dns_truncated_total", "counter", "UDP responses with TC=1");
        metric_sample(out, "dnsplane_dns_truncated_total", {}, s.truncated);
        metric_header(out, "dnsplane_dns_transfers_total", "counter", "Zone transfers served");
        metric_sample(out, "dnsplane_dns_transfers_total", {{"type", "axfr"}}, s.axfr);
        metric_sample(out, "dnsplane_dns_transfers_total", {{"type", "ixfr"}}, s.ixfr);
        metric_header(out, "dnsplane_dns_notify_total", "counter", "NOTIFY messages");
        metric_sample(out, "dnsplane_dns_notify_total", {{"direction", "sent"}}, s.notify_sent);
        metric_sample(out, "dnsplane_dns_notify_total", {{"direction", "received"}},
                      s.notify_received);
    });
    common::metrics().add_collector("catalog", [&catalog](std::string& out) {
        auto u = catalog.update_counts();
        using common::metric_header, common::metric_sample;
        metric_header(out, "dnsplane_dns_zone_updates_total", "counter",
                      "Committed changes applied to the served zones: patched from the change, "
                      "or rebuilt from a full read of the zone");
        metric_sample(out, "dnsplane_dns_zone_updates_total", {{"how", "patched"}}, u.patched);
        metric_sample(out, "dnsplane_dns_zone_updates_total", {{"how", "rebuilt"}}, u.rebuilt);
    });
    common::metrics().add_collector("store", [&zones](std::string& out) {
        auto c = zones.commit_stats();
        using common::metric_header, common::metric_sample;
        metric_header(out, "dnsplane_store_commits_total", "counter",
                      "Store write transactions committed (group commit)");
        metric_sample(out, "dnsplane_store_commits_total", {}, c.commits);
        metric_header(out, "dnsplane_store_write_requests_total", "counter",
                      "Write requests (edits) run in those commits, failed ones too");
        metric_sample(out, "dnsplane_store_write_requests_total", {}, c.requests);
    });
}
// Changes committed by other nodes (store::Store::follow), buffered until
// open() names the sinks (after the zones are loaded), then passed on in
// order.
class RemoteChanges {
  public:
    void on_change(const core::ZoneChange& c) {
        std::lock_guard lock(mutex_);
        if (!open_) {
            pending_.push_back(c);
            return;
        }
        deliver(c);
    }
    void open(std::vector<service::ChangeSink*> sinks) {
        std::lock_guard lock(mutex_);
        sinks_ = std::move(sinks);
        open_ = true;
        for (const auto& c : pending_) deliver(c);
        pending_.clear();
    }

  private:
    void deliver(const core::ZoneChange& c) {
        for (auto* sink : sinks_) {
            if (!sink) continue;
            try {
                sink->on_commit(c);
            } catch (const std::exception& e) {
                spdlog::warn("republishing zone {} from another node: {}", c.zone_name, e.what());
            }
        }
    }
    std::mutex mutex_;
    bool open_ = false;
    std::vector<core::ZoneChange> pending_;
    std::vector<service::ChangeSink*> sinks_;
};

// The status probe: one cheap committed write every `period`, so FAILED is
// seen (and left) even when no request writes.
// Each round also reports the store's heartbeat ("central"), runs the other
// components' checks (`components`, /v2/service_statuses) and beats as the
// periodic task runner itself ("producer").
class StoreProbe {
  public:
    StoreProbe(store::Store& store, service::Lifecycle& life, std::chrono::milliseconds period,
               std::function<void()> components = {})
        : store_(store),
          life_(life),
          period_(period),
          components_(std::move(components)),
          thread_([this] { run(); }) {}
    ~StoreProbe() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }

  private:
    void run() {
        std::unique_lock lock(mutex_);
        while (!stop_) {
            lock.unlock();
            auto missing = store_.missing();
            if (missing && !life_.stopping()) spdlog::warn("store probe: {}", *missing);
            life_.set_store_missing(missing);
            const auto started = std::chrono::steady_clock::now();
            try {
                auto txn = store_.write();
                txn->probe_write(common::now_timestamp());
                txn->commit();
                life_.on_commit_outcome(true);
                const auto ms = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - started);
                life_.heartbeat("central", !missing, missing.value_or(""),
                                {{"probe_commit_us", ms.count()}});
            } catch (const std::exception& e) {
                if (!life_.stopping()) spdlog::warn("store probe: cannot commit: {}", e.what());
                life_.store_failed(e.what());
                life_.heartbeat("central", false, std::string("cannot commit: ") + e.what());
            }
            try {
                for (const auto& table : store_.refresh_statistics())
                    spdlog::info("store: statistics of table {} refreshed (it outgrew them)",
                                 table);
            } catch (const std::exception& e) {
                spdlog::debug("store: cannot refresh statistics: {}", e.what());
            }
            if (components_) components_();
            life_.heartbeat("producer", true, "", {{"period_ms", period_.count()}});
            lock.lock();
            cv_.wait_for(lock, period_, [&] { return stop_; });
        }
    }

    store::Store& store_;
    service::Lifecycle& life_;
    std::chrono::milliseconds period_;
    std::function<void()> components_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::thread thread_;
};

// The checks behind api, mdns and worker in /v2/service_statuses: a TCP
// connection to the API port, a DNS query to the first DNS listener, the
// hook sender's thread and its outbox backlog.
void check_components(service::Lifecycle& life, const Config& config, http::Server& api,
                      dns::DnsServer& dns, const hooks::Sender& sender, store::Store& store) {
    using std::chrono::milliseconds;
    const milliseconds timeout(500);
    auto api_why = probe_tcp(local_host_for(http::parse_listen_address(config.api_listen).host),
                             api.port(), timeout);
    if (!api_why && !life.serving())
        api_why = std::string("dnsplane is ") + service::life_state_name(life.state());
    life.heartbeat("api", !api_why, api_why.value_or(""), {{"in_flight", api.in_flight()}});

    std::optional<std::string> dns_why = "no DNS listener";
    const auto ports = dns.udp_ports();
    if (!ports.empty() && !config.dns_listen.empty())
        dns_why = probe_dns_udp(
            local_host_for(http::parse_listen_address(config.dns_listen.front()).host),
            ports.front(), timeout);
    const auto s = dns.stats().snapshot();
    life.heartbeat("mdns", !dns_why, dns_why.value_or(""),
                   {{"queries_udp", static_cast<std::int64_t>(s.udp)},
                    {"queries_tcp", static_cast<std::int64_t>(s.tcp)},
                    {"notify_sent", static_cast<std::int64_t>(s.notify_sent)}});

    std::map<std::string, std::int64_t> worker_stats{
        {"delivered", static_cast<std::int64_t>(sender.delivered())}};
    try {
        worker_stats["outbox_pending"] = static_cast<std::int64_t>(store.read()->outbox_size());
    } catch (const std::exception&) {
    }
    const bool sending = sender.running();
    life.heartbeat("worker", sending, sending ? "" : "the hook sender is not running",
                   std::move(worker_stats));
}

dns::SerialPollOptions poll_options(const Config& config) {
    dns::SerialPollOptions o;
    o.nameservers = config.pool_poll_nameservers;
    o.delay = std::chrono::milliseconds(config.pool_poll_delay_ms);
    o.retry_interval = std::chrono::milliseconds(config.pool_poll_retry_interval_ms);
    o.max_retries = config.pool_poll_max_retries;
    return o;
}

}  // namespace

int run_serve(const Config& config) {
    init_logging(config.log_level);

    std::unique_ptr<store::Store> store;
    try {
        store = store::open_store(config.database);
    } catch (const std::exception& e) {
        std::cerr << "dnsplane: cannot open database " << store::redacted_url(config.database)
                  << ": " << e.what() << "\n";
        return 1;
    }
    service::ZoneService zones(*store, config.service);
    if (!config.catalog_zone.empty()) {
        try {
            zones.enable_catalog(config.catalog_zone);
        } catch (const std::exception& e) {
            std::cerr << "dnsplane: cannot serve the catalog zone " << config.catalog_zone << ": "
                      << e.what() << "\n";
            return 1;
        }
    }
    asio::io_context io(config.threads);

    // --- Plug-in platform (issue 13) ------------------------------------
    // The lifecycle answers GET /v1/status; commits and the probe report the
    // store's health to it. Extension point bindings come from the store.
    service::Lifecycle lifecycle;
    zones.set_commit_observer(&lifecycle);
    // Issue 16: the components /v2/service_statuses reports, under the
    // Designate service names of the roles they play.
    lifecycle.register_component("api", "HTTP APIs (Designate v2, records, platform)");
    lifecycle.register_component("central", "zone service and store (write probe)");
    lifecycle.register_component("mdns", "authoritative DNS server (UDP/TCP, AXFR/IXFR, NOTIFY)");
    lifecycle.register_component("worker", "change_committed hook sender (outbox)");
    lifecycle.register_component("producer", "periodic status probe");
    hooks::Registry registry(*store);
    const hooks::HookOptions hook_options{std::chrono::milliseconds(config.hook_timeout_ms),
                                          config.validate_fail_open};
    hooks::Journal journal(registry, hook_options);
    hooks::Sender sender(*store, hook_options);
    try {
        registry.load();
    } catch (const std::exception& e) {
        std::cerr << "dnsplane: cannot read extension point bindings: " << e.what() << "\n";
        return 1;
    }
    zones.set_commit_hook(&journal);
    // -----------------------------------------------------------------------

    // --- API surfaces ----------------------------------------------------
    // Each surface (one folder under src/api/) is mounted on a listener under
    // a path prefix; a listener (http::Server) serves every surface mounted
    // on it. To add a surface: one line below (and a listener in `listeners`
    // if it gets its own port). The listeners open before the zones load so
    // that the platform surface answers STARTING; the other surfaces answer
    // 503 until the process is ACTIVE and again once it is STOPPING.
    auto authenticator =
        config.auth == "token" ? auth::make_token_auth(*store) : auth::make_noauth();
    if (config.auth == "keystone")
        authenticator = auth::make_keystone_auth(
            {config.keystone_url, config.keystone_user, config.keystone_password,
             config.keystone_project, config.keystone_user_domain, config.keystone_project_domain,
             std::chrono::seconds(config.keystone_cache_seconds)});
    const api::SurfaceContext surface_ctx{zones, *authenticator};
    struct Mounted {
        std::string listener;
        std::string prefix;
        std::unique_ptr<http::Surface> surface;
        bool drained = true;  // false: keeps answering while shutdown drains
    };
    std::vector<Mounted> surfaces;
    surfaces.push_back({"api", "/",
                        designate::make_surface(
                            surface_ctx, {config.designate_style, config.body_limit, &lifecycle})});
    surfaces.push_back({"api", records::kPrefix, records::make_surface(surface_ctx)});
    surfaces.push_back({"api", identity::kPrefix, identity::make_surface(*store)});
    if (!config.webhook_listen.empty())
        surfaces.push_back(
            {"webhook", "/",
             webhook::make_surface(
                 surface_ctx, {config.webhook_project, config.webhook_auth, config.webhook_dry_run,
                               config.webhook_create_zones, config.webhook_domain_filter})});
    if (!config.health_listen.empty())
        surfaces.push_back({"health", "/", make_health_surface(&lifecycle)});
    surfaces.push_back({"api", platform::kMountPrefix,
                        platform::make_surface(surface_ctx, {lifecycle, registry, *store},
                                               {config.plugin_id, kVersion, config.platform_url,
                                                hook_options.timeout}),
                        false});
    surfaces.push_back({"api", config.connector_prefix, connector::make_surface(surface_ctx)});
    for (auto& m : surfaces) {
        if (!m.drained) continue;
        m.surface->router.use([&lifecycle](http::Request&) {
            if (!lifecycle.serving())
                throw core::Error(core::ErrorKind::Unavailable, "service_unavailable",
                                  std::string("dnsplane is ") +
                                      service::life_state_name(lifecycle.state()) +
                                      ": try again later");
        });
    }

    // HTTP connections live on threads of their own (one io_context each),
    // apart from the DNS server's I/O threads: a handler waiting for its
    // commit (group commit) holds only the connections of its thread.
    http::IoPool connection_threads(static_cast<std::size_t>(config.http_workers));
    std::map<std::string, http::ServerOptions> listeners;
    http::ServerOptions& api_options = listeners["api"];
    api_options.name = "api";
    api_options.listen = config.api_listen;
    api_options.body_limit = config.body_limit;
    api_options.trust_forwarded = config.trust_forwarded;
    api_options.connection_threads = &connection_threads;
    if (!config.webhook_listen.empty()) {
        http::ServerOptions& o = listeners["webhook"];
        o.name = "webhook";
        o.listen = config.webhook_listen;
        o.body_limit = config.webhook_max_body;
        o.connection_threads = &connection_threads;
    }
    if (!config.health_listen.empty()) {
        http::ServerOptions& o = listeners["health"];
        o.name = "health";
        o.listen = config.health_listen;
        o.connection_threads = &connection_threads;
    }

    std::map<std::string, std::unique_ptr<http::Server>> servers;
    try {
        for (const auto& [name, options] : listeners) {
            std::vector<http::Mount> mounts;
            for (const auto& m : surfaces)
                if (m.listener == name) {
                    mounts.push_back(http::mount(m.prefix, *m.surface));
                    mounts.back().drained = m.drained;
                }
            servers[name] = std::make_unique<http::Server>(io, options, std::move(mounts));
        }
    } catch (const std::exception& e) {
        std::cerr << "dnsplane: " << e.what() << "\n";
        return 1;
    }
    for (auto& [name, server] : servers) server->start();
    spdlog::info("dnsplane starting: api={} (loading zones)",
                 bound_address(config.api_listen, servers.at("api")->port()));
    // -----------------------------------------------------------------------

    // --- DNS server wiring -------------------------------------------------
    // The catalog serves the store's zones; as the first ChangeSink it swaps
    // a zone in before the API answers, then the notifier tells secondaries.
    // Loaded while the io threads already serve the platform surface.
    dns::ZoneCatalog catalog(*store);
    // SECONDARY zones (issue 16): transferred from their masters on a thread
    // of their own, each transfer one change set through `zones`.
    dns::SecondaryZones secondaries(zones, *store, catalog);
    std::optional<dns::DnsServer> dns_server;
    std::mutex dns_mutex;  // start-up vs a signal during start-up
    std::optional<StoreProbe> probe;

    auto stop_servers = [&] {
        for (auto& [name, server] : servers) server->stop();
        std::lock_guard lock(dns_mutex);
        if (dns_server) dns_server->stop();
    };

    // SIGINT/SIGTERM: STOPPING at once (the other surfaces answer 503 to new
    // requests, /v1/status keeps answering), then once in-flight requests
    // drained or --shutdown-timeout passed: no new connections, the
    // listeners close and io runs out of work. The default handlers come
    // back, so a second signal ends the process at once.
    asio::signal_set signals(io, SIGINT, SIGTERM);
    asio::steady_timer drain_timer(io);
    std::chrono::steady_clock::time_point drain_deadline;
    std::function<void()> drain_step = [&] {
        int busy = 0;
        for (auto& [name, server] : servers) busy += server->in_flight();
        if (busy > 0 && std::chrono::steady_clock::now() < drain_deadline) {
            drain_timer.expires_after(std::chrono::milliseconds(20));
            drain_timer.async_wait([&](const boost::system::error_code& ec) {
                if (!ec) drain_step();
            });
            return;
        }
        stop_servers();
        if (busy > 0) {
            // --shutdown-timeout is a hard deadline: a handler stuck past it
            // (a hook that never answers) is abandoned; its transaction never
            // committed, so the store stays consistent.
            spdlog::warn("shutdown timeout: abandoning {} running request(s)", busy);
            flush_logging();
            std::_Exit(0);
        }
    };
    signals.async_wait([&](const boost::system::error_code& ec, int signo) {
        if (ec) return;
        spdlog::info("signal {}: stopping gracefully (draining requests)", signo);
        boost::system::error_code ignored;
        signals.clear(ignored);
        lifecycle.set_stopping();
        drain_deadline = std::chrono::steady_clock::now() +
                         std::chrono::milliseconds(config.shutdown_timeout_ms);
        drain_step();
    });

    std::thread io_thread([&] { run_io(io, config.threads); });
    auto fail_start = [&](const std::string& why) {
        std::cerr << "dnsplane: " << why << "\n";
        lifecycle.set_stopping();
        boost::asio::post(io, [&] {
            boost::system::error_code ignored;
            signals.cancel(ignored);
            drain_timer.cancel();
            stop_servers();
        });
        io_thread.join();
        connection_threads.join();
        return 1;
    };
    // Other nodes' commits (PostgreSQL): followed from before the zones load,
    // held until the catalog and the notifier are in place, then republished
    // through them (never through the outbox sender: the committing node's
    // outbox already carries the event).
    RemoteChanges remote;
    // Designate's PENDING until the pool's polled nameservers serve a change.
    service::Propagation propagation(!config.pool_poll_nameservers.empty());
    if (const auto* cat = zones.catalog()) propagation.ignore_zone(cat->name());
    zones.set_propagation(&propagation);
    std::unique_ptr<store::ChangeFollower> follower;
    try {
        follower = store->follow([&remote](const core::ZoneChange& c) { remote.on_change(c); },
                                 [&lifecycle](bool ok, const std::string& why) {
                                     // Kept apart from the commit outcome: a
                                     // later successful commit of this node
                                     // must not hide a follower still down.
                                     if (ok) {
                                         spdlog::info("change follower: connected");
                                         lifecycle.set_follower_down(std::nullopt);
                                     } else if (!lifecycle.stopping()) {
                                         spdlog::warn("change follower: {}", why);
                                         lifecycle.set_follower_down(why);
                                     }
                                 });
    } catch (const std::exception& e) {
        return fail_start(std::string("cannot follow the change log: ") + e.what());
    }
    try {
        // Before the catalog, both at load and as sinks: a SECONDARY zone is
        // marked unserved before the catalog first publishes it.
        secondaries.load();
        catalog.load_all();
        zones.add_sink(&secondaries);
        zones.add_sink(&catalog);
        zones.set_secondary_refresh(&secondaries);
        dns::DnsOptions dns_options;
        dns_options.listen = config.dns_listen;
        dns_options.max_udp_payload = config.edns_udp_size;
        dns_options.axfr_allow = config.axfr_allow;
        dns_options.notify_tsig_key = config.notify_tsig_key;
        std::lock_guard lock(dns_mutex);
        if (!lifecycle.stopping()) {
            dns_server.emplace(io, dns_options, catalog, config.service.pool, store.get());
            dns_server->enable_updates(zones);  // RFC 2136 UPDATE with TSIG
            zones.add_sink(&dns_server->notifier());
            dns_server->enable_polling(poll_options(config), propagation);
            zones.add_sink(&dns_server->poller());
            dns_server->enable_secondaries(secondaries);
            dns_server->start();
            secondaries.start();
            register_collectors(zones, *dns_server, catalog);
        }
    } catch (const std::exception& e) {
        return fail_start(e.what());
    }
    remote.open({&catalog, dns_server ? &dns_server->notifier() : nullptr,
                 dns_server ? &dns_server->poller() : nullptr});
    zones.add_sink(&sender);
    sender.start();
    probe.emplace(*store, lifecycle, std::chrono::milliseconds(config.store_probe_ms), [&] {
        if (dns_server)
            check_components(lifecycle, config, *servers.at("api"), *dns_server, sender, *store);
    });
    if (!lifecycle.stopping()) {
        lifecycle.set_started();
        spdlog::info("dnsplane listening api={} dns={} auth={} database={} plugin_id={}",
                     bound_address(config.api_listen, servers.at("api")->port()),
                     dns_addresses(config.dns_listen, dns_server->udp_ports()), config.auth,
                     store::redacted_url(config.database), config.plugin_id);
        for (const char* extra : {"webhook", "health"})
            if (servers.count(extra))
                spdlog::info("dnsplane listening {}={}", extra,
                             bound_address(extra == std::string("webhook") ? config.webhook_listen
                                                                           : config.health_listen,
                                           servers.at(extra)->port()));
    }
    // -----------------------------------------------------------------------

    io_thread.join();
    connection_threads.join();
    secondaries.stop();
    follower.reset();
    common::metrics().remove_collector("dns");
    common::metrics().remove_collector("store");
    probe.reset();
    sender.stop();
    spdlog::info("dnsplane stopped");
    flush_logging();
    return 0;
}

}  // namespace dnsplane::app
