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

// Where a reply answered later goes: the receiving worker's socket, the peer
// and (wildcard listeners) the local address the query was sent to. send()
// may be called from any thread while the server runs.
struct UdpReplyTo {
    int fd = -1;
    sockaddr_storage peer{};
    socklen_t peer_len = 0;
    alignas(cmsghdr) std::uint8_t control[64]{};
    std::size_t control_len = 0;
    void send(std::span<const std::uint8_t> reply) const;
};

// Datagrams whose answer is slow (RFC 2136 UPDATE waits for a commit) leave
// the worker: `wants` looks at each datagram (cheap, on the worker), `take`
// receives a copy and where to send the reply.
struct UdpDeferral {
    std::function<bool(std::span<const std::uint8_t> query)> wants;
    std::function<void(std::vector<std::uint8_t> query, UdpReplyTo to)> take;
};

class UdpServer {
  public:
    UdpServer(ListenEndpoint endpoint, int workers, DatagramHandler handler,
              UdpDeferral deferral = {});
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
    UdpDeferral deferral_;
    std::uint16_t port_ = 0;
    bool wildcard_ = false;
    std::vector<int> fds_;
    std::vector<std::thread> threads_;
    std::atomic<bool> stopping_{false};
};

}  // namespace dnsplane::dns
