#include "dns/server/serial_poll.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "dns/server/xfr_client.h"
#include "service/soa.h"

namespace dnsplane::dns {

using Clock = std::chrono::steady_clock;

SerialPoller::SerialPoller(SerialPollOptions options, service::Propagation& propagation)
    : options_(std::move(options)), propagation_(propagation) {
    for (const auto& text : options_.nameservers) {
        auto ns = service::parse_master(text);
        if (!ns) throw std::invalid_argument("cannot parse polled nameserver '" + text + "'");
        nameservers_.push_back(*ns);
    }
}

SerialPoller::~SerialPoller() {
    stop();
}

void SerialPoller::on_commit(const core::ZoneChange& change) {
    propagation_.on_commit(change);
    if (nameservers_.empty()) return;
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    if (change.zone_deleted) {
        polls_.erase(change.zone_id);
        return;
    }
    if (!propagation_.wants_poll(change)) return;
    Poll& poll = polls_[change.zone_id];
    poll.zone_name = change.zone_name;
    poll.serial = change.new_serial;
    poll.round = 0;
    poll.confirmed.assign(nameservers_.size(), false);
    poll.due = Clock::now() + options_.delay;
    wake_.notify_one();
}

void SerialPoller::start() {
    if (nameservers_.empty() || thread_.joinable()) return;
    thread_ = std::thread([this] { run(); });
}

void SerialPoller::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        polls_.clear();
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

bool SerialPoller::poll_round(Poll& poll) {
    bool all = true;
    for (std::size_t i = 0; i < nameservers_.size(); ++i) {
        if (poll.confirmed[i]) continue;
        std::string error;
        auto serial = query_master_serial(nameservers_[i], poll.zone_name, options_.query_timeout,
                                          nullptr, &error);
        if (serial && !service::serial_before(*serial, poll.serial)) {
            poll.confirmed[i] = true;
        } else {
            all = false;
            spdlog::debug("serial poll: {} for {} serial {}: {}",
                          service::master_text(nameservers_[i]), poll.zone_name, poll.serial,
                          serial ? "serves " + std::to_string(*serial) : error);
        }
    }
    return all;
}

void SerialPoller::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        auto next = std::min_element(
            polls_.begin(), polls_.end(),
            [](const auto& a, const auto& b) { return a.second.due < b.second.due; });
        if (next == polls_.end()) {
            wake_.wait(lock);
            continue;
        }
        if (next->second.due > Clock::now()) {
            wake_.wait_until(lock, next->second.due);
            continue;
        }
        const std::string zone_id = next->first;
        Poll poll = next->second;
        lock.unlock();
        const bool done = poll_round(poll);
        lock.lock();
        auto it = polls_.find(zone_id);
        // A newer change replaced this poll meanwhile (or the zone is gone).
        if (it == polls_.end() || it->second.serial != poll.serial ||
            it->second.round != poll.round)
            continue;
        if (done) {
            polls_.erase(it);
            propagation_.confirmed(zone_id, poll.serial);
        } else if (poll.round >= options_.max_retries) {
            polls_.erase(it);
            propagation_.failed(zone_id, poll.serial);
            spdlog::warn(
                "serial poll: {} serial {} not served by every polled nameserver after {} "
                "rounds: ERROR",
                poll.zone_name, poll.serial, poll.round + 1);
        } else {
            poll.round += 1;
            poll.due = Clock::now() + options_.retry_interval;
            it->second = std::move(poll);
        }
    }
}

}  // namespace dnsplane::dns
