#include "common/ordered_uuid.h"

#include <openssl/rand.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>
#include <stdexcept>

#include "common/uuid_text.h"

namespace dnsplane::common {

std::string new_ordered_uuid() {
    // (milliseconds << 12 | sequence) of the last id; a sequence that runs
    // over carries into the milliseconds, so ids never repeat or go backwards
    // even when the clock does.
    static std::atomic<std::uint64_t> last{0};
    auto now_ms =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    std::uint64_t prev = last.load(std::memory_order_relaxed);
    std::uint64_t next = 0;
    do {
        next = std::max(now_ms << 12, prev + 1);
    } while (!last.compare_exchange_weak(prev, next, std::memory_order_relaxed));

    unsigned char b[16];
    std::uint64_t ms = next >> 12;
    for (int i = 5; i >= 0; --i, ms >>= 8) b[i] = static_cast<unsigned char>(ms & 0xff);
    b[6] = static_cast<unsigned char>(0x70 | ((next >> 8) & 0x0f));  // version 7
    b[7] = static_cast<unsigned char>(next & 0xff);
    // The random tail comes from a per-thread generator seeded once from the
    // system's CSPRNG: RAND_bytes per id (it checks the pid each call) was 2 %
    // of an import. These ids are unique, not secret.
    thread_local std::mt19937_64 tail_bits = [] {
        std::uint64_t seed[2];
        if (RAND_bytes(reinterpret_cast<unsigned char*>(seed), sizeof seed) != 1)
            throw std::runtime_error("RAND_bytes failed");
        std::seed_seq seq{seed[0], seed[0] >> 32, seed[1], seed[1] >> 32};
        return std::mt19937_64(seq);
    }();
    std::uint64_t tail = tail_bits();
    for (int i = 15; i >= 8; --i, tail >>= 8) b[i] = static_cast<unsigned char>(tail & 0xff);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 9562 variant
    return uuid_text(b);
}

}  // namespace dnsplane::common
