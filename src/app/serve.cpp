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
    run_io(io, config.threads);
    workers.join();
    spdlog::info("dnsplane stopped");
    flush_logging();
    return 0;
}

}  // namespace dnsplane::app
