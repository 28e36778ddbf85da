// A DnsServer on loopback with a small catalog, its io_context run by one
// background thread, for the socket-level tests.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <memory>
#include <thread>

#include "dns/server/dns_server.h"
#include "net_test_util.h"

namespace dnsplane::dns::testing {

class RunningServer {
  public:
    explicit RunningServer(DnsOptions options, ZoneSnapshotPtr zone = small_zone(),
                           core::Pool pool = {})
        : guard_(io_.get_executor()) {
        if (zone) catalog_.publish(std::move(zone));
        server_ = std::make_unique<DnsServer>(io_, std::move(options), catalog_, pool);
        server_->start();
        thread_ = std::thread([this] { io_.run(); });
    }
    ~RunningServer() {
        server_->stop();
        guard_.reset();
        io_.stop();
        thread_.join();
        server_.reset();
    }

    std::uint16_t udp_port() const { return server_->udp_ports().at(0); }
    std::uint16_t tcp_port() const { return server_->tcp_ports().at(0); }
    DnsServer& server() { return *server_; }
    ZoneCatalog& catalog() { return catalog_; }

  private:
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    ZoneCatalog catalog_;
    std::unique_ptr<DnsServer> server_;
    std::thread thread_;
};

inline DnsOptions loopback_options() {
    DnsOptions o;
    o.listen = {"127.0.0.1:0"};
    return o;
}

}  // namespace dnsplane::dns::testing
