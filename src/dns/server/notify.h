// NOTIFY sender (RFC 1996): after every committed change of a zone, tells
// each also-notify target ("host:port") over UDP that the zone changed, and
// repeats the message with growing pauses until the target answers with a
// matching response (same ID, QR, opcode NOTIFY, from that target) or the
// tries run out. A newer change of the same zone supersedes the retries of
// an older one for that target. on_commit() only schedules work on the
// io_context: the API never waits for a secondary.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dns/stats.h"
#include "dns/zone_catalog.h"
#include "service/change_sink.h"

namespace dnsplane::dns {

struct NotifyOptions {
    std::vector<std::string> targets;  // "192.0.2.1:53", "[2001:db8::1]:53", "ns1.example:53"
    // Wait for a response after try i (the last entry repeats); 5 tries in all.
    std::vector<std::chrono::milliseconds> waits = {
        std::chrono::seconds(1), std::chrono::seconds(2), std::chrono::seconds(4),
        std::chrono::seconds(8), std::chrono::seconds(16)};
    int tries = 5;
    // RFC 8945: the name of a stored TSIG key (/v2/tsigkeys) that signs every
    // NOTIFY; only answers signed with it count. Looked up at each send, so
    // a rotated secret applies at once. Empty: unsigned.
    std::string tsig_key;
};

class TsigKeyring;

class Notifier : public service::ChangeSink {
  public:
    // `catalog` supplies the zone's current SOA for the answer section.
    Notifier(boost::asio::io_context& io, const ZoneCatalog& catalog, NotifyOptions options,
             QueryStats* stats = nullptr);
    ~Notifier() override;
    Notifier(const Notifier&) = delete;
    Notifier& operator=(const Notifier&) = delete;

    void on_commit(const core::ZoneChange& change) override;

    // Where options.tsig_key is looked up; set before the first commit.
    // Without it (or without the key) a NOTIFY that must be signed is not
    // sent, and a warning names the key.
    void set_keyring(TsigKeyring* ring);

    // Cancels every pending try; later commits are ignored. Idempotent.
    void stop();

    // Notifications still trying (tests, metrics).
    std::size_t pending() const;
    // Targets that acknowledged, summed over every notification (tests).
    std::uint64_t acknowledged() const;

  private:
    struct State;
    std::shared_ptr<State> state_;
};

// The NOTIFY request for `zone` (opcode NOTIFY, AA, question <zone> SOA IN,
// the SOA in the answer section when given). Exposed for tests.
std::vector<std::uint8_t> build_notify(std::uint16_t id, const knot_dname_t* zone,
                                       const knot_rrset_t* soa);

}  // namespace dnsplane::dns
