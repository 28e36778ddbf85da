// Helpers for the DNS network tests: a small zone catalog, query building
// and parsing with libknot, and blocking UDP/TCP clients on loopback.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include "dns/wire_libknot.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/model.h"
#include "dns/wire.h"
#include "dns/zone_catalog.h"
#include "dns/zone_snapshot.h"

namespace dnsplane::dns::testing {

inline core::Zone make_zone(const std::string& name, std::uint32_t serial = 1000) {
    core::Zone z;
    z.id = "zone-" + name;
    z.name = name;
    z.email = "hostmaster@" + name.substr(0, name.size() - 1);
    z.serial = serial;
    z.ttl = 3600;
    return z;
}

inline core::RecordSet make_set(const core::Zone& z, const std::string& owner,
                                const std::string& type, std::vector<std::string> data,
                                std::optional<std::uint32_t> ttl = std::nullopt) {
    core::RecordSet rs;
    rs.id = "rs-" + owner + "-" + type;
    rs.zone_id = z.id;
    rs.zone_name = z.name;
    rs.name = owner;
    rs.type = type;
    rs.ttl = ttl;
    for (std::size_t i = 0; i < data.size(); ++i) {
        rs.records.push_back({rs.id + "-" + std::to_string(i), std::move(data[i])});
    }
    return rs;
}

// example.org. with an apex NS, www A, and `extra_a` more A names.
inline ZoneSnapshotPtr small_zone(std::uint32_t serial = 1000, int extra_a = 0) {
    core::Zone z = make_zone("example.org.", serial);
    std::vector<core::RecordSet> sets = {
        make_set(z, "example.org.", "NS", {"ns1.example.org."}),
        make_set(z, "ns1.example.org.", "A", {"192.0.2.53"}),
        make_set(z, "www.example.org.", "A", {"192.0.2.1", "192.0.2.2"}),
    };
    for (int i = 0; i < extra_a; ++i) {
        sets.push_back(make_set(z, "h" + std::to_string(i) + ".example.org.", "A",
                                {"198.51.100." + std::to_string(i % 250 + 1)}));
    }
    return build_snapshot(z, sets);
}

struct PktFree {
    void operator()(knot_pkt_t* p) const { knot_pkt_free(p); }
};
using Pkt = std::unique_ptr<knot_pkt_t, PktFree>;

// "Www.Example.org." -> wire form with the case kept (plain labels only).
inline std::string case_kept_wire(const std::string& name) {
    std::string out;
    std::size_t start = 0;
    while (start < name.size()) {
        std::size_t dot = name.find('.', start);
        if (dot == std::string::npos) dot = name.size();
        out.push_back(static_cast<char>(dot - start));
        out.append(name, start, dot - start);
        start = dot + 1;
    }
    out.push_back('\0');
    return out;
}

inline std::vector<std::uint8_t> make_query(const std::string& name, std::uint16_t qtype,
                                            std::uint16_t id = 0x1234, bool edns = false,
                                            std::uint16_t edns_size = 1232) {
    std::vector<std::uint8_t> buf(512);
    Pkt pkt(knot_pkt_new(buf.data(), buf.size(), nullptr));
    knot_wire_set_id(pkt->wire, id);
    const std::string raw = case_kept_wire(name);
    knot_pkt_put_question(pkt.get(), reinterpret_cast<const knot_dname_t*>(raw.data()),
                          KNOT_CLASS_IN, qtype);
    if (edns) {
        knot_rrset_t opt;
        knot_edns_init(&opt, edns_size, 0, 0, nullptr);
        knot_pkt_begin(pkt.get(), KNOT_ADDITIONAL);
        knot_pkt_put(pkt.get(), KNOT_COMPR_HINT_NONE, &opt, KNOT_PF_FREE);
    }
    buf.resize(pkt->size);
    return buf;
}

// An IXFR request: the client's SOA (serial `serial`) in the authority section.
inline std::vector<std::uint8_t> make_ixfr(const std::string& zone, std::uint32_t serial,
                                           std::uint16_t id = 0x4242) {
    std::vector<std::uint8_t> buf(1024);
    Pkt pkt(knot_pkt_new(buf.data(), buf.size(), nullptr));
    knot_wire_set_id(pkt->wire, id);
    auto wire_name = wire::name_to_wire(zone);
    const auto* qname = reinterpret_cast<const knot_dname_t*>(wire_name->data());
    knot_pkt_put_question(pkt.get(), qname, KNOT_CLASS_IN, KNOT_RRTYPE_IXFR);
    knot_pkt_begin(pkt.get(), KNOT_AUTHORITY);
    auto soa =
        wire::make_rrset(zone, "SOA", 3600,
                         std::vector<std::string>{"ns1." + zone + " hostmaster." + zone + " " +
                                                  std::to_string(serial) + " 3600 600 86400 3600"});
    knot_pkt_put(pkt.get(), KNOT_COMPR_HINT_NONE, &soa->get(), 0);
    buf.resize(pkt->size);
    return buf;
}

// A parsed response; keeps its own copy of the bytes.
struct Parsed {
    std::vector<std::uint8_t> bytes;
    Pkt pkt;
    int parse_result = KNOT_EOK;

