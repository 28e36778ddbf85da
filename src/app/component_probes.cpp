#include "app/component_probes.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <random>

namespace dnsplane::app {

namespace {

struct AddrInfo {
    addrinfo* list = nullptr;
    ~AddrInfo() {
        if (list) freeaddrinfo(list);
    }
};

std::optional<std::string> resolve(const std::string& host, std::uint16_t port, int socktype,
                                   AddrInfo& out) {
    addrinfo hints{};
    hints.ai_socktype = socktype;
    hints.ai_flags = AI_NUMERICSERV;
    const std::string service = std::to_string(port);
    int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &out.list);
    if (rc != 0 || !out.list) return "cannot resolve " + host + ": " + gai_strerror(rc);
    return std::nullopt;
}

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) close(fd);
    }
};

int wait_for(int fd, short events, std::chrono::milliseconds timeout) {
    pollfd p{fd, events, 0};
    return poll(&p, 1, static_cast<int>(timeout.count()));
}

}  // namespace

std::string local_host_for(const std::string& host) {
    if (host.empty() || host == "0.0.0.0") return "127.0.0.1";
    if (host == "::") return "::1";
    return host;
}

std::optional<std::string> probe_tcp(const std::string& host, std::uint16_t port,
                                     std::chrono::milliseconds timeout) {
    AddrInfo ai;
    if (auto why = resolve(host, port, SOCK_STREAM, ai)) return why;
    Fd s{socket(ai.list->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
    if (s.fd < 0) return std::string("socket: ") + std::strerror(errno);
    if (connect(s.fd, ai.list->ai_addr, ai.list->ai_addrlen) != 0 && errno != EINPROGRESS)
        return std::string("connect: ") + std::strerror(errno);
    if (wait_for(s.fd, POLLOUT, timeout) <= 0) return "no connection within the timeout";
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) return std::string("connect: ") + std::strerror(err);
    return std::nullopt;
}

std::optional<std::string> probe_dns_udp(const std::string& host, std::uint16_t port,
                                         std::chrono::milliseconds timeout) {
    AddrInfo ai;
    if (auto why = resolve(host, port, SOCK_DGRAM, ai)) return why;
    Fd s{socket(ai.list->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
    if (s.fd < 0) return std::string("socket: ") + std::strerror(errno);
    static thread_local std::mt19937 rng{std::random_device{}()};
    const auto id = static_cast<std::uint16_t>(rng());
    // Header (id, no flags, one question), then ". SOA IN".
    const std::array<unsigned char, 17> query = {static_cast<unsigned char>(id >> 8),
                                                 static_cast<unsigned char>(id & 0xff),
                                                 0,
                                                 0,
                                                 0,
                                                 1,
                                                 0,
                                                 0,
                                                 0,
                                                 0,
                                                 0,
                                                 0,
                                                 0,
                                                 0,
                                                 6,
                                                 0,
                                                 1};
    if (sendto(s.fd, query.data(), query.size(), 0, ai.list->ai_addr, ai.list->ai_addrlen) < 0)
        return std::string("send: ") + std::strerror(errno);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::array<unsigned char, 512> reply{};
    while (true) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || wait_for(s.fd, POLLIN, left) <= 0)
            return "no DNS answer within the timeout";
        ssize_t n = recv(s.fd, reply.data(), reply.size(), 0);
        if (n < 0) return std::string("receive: ") + std::strerror(errno);
        // A response (QR set) to our id.
        if (n >= 12 && reply[0] == query[0] && reply[1] == query[1] && (reply[2] & 0x80))
            return std::nullopt;
    }
}

}  // namespace dnsplane::app
