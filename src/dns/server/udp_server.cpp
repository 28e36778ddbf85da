#include "dns/server/udp_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/time.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

namespace dnsplane::dns {

namespace {

constexpr unsigned kBatch = 32;           // datagrams per recvmmsg/sendmmsg
constexpr std::size_t kRecvSize = 4096;   // larger queries are dropped (MSG_TRUNC)
constexpr std::size_t kControlSize = 64;  // room for one in(6)_pktinfo cmsg
constexpr int kSocketBuffer = 4 << 20;    // kernel caps it at rmem_max/wmem_max

std::runtime_error socket_error(const ListenEndpoint& ep, std::string_view what, int err) {
    return std::runtime_error("cannot listen for DNS on UDP " + to_string(ep) + ": " +
                              std::string(what) + ": " + std::strerror(err));
}

void set_int_option(int fd, int level, int name, int value) {
    ::setsockopt(fd, level, name, &value, sizeof value);
}

socklen_t fill_sockaddr(const ListenEndpoint& ep, std::uint16_t port, sockaddr_storage& ss) {
    std::memset(&ss, 0, sizeof ss);
    if (ep.address.is_v4()) {
        auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        const auto bytes = ep.address.to_v4().to_bytes();
        std::memcpy(&sin->sin_addr, bytes.data(), bytes.size());
        return sizeof(sockaddr_in);
    }
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    const auto a6 = ep.address.to_v6();
    const auto bytes = a6.to_bytes();
    std::memcpy(&sin6->sin6_addr, bytes.data(), bytes.size());
    sin6->sin6_scope_id = a6.scope_id();
    return sizeof(sockaddr_in6);
}

// Turns the destination address of a received datagram (IP_PKTINFO /
// IPV6_PKTINFO) into the control message that makes the reply leave from it.
// Returns the control length to send (0 when the datagram carried none).
std::size_t reply_control(msghdr& rx, std::uint8_t* out) {
    for (cmsghdr* c = CMSG_FIRSTHDR(&rx); c != nullptr; c = CMSG_NXTHDR(&rx, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            in_pktinfo info;
            std::memcpy(&info, CMSG_DATA(c), sizeof info);
            info.ipi_spec_dst = info.ipi_addr;
            info.ipi_ifindex = 0;
            auto* o = reinterpret_cast<cmsghdr*>(out);
            o->cmsg_level = IPPROTO_IP;
            o->cmsg_type = IP_PKTINFO;
            o->cmsg_len = CMSG_LEN(sizeof info);
            std::memcpy(CMSG_DATA(o), &info, sizeof info);
            return CMSG_SPACE(sizeof info);
        }
        if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            auto* o = reinterpret_cast<cmsghdr*>(out);
            o->cmsg_level = IPPROTO_IPV6;
            o->cmsg_type = IPV6_PKTINFO;
            o->cmsg_len = CMSG_LEN(sizeof(in6_pktinfo));
            std::memcpy(CMSG_DATA(o), CMSG_DATA(c), sizeof(in6_pktinfo));
            return CMSG_SPACE(sizeof(in6_pktinfo));
        }
    }
    return 0;
}

}  // namespace

void UdpReplyTo::send(std::span<const std::uint8_t> reply) const {
    iovec iov{const_cast<std::uint8_t*>(reply.data()), reply.size()};
    msghdr h{};
    h.msg_name = const_cast<sockaddr_storage*>(&peer);
    h.msg_namelen = peer_len;
    h.msg_iov = &iov;
    h.msg_iovlen = 1;
    h.msg_control = control_len ? const_cast<std::uint8_t*>(control) : nullptr;
    h.msg_controllen = control_len;
    while (::sendmsg(fd, &h, 0) < 0 && errno == EINTR) {
    }
}

UdpServer::UdpServer(ListenEndpoint endpoint, int workers, DatagramHandler handler,
                     UdpDeferral deferral)
    : endpoint_(std::move(endpoint)),
      workers_(workers < 1 ? 1 : workers),
      handler_(std::move(handler)),
      deferral_(std::move(deferral)),
      wildcard_(endpoint_.address.is_unspecified()) {}

UdpServer::~UdpServer() {
    stop();
}

