#include "http/io_pool.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace dnsplane::http {

IoPool::IoPool(std::size_t threads) {
    if (threads == 0) threads = 1;
    for (std::size_t i = 0; i < threads; ++i) {
        // Concurrency hint 1: each context is only ever run by its own thread.
        contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
        guards_.emplace_back(contexts_.back()->get_executor());
    }
    for (auto& ctx : contexts_) {
        threads_.emplace_back([io = ctx.get()] {
            for (;;) {
                try {
                    io->run();
                    return;
                } catch (const std::exception& e) {
                    spdlog::critical("http connection thread: {}", e.what());
                }
            }
        });
    }
}

IoPool::~IoPool() {
    join();
}

boost::asio::any_io_executor IoPool::next() {
    const std::size_t i = next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size();
    return contexts_[i]->get_executor();
}

void IoPool::join() {
    for (auto& guard : guards_) guard.reset();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
}

}  // namespace dnsplane::http
