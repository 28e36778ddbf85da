#include "hooks/http_post.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include <optional>

namespace dnsplane::hooks {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

bool is_http_url(const std::string& url) {
    auto u = boost::urls::parse_absolute_uri(url);
    return u && u->scheme() == "http" && !u->host().empty();
}

namespace {
PostResult request(bhttp::verb verb, const std::string& url, const std::string& json_body,
                   std::chrono::milliseconds timeout);
}

PostResult http_post(const std::string& url, const std::string& json_body,
                     std::chrono::milliseconds timeout) {
    return request(bhttp::verb::post, url, json_body, timeout);
}

PostResult http_get(const std::string& url, std::chrono::milliseconds timeout) {
    return request(bhttp::verb::get, url, {}, timeout);
}

namespace {
PostResult request(bhttp::verb verb, const std::string& url, const std::string& json_body,
                   std::chrono::milliseconds timeout) {
    PostResult out;
    auto u = boost::urls::parse_absolute_uri(url);
    if (!u || u->scheme() != "http" || u->host().empty()) {
        out.error = "not an http:// URL";
        return out;
    }
    std::string host = u->host();
    if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
    std::string port = u->has_port() ? std::string(u->port()) : "80";
    std::string target = u->encoded_target().empty() ? "/" : std::string(u->encoded_target());

    asio::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    bhttp::request<bhttp::string_body> req{verb, target, 11};
    req.set(bhttp::field::host, std::string(u->encoded_host_and_port()));
    if (verb == bhttp::verb::post) req.set(bhttp::field::content_type, "application/json");
    req.set(bhttp::field::user_agent, "dnsplane-hooks");
    req.body() = json_body;
    req.prepare_payload();
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    boost::system::error_code failure;

    stream.expires_after(timeout);
    resolver.async_resolve(host, port, [&](auto ec, tcp::resolver::results_type results) {
        if (ec) {
            failure = ec;
            return;
        }
        stream.async_connect(results, [&](auto ec2, auto) {
            if (ec2) {
                failure = ec2;
                return;
            }
            bhttp::async_write(stream, req, [&](auto ec3, std::size_t) {
                if (ec3) {
                    failure = ec3;
                    return;
                }
                bhttp::async_read(stream, buffer, res, [&](auto ec4, std::size_t) {
                    if (ec4) {
                        failure = ec4;
                        return;
                    }
                    out.answered = true;
                });
            });
        });
    });
    io.run_for(timeout + std::chrono::milliseconds(100));
    if (!out.answered) {
        out.error = failure == beast::error::timeout || !failure ? "timeout" : failure.message();
        return out;
    }
    out.status = res.result_int();
    out.body = std::move(res.body());
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return out;
}
}  // namespace

struct KeepAliveClient::Impl {
    asio::io_context io;
    std::optional<beast::tcp_stream> stream;
    std::string origin;  // host:port the stream is connected to

    void close() {
        if (stream) {
            boost::system::error_code ignored;
            stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
            stream->socket().close(ignored);
            stream.reset();
        }
        origin.clear();
    }

    // One attempt; `reused` tells whether the connection was already open.
    PostResult attempt(const boost::urls::url_view& u, const std::string& body,
                       std::chrono::milliseconds timeout, bool& reused) {
        PostResult out;
        std::string host = u.host();
        if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
        std::string port = u.has_port() ? std::string(u.port()) : "80";
        std::string key = host + ":" + port;
        if (!stream || origin != key) close();
        reused = stream.has_value();
        std::string target = u.encoded_target().empty() ? "/" : std::string(u.encoded_target());
        bhttp::request<bhttp::string_body> req{bhttp::verb::post, target, 11};
        req.set(bhttp::field::host, std::string(u.encoded_host_and_port()));
        req.set(bhttp::field::content_type, "application/json");
        req.set(bhttp::field::user_agent, "dnsplane-hooks");
        req.keep_alive(true);
        req.body() = body;
        req.prepare_payload();
        beast::flat_buffer buffer;
        bhttp::response<bhttp::string_body> res;
        boost::system::error_code failure;
        io.restart();
        auto exchange = [&] {
            bhttp::async_write(*stream, req, [&](auto ec, std::size_t) {
                if (ec) {
                    failure = ec;
                    return;
                }
                bhttp::async_read(*stream, buffer, res, [&](auto ec2, std::size_t) {
                    if (ec2)
                        failure = ec2;
                    else
                        out.answered = true;
                });
            });
        };
        if (!stream) {
            stream.emplace(io);
            stream->expires_after(timeout);
            tcp::resolver resolver(io);
            boost::system::error_code ec;
            auto results = resolver.resolve(host, port, ec);
            if (ec) {
                out.error = ec.message();
                close();
                return out;
            }
            stream->async_connect(results, [&](auto ec2, auto) {
                if (ec2)
                    failure = ec2;
                else
                    exchange();
            });
            origin = key;
        } else {
            stream->expires_after(timeout);
            exchange();
        }
        io.run_for(timeout + std::chrono::milliseconds(100));
        if (!out.answered) {
            out.error =
                failure == beast::error::timeout || !failure ? "timeout" : failure.message();
            close();
            return out;
        }
        out.status = res.result_int();
        out.body = std::move(res.body());
        if (!res.keep_alive()) close();
        return out;
    }
};

KeepAliveClient::KeepAliveClient() : impl_(new Impl) {}
KeepAliveClient::~KeepAliveClient() {
    impl_->close();
    delete impl_;
}

PostResult KeepAliveClient::post(const std::string& url, const std::string& json_body,
                                 std::chrono::milliseconds timeout) {
    auto u = boost::urls::parse_absolute_uri(url);
    if (!u || u->scheme() != "http" || u->host().empty()) {
        PostResult out;
        out.error = "not an http:// URL";
        return out;
    }
    bool reused = false;
    auto res = impl_->attempt(*u, json_body, timeout, reused);
    if (!res.answered && reused && res.error != "timeout")
        res = impl_->attempt(*u, json_body, timeout, reused);  // the server closed an idle one
    return res;
}

}  // namespace dnsplane::hooks
