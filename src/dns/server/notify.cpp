#include "dns/server/notify.h"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include "dns/wire_libknot.h"

#include <array>
#include <atomic>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <random>

#include "dns/server/tsig.h"
#include "dns/wire.h"

namespace dnsplane::dns {

namespace asio = boost::asio;
using asio::ip::udp;

namespace {

// "host:port" / "[v6]:port" -> (host, port); nullopt when malformed.
std::optional<std::pair<std::string, std::string>> split_target(const std::string& target) {
    if (!target.empty() && target.front() == '[') {
        const auto close = target.find("]:");
        if (close == std::string::npos) return std::nullopt;
        return std::make_pair(target.substr(1, close - 1), target.substr(close + 2));
    }
    const auto colon = target.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == target.size()) {
        return std::nullopt;
    }
    return std::make_pair(target.substr(0, colon), target.substr(colon + 1));
}

// One notification in flight to one target; shared with the timer callback.
struct Attempt {
    explicit Attempt(const asio::any_io_executor& ex) : socket(ex), timer(ex) {}
    udp::socket socket;
    asio::steady_timer timer;
    unsigned try_number = 0;
};

bool is_matching_response(const std::uint8_t* msg, std::size_t size, std::uint16_t id) {
    return size >= KNOT_WIRE_HEADER_SIZE && knot_wire_get_id(msg) == id && knot_wire_get_qr(msg) &&
           knot_wire_get_opcode(msg) == KNOT_OPCODE_NOTIFY;
}

}  // namespace

std::vector<std::uint8_t> build_notify(std::uint16_t id, const knot_dname_t* zone,
                                       const knot_rrset_t* soa) {
    std::vector<std::uint8_t> buf(2048);
    knot_pkt_t* pkt = knot_pkt_new(buf.data(), buf.size(), nullptr);
    if (pkt == nullptr) throw std::bad_alloc();
    knot_wire_set_id(pkt->wire, id);
    knot_wire_set_opcode(pkt->wire, KNOT_OPCODE_NOTIFY);
    knot_wire_set_aa(pkt->wire);
    knot_pkt_put_question(pkt, zone, KNOT_CLASS_IN, KNOT_RRTYPE_SOA);
    if (soa != nullptr) {
        knot_pkt_begin(pkt, KNOT_ANSWER);
        knot_pkt_put(pkt, KNOT_COMPR_HINT_QNAME, soa, KNOT_PF_NOTRUNC);
    }
    buf.resize(pkt->size);
    knot_pkt_free(pkt);
    return buf;
}

struct Notifier::State {
    State(asio::io_context& io, const ZoneCatalog& catalog, NotifyOptions options,
          QueryStats* stats)
        : io(io), catalog(catalog), options(std::move(options)), stats(stats) {}

    asio::io_context& io;
    const ZoneCatalog& catalog;
    NotifyOptions options;
    QueryStats* stats;
    TsigKeyring* keyring = nullptr;

    std::mutex mutex;  // guards everything below except the atomics
    bool stopped = false;
    std::map<std::string, std::uint64_t> generation;  // "zone target" -> latest change
    std::list<std::weak_ptr<Attempt>> attempts;
    std::mt19937 rng{std::random_device{}()};
    std::atomic<std::size_t> pending{0};
    std::atomic<std::uint64_t> acked{0};

    // False once stop() ran or a newer change of the zone took over.
    bool current(const std::string& key, std::uint64_t gen) {
        std::lock_guard lock(mutex);
        return !stopped && generation[key] == gen;
    }
    std::uint16_t random_id() {
        std::lock_guard lock(mutex);
        return static_cast<std::uint16_t>(rng());
    }

    // Sets `out` to the signer of options.tsig_key (left empty when NOTIFY is
    // unsigned). False when the key is configured but cannot be found.
    bool find_signer(std::optional<TsigClient>& out) const {
        out.reset();
        if (options.tsig_key.empty()) return true;
        auto keys = keyring ? keyring->current() : nullptr;
        auto owner = wire::name_to_wire(options.tsig_key);
        const TsigKeyEntry* key =
            keys && owner ? keys->find(reinterpret_cast<const knot_dname_t*>(owner->data()))
                          : nullptr;
        if (key == nullptr) return false;
        out.emplace(std::move(keys), *key);
        return true;
    }

    std::chrono::milliseconds wait_for(unsigned try_index) const {
        if (options.waits.empty()) return std::chrono::seconds(1);
        return options.waits[std::min<std::size_t>(try_index, options.waits.size() - 1)];
    }

    // A static member taking the state by value: the coroutine frame keeps it
    // alive even when the Notifier is gone before the coroutine first runs.
    static asio::awaitable<void> notify(std::shared_ptr<State> self, std::string zone,
                                        std::string target, std::string key, std::uint64_t gen);
};

