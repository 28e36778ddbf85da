#include "dns/stats.h"

namespace dnsplane::dns {

namespace {
// Each thread takes the next shard index once; threads beyond kShards share.
unsigned thread_shard_index() noexcept {
    static std::atomic<unsigned> next{0};
    thread_local unsigned index = next.fetch_add(1, std::memory_order_relaxed);
    return index;
}
}  // namespace

QueryStats::Shard& QueryStats::shard() noexcept {
    return shards_[thread_shard_index() % kShards];
}

StatsSnapshot QueryStats::snapshot() const noexcept {
    std::array<std::uint64_t, kCounterCount + kRcodes> sum{};
    for (const Shard& s : shards_) {
        for (unsigned i = 0; i < sum.size(); ++i) {
            sum[i] += s.values[i].load(std::memory_order_relaxed);
        }
    }
    StatsSnapshot out;
    out.queries = sum[Queries];
    out.responses = sum[Responses];
    out.dropped = sum[Dropped];
    out.truncated = sum[Truncated];
    out.udp = sum[Udp];
    out.tcp = sum[Tcp];
    out.axfr = sum[Axfr];
    out.ixfr = sum[Ixfr];
    out.notify_sent = sum[NotifySent];
    out.notify_received = sum[NotifyReceived];
    for (unsigned r = 0; r < kRcodes; ++r) out.rcode[r] = sum[kCounterCount + r];
    return out;
}

}  // namespace dnsplane::dns
