#include "app/logging.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <mutex>
#include <string>

namespace dnsplane::app {

namespace {

// stderr with a user-space buffer. stdio's stderr is unbuffered, and the
// access log writes one line per request: one write(2) per line (plus a flush)
// cost more than the request itself under load. Lines collect here and go out
// in large writes: when the buffer is full, on every warning or error (see
// flush_on below), once a second (spdlog::flush_every) and when the logger is
// destroyed at exit. A crash may lose up to a second of info lines.
class BufferedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    BufferedStderrSink() { buffer_.reserve(kCapacity); }
    ~BufferedStderrSink() override {
        std::lock_guard lock(mutex_);
        write_out();
    }

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t formatted;
        formatter_->format(msg, formatted);
        if (buffer_.size() + formatted.size() > kCapacity) write_out();
        buffer_.append(formatted.data(), formatted.size());
    }

    void flush_() override { write_out(); }

  private:
    static constexpr std::size_t kCapacity = 64 * 1024;

    void write_out() {
        std::size_t done = 0;
        while (done < buffer_.size()) {
            const ssize_t n = ::write(STDERR_FILENO, buffer_.data() + done, buffer_.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;  // stderr closed or full disk: drop, never block the server
            done += static_cast<std::size_t>(n);
        }
        buffer_.clear();
    }

    std::string buffer_;
};

}  // namespace

void init_logging(const std::string& level) {
    auto logger = spdlog::get("dnsplane");
    if (!logger) {
        logger =
            std::make_shared<spdlog::logger>("dnsplane", std::make_shared<BufferedStderrSink>());
        spdlog::register_logger(logger);
        spdlog::flush_every(std::chrono::seconds(1));
    }
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %l %v", spdlog::pattern_time_type::utc);
    logger->set_level(spdlog::level::from_str(level == "warning" ? "warn" : level));
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
}

void flush_logging() {
    if (auto logger = spdlog::get("dnsplane")) logger->flush();
}

}  // namespace dnsplane::app
