#include "http/server.h"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>

#include "http/access_log.h"
#include "http/beast_conversion.h"
#include "http/error_mapping.h"
#include "http/framing.h"
#include "http/io_pool.h"
#include "http/listen_address.h"

namespace dnsplane::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::uint32_t kHeaderLimit = 16 * 1024;
// After an error response on a half-read request we read and discard what
// the client is still sending, so it sees our answer instead of a reset.
constexpr auto kDrainTime = std::chrono::seconds(2);
constexpr std::size_t kDrainBytes = 64 << 20;

std::string endpoint_text(const tcp::endpoint& ep) {
    return format_listen_address(ep.address().to_string(), ep.port());
}

tcp::endpoint resolve(asio::io_context& io, const std::string& listen) {
    ListenAddress addr;
    try {
        addr = parse_listen_address(listen);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(std::string("cannot listen on ") + listen + ": " + e.what());
    }
    boost::system::error_code ec;
    auto ip = asio::ip::make_address(addr.host, ec);
    if (!ec) return {ip, addr.port};
    tcp::resolver resolver(io);
    auto results = resolver.resolve(addr.host, std::to_string(addr.port), ec);
    if (ec || results.empty())
        throw std::runtime_error("cannot listen on " + listen + ": cannot resolve '" + addr.host +
                                 "'" + (ec ? ": " + ec.message() : std::string()));
    return results.begin()->endpoint();
}

// Errors that mean "the client sent something that is not HTTP we accept"
// (answer 400) as opposed to the connection going away (answer nothing).
bool is_protocol_error(const boost::system::error_code& ec) {
    static const auto& category = bhttp::make_error_code(bhttp::error::bad_target).category();
    return ec.category() == category && ec != bhttp::error::end_of_stream &&
           ec != bhttp::error::partial_message;
}

bool expects_continue(const BeastRequest& msg) {
    auto it = msg.find(bhttp::field::expect);
    return msg.version() >= 11 && it != msg.end() && beast::iequals(it->value(), "100-continue");
}

std::string_view buffer_text(const beast::flat_buffer& buffer) {
    return {static_cast<const char*>(buffer.data().data()), buffer.size()};
}

void log_spawn_failure(std::exception_ptr ep) {
    if (!ep) return;
    try {
        std::rethrow_exception(ep);
    } catch (const std::exception& e) {
        spdlog::error("http coroutine failed: {}", e.what());
    } catch (...) {
        spdlog::error("http coroutine failed");
    }
}

}  // namespace

// One accepted connection; `idle` is only touched on the connection's strand.
struct Connection {
    explicit Connection(tcp::socket&& s) : stream(std::move(s)) {}
    beast::tcp_stream stream;
    bool idle = true;  // waiting for the next request: safe to close on stop()
};

struct Server::Impl {
    Impl(asio::io_context& io, ServerOptions opts, std::vector<Mount> mounts)
        : io(io),
          opts(std::move(opts)),
          mounts(std::move(mounts)),
          accept_strand(asio::make_strand(io)),
          acceptor(accept_strand) {}

    void bind();
    asio::awaitable<void> accept_loop();
    asio::awaitable<void> session(std::shared_ptr<Connection> conn);
    asio::awaitable<void> drain(beast::tcp_stream& stream);
    asio::awaitable<boost::system::error_code> read_head(beast::tcp_stream& stream,
                                                         beast::flat_buffer& buffer);
    Response route(Request& req) const;
    Response render_early_error(const core::Error& e, const Request& req) const;

    asio::io_context& io;
    ServerOptions opts;
    std::vector<Mount> mounts;
    asio::strand<asio::io_context::executor_type> accept_strand;
    tcp::acceptor acceptor;
    tcp::endpoint bound;
    std::atomic<bool> stopping{false};
    mutable std::atomic<int> in_flight{0};
    std::mutex mu;
    std::set<std::shared_ptr<Connection>> connections;
};

