#include "dns/server/xfr_client.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <vector>

#include "core/name.h"
#include "dns/wire.h"
#include "dns/wire_libknot.h"

namespace dnsplane::dns {

namespace {

using Clock = std::chrono::steady_clock;

// A connected TCP socket with a deadline for everything done on it.
class Connection {
  public:
    Connection(Clock::time_point deadline) : deadline_(deadline) {}
    ~Connection() {
        if (fd_ >= 0) ::close(fd_);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    bool connect(const service::MasterAddress& m, std::string* error) {
        addrinfo hints{};
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_NUMERICSERV;
        addrinfo* list = nullptr;
        const std::string port = std::to_string(m.port);
        if (int rc = ::getaddrinfo(m.host.c_str(), port.c_str(), &hints, &list); rc != 0) {
            *error = "cannot resolve " + m.host + ": " + ::gai_strerror(rc);
            return false;
        }
        std::string last = "no address";
        for (addrinfo* ai = list; ai; ai = ai->ai_next) {
            int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                              ai->ai_protocol);
            if (fd < 0) continue;
            if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
                (errno == EINPROGRESS && wait(fd, POLLOUT) && connected(fd, &last))) {
                fd_ = fd;
                break;
            }
            if (last == "no address") last = std::strerror(errno);
            ::close(fd);
        }
        ::freeaddrinfo(list);
        if (fd_ < 0) *error = "cannot connect to " + service::master_text(m) + ": " + last;
        return fd_ >= 0;
    }

    bool send_message(const std::vector<std::uint8_t>& msg) {
        std::vector<std::uint8_t> framed{static_cast<std::uint8_t>(msg.size() >> 8),
                                         static_cast<std::uint8_t>(msg.size() & 0xff)};
        framed.insert(framed.end(), msg.begin(), msg.end());
        std::size_t done = 0;
        while (done < framed.size()) {
            if (!wait(fd_, POLLOUT)) return false;
            ssize_t n = ::send(fd_, framed.data() + done, framed.size() - done, MSG_NOSIGNAL);
            if (n < 0 && errno != EAGAIN && errno != EINTR) return false;
            if (n > 0) done += static_cast<std::size_t>(n);
        }
        return true;
    }

    // The next length-prefixed message; false on EOF, error or timeout.
    bool read_message(std::vector<std::uint8_t>& out) {
        std::uint8_t len[2];
        if (!read_exact(len, 2)) return false;
        out.resize(static_cast<std::size_t>(len[0]) << 8 | len[1]);
        return read_exact(out.data(), out.size());
    }

  private:
    bool wait(int fd, short events) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
        if (left.count() <= 0) return false;
        pollfd p{fd, events, 0};
        int rc = ::poll(&p, 1, static_cast<int>(left.count()));
        return rc > 0;
    }
    static bool connected(int fd, std::string* error) {
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) *error = std::strerror(err);
        return err == 0;
    }
    bool read_exact(std::uint8_t* p, std::size_t n) {
        std::size_t done = 0;
        while (done < n) {
            if (!wait(fd_, POLLIN)) return false;
            ssize_t got = ::recv(fd_, p + done, n - done, 0);
            if (got == 0) return false;
            if (got < 0 && errno != EAGAIN && errno != EINTR) return false;
            if (got > 0) done += static_cast<std::size_t>(got);
        }
        return true;
    }

    Clock::time_point deadline_;
    int fd_ = -1;
};

std::uint16_t random_id() {
    static thread_local std::mt19937 gen{std::random_device{}()};
    return static_cast<std::uint16_t>(gen());
}

// A query for `zone` `qtype`; for IXFR with our SOA (only its serial
// matters, RFC 1995 3) in the authority section.
std::optional<std::vector<std::uint8_t>> build_query(std::uint16_t id, const std::string& zone,
                                                     std::uint16_t qtype,
                                                     std::optional<std::uint32_t> serial) {
    auto owner = wire::name_to_wire(zone);
    if (!owner) return std::nullopt;
    std::vector<std::uint8_t> buf(1024);
    knot_pkt_t* pkt = knot_pkt_new(buf.data(), buf.size(), nullptr);
    if (pkt == nullptr) throw std::bad_alloc();
    knot_wire_set_id(pkt->wire, id);
    const auto* qname = reinterpret_cast<const knot_dname_t*>(owner->data());
    bool ok = knot_pkt_put_question(pkt, qname, KNOT_CLASS_IN, qtype) == KNOT_EOK;
    if (ok && serial) {
        const std::string data = ". . " + std::to_string(*serial) + " 0 0 0 0";
        auto soa = wire::make_rrset(zone, "SOA", 0, std::span<const std::string>(&data, 1));
        ok = soa && knot_pkt_begin(pkt, KNOT_AUTHORITY) == KNOT_EOK &&
             knot_pkt_put(pkt, 0, &soa->get(), 0) == KNOT_EOK;
    }
    buf.resize(pkt->size);
    knot_pkt_free(pkt);
    if (!ok) return std::nullopt;
    return buf;
}

// Signs `query` when there is a signer.
bool sign_query(std::vector<std::uint8_t>& query, TsigClient* signer, std::string* error) {
    if (!signer || signer->sign(query)) return true;
    *error = "cannot sign the query with TSIG key " + signer->key_name();
    return false;
}

