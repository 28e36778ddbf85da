// DNS server counters: queries, responses by rcode, transfers. Updated from
// every worker thread, read by metrics. Counters are sharded per thread (one
// cache line each) so that workers never contend on a shared line.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace dnsplane::dns {

struct StatsSnapshot {
    std::uint64_t queries = 0;    // messages answered or dropped by answer_query
    std::uint64_t responses = 0;  // responses produced (any rcode)
    std::uint64_t dropped = 0;    // silently dropped messages
    std::uint64_t truncated = 0;  // UDP responses sent with TC=1
    std::uint64_t udp = 0;
    std::uint64_t tcp = 0;
    std::uint64_t axfr = 0;  // AXFR transfers served
    std::uint64_t ixfr = 0;  // IXFR transfers served
    std::uint64_t notify_sent = 0;
    std::uint64_t notify_received = 0;
    std::array<std::uint64_t, 24> rcode{};  // index = (extended) rcode, 0..23
};

class QueryStats {
  public:
    enum Counter : unsigned {
        Queries,
        Responses,
        Dropped,
        Truncated,
        Udp,
        Tcp,
        Axfr,
        Ixfr,
        NotifySent,
        NotifyReceived,
        kCounterCount
    };
    static constexpr unsigned kRcodes = 24;

    void add(Counter c, std::uint64_t n = 1) noexcept {
        shard().values[c].fetch_add(n, std::memory_order_relaxed);
    }
    void add_rcode(unsigned rcode) noexcept {
        if (rcode >= kRcodes) rcode = kRcodes - 1;
        shard().values[kCounterCount + rcode].fetch_add(1, std::memory_order_relaxed);
    }

    // Sums every shard; consistent per counter, not across counters.
    StatsSnapshot snapshot() const noexcept;

  private:
    static constexpr unsigned kShards = 16;
    struct alignas(64) Shard {
        std::array<std::atomic<std::uint64_t>, kCounterCount + kRcodes> values{};
    };
    Shard& shard() noexcept;
    std::array<Shard, kShards> shards_{};
};

}  // namespace dnsplane::dns
