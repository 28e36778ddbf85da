// The TCP side of the DNS server (RFC 7766): each message carries a two-byte
// length prefix; a connection may pipeline many queries, which are answered
// in the order received (every complete message already read is answered
// before the replies are written back in one gather write); an idle
// connection is closed after a timeout. One coroutine per connection on a
// strand of the io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "dns/server/listen_endpoint.h"

namespace dnsplane::dns {

// Produces the replies to one message received over TCP, appending them to
// `replies` in sending order (AXFR: several; a dropped message: none).
// Called concurrently from every io thread.
using StreamHandler = std::function<void(std::span<const std::uint8_t> message,
                                         const boost::asio::ip::address& client,
                                         std::vector<std::vector<std::uint8_t>>& replies)>;

struct TcpOptions {
    int idle_timeout_ms = 10000;         // no complete read or write progress: close
    std::size_t max_connections = 1024;  // beyond this, new connections are closed
};

class TcpServer {
  public:
    TcpServer(boost::asio::io_context& io, ListenEndpoint endpoint, TcpOptions options,
              StreamHandler handler);
    ~TcpServer();
    TcpServer(const TcpServer&) = delete;
    TcpServer& operator=(const TcpServer&) = delete;

    // Binds and listens (throws std::runtime_error with the address and the
    // OS error), then accepts on the io_context.
    void start();
    // Closes the acceptor and every open connection. Idempotent.
    void stop();

    std::uint16_t port() const { return port_; }
    std::size_t open_connections() const;

  private:
    struct State;
    std::shared_ptr<State> state_;
    ListenEndpoint endpoint_;
    std::uint16_t port_ = 0;
    bool started_ = false;
};

}  // namespace dnsplane::dns
