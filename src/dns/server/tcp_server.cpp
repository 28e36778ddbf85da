#include "dns/server/tcp_server.h"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <atomic>
#include <chrono>
#include <cstring>
#include <list>
#include <mutex>
#include <stdexcept>

namespace dnsplane::dns {

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kInitialBuffer = 4096;
constexpr std::size_t kLengthPrefix = 2;
constexpr std::size_t kWriteChunk = 64 * 1024;  // bytes per write of a long answer

struct Connection {
    explicit Connection(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}
    tcp::socket socket;
    asio::steady_timer timer;
    Clock::time_point deadline = Clock::now();
};

}  // namespace

struct TcpServer::State {
    State(asio::io_context& io, TcpOptions o, StreamHandler h)
        : io(io), acceptor(asio::make_strand(io)), options(o), handler(std::move(h)) {}

    asio::io_context& io;
    tcp::acceptor acceptor;
    TcpOptions options;
    StreamHandler handler;
    std::atomic<std::size_t> active{0};
    std::atomic<bool> stopped{false};
    std::mutex mutex;  // guards `connections`
    std::list<std::weak_ptr<Connection>> connections;

    std::list<std::weak_ptr<Connection>>::iterator track(const std::shared_ptr<Connection>& c) {
        std::lock_guard lock(mutex);
        return connections.insert(connections.end(), c);
    }
    void untrack(std::list<std::weak_ptr<Connection>>::iterator it) {
        std::lock_guard lock(mutex);
        connections.erase(it);
    }

    Clock::duration idle() const { return std::chrono::milliseconds(options.idle_timeout_ms); }

    // Static, taking the state by value: a coroutine frame keeps the state
    // alive even if the server object is gone before the coroutine runs.
    static asio::awaitable<void> accept_loop(std::shared_ptr<State> self);
    static asio::awaitable<void> serve(std::shared_ptr<State> self, std::shared_ptr<Connection> c);
    static asio::awaitable<void> watchdog(std::shared_ptr<Connection> c);
};

