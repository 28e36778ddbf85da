#include "app/serve.h"

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include <csignal>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "api/designate/designate_api.h"
#include "api/records/records_api.h"
#include "api/webhook/webhook_api.h"
#include "app/health_surface.h"
#include "common/metrics.h"
#include "app/logging.h"
#include "auth/authenticator.h"
#include "dns/dns_server.h"
#include "dns/zone_catalog.h"
#include "http/listen_address.h"
#include "http/server.h"
#include "http/surface.h"
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
void register_collectors(service::ZoneService& zones, dns::DnsServer& dns) {
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

}  // namespace

int run_serve(const Config& config) {
    init_logging(config.log_level);

    std::unique_ptr<store::Store> store;
    try {
        store = store::open_store(config.database);
    } catch (const std::exception& e) {
        std::cerr << "dnsplane: cannot open database " << config.database << ": " << e.what()
                  << "\n";
        return 1;
    }
    service::ZoneService zones(*store, config.service);
    asio::io_context io(config.threads);

    // --- DNS server wiring -------------------------------------------------
    // The catalog serves the store's zones; as the first ChangeSink it swaps
    // a zone in before the API answers, then the notifier tells secondaries.
    dns::ZoneCatalog catalog(*store);
    std::optional<dns::DnsServer> dns_server;
    try {
        catalog.load_all();
        zones.add_sink(&catalog);
        dns::DnsOptions dns_options;
        dns_options.listen = config.dns_listen;
        dns_options.max_udp_payload = config.edns_udp_size;
        dns_options.axfr_allow = config.axfr_allow;
        dns_server.emplace(io, dns_options, catalog, config.service.pool, store.get());
        zones.add_sink(&dns_server->notifier());
        dns_server->start();
    } catch (const std::exception& e) {
        std::cerr << "dnsplane: " << e.what() << "\n";
        return 1;
    }
    // -----------------------------------------------------------------------

    // --- API surfaces ----------------------------------------------------
    // Each surface (one folder under src/api/) is mounted on a listener under
    // a path prefix; a listener (http::Server) serves every surface mounted
    // on it. To add a surface: one line below (and a listener in `listeners`
    // if it gets its own port).
    auto authenticator =
        config.auth == "token" ? auth::make_token_auth(*store) : auth::make_noauth();
    const api::SurfaceContext surface_ctx{zones, *authenticator};
    struct Mounted {
        std::string listener;
        std::string prefix;
        std::unique_ptr<http::Surface> surface;
    };
    std::vector<Mounted> surfaces;
    surfaces.push_back(
        {"api", "/", designate::make_surface(surface_ctx, {config.designate_style, config.body_limit})});
    surfaces.push_back({"api", records::kPrefix, records::make_surface(surface_ctx)});
    if (!config.webhook_listen.empty())
        surfaces.push_back({"webhook", "/",
                            webhook::make_surface(surface_ctx, {config.webhook_project,
                                                                config.webhook_auth,
                                                                config.webhook_dry_run,
                                                                config.webhook_create_zones,
                                                                config.webhook_domain_filter})});
    if (!config.health_listen.empty())
        surfaces.push_back({"health", "/", make_health_surface()});
    register_collectors(zones, *dns_server);

    // Handlers run on their own bounded pool: a handler waiting for its
    // commit (group commit) never blocks an I/O thread.
    asio::thread_pool workers(static_cast<std::size_t>(config.http_workers));
    std::map<std::string, http::ServerOptions> listeners;
    http::ServerOptions& api_options = listeners["api"];
    api_options.name = "api";
    api_options.listen = config.api_listen;
    api_options.body_limit = config.body_limit;
    api_options.trust_forwarded = config.trust_forwarded;
    api_options.workers = &workers;
    if (!config.webhook_listen.empty()) {
        http::ServerOptions& o = listeners["webhook"];
        o.name = "webhook";
        o.listen = config.webhook_listen;
        o.body_limit = config.webhook_max_body;
        o.workers = &workers;
    }
    if (!config.health_listen.empty()) {
        http::ServerOptions& o = listeners["health"];
        o.name = "health";
        o.listen = config.health_listen;
        o.workers = &workers;
    }

    std::map<std::string, std::unique_ptr<http::Server>> servers;
    try {
        for (const auto& [name, options] : listeners) {
            std::vector<http::Mount> mounts;
            for (const auto& m : surfaces)
                if (m.listener == name) mounts.push_back(http::mount(m.prefix, *m.surface));
            servers[name] = std::make_unique<http::Server>(io, options, std::move(mounts));
        }
    } catch (const std::exception& e) {
        std::cerr << "dnsplane: " << e.what() << "\n";
        dns_server->stop();
        return 1;
    }
    for (auto& [name, server] : servers) server->start();
    // -----------------------------------------------------------------------

    // SIGINT/SIGTERM: graceful stop (no new connections, in-flight requests
    // finish, then io runs out of work). The default handlers come back, so a
    // second signal ends the process at once.
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signo) {
        if (ec) return;
        spdlog::info("signal {}: stopping gracefully", signo);
        boost::system::error_code ignored;
        signals.clear(ignored);
        for (auto& [name, server] : servers) server->stop();
        dns_server->stop();
    });

    spdlog::info("dnsplane listening api={} dns={} auth={} database={}",
                 bound_address(config.api_listen, servers.at("api")->port()),
                 dns_addresses(config.dns_listen, dns_server->udp_ports()), config.auth,
                 config.database);
    for (const char* extra : {"webhook", "health"})
        if (servers.count(extra))
            spdlog::info("dnsplane listening {}={}", extra,
                         bound_address(extra == std::string("webhook") ? config.webhook_listen
                                                                       : config.health_listen,
                                       servers.at(extra)->port()));
    run_io(io, config.threads);
    workers.join();
    common::metrics().remove_collector("dns");
    common::metrics().remove_collector("store");
    spdlog::info("dnsplane stopped");
    flush_logging();
    return 0;
}

}  // namespace dnsplane::app