void Server::Impl::bind() {
    auto ep = resolve(io, opts.listen);
    boost::system::error_code ec;
    auto fail = [&](const boost::system::error_code& e) {
        throw std::runtime_error("cannot listen on " + opts.listen + ": " + e.message());
    };
    acceptor.open(ep.protocol(), ec);
    if (ec) fail(ec);
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (ep.address().is_v6()) acceptor.set_option(asio::ip::v6_only(true), ec);
    acceptor.bind(ep, ec);
    if (ec) fail(ec);
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) fail(ec);
    bound = acceptor.local_endpoint();
}

asio::awaitable<void> Server::Impl::accept_loop() {
    while (!stopping) {
        // Chosen before the co_await: GCC 12 miscompiles a co_await inside a
        // conditional expression.
        asio::any_io_executor home = opts.connection_threads
                                         ? opts.connection_threads->next()
                                         : asio::any_io_executor(asio::make_strand(io));
        auto [ec, socket] = co_await acceptor.async_accept(home, use_tuple);
        if (ec) {
            if (stopping || ec == asio::error::operation_aborted || !acceptor.is_open()) break;
            spdlog::warn("{}: accept failed: {}", opts.name, ec.message());
            // Out of descriptors and the like: back off instead of spinning.
            asio::steady_timer pause(accept_strand, std::chrono::milliseconds(100));
            co_await pause.async_wait(use_tuple);
            continue;
        }
        auto conn = std::make_shared<Connection>(std::move(socket));
        {
            std::lock_guard lock(mu);
            connections.insert(conn);
        }
        asio::co_spawn(conn->stream.get_executor(), session(conn), log_spawn_failure);
    }
}

// Reads until the buffer holds a whole request head (or more than the header
// limit, which Beast then refuses), so has_obs_fold can see the raw bytes.
asio::awaitable<boost::system::error_code> Server::Impl::read_head(beast::tcp_stream& stream,
                                                                   beast::flat_buffer& buffer) {
    while (request_head_end(buffer_text(buffer)) == std::string_view::npos &&
           buffer.size() <= kHeaderLimit) {
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
        if (ec) co_return ec;
        buffer.commit(n);
    }
    co_return boost::system::error_code{};
}

Response Server::Impl::route(Request& req) const {
    if (req.target == "*") {  // OPTIONS * (decide_framing allows it for OPTIONS only)
        Response res;
        res.status = 204;
        return res;
    }
    const Mount* m = select_mount(mounts, req.path);
    if (!m) {
        return default_error_response(
            core::Error(core::ErrorKind::NotFound, "not_found", "Not Found"), req);
    }
    req.mount_length = mount_length(*m);
    if (!m->drained) return m->router->handle(req);
    struct Count {
        std::atomic<int>& n;
        explicit Count(std::atomic<int>& c) : n(c) { ++n; }
        ~Count() { --n; }
    } count(in_flight);
    return m->router->handle(req);
}

// Errors found before routing are rendered by the surface the path points
// to (the first mount when the target could not be read).
Response Server::Impl::render_early_error(const core::Error& e, const Request& req) const {
    std::string_view path = req.target;
    path = path.substr(0, path.find('?'));
    const Mount* m = select_mount(mounts, path);
    if (!m && !mounts.empty()) m = &mounts.front();
    return m ? m->router->render_error(e, req) : default_error_response(e, req);
}

