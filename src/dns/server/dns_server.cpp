#include "dns/server/dns_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <spdlog/spdlog.h>

#include <cstring>
#include <stdexcept>

#include "dns/server/acl.h"
#include "dns/server/axfr.h"
#include "dns/server/listen_endpoint.h"
#include "dns/server/notify.h"
#include "dns/query_engine.h"
#include "dns/server/tcp_server.h"
#include "dns/server/udp_server.h"

namespace dnsplane::dns {

namespace asio = boost::asio;

namespace {

constexpr int kPortZeroAttempts = 20;  // port 0: retries when TCP finds the UDP port taken

asio::ip::address to_address(const sockaddr_storage& ss) {
    if (ss.ss_family == AF_INET) {
        const auto* sin = reinterpret_cast<const sockaddr_in*>(&ss);
        return asio::ip::address_v4(ntohl(sin->sin_addr.s_addr));
    }
    const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&ss);
    asio::ip::address_v6::bytes_type bytes;
    std::memcpy(bytes.data(), &sin6->sin6_addr, bytes.size());
    return asio::ip::address_v6(bytes, sin6->sin6_scope_id);
}

}  // namespace

DnsServer::DnsServer(asio::io_context& io, DnsOptions options, ZoneCatalog& catalog,
                     const core::Pool& pool, store::Store* change_log)
    : io_(io),
      options_(std::move(options)),
      catalog_(catalog),
      stats_(std::make_shared<QueryStats>()) {
    // Validate everything now so that a bad config fails before binding.
    for (const auto& text : options_.listen) (void)parse_listen_endpoint(text);
    transfers_ = std::make_shared<TransferService>(catalog_, Acl(options_.axfr_allow), change_log,
                                                   stats_.get());
    NotifyOptions notify;
    notify.targets = pool.also_notify;
    notifier_ = std::make_unique<Notifier>(io_, catalog_, std::move(notify), stats_.get());
}

DnsServer::~DnsServer() {
    stop();
}

void DnsServer::start() {
    if (started_) return;
    const ZoneCatalog* catalog = &catalog_;
    std::shared_ptr<QueryStats> stats = stats_;
    std::shared_ptr<TransferService> transfers = transfers_;
    const QueryLimits udp_limits{Transport::Udp, options_.max_udp_payload};
    const QueryLimits tcp_limits{Transport::Tcp, options_.max_udp_payload};

    DatagramHandler on_datagram = [catalog, stats, transfers, udp_limits](
                                      std::span<const std::uint8_t> query,
                                      const sockaddr_storage& peer,
                                      std::vector<std::uint8_t>& out) {
        if (classify(query) == MessageKind::Ixfr) {
            // Answered with the SOA alone, to clients the transfer ACL allows.
            QueryLimits limits = udp_limits;
            limits.transfer_allowed = transfers->acl().allows(to_address(peer));
            return answer_query(*catalog, query, limits, out, stats.get());
        }
        return answer_query(*catalog, query, udp_limits, out, stats.get());
    };
    StreamHandler on_message = [catalog, stats, transfers, tcp_limits](
                                   std::span<const std::uint8_t> message,
                                   const asio::ip::address& client,
                                   std::vector<std::vector<std::uint8_t>>& replies) {
        const MessageKind kind = classify(message);
        if (kind == MessageKind::Axfr || kind == MessageKind::Ixfr) {
            transfers->answer_tcp(message, client, replies);
            return;
        }
        replies.emplace_back();
        if (!answer_query(*catalog, message, tcp_limits, replies.back(), stats.get())) {
            replies.pop_back();
        }
    };
    const TcpOptions tcp_options{options_.tcp_idle_timeout_ms, options_.tcp_max_connections};

    try {
        for (const auto& text : options_.listen) {
            const ListenEndpoint ep = parse_listen_endpoint(text);
            const int attempts = ep.port == 0 ? kPortZeroAttempts : 1;
            for (int attempt = 1;; ++attempt) {
                auto udp = std::make_unique<UdpServer>(ep, options_.udp_workers, on_datagram);
                udp->start();
                ListenEndpoint tcp_ep = ep;
                tcp_ep.port = udp->port();  // port 0: TCP takes the number UDP got
                auto tcp = std::make_unique<TcpServer>(io_, tcp_ep, tcp_options, on_message);
                try {
                    tcp->start();
                } catch (const std::exception&) {
                    udp->stop();
                    if (attempt < attempts) continue;
                    throw;
                }
                udp_ports_.push_back(udp->port());
                tcp_ports_.push_back(tcp->port());
                spdlog::info("dns: listening on {} (udp, {} workers) and tcp", to_string(tcp_ep),
                             options_.udp_workers);
                udp_.push_back(std::move(udp));
                tcp_.push_back(std::move(tcp));
                break;
            }
        }
    } catch (...) {
        stop();
        throw;
    }
    started_ = true;
}

void DnsServer::stop() {
    notifier_->stop();
    for (auto& t : tcp_) t->stop();
    for (auto& u : udp_) u->stop();
    tcp_.clear();
    udp_.clear();
    udp_ports_.clear();
    tcp_ports_.clear();
    started_ = false;
}

std::vector<unsigned short> DnsServer::udp_ports() const {
    return {udp_ports_.begin(), udp_ports_.end()};
}

std::vector<unsigned short> DnsServer::tcp_ports() const {
    return {tcp_ports_.begin(), tcp_ports_.end()};
}

service::ChangeSink& DnsServer::notifier() {
    return *notifier_;
}

}  // namespace dnsplane::dns
