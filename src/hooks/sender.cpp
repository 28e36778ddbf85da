#include "hooks/sender.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include "hooks/http_post.h"

namespace dnsplane::hooks {

Sender::Sender(store::Store& store, HookOptions options) : store_(store), options_(options) {}

Sender::~Sender() {
    stop();
}

void Sender::start() {
    thread_ = std::thread([this] { run(); });
}

void Sender::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Sender::wake() {
    {
        std::lock_guard lock(mutex_);
        pending_ = true;
    }
    cv_.notify_all();
}

std::uint64_t Sender::delivered() const {
    std::lock_guard lock(mutex_);
    return delivered_;
}

bool Sender::running() const {
    std::lock_guard lock(mutex_);
    return thread_.joinable() && !stopping_;
}

bool Sender::wait_for(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, d, [&] { return stopping_ || pending_; });
    pending_ = false;
    return !stopping_;
}

bool Sender::pause_for(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, d, [&] { return stopping_; });
    return !stopping_;
}

void Sender::run() {
    using namespace std::chrono_literals;
    const auto first_backoff = 250ms;
    auto backoff = first_backoff;
    std::vector<std::int64_t> acked;
    KeepAliveClient client;
    // Acks are deleted in one transaction per round, not one per event: the
    // sender takes the writer slot rarely. A crash between the POST and the
    // delete resends the event (at least once).
    auto flush_acks = [&] {
        if (acked.empty()) return;
        try {
            auto txn = store_.write();
            for (auto seq : acked) txn->ack_outbox(seq);
            txn->commit();
            acked.clear();
        } catch (const std::exception& e) {
            spdlog::warn("change_committed: cannot record acknowledgements: {}", e.what());
        }
    };
    // A round (read the binding and the head, POST it, delete the acks in one
    // transaction) starts at most every kRoundInterval: under a steady write
    // load rounds used to follow each other with one or two events each, a
    // read and a write transaction per event taking the store's writer
    // between the group commits (~10 % of the server's CPU at ~1,000
    // events/s). Costs at most that much delivery lag.
    constexpr auto kRoundInterval = 10ms;
    auto round_began = std::chrono::steady_clock::now() - kRoundInterval;
    while (true) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) break;
        }
        const auto since = std::chrono::steady_clock::now() - round_began;
        if (since < kRoundInterval &&
            !pause_for(
                std::chrono::duration_cast<std::chrono::milliseconds>(kRoundInterval - since)))
            break;
        round_began = std::chrono::steady_clock::now();
        // The binding as the database has it (another node sharing the
        // database may have made it), and only the node holding the outbox
        // lease delivers: every node sees every node's events.
        std::optional<store::HookBinding> binding;
        std::vector<store::OutboxEvent> head;
        try {
            if (store_.outbox_lease()) {
                auto txn = store_.read();
                for (auto& b : txn->hook_bindings())
                    if (b.addons_point == kChangeCommitted) binding = std::move(b);
                if (binding) head = txn->outbox_head(256);
            }
        } catch (const std::exception& e) {
            spdlog::warn("change_committed: cannot read the outbox: {}", e.what());
        }
        bound_.store(binding.has_value(), std::memory_order_relaxed);
        if (binding) {
            // Rows already acked but not yet deleted are skipped.
            std::erase_if(head, [&](const auto& e) {
                return std::find(acked.begin(), acked.end(), e.seq) != acked.end();
            });
        }
        if (head.empty()) {
            flush_acks();
            if (!wait_for(binding ? 200ms : 1000ms)) break;
            continue;
        }
        bool failed = false;
        for (const auto& e : head) {
            auto res = client.post(binding->endpoint, e.payload, options_.timeout);
            if (!res.ok()) {
                spdlog::warn("change_committed: {} not acknowledged by {} ({}); retry in {} ms",
                             e.id, binding->plugin_id,
                             res.answered ? "status " + std::to_string(res.status) : res.error,
                             backoff.count());
                failed = true;
                break;
            }
            acked.push_back(e.seq);
            {
                std::lock_guard lock(mutex_);
                ++delivered_;
                if (stopping_) break;
            }
        }
        flush_acks();
        if (failed) {
            if (!wait_for(backoff)) break;
            // A wake-up (new commit) must not shorten the backoff much; but
            // the first retry stays within 2 s.
            backoff = std::min<std::chrono::milliseconds>(backoff * 2, 5000ms);
        } else {
            backoff = first_backoff;
        }
    }
    flush_acks();
}

}  // namespace dnsplane::hooks
