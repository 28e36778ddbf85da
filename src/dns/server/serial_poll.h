// Serial polling of the pool's nameservers (what Designate's worker does
// before it marks a change ACTIVE): after each committed change of a zone,
// wait `delay`, then ask every polled nameserver for the zone's SOA serial;
// once each serves the change's serial or a later one (RFC 1982), the change
// is confirmed (service/propagation.h: the zone and its changed sets turn
// ACTIVE). Nameservers that are behind are asked again every
// `retry_interval`; after `max_retries` more rounds the change is ERROR.
// A newer change of the zone supersedes the poll of an older one (its serial
// is later, so confirming it confirms both).
//
// SOA queries go over TCP (xfr_client.h, one deadline each) on the poller's
// own thread: the API and the server's io threads never wait for them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "service/change_sink.h"
#include "service/propagation.h"
#include "service/secondary.h"

namespace dnsplane::dns {

struct SerialPollOptions {
    // "host[:port]" (service::parse_master forms); empty: no polling.
    std::vector<std::string> nameservers;
    std::chrono::milliseconds delay{500};
    std::chrono::milliseconds retry_interval{1000};
    int max_retries = 30;
    std::chrono::milliseconds query_timeout{2000};
};

class SerialPoller : public service::ChangeSink {
  public:
    // Throws std::invalid_argument naming a nameserver that does not parse.
    SerialPoller(SerialPollOptions options, service::Propagation& propagation);
    ~SerialPoller() override;
    SerialPoller(const SerialPoller&) = delete;
    SerialPoller& operator=(const SerialPoller&) = delete;

    // Records the change as pending, then schedules its poll. Never blocks
    // on the network.
    void on_commit(const core::ZoneChange& change) override;

    void start();  // the polling thread; no-op without nameservers
    void stop();   // idempotent; pending polls are dropped

  private:
    struct Poll {
        std::string zone_name;
        std::uint32_t serial = 0;
        int round = 0;
        std::vector<bool> confirmed;  // per nameserver
        std::chrono::steady_clock::time_point due;
    };
    void run();
    // One round of SOA queries for `poll`; true when every nameserver is there.
    bool poll_round(Poll& poll);

    SerialPollOptions options_;
    std::vector<service::MasterAddress> nameservers_;
    service::Propagation& propagation_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::map<std::string, Poll> polls_;  // zone id -> its newest change's poll
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace dnsplane::dns
