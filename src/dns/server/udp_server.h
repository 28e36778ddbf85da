// The UDP side of the DNS server (Linux): one socket per worker thread, all
// bound to the same address with SO_REUSEPORT so the kernel spreads queries
// over them, each worker receiving and sending in batches (recvmmsg /
// sendmmsg). Workers are plain threads with blocking sockets: no event loop
// between the socket and the answer. On a wildcard address the reply leaves
// from the address the query was sent to (IP_PKTINFO / IPV6_PKTINFO).
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <thread>
#include <vector>

#include "dns/server/listen_endpoint.h"

namespace dnsplane::dns {

// Answers one datagram: writes the reply into `out` and returns true, or
// returns false to send nothing. Called concurrently from every worker.
using DatagramHandler =
    std::function<bool(std::span<const std::uint8_t> query, const sockaddr_storage& client,
                       std::vector<std::uint8_t>& out)>;

class UdpServer {
  public:
    UdpServer(ListenEndpoint endpoint, int workers, DatagramHandler handler);
    ~UdpServer();
    UdpServer(const UdpServer&) = delete;
    UdpServer& operator=(const UdpServer&) = delete;

    // Binds every worker socket (port 0: the first socket picks the port, the
    // others join it) and starts the threads. Throws std::runtime_error with
    // the address and the OS error.
    void start();
    // Wakes and joins the workers, closes the sockets. Idempotent.
    void stop();

    std::uint16_t port() const { return port_; }
    const ListenEndpoint& endpoint() const { return endpoint_; }

  private:
    int open_socket(std::uint16_t port) const;
    void run_worker(int fd);

    ListenEndpoint endpoint_;
    int workers_;
    DatagramHandler handler_;
    std::uint16_t port_ = 0;
    bool wildcard_ = false;
    std::vector<int> fds_;
    std::vector<std::thread> threads_;
    std::atomic<bool> stopping_{false};
};

}  // namespace dnsplane::dns
