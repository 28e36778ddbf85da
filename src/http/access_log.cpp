#include "http/access_log.h"

#include "common/metrics.h"

#include <spdlog/spdlog.h>

#include <cstdio>

namespace dnsplane::http {

namespace {

// Length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF); 0 when malformed.
std::size_t utf8_sequence(std::string_view s) {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char c = b(0);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xbf;  // allowed range of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else {
        return 0;
    }
    if (s.size() < n || b(1) < lo || b(1) > hi) return 0;
    for (std::size_t i = 2; i < n; ++i)
        if (b(i) < 0x80 || b(i) > 0xbf) return 0;
    return n;
}

void append_escaped_byte(std::string& out, unsigned char c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", c);
    out += buf;
}

// Quotes a value when it would break key=value parsing. Inside quotes,
// control characters (C0, DEL, C1) and bytes that are not well-formed UTF-8
// become \xNN, so a crafted path can neither forge extra log lines nor make
// the line invalid UTF-8 for log shippers.
void append_value(std::string& out, std::string_view v) {
    bool plain = !v.empty();
    for (unsigned char c : v)
        if (c <= ' ' || c == '"' || c == '\\' || c == '=' || c >= 0x7f) plain = false;
    if (plain) {
        out += v;
        return;
    }
    out += '"';
    for (std::size_t i = 0; i < v.size();) {
        const unsigned char c = static_cast<unsigned char>(v[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
            ++i;
        } else if (c < ' ' || c == 0x7f) {
            append_escaped_byte(out, c);
            ++i;
        } else if (c < 0x80) {
            out += static_cast<char>(c);
            ++i;
        } else if (std::size_t n = utf8_sequence(v.substr(i));
                   n && !(c == 0xc2 && static_cast<unsigned char>(v[i + 1]) < 0xa0)) {
            out.append(v.substr(i, n));
            i += n;
        } else {
            // Malformed UTF-8 or a C1 control (U+0080..U+009F): escape byte by byte.
            append_escaped_byte(out, c);
            ++i;
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
    common::metrics().inc(
        "dnsplane_http_requests_total",
        {{"listener", std::string(e.server)}, {"status", std::to_string(e.status)}}, 1,
        "HTTP requests answered, by listener and status");
    spdlog::info("{}", format_access_line(e));
}

}  // namespace dnsplane::http
