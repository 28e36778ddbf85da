// Connection threads: N io_contexts with one thread each. A connection lives
// on one of them for its whole life and its handlers run inline there, so a
// socket event wakes exactly the thread that serves it and no request hops
// between threads; a handler that waits (a write waiting for its group
// commit) holds only the connections of its own thread. Measured on 2 cores
// against a shared io_context plus a handler pool: about 7 context switches
// per write request became about 3 (bench/RESULTS.md, "Writes").
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

namespace dnsplane::http {

class IoPool {
  public:
    explicit IoPool(std::size_t threads);
    ~IoPool();
    IoPool(const IoPool&) = delete;
    IoPool& operator=(const IoPool&) = delete;

    // The executor for the next connection (round robin over the threads).
    boost::asio::any_io_executor next();
    std::size_t size() const { return contexts_.size(); }

    // Lets every thread finish the work it has (open connections end once
    // their servers are stopped) and joins them. Idempotent.
    void join();

  private:
    using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
    std::vector<Guard> guards_;
    std::vector<std::thread> threads_;
    std::atomic<std::size_t> next_{0};
};

}  // namespace dnsplane::http