    explicit Parsed(std::vector<std::uint8_t> b) : bytes(std::move(b)) {
        pkt.reset(knot_pkt_new(bytes.data(), bytes.size(), nullptr));
        parse_result = knot_pkt_parse(pkt.get(), 0);
    }
    std::uint16_t id() const { return knot_wire_get_id(bytes.data()); }
    std::uint16_t rcode() const { return knot_wire_get_rcode(bytes.data()); }
    bool aa() const { return knot_wire_get_aa(bytes.data()); }
    bool tc() const { return knot_wire_get_tc(bytes.data()); }
    std::uint16_t qdcount() const { return knot_wire_get_qdcount(bytes.data()); }
    const knot_pktsection_t* answer() const { return knot_pkt_section(pkt.get(), KNOT_ANSWER); }
    std::uint16_t answer_rrsets() const { return answer()->count; }
    const knot_rrset_t* answer_rr(std::uint16_t i) const { return knot_pkt_rr(answer(), i); }
    // Records (not RRsets) in the answer section.
    std::size_t answer_records() const {
        std::size_t n = 0;
        for (std::uint16_t i = 0; i < answer()->count; ++i) n += answer_rr(i)->rrs.count;
        return n;
    }
};

// --- blocking loopback clients --------------------------------------------

class Fd {
  public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    Fd& operator=(Fd&& o) noexcept {
        std::swap(fd_, o.fd_);
        return *this;
    }
    int get() const { return fd_; }

  private:
    int fd_;
};

inline sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sin;
}

inline bool wait_readable(int fd, int timeout_ms) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, timeout_ms) == 1;
}

inline Fd udp_socket() {
    Fd fd(::socket(AF_INET, SOCK_DGRAM, 0));
    // Room for a burst of replies (the kernel caps it at rmem_max).
    int size = 4 << 20;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    return fd;
}

inline void udp_send(int fd, std::uint16_t port, const std::vector<std::uint8_t>& msg) {
    const sockaddr_in to = loopback(port);
    ::sendto(fd, msg.data(), msg.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
}

inline std::optional<std::vector<std::uint8_t>> udp_recv(int fd, int timeout_ms = 2000) {
    if (!wait_readable(fd, timeout_ms)) return std::nullopt;
    std::vector<std::uint8_t> buf(65535);
    const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
    if (n < 0) return std::nullopt;
    buf.resize(static_cast<std::size_t>(n));
    return buf;
}

inline std::optional<std::vector<std::uint8_t>> udp_exchange(std::uint16_t port,
                                                             const std::vector<std::uint8_t>& msg,
                                                             int timeout_ms = 2000) {
    Fd fd = udp_socket();
    udp_send(fd.get(), port, msg);
    return udp_recv(fd.get(), timeout_ms);
}

inline Fd tcp_connect(std::uint16_t port) {
    Fd fd(::socket(AF_INET, SOCK_STREAM, 0));
    const sockaddr_in to = loopback(port);
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
        throw std::runtime_error("connect failed");
    }
    int one = 1;
    ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

inline std::vector<std::uint8_t> frame(const std::vector<std::uint8_t>& msg) {
    std::vector<std::uint8_t> out = {static_cast<std::uint8_t>(msg.size() >> 8),
                                     static_cast<std::uint8_t>(msg.size() & 0xFF)};
    out.insert(out.end(), msg.begin(), msg.end());
    return out;
}

inline void send_all(int fd, const std::vector<std::uint8_t>& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
        if (n <= 0) throw std::runtime_error("send failed");
        off += static_cast<std::size_t>(n);
    }
}

// Reads exactly n bytes; nullopt on EOF/timeout.
inline std::optional<std::vector<std::uint8_t>> read_exact(int fd, std::size_t n,
                                                           int timeout_ms = 3000) {
    std::vector<std::uint8_t> buf(n);
    std::size_t off = 0;
    while (off < n) {
        if (!wait_readable(fd, timeout_ms)) return std::nullopt;
        const ssize_t r = ::recv(fd, buf.data() + off, n - off, 0);
        if (r <= 0) return std::nullopt;
        off += static_cast<std::size_t>(r);
    }
    return buf;
}

inline std::optional<std::vector<std::uint8_t>> tcp_read_message(int fd, int timeout_ms = 3000) {
    auto len = read_exact(fd, 2, timeout_ms);
    if (!len) return std::nullopt;
    return read_exact(fd, (std::size_t{(*len)[0]} << 8) | (*len)[1], timeout_ms);
}

// True when the peer closed the connection (EOF) within the timeout.
inline bool tcp_closed_by_peer(int fd, int timeout_ms) {
    if (!wait_readable(fd, timeout_ms)) return false;
    std::uint8_t b;
    return ::recv(fd, &b, 1, 0) <= 0;
}

}  // namespace dnsplane::dns::testing
