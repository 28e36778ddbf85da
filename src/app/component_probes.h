// Real checks behind /v2/service_statuses (issue 16), run by the status
// probe in serve.cpp: can a client reach the API port, does the DNS server
// answer a query. Blocking, bounded by `timeout`.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace dnsplane::app {

// nullopt when a TCP connection to host:port opens within `timeout`, else why not.
std::optional<std::string> probe_tcp(const std::string& host, std::uint16_t port,
                                     std::chrono::milliseconds timeout);

// nullopt when a DNS query (". SOA") sent over UDP to host:port gets any
// DNS response with the same id within `timeout`, else why not.
std::optional<std::string> probe_dns_udp(const std::string& host, std::uint16_t port,
                                         std::chrono::milliseconds timeout);

// The address a local client uses for a listener bound to `host`
// ("0.0.0.0" -> "127.0.0.1", "::" -> "::1").
std::string local_host_for(const std::string& host);

}  // namespace dnsplane::app
