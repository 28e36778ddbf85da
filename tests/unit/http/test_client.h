// A deadline-bound raw-socket client for the server tests.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <string>

namespace dnsplane::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

using ClientResponse = bhttp::response<bhttp::string_body>;

// A blocking-style client built on async operations with deadlines, so a
// misbehaving server fails the test instead of hanging it.
class Client {
  public:
    explicit Client(unsigned short port) : stream_(io_) {
        stream_.expires_after(5s);
        boost::system::error_code ec;
        stream_.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                              [&](auto e) { ec = e; });
        run();
        if (ec) throw boost::system::system_error(ec);
    }

    void send(const std::string& raw) {
        stream_.expires_after(5s);
        boost::system::error_code ec;
        asio::async_write(stream_, asio::buffer(raw), [&](auto e, auto) { ec = e; });
        run();
        if (ec) throw boost::system::system_error(ec);
    }

    ClientResponse read(std::chrono::seconds deadline = 5s) {
        stream_.expires_after(deadline);
        ClientResponse res;
        boost::system::error_code ec;
        bhttp::async_read(stream_, buffer_, res, [&](auto e, auto) { ec = e; });
        run();
        if (ec) throw boost::system::system_error(ec);
        return res;
    }

    ClientResponse request(const std::string& raw) {
        send(raw);
        return read();
    }

    // True when the server closes the connection within `deadline`.
    bool closed_by_server(std::chrono::seconds deadline = 5s) {
        stream_.expires_after(deadline);
        char byte;
        boost::system::error_code ec;
        stream_.async_read_some(asio::buffer(&byte, 1), [&](auto e, auto) { ec = e; });
        run();
        return ec == asio::error::eof || ec == asio::error::connection_reset;
    }

  private:
    void run() {
        io_.restart();
        io_.run();
    }
    asio::io_context io_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
};

inline std::string get(const std::string& target, const std::string& extra = "") {
    return "GET " + target + " HTTP/1.1\r\nHost: test.local:1234\r\n" + extra + "\r\n";
}

// A bodiless POST (writes run on the worker pool, reads inline).
inline std::string post(const std::string& target) {
    return "POST " + target + " HTTP/1.1\r\nHost: test.local:1234\r\nContent-Length: 0\r\n\r\n";
}

}  // namespace dnsplane::test