asio::awaitable<void> Notifier::State::notify(std::shared_ptr<State> self, std::string zone,
                                              std::string target, std::string key,
                                              std::uint64_t gen) {
    State& st = *self;
    auto ex = co_await asio::this_coro::executor;
    auto attempt = std::make_shared<Attempt>(ex);
    std::list<std::weak_ptr<Attempt>>::iterator tracked;
    {
        std::lock_guard lock(st.mutex);
        tracked = st.attempts.insert(st.attempts.end(), attempt);
    }
    boost::system::error_code ec;
    bool acknowledged = false;

    const auto host_port = split_target(target);
    udp::resolver resolver(ex);
    udp::resolver::results_type endpoints;
    if (host_port) {
        endpoints = co_await resolver.async_resolve(host_port->first, host_port->second,
                                                    asio::redirect_error(asio::use_awaitable, ec));
    }
    if (!host_port || ec || endpoints.empty()) {
        spdlog::warn("dns notify: cannot resolve also_notify target '{}': {}", target,
                     host_port ? ec.message() : "expected host:port");
    } else {
        const udp::endpoint peer = *endpoints.begin();
        // A connected socket only receives datagrams from the target.
        attempt->socket.open(peer.protocol(), ec);
        if (!ec) attempt->socket.connect(peer, ec);
        if (ec) spdlog::warn("dns notify: {}: {}", target, ec.message());
        std::vector<std::uint8_t> zone_wire;
        if (auto w = wire::name_to_wire(zone)) zone_wire.assign(w->begin(), w->end());
        if (zone_wire.empty()) ec = asio::error::invalid_argument;
        std::array<std::uint8_t, 4096> rx{};
        const int tries = std::max(1, st.options.tries);
        for (int i = 0; !ec && !acknowledged && i < tries && st.current(key, gen); ++i) {
            const std::uint16_t id = st.random_id();
            ZoneSnapshotPtr snapshot = st.catalog.get(zone);
            auto msg =
                build_notify(id, zone_wire.data(), snapshot ? &snapshot->soa_rrset() : nullptr);
            std::optional<TsigClient> signer;
            if (!st.find_signer(signer) || (signer && !signer->sign(msg))) {
                spdlog::warn("dns notify: TSIG key '{}' not found; NOTIFY for {} to {} not sent",
                             st.options.tsig_key, zone, target);
                break;
            }
            co_await attempt->socket.async_send(asio::buffer(msg),
                                                asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                spdlog::debug("dns notify: send to {} failed: {}", target, ec.message());
                ec.clear();  // try again after the pause
            } else if (st.stats) {
                st.stats->add(QueryStats::NotifySent);
            }
            // The timer cancels the receive when this try's wait is over.
            const unsigned this_try = ++attempt->try_number;
            attempt->timer.expires_after(st.wait_for(static_cast<unsigned>(i)));
            attempt->timer.async_wait([attempt, this_try](boost::system::error_code e) {
                if (!e && attempt->try_number == this_try) {
                    boost::system::error_code ignored;
                    attempt->socket.cancel(ignored);
                }
            });
            for (;;) {
                const std::size_t n = co_await attempt->socket.async_receive(
                    asio::buffer(rx), asio::redirect_error(asio::use_awaitable, ec));
                if (ec == asio::error::operation_aborted || !attempt->socket.is_open()) break;
                if (ec) {
                    // ICMP port unreachable and the like: keep waiting for the timer.
                    ec.clear();
                    continue;
                }
                if (is_matching_response(rx.data(), n, id)) {
                    if (signer && !signer->reply_verifies({rx.data(), n})) {
                        spdlog::info(
                            "dns notify: {} answered NOTIFY for {} without a valid "
                            "signature of key {}",
                            target, zone, signer->key_name());
                        continue;  // not an acknowledgement: keep waiting, then retry
                    }
                    acknowledged = true;
                    const auto rcode = knot_wire_get_rcode(rx.data());
                    if (rcode != KNOT_RCODE_NOERROR) {
                        spdlog::info("dns notify: {} answered NOTIFY for {} with rcode {}", target,
                                     zone, rcode);
                    }
                    break;
                }
            }
            attempt->timer.cancel();
            ec.clear();
            if (!attempt->socket.is_open()) break;  // stop() closed it
        }
        if (acknowledged) {
            ++st.acked;
        } else if (st.current(key, gen)) {
            spdlog::warn("dns notify: {} did not answer NOTIFY for {} after {} tries", target, zone,
                         tries);
        }
    }
    attempt->socket.close(ec);
    {
        std::lock_guard lock(st.mutex);
        st.attempts.erase(tracked);
    }
    --st.pending;
}

Notifier::Notifier(asio::io_context& io, const ZoneCatalog& catalog, NotifyOptions options,
                   QueryStats* stats)
    : state_(std::make_shared<State>(io, catalog, std::move(options), stats)) {}

Notifier::~Notifier() {
    stop();
}

void Notifier::on_commit(const core::ZoneChange& change) {
    if (change.zone_deleted || state_->options.targets.empty()) return;
    std::vector<std::pair<std::string, std::uint64_t>> jobs;  // (target, generation)
    {
        std::lock_guard lock(state_->mutex);
        if (state_->stopped) return;
        for (const auto& target : state_->options.targets) {
            jobs.emplace_back(target, ++state_->generation[change.zone_name + " " + target]);
        }
    }
    // Posted, never run inline: on_commit runs on the API's thread, which
    // must not wait for resolution or sockets (nor re-enter the mutex).
    for (auto& [target, gen] : jobs) {
        ++state_->pending;
        auto strand = asio::make_strand(state_->io);
        asio::post(strand, [state = state_, strand, zone = change.zone_name, target = target,
                            gen = gen]() mutable {
            std::string key = zone + " " + target;
            asio::co_spawn(
                strand,
                State::notify(state, std::move(zone), std::move(target), std::move(key), gen),
                asio::detached);
        });
    }
}

void Notifier::set_keyring(TsigKeyring* ring) {
    state_->keyring = ring;
}

void Notifier::stop() {
    std::lock_guard lock(state_->mutex);
    if (state_->stopped) return;
    state_->stopped = true;
    for (auto& weak : state_->attempts) {
        if (auto a = weak.lock()) {
            asio::post(a->socket.get_executor(), [a] {
                boost::system::error_code ec;
                a->timer.cancel();
                a->socket.close(ec);
            });
        }
    }
}

std::size_t Notifier::pending() const {
    return state_->pending.load();
}
std::uint64_t Notifier::acknowledged() const {
    return state_->acked.load();
}

}  // namespace dnsplane::dns
