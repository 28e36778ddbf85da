#include "http/access_log.h"

#include <spdlog/spdlog.h>

#include <cstdio>

namespace dnsplane::http {

namespace {

// Quotes a value when it would break key=value parsing; escapes control
// characters so a crafted path cannot forge extra log lines.
void append_value(std::string& out, std::string_view v) {
    bool plain = !v.empty();
    for (unsigned char c : v)
        if (c <= ' ' || c == '"' || c == '\\' || c == '=' || c >= 0x7f) plain = false;
    if (plain) {
        out += v;
        return;
    }
    out += '"';
    for (unsigned char c : v) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < ' ' || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += '"';
}

void append_field(std::string& out, std::string_view key, std::string_view value) {
    out += ' ';
    out += key;
    out += '=';
    append_value(out, value);
}

}  // namespace

std::string format_access_line(const AccessLogEntry& e) {
    std::string out = "access";
    append_field(out, "server", e.server);
    append_field(out, "method", e.method);
    append_field(out, "path", e.path);
    append_field(out, "status", std::to_string(e.status));
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.3f", e.duration_ms);
    append_field(out, "duration_ms", ms);
    append_field(out, "request_id", e.request_id);
    append_field(out, "remote", e.remote);
    return out;
}

void log_access(const AccessLogEntry& e) {
    spdlog::info("{}", format_access_line(e));
}

}  // namespace dnsplane::http