asio::awaitable<void> TcpServer::State::accept_loop(std::shared_ptr<State> self) {
    State& st = *self;
    for (;;) {
        boost::system::error_code ec;
        tcp::socket socket = co_await st.acceptor.async_accept(
            asio::make_strand(st.io), asio::redirect_error(asio::use_awaitable, ec));
        if (st.stopped || !st.acceptor.is_open()) co_return;
        if (ec) {
            // Out of descriptors and the like: back off instead of spinning.
            spdlog::warn("dns tcp: accept failed: {}", ec.message());
            asio::steady_timer pause(st.acceptor.get_executor(), std::chrono::milliseconds(100));
            co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        if (st.active.load() >= st.options.max_connections) {
            socket.close(ec);
            continue;
        }
        socket.set_option(tcp::no_delay(true), ec);
        auto conn = std::make_shared<Connection>(std::move(socket));
        ++st.active;
        auto executor = conn->socket.get_executor();
        asio::co_spawn(executor, serve(self, conn), asio::detached);
        asio::co_spawn(executor, watchdog(conn), asio::detached);
    }
}

// Closes the connection once its deadline passes without being pushed back.
asio::awaitable<void> TcpServer::State::watchdog(std::shared_ptr<Connection> c) {
    boost::system::error_code ec;
    while (c->socket.is_open()) {
        c->timer.expires_at(c->deadline);
        co_await c->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (!c->socket.is_open()) co_return;
        if (c->deadline <= Clock::now()) {
            c->socket.close(ec);
            co_return;
        }
    }
}

asio::awaitable<void> TcpServer::State::serve(std::shared_ptr<State> self,
                                              std::shared_ptr<Connection> c) {
    State& st = *self;
    const auto tracked = st.track(c);
    boost::system::error_code ec;
    const auto client = c->socket.remote_endpoint(ec).address();

    std::vector<std::uint8_t> buffer(kInitialBuffer);
    std::size_t filled = 0;
    std::vector<std::vector<std::uint8_t>> replies;
    std::vector<std::array<std::uint8_t, kLengthPrefix>> prefixes;
    std::vector<asio::const_buffer> gather;

    while (!ec && !st.stopped) {
        c->deadline = Clock::now() + st.idle();
        const std::size_t n = co_await c->socket.async_read_some(
            asio::buffer(buffer.data() + filled, buffer.size() - filled),
            asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        filled += n;

        // Answer every complete message in the buffer, in order.
        std::size_t pos = 0;
        bool protocol_error = false;
        while (filled - pos >= kLengthPrefix) {
            const std::size_t len = (std::size_t{buffer[pos]} << 8) | buffer[pos + 1];
            if (len == 0) {
                protocol_error = true;  // a zero-length message cannot be a query
                break;
            }
            if (filled - pos - kLengthPrefix < len) break;
            try {
                st.handler({buffer.data() + pos + kLengthPrefix, len}, client, replies);
            } catch (const std::exception& e) {
                spdlog::error("dns tcp: handler failed: {}", e.what());
            }
            pos += kLengthPrefix + len;
        }
        if (pos > 0) {
            std::memmove(buffer.data(), buffer.data() + pos, filled - pos);
            filled -= pos;
        }
        // Make room for the whole of the next message (at most 2 + 65535).
        if (filled >= kLengthPrefix) {
            const std::size_t need = kLengthPrefix + ((std::size_t{buffer[0]} << 8) | buffer[1]);
            if (need > buffer.size()) buffer.resize(need);
        } else if (buffer.size() - filled < kLengthPrefix) {
            buffer.resize(buffer.size() * 2);
        }

        if (!replies.empty()) {
            prefixes.resize(replies.size());
            for (std::size_t i = 0; i < replies.size(); ++i) {
                const auto size = static_cast<std::uint16_t>(replies[i].size());
                prefixes[i] = {static_cast<std::uint8_t>(size >> 8),
                               static_cast<std::uint8_t>(size & 0xFF)};
            }
            // In pieces of about 64 KiB, the deadline pushed back before
            // each: a large transfer to a slow reader is fine as long as it
            // keeps reading (the idle timeout is per write, not per answer).
            for (std::size_t i = 0; i < replies.size() && !ec;) {
                gather.clear();
                std::size_t bytes = 0;
                for (; i < replies.size() && (gather.empty() || bytes < kWriteChunk); ++i) {
                    gather.emplace_back(asio::buffer(prefixes[i]));
                    gather.emplace_back(asio::buffer(replies[i]));
                    bytes += kLengthPrefix + replies[i].size();
                }
                c->deadline = Clock::now() + st.idle();
                co_await asio::async_write(c->socket, gather,
                                           asio::redirect_error(asio::use_awaitable, ec));
            }
            replies.clear();
        }
        if (protocol_error) break;
    }

    c->socket.close(ec);
    c->timer.cancel();
    st.untrack(tracked);
    --st.active;
}

TcpServer::TcpServer(asio::io_context& io, ListenEndpoint endpoint, TcpOptions options,
                     StreamHandler handler)
    : state_(std::make_shared<State>(io, options, std::move(handler))),
      endpoint_(std::move(endpoint)) {}

TcpServer::~TcpServer() {
    stop();
}

void TcpServer::start() {
    if (state_->acceptor.is_open()) return;
    const tcp::endpoint ep(endpoint_.address, endpoint_.port);
    auto& acc = state_->acceptor;
    boost::system::error_code ec;
    auto fail = [&](std::string_view what) {
        // Format the bind/listen error before close() is called.
        auto error = std::runtime_error("cannot listen for DNS on TCP " + to_string(endpoint_) +
                                        ": " + std::string(what) + ": " + ec.message());
        boost::system::error_code ignored;
        acc.close(ignored);
        return error;
    };
    if (acc.open(ep.protocol(), ec); ec) throw fail("open");
    acc.set_option(tcp::acceptor::reuse_address(true), ec);
    if (ep.address().is_v6()) acc.set_option(asio::ip::v6_only(true), ec);
    if (acc.bind(ep, ec); ec) throw fail("bind");
    if (acc.listen(asio::socket_base::max_listen_connections, ec); ec) throw fail("listen");
    port_ = acc.local_endpoint(ec).port();
    state_->stopped = false;
    started_ = true;
    asio::co_spawn(acc.get_executor(), State::accept_loop(state_), asio::detached);
}

void TcpServer::stop() {
    auto st = state_;
    if (st->stopped.exchange(true) || !started_) return;
    // Socket objects are not thread-safe: close each one on its own strand.
    asio::post(st->acceptor.get_executor(), [st] {
        boost::system::error_code ec;
        st->acceptor.close(ec);
    });
    std::lock_guard lock(st->mutex);
    for (auto& weak : st->connections) {
        if (auto c = weak.lock()) {
            asio::post(c->socket.get_executor(), [c] {
                boost::system::error_code ec;
                c->socket.close(ec);
                c->timer.cancel();
            });
        }
    }
}

std::size_t TcpServer::open_connections() const {
    return state_->active.load();
}

}  // namespace dnsplane::dns