int UdpServer::open_socket(std::uint16_t port) const {
    const bool v6 = endpoint_.address.is_v6();
    int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw socket_error(endpoint_, "socket", errno);
    set_int_option(fd, SOL_SOCKET, SO_REUSEPORT, 1);
    set_int_option(fd, SOL_SOCKET, SO_RCVBUF, kSocketBuffer);
    set_int_option(fd, SOL_SOCKET, SO_SNDBUF, kSocketBuffer);
    // A bounded wait lets a worker notice stop() even if shutdown() did not
    // wake it.
    timeval tv{0, 250000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (v6) {
        // "[::]:53" and "0.0.0.0:53" may both be listed: keep the families apart.
        set_int_option(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
        if (wildcard_) set_int_option(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1);
    } else if (wildcard_) {
        set_int_option(fd, IPPROTO_IP, IP_PKTINFO, 1);
    }
    sockaddr_storage ss;
    const socklen_t len = fill_sockaddr(endpoint_, port, ss);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
        const int err = errno;
        ::close(fd);
        throw socket_error(endpoint_, "bind", err);
    }
    return fd;
}

void UdpServer::start() {
    if (!fds_.empty()) return;
    stopping_ = false;
    try {
        std::uint16_t port = endpoint_.port;
        for (int i = 0; i < workers_; ++i) {
            const int fd = open_socket(port);
            fds_.push_back(fd);
            if (port == 0) {
                sockaddr_storage ss;
                socklen_t len = sizeof ss;
                ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
                port = ntohs(ss.ss_family == AF_INET
                                 ? reinterpret_cast<sockaddr_in*>(&ss)->sin_port
                                 : reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
            }
        }
        port_ = port;
    } catch (...) {
        for (int fd : fds_) ::close(fd);
        fds_.clear();
        throw;
    }
    for (int fd : fds_) {
        threads_.emplace_back([this, fd] {
            pthread_setname_np(pthread_self(), "dns-udp");
            run_worker(fd);
        });
    }
}

void UdpServer::stop() {
    if (fds_.empty()) return;
    stopping_ = true;
    // shutdown() wakes a recvmmsg blocked on an unconnected UDP socket (Linux).
    for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    for (auto& t : threads_) t.join();
    threads_.clear();
    for (int fd : fds_) ::close(fd);
    fds_.clear();
}

void UdpServer::run_worker(int fd) {
    // Per-worker buffers, reused for every batch.
    struct Slot {
        std::array<std::uint8_t, kRecvSize> in;
        std::vector<std::uint8_t> out;
        sockaddr_storage peer;
        alignas(cmsghdr) std::array<std::uint8_t, kControlSize> rx_control;
        alignas(cmsghdr) std::array<std::uint8_t, kControlSize> tx_control;
    };
    auto slots = std::make_unique<Slot[]>(kBatch);
    std::array<mmsghdr, kBatch> rx{};
    std::array<mmsghdr, kBatch> tx{};
    std::array<iovec, kBatch> rx_iov{};
    std::array<iovec, kBatch> tx_iov{};
    for (unsigned i = 0; i < kBatch; ++i) {
        slots[i].out.reserve(4096);
        rx_iov[i] = {slots[i].in.data(), kRecvSize};
    }

    while (!stopping_.load(std::memory_order_relaxed)) {
        for (unsigned i = 0; i < kBatch; ++i) {
            msghdr& h = rx[i].msg_hdr;
            h.msg_name = &slots[i].peer;
            h.msg_namelen = sizeof(sockaddr_storage);
            h.msg_iov = &rx_iov[i];
            h.msg_iovlen = 1;
            h.msg_control = wildcard_ ? slots[i].rx_control.data() : nullptr;
            h.msg_controllen = wildcard_ ? kControlSize : 0;
            h.msg_flags = 0;
        }
        // MSG_WAITFORONE: block for the first datagram, then take whatever
        // else is already queued (up to kBatch) without waiting.
        const int n = ::recvmmsg(fd, rx.data(), kBatch, MSG_WAITFORONE, nullptr);
        if (n <= 0) {
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && !stopping_) {
                spdlog::warn("dns udp {}: recvmmsg: {}", to_string(endpoint_),
                             std::strerror(errno));
            }
            continue;  // a zero-length read after shutdown() also lands here
        }

        unsigned replies = 0;
        for (int i = 0; i < n; ++i) {
            Slot& s = slots[i];
            if (rx[i].msg_hdr.msg_flags & MSG_TRUNC) continue;  // oversized: drop
            const std::span<const std::uint8_t> query(s.in.data(), rx[i].msg_len);
            bool reply = false;
            if (deferral_.wants && deferral_.wants(query)) {
                UdpReplyTo to;
                to.fd = fd;
                to.peer = s.peer;
                to.peer_len = rx[i].msg_hdr.msg_namelen;
                if (wildcard_) to.control_len = reply_control(rx[i].msg_hdr, to.control);
                try {
                    deferral_.take(std::vector<std::uint8_t>(query.begin(), query.end()), to);
                } catch (const std::exception& e) {
                    spdlog::error("dns udp {}: deferral failed: {}", to_string(endpoint_),
                                  e.what());
                }
                continue;
            }
            try {
                reply = handler_(query, s.peer, s.out);
            } catch (const std::exception& e) {
                // Never let one message take the worker down.
                spdlog::error("dns udp {}: handler failed: {}", to_string(endpoint_), e.what());
            }
            if (!reply || s.out.empty()) continue;
            msghdr& h = tx[replies].msg_hdr;
            tx_iov[replies] = {s.out.data(), s.out.size()};
            h.msg_name = &s.peer;
            h.msg_namelen = rx[i].msg_hdr.msg_namelen;
            h.msg_iov = &tx_iov[replies];
            h.msg_iovlen = 1;
            std::size_t control = wildcard_ ? reply_control(rx[i].msg_hdr, s.tx_control.data()) : 0;
            h.msg_control = control ? s.tx_control.data() : nullptr;
            h.msg_controllen = control;
            h.msg_flags = 0;
            ++replies;
        }

        unsigned sent = 0;
        while (sent < replies) {
            const int r = ::sendmmsg(fd, tx.data() + sent, replies - sent, 0);
            if (r > 0) {
                sent += static_cast<unsigned>(r);
            } else if (r < 0 && errno == EINTR) {
                continue;
            } else {
                // This datagram cannot go (e.g. unreachable peer): skip it.
                ++sent;
            }
        }
    }
}

}  // namespace dnsplane::dns