// The answer's TSIG check (before parsing: knot_pkt_parse changes the bytes).
// `stream`: one message of a transfer, chained to the one before.
bool answer_verifies(const std::vector<std::uint8_t>& msg, TsigClient* signer, bool stream,
                     std::string* error) {
    if (!signer) return true;
    if (stream ? signer->stream_reply_verifies(msg) : signer->reply_verifies(msg)) return true;
    *error = "the master's answer does not verify with TSIG key " + signer->key_name();
    if (msg.size() >= KNOT_WIRE_HEADER_SIZE)
        if (const knot_lookup_t* name =
                knot_lookup_by_id(knot_rcode_names, knot_wire_get_rcode(msg.data())))
            *error += std::string(" (it answered ") + name->name + ")";
    return false;
}

// Parses one response to query `id`; appends its answer RRs to `out`.
bool read_answers(std::vector<std::uint8_t>& msg, std::uint16_t id,
                  std::vector<core::ResourceRecord>& out, std::string* error) {
    knot_pkt_t* pkt = knot_pkt_new(msg.data(), msg.size(), nullptr);
    if (pkt == nullptr) throw std::bad_alloc();
    struct Free {
        knot_pkt_t* p;
        ~Free() { knot_pkt_free(p); }
    } guard{pkt};
    if (knot_pkt_parse(pkt, 0) != KNOT_EOK) {
        *error = "a malformed response";
        return false;
    }
    if (knot_wire_get_id(pkt->wire) != id || !knot_wire_get_qr(pkt->wire)) {
        *error = "a response to another query";
        return false;
    }
    if (std::uint8_t rcode = knot_wire_get_rcode(pkt->wire); rcode != KNOT_RCODE_NOERROR) {
        const knot_lookup_t* name = knot_lookup_by_id(knot_rcode_names, rcode);
        *error = std::string("the master answered ") + (name ? name->name : std::to_string(rcode));
        return false;
    }
    const knot_pktsection_t* answer = knot_pkt_section(pkt, KNOT_ANSWER);
    std::vector<char> text(70000);
    for (std::uint16_t i = 0; i < answer->count; ++i) {
        const knot_rrset_t* rr = knot_pkt_rr(answer, i);
        const std::string owner = wire::name_to_text(rr->owner);
        const std::string type = wire::type_to_text(rr->type);
        for (std::uint16_t j = 0; j < rr->rrs.count; ++j) {
            int n =
                knot_rrset_txt_dump_data(rr, j, text.data(), text.size(), &KNOT_DUMP_STYLE_DEFAULT);
            if (n < 0) {
                *error = "cannot print a " + type + " record of " + owner;
                return false;
            }
            out.push_back(
                {owner, type, rr->ttl, std::string(text.data(), static_cast<std::size_t>(n))});
        }
    }
    return true;
}

}  // namespace

std::optional<std::uint32_t> query_master_serial(const service::MasterAddress& master,
                                                 const std::string& zone,
                                                 std::chrono::milliseconds timeout,
                                                 TsigClient* signer, std::string* error) {
    Connection conn(Clock::now() + timeout);
    if (!conn.connect(master, error)) return std::nullopt;
    const std::uint16_t id = random_id();
    auto query = build_query(id, zone, KNOT_RRTYPE_SOA, std::nullopt);
    if (!query) {
        *error = "cannot build the query";
        return std::nullopt;
    }
    if (!sign_query(*query, signer, error)) return std::nullopt;
    std::vector<std::uint8_t> msg;
    if (!conn.send_message(*query) || !conn.read_message(msg)) {
        *error = "no answer from " + service::master_text(master) + " in time";
        return std::nullopt;
    }
    std::vector<core::ResourceRecord> rrs;
    if (!answer_verifies(msg, signer, false, error) || !read_answers(msg, id, rrs, error))
        return std::nullopt;
    for (const auto& rr : rrs) {
        auto canonical = core::try_canonical_name(rr.name);
        if (rr.type == "SOA" && canonical && *canonical == zone)
            if (auto serial = soa_serial(rr.data)) return serial;
    }
    *error = service::master_text(master) + " has no SOA for " + zone;
    return std::nullopt;
}

bool transfer_from_master(const service::MasterAddress& master, const std::string& zone,
                          std::optional<std::uint32_t> ixfr_serial, XfrStream& stream,
                          std::chrono::milliseconds timeout, TsigClient* signer,
                          std::string* error) {
    Connection conn(Clock::now() + timeout);
    if (!conn.connect(master, error)) return false;
    const std::uint16_t id = random_id();
    auto query =
        build_query(id, zone, ixfr_serial ? KNOT_RRTYPE_IXFR : KNOT_RRTYPE_AXFR, ixfr_serial);
    if (!query) {
        *error = "cannot build the query";
        return false;
    }
    if (!sign_query(*query, signer, error)) return false;
    if (!conn.send_message(*query)) {
        *error = "cannot send to " + service::master_text(master);
        return false;
    }
    std::vector<std::uint8_t> msg;
    std::vector<core::ResourceRecord> rrs;
    while (!stream.complete()) {
        if (!conn.read_message(msg)) {
            *error =
                "the transfer from " + service::master_text(master) + " ended early or timed out";
            return false;
        }
        rrs.clear();
        if (!answer_verifies(msg, signer, true, error) || !read_answers(msg, id, rrs, error))
            return false;
        if (rrs.empty()) {
            *error = "an empty transfer message";
            return false;
        }
        for (const auto& rr : rrs)
            if (!stream.add(rr)) {
                *error = stream.error();
                return false;
            }
    }
    return true;
}

}  // namespace dnsplane::dns
