#include "dns/server/dns_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <spdlog/spdlog.h>

#include <atomic>
#include <cstring>
#include <stdexcept>

#include "dns/query_engine.h"
#include "dns/server/acl.h"
#include "dns/server/axfr.h"
#include "dns/server/listen_endpoint.h"
#include "dns/server/notify.h"
#include "dns/server/notify_receiver.h"
#include "dns/server/signed_query.h"
#include "dns/server/tcp_server.h"
#include "dns/server/udp_server.h"
#include "dns/server/update_server.h"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

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

std::string peer_text(const sockaddr_storage& ss) {
    return to_address(ss).to_string();
}

}  // namespace

// UPDATE requests taken off the UDP workers. `closed` turns new ones away
// once stop() began; join() waits for those in flight (they still send on
// the UDP sockets, which close after).
struct DnsServer::UpdateWorkers {
    explicit UpdateWorkers(int n) : pool(static_cast<std::size_t>(n < 1 ? 1 : n)) {}
    asio::thread_pool pool;
    std::atomic<bool> closed{false};
};

DnsServer::DnsServer(asio::io_context& io, DnsOptions options, ZoneCatalog& catalog,
                     const core::Pool& pool, store::Store* change_log)
    : io_(io),
      options_(std::move(options)),
      catalog_(catalog),
      stats_(std::make_shared<QueryStats>()),
      pool_id_(pool.id) {
    // Validate everything now so that a bad config fails before binding.
    for (const auto& text : options_.listen) (void)parse_listen_endpoint(text);
    transfers_ = std::make_shared<TransferService>(catalog_, Acl(options_.axfr_allow), change_log,
                                                   stats_.get());
    NotifyOptions notify;
    notify.targets = pool.also_notify;
    notify.tsig_key = options_.notify_tsig_key;
    notifier_ = std::make_unique<Notifier>(io_, catalog_, std::move(notify), stats_.get());
}

DnsServer::~DnsServer() {
    stop();
}

void DnsServer::enable_updates(service::ZoneService& svc) {
    updates_ = std::make_shared<UpdateProcessor>(svc);
    transfers_->set_tsig(&updates_->keyring(), pool_id_);
    notifier_->set_keyring(&updates_->keyring());
}

void DnsServer::start() {
    if (started_) return;
    UdpDeferral deferral;
    std::shared_ptr<UpdateProcessor> updates = updates_;
    if (updates) {
        update_workers_ = std::make_shared<UpdateWorkers>(options_.update_workers);
        std::shared_ptr<UpdateWorkers> workers = update_workers_;
        deferral.wants = [](std::span<const std::uint8_t> query) {
            return classify(query) == MessageKind::Update;
        };
        deferral.take = [updates, workers](std::vector<std::uint8_t> query, UdpReplyTo to) {
            if (workers->closed) return;
            asio::post(workers->pool, [updates, workers, query = std::move(query), to] {
                if (workers->closed) return;
                try {
                    std::vector<std::uint8_t> out;
                    if (updates->answer(query, peer_text(to.peer), out)) to.send(out);
                } catch (const std::exception& e) {
                    spdlog::error("dns update: failed: {}", e.what());
                }
            });
        };
    }
    const ZoneCatalog* catalog = &catalog_;
    std::shared_ptr<QueryStats> stats = stats_;
    std::shared_ptr<TransferService> transfers = transfers_;
    const QueryLimits udp_limits{Transport::Udp, options_.max_udp_payload};
    const QueryLimits tcp_limits{Transport::Tcp, options_.max_udp_payload};

    SecondaryZones* secondaries = secondaries_;
    DatagramHandler on_datagram = [catalog, stats, transfers, udp_limits, updates, secondaries](
                                      std::span<const std::uint8_t> query,
                                      const sockaddr_storage& peer,
                                      std::vector<std::uint8_t>& out) {
        if (secondaries && classify(query) == MessageKind::Notify)
            return answer_notify(query, to_address(peer), *secondaries, out);
        QueryLimits limits = udp_limits;
        if (classify(query) == MessageKind::Ixfr) {
            // Answered with the SOA alone, to clients the transfer ACL allows.
            limits.transfer_allowed = transfers->acl().allows(to_address(peer));
        }
        if (!answer_query(*catalog, query, limits, out, stats.get())) return false;
        if (updates && is_notauth(out))
            answer_signed_query(*catalog, updates->keyring(), query, limits, out);
        return true;
    };
    StreamHandler on_message = [catalog, stats, transfers, tcp_limits, updates, secondaries](
                                   std::span<const std::uint8_t> message,
                                   const asio::ip::address& client,
                                   std::vector<std::vector<std::uint8_t>>& replies) {
        const MessageKind kind = classify(message);
        if (kind == MessageKind::Notify && secondaries) {
            replies.emplace_back();
            if (!answer_notify(message, client, *secondaries, replies.back())) replies.pop_back();
            return;
        }
        if (kind == MessageKind::Axfr || kind == MessageKind::Ixfr) {
            transfers->answer_tcp(message, client, replies);
            return;
        }
        if (kind == MessageKind::Update && updates) {
            // Blocks this io thread until the change is committed (one
            // group commit); TCP UPDATE is rare next to UDP.
            replies.emplace_back();
            if (!updates->answer(message, client.to_string(), replies.back())) replies.pop_back();
            return;
        }
        replies.emplace_back();
        if (!answer_query(*catalog, message, tcp_limits, replies.back(), stats.get())) {
            replies.pop_back();
        } else if (updates && is_notauth(replies.back())) {
            answer_signed_query(*catalog, updates->keyring(), message, tcp_limits, replies.back());
        }
    };
    const TcpOptions tcp_options{options_.tcp_idle_timeout_ms, options_.tcp_max_connections};

    try {
        for (const auto& text : options_.listen) {
            const ListenEndpoint ep = parse_listen_endpoint(text);
            const int attempts = ep.port == 0 ? kPortZeroAttempts : 1;
            for (int attempt = 1;; ++attempt) {
                auto udp =
                    std::make_unique<UdpServer>(ep, options_.udp_workers, on_datagram, deferral);
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
    if (poller_) poller_->start();
    started_ = true;
}

void DnsServer::stop() {
    notifier_->stop();
    if (poller_) poller_->stop();
    if (update_workers_) {
        update_workers_->closed = true;
        update_workers_->pool.join();
        update_workers_.reset();
    }
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

void DnsServer::enable_polling(SerialPollOptions options, service::Propagation& propagation) {
    poller_ = std::make_unique<SerialPoller>(std::move(options), propagation);
}

service::ChangeSink& DnsServer::poller() {
    return *poller_;
}

}  // namespace dnsplane::dns
