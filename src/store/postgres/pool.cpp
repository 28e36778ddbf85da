#include "store/postgres/pool.h"

#include <charconv>

namespace dnsplane::store::postgres {

PgPool::PgPool(std::string conninfo, std::size_t idle_readers)
    : conninfo_(std::move(conninfo)), idle_readers_(idle_readers) {}

std::unique_ptr<PgConnection> PgPool::acquire_reader() {
    {
        std::lock_guard lock(mutex_);
        while (!idle_.empty()) {
            auto conn = std::move(idle_.back());
            idle_.pop_back();
            if (conn->ok()) return conn;
        }
    }
    return std::make_unique<PgConnection>(conninfo_);
}

void PgPool::release_reader(std::unique_ptr<PgConnection> conn) {
    if (!conn || !conn->ok() || conn->in_transaction()) return;
    std::lock_guard lock(mutex_);
    if (idle_.size() < idle_readers_) idle_.push_back(std::move(conn));
}

std::unique_ptr<PgConnection> PgPool::connect_for_writes() const {
    auto conn = std::make_unique<PgConnection>(conninfo_);
    conn->exec("SET plan_cache_mode = force_generic_plan");
    return conn;
}

PgConnection& PgPool::acquire_writer() {
    std::unique_lock lock(mutex_);
    writer_free_.wait(lock, [&] { return !writer_busy_; });
    writer_busy_ = true;
    if (writer_ && writer_->ok() && !writer_->in_transaction()) return *writer_;
    writer_.reset();
    lock.unlock();
    try {
        auto conn = connect_for_writes();
        lock.lock();
        writer_ = std::move(conn);
        return *writer_;
    } catch (...) {
        release_writer();
        throw;
    }
}

void PgPool::release_writer() {
    {
        std::lock_guard lock(mutex_);
        writer_busy_ = false;
    }
    writer_free_.notify_one();
}

void PgPool::note_own_change(std::int64_t seq) {
    if (!following_) return;
    std::lock_guard lock(own_mutex_);
    own_.insert(seq);
}

void PgPool::forget_own_change(std::int64_t seq) {
    std::lock_guard lock(own_mutex_);
    own_.erase(seq);
}

bool PgPool::take_own_change(std::int64_t seq) {
    std::lock_guard lock(own_mutex_);
    return own_.erase(seq) > 0;
}

std::optional<std::string> PgPool::zone_name(const std::string& id) {
    std::lock_guard lock(names_mutex_);
    auto it = zone_names_.find(id);
    if (it == zone_names_.end()) return std::nullopt;
    return it->second;
}

void PgPool::remember_zone_name(const std::string& id, const std::string& name) {
    std::lock_guard lock(names_mutex_);
    if (zone_names_.size() >= 100000) zone_names_.clear();
    zone_names_.insert_or_assign(id, name);
}

void PgPool::start_delivery(std::int64_t head,
                            std::function<void(const core::ZoneChange&)> deliver) {
    std::lock_guard lock(order_mutex_);
    delivered_ = head;
    deliver_ = std::move(deliver);
    following_ = true;
}

void PgPool::deliver(std::int64_t seq, const core::ZoneChange& change) {
    if (seq <= delivered()) return;
    delivered_.store(seq, std::memory_order_release);
    if (take_own_change(seq) || !deliver_) return;
    try {
        deliver_(change);
    } catch (...) {
    }
}

bool PgPool::is_news(std::string_view notification) const {
    std::int64_t seq = 0;
    const auto* end = notification.data() + notification.size();
    const auto [past, ec] = std::from_chars(notification.data(), end, seq);
    if (ec != std::errc() || past == notification.data() || (past != end && *past != ' '))
        return true;
    if (seq <= delivered()) return false;
    std::lock_guard lock(own_mutex_);
    return own_.count(seq) == 0;
}

void PgPool::mark_delivered(std::int64_t seq) {
    if (seq > delivered()) delivered_.store(seq, std::memory_order_release);
}

}  // namespace dnsplane::store::postgres
