// A bump allocator exposed as a libknot knot_mm_t, reset once per message:
// parsing a query and building its response then costs no malloc/free in the
// common case. Oversized requests fall back to malloc and are released at the
// next reset. One arena per thread; not thread-safe.
#pragma once

#include "dns/wire_libknot.h"

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <vector>

namespace dnsplane::dns {

class PacketArena {
  public:
    explicit PacketArena(std::size_t capacity = 128 * 1024)
        : buf_(static_cast<std::byte*>(std::malloc(capacity))), capacity_(capacity) {
        mm_.ctx = this;
        mm_.alloc = &PacketArena::alloc_cb;
        mm_.free = &PacketArena::free_cb;
    }
    ~PacketArena() {
        reset();
        std::free(buf_);
    }
    PacketArena(const PacketArena&) = delete;
    PacketArena& operator=(const PacketArena&) = delete;

    knot_mm_t* mm() { return &mm_; }

    void reset() {
        used_ = 0;
        for (void* p : overflow_) std::free(p);
        overflow_.clear();
    }

  private:
    static constexpr std::size_t kAlign = 16;

    static void* alloc_cb(void* ctx, std::size_t len) {
        return static_cast<PacketArena*>(ctx)->allocate(len);
    }
    static void free_cb(void*) {}  // memory returns at reset()

    void* allocate(std::size_t len) {
        std::size_t size = (len + kAlign - 1) & ~(kAlign - 1);
        if (buf_ && used_ + size <= capacity_) {
            void* p = buf_ + used_;
            used_ += size;
            return p;
        }
        void* p = std::malloc(len ? len : 1);
        if (p) overflow_.push_back(p);
        return p;
    }

    knot_mm_t mm_{};
    std::byte* buf_;
    std::size_t capacity_;
    std::size_t used_ = 0;
    std::vector<void*> overflow_;
};

}  // namespace dnsplane::dns
