// One structured key=value line per request. Never carries header values or
// bodies (tokens must not reach the logs).
#pragma once

#include <string>
#include <string_view>

namespace dnsplane::http {

struct AccessLogEntry {
    std::string_view server;  // ServerOptions::name
    std::string_view method;
    std::string_view path;
    unsigned status = 0;
    double duration_ms = 0;
    std::string_view request_id;
    std::string_view remote;
};

// access server=api method=GET path=/v2/zones status=200 duration_ms=0.412
// request_id=req-... remote=127.0.0.1:51234   (values with spaces, quotes
// or control characters are quoted and escaped)
std::string format_access_line(const AccessLogEntry& e);

void log_access(const AccessLogEntry& e);  // info level, default spdlog logger

}  // namespace dnsplane::http