asio::awaitable<void> Server::Impl::session(std::shared_ptr<Connection> conn) {
    auto& stream = conn->stream;
    boost::system::error_code ep_ec;
    const std::string remote = endpoint_text(stream.socket().remote_endpoint(ep_ec));
    const ConversionContext ctx{opts.trust_forwarded, endpoint_text(bound)};
    const auto timeout = std::chrono::seconds(opts.read_timeout_seconds);
    beast::flat_buffer buffer;

    for (;;) {
        conn->idle = true;
        if (stopping) break;
        bhttp::request_parser<bhttp::string_body> parser;
        parser.body_limit(opts.body_limit);
        parser.header_limit(kHeaderLimit);
        stream.expires_after(timeout);  // covers the whole request: no slow-loris
        auto ec = co_await read_head(stream, buffer);
        bool obs_fold = false;
        if (!ec) {
            auto text = buffer_text(buffer);
            obs_fold = has_obs_fold(text.substr(0, request_head_end(text)));
            auto [hec, n] = co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
            ec = hec;
        }
        conn->idle = false;
        const auto started = std::chrono::steady_clock::now();

        // Framing is decided on the head alone, before 100-continue and the body.
        std::optional<core::Error> failure;
        Framing framing;
        if (!ec) {
            framing = decide_framing(head_of(parser.get(), obs_fold));
            if (!framing.accept)
                failure.emplace(core::ErrorKind::BadRequest, "bad_request", framing.reason);
        }
        if (!ec && !failure && expects_continue(parser.get())) {
            bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
            auto [wec, wn] = co_await bhttp::async_write(stream, cont, use_tuple);
            if (wec) break;
        }
        if (!ec && !failure && !parser.is_done()) {
            auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
            ec = bec;
        }

        if (ec == bhttp::error::body_limit)
            failure.emplace(core::ErrorKind::TooLarge, "request_too_large",
                            "Request body exceeds " + std::to_string(opts.body_limit) + " bytes");
        else if (is_protocol_error(ec))
            failure.emplace(core::ErrorKind::BadRequest, "bad_request", "Malformed HTTP request");
        else if (ec)
            break;  // eof, timeout, reset, stop(): nobody to answer

        const unsigned version = parser.get().version() == 10 ? 10 : 11;
        const bool client_keep_alive = parser.get().keep_alive();
        BeastRequest msg = parser.release();
        if (!failure) apply_framing(msg, framing);
        Request req = from_beast(std::move(msg), ctx);
        if (failure) {
            req.body.clear();
        } else if (framing.form != TargetForm::Asterisk) {
            try {
                decode_target(req);
            } catch (const core::Error& e) {
                failure = e;
            }
        }
        Response res;
        if (failure)
            res = render_early_error(*failure, req);
        else
            res = route(req);
        const unsigned status = res.status;
        const bool keep_alive = !failure && client_keep_alive && !stopping;
        auto out = to_beast(std::move(res), req.request_id, version, keep_alive);

        stream.expires_after(timeout);
        auto [wec, wn] = co_await bhttp::async_write(stream, out, use_tuple);
        const std::chrono::duration<double, std::milli> took =
            std::chrono::steady_clock::now() - started;
        log_access({opts.name, req.method, req.path.empty() ? req.target : req.path, status,
                    took.count(), req.request_id, remote});
        if (wec) break;
        if (failure) {
            co_await drain(stream);
            break;
        }
        if (!keep_alive) break;
    }

    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    std::lock_guard lock(mu);
    connections.erase(conn);
}

asio::awaitable<void> Server::Impl::drain(beast::tcp_stream& stream) {
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.expires_after(kDrainTime);
    char scratch[16384];
    std::size_t total = 0;
    while (total < kDrainBytes) {
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(scratch), use_tuple);
        if (ec) break;
        total += n;
    }
}

Server::Server(asio::io_context& io, ServerOptions opts, std::vector<Mount> mounts)
    : impl_(std::make_unique<Impl>(io, std::move(opts), std::move(mounts))) {
    impl_->bind();
}

Server::Server(asio::io_context& io, ServerOptions opts, const Router& router)
    : Server(io, std::move(opts), std::vector<Mount>{Mount{"/", &router}}) {}

Server::~Server() {
    stop();
}

void Server::start() {
    asio::co_spawn(impl_->accept_strand, impl_->accept_loop(), log_spawn_failure);
}

int Server::in_flight() const {
    return impl_->in_flight.load();
}

void Server::stop() {
    if (impl_->stopping.exchange(true)) return;
    Impl* impl = impl_.get();
    asio::post(impl->accept_strand, [impl] {
        boost::system::error_code ignored;
        impl->acceptor.close(ignored);
    });
    std::vector<std::shared_ptr<Connection>> open;
    {
        std::lock_guard lock(impl->mu);
        open.assign(impl->connections.begin(), impl->connections.end());
    }
    // Idle keep-alive connections are closed now; busy ones finish their
    // current request and then see `stopping`.
    for (auto& conn : open)
        asio::post(conn->stream.get_executor(), [conn] {
            if (conn->idle) conn->stream.cancel();
        });
}

unsigned short Server::port() const {
    return impl_->bound.port();
}

}  // namespace dnsplane::http
