// HTTP/1.1 server on Boost.Beast with C++20 coroutines: one coroutine per
// connection, a timeout on every read and write, a body limit, keep-alive,
// and graceful stop. Logs one structured line per request to the logger.
// The framing of every request head is decided by http/framing before any
// body byte is read. With connection threads (io_pool.h) every connection
// lives on one thread and its handlers run inline there, so a handler that
// waits (a group commit) holds only the connections of its own thread.
#pragma once

#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <memory>
#include <string>

#include "http/router.h"
#include "http/surface.h"

namespace dnsplane::http {

class IoPool;

struct ServerOptions {
    std::string name = "api";               // for logs
    std::string listen = "127.0.0.1:9001";  // HOST:PORT, IPv6 as [::1]:9001
    std::size_t body_limit = 1 << 20;       // 413 above this
    int read_timeout_seconds = 30;
    bool trust_forwarded = false;  // honour X-Forwarded-Proto/Host
    // When set, every accepted connection lives on one of these threads and
    // all its handlers run inline there (io_pool.h); when null, connections
    // run on the io_context given to the Server. Not owned; outlives it.
    IoPool* connection_threads = nullptr;
};

class Server {
  public:
    // Binds at construction; throws std::runtime_error with a clear message
    // ("cannot listen on 127.0.0.1:9001: Address already in use").
    Server(boost::asio::io_context& io, ServerOptions opts, std::vector<Mount> mounts);
    // One router (surface) at "/".
    Server(boost::asio::io_context& io, ServerOptions opts, const Router& router);
    ~Server();
    void start();                 // spawns the accept loop
    void stop();                  // closes the acceptor; open connections finish their request
    unsigned short port() const;  // actual bound port (listen on :0 in tests)
    // Requests of drained mounts (Mount::drained) whose handler is running.
    int in_flight() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dnsplane::http
