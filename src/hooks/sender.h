// Delivers change_committed events from the durable outbox to the bound
// receiver on its own thread, apart from requests: oldest first, one at a
// time (so event k+1 of a zone never precedes the ack of event k), a 2xx
// acks (the row is deleted), anything else is retried with backoff starting
// at 250 ms (at most 5 s apart). Committed changes wake it (ChangeSink).
// With several nodes on one database only the holder of the store's outbox
// lease delivers, and the binding is read from the database each round.
// While nothing is bound, commits do not wake it (a read transaction per
// commit was 8 % of a create's cost): it looks again every second, so a new
// binding delivers within about a second, its events waiting in the outbox.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "hooks/journal.h"
#include "hooks/registry.h"
#include "service/change_sink.h"

namespace dnsplane::hooks {

class Sender : public service::ChangeSink {
  public:
    Sender(store::Store& store, HookOptions options);
    ~Sender() override;
    void start();
    void stop();  // joins; undelivered events stay in the outbox
    void on_commit(const core::ZoneChange&) override {
        if (bound_.load(std::memory_order_relaxed)) wake();
    }
    void wake();
    std::uint64_t delivered() const;
    // Started and not stopping (the status probe's worker check).
    bool running() const;

  private:
    void run();
    bool wait_for(std::chrono::milliseconds d);   // false when stopping
    bool pause_for(std::chrono::milliseconds d);  // same, commits do not cut it short

    store::Store& store_;
    HookOptions options_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    bool pending_ = false;
    std::uint64_t delivered_ = 0;
    std::atomic<bool> bound_{true};  // a receiver was bound at the last look
    std::thread thread_;
};

}  // namespace dnsplane::hooks
