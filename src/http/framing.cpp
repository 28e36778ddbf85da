#include "http/framing.h"
#include "http/message.h"

#include <algorithm>
#include <cctype>

namespace dnsplane::http {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Splits a list field value on ',' (RFC 9110 5.6.1), trimming each element.
std::vector<std::string_view> list_elements(std::string_view value) {
    std::vector<std::string_view> out;
    for (;;) {
        auto comma = value.find(',');
        out.push_back(trim(value.substr(0, comma)));
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return out;
}

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// uri-host [ ":" port ] (RFC 3986): IP-literal, IPv4 or reg-name characters.
bool valid_host(std::string_view host) {
    if (host.empty()) return true;  // allowed when the target has no authority
    if (host.size() > 255) return false;
    std::string_view port;
    if (host.front() == '[') {
        auto close = host.find(']');
        if (close == std::string_view::npos || close < 2) return false;
        auto literal = host.substr(1, close - 1);
        if (!std::all_of(literal.begin(), literal.end(), [](unsigned char c) {
                return std::isxdigit(c) || c == ':' || c == '.' || c == 'v' || c == 'V';
            }))
            return false;
        auto rest = host.substr(close + 1);
        if (rest.empty()) return true;
        if (rest.front() != ':') return false;
        port = rest.substr(1);
    } else {
        auto colon = host.find(':');
        auto name = host.substr(0, colon);
        if (name.empty() || !std::all_of(name.begin(), name.end(), [](unsigned char c) {
                return std::isalnum(c) ||
                       std::string_view("-._~%!$&'()*+,;=").find(c) != std::string_view::npos;
            }))
            return false;
        if (colon == std::string_view::npos) return true;
        port = host.substr(colon + 1);
    }
    return port.empty() || (all_digits(port) && port.size() <= 5);
}

bool valid_scheme(std::string_view s) {
    if (s.empty() || !std::isalpha(static_cast<unsigned char>(s.front()))) return false;
    return std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '+' || c == '-' || c == '.';
    });
}

Framing reject(std::string reason) {
    Framing f;
    f.reason = std::move(reason);
    return f;
}

}  // namespace

bool has_obs_fold(std::string_view raw_head) {
    // Every line after the request line; a field line starting with a blank
    // continues the previous one (or sits between start line and fields).
    std::size_t pos = raw_head.find('\n');
    while (pos != std::string_view::npos && pos + 1 < raw_head.size()) {
        char first = raw_head[pos + 1];
        if (first == ' ' || first == '\t') return true;
        pos = raw_head.find('\n', pos + 1);
    }
    return false;
}

std::size_t request_head_end(std::string_view data) {
    auto crlf = data.find("\r\n\r\n");
    auto lf = data.find("\n\n");
    if (crlf == std::string_view::npos && lf == std::string_view::npos)
        return std::string_view::npos;
    return std::min(crlf == std::string_view::npos ? data.size() : crlf + 4,
                    lf == std::string_view::npos ? data.size() : lf + 2);
}

Framing decide_framing(const RequestHead& head) {
    if (head.version < 10 || head.version > 19)
        return reject("Unsupported HTTP version: only HTTP/1.0 and HTTP/1.1 are served");
    if (head.obs_fold) return reject("Obsolete line folding in a header field is not accepted");

    std::vector<std::string_view> codings;
    bool has_te = false, has_cl = false;
    std::string_view length;
    int hosts = 0;
    std::string_view host;
    for (const auto& [name, value] : head.fields) {
        if (iequals(name, "transfer-encoding")) {
            has_te = true;
            for (auto c : list_elements(value))
                if (!c.empty()) codings.push_back(c);
        } else if (iequals(name, "content-length")) {
            for (auto v : list_elements(value)) {
                // Leading zeros are allowed, but more than 19 digits cannot be a length.
                auto significant = v.substr(std::min(v.find_first_not_of('0'), v.size()));
                if (!all_digits(v) || significant.size() > 18)
                    return reject("Invalid Content-Length");
                if (significant.empty()) significant = "0";
                if (has_cl && significant != length) return reject("Content-Length values differ");
                has_cl = true;
                length = significant;
            }
        } else if (iequals(name, "host")) {
            ++hosts;
            host = value;
        }
    }

    Framing out;
    if (has_te) {
        if (head.version == 10)
            return reject("Transfer-Encoding is not allowed in an HTTP/1.0 request");
        if (has_cl) return reject("Content-Length and Transfer-Encoding together");
        if (codings.empty() || !iequals(codings.back(), "chunked"))
            return reject("The final transfer coding must be chunked");
        if (codings.size() > 1)
            return reject("Unsupported transfer coding '" + std::string(codings.front()) +
                          "': only chunked is accepted");
        out.chunked = true;
    }

    if (hosts > 1) return reject("More than one Host header field");
    if (hosts == 0 && head.version >= 11) return reject("Missing Host header field");
    if (!valid_host(host)) return reject("Invalid Host header field");
    out.host = std::string(host);

    const std::string_view target = head.target;
    if (iequals(head.method, "CONNECT")) return reject("CONNECT is not served");
    if (target == "*") {
        if (head.method != "OPTIONS")
            return reject("The asterisk request target is only valid for OPTIONS");
        out.form = TargetForm::Asterisk;
        out.origin = "*";
    } else if (!target.empty() && target.front() == '/') {
        out.form = TargetForm::Origin;
        out.origin = std::string(target);
    } else if (auto sep = target.find("://");
               sep != std::string_view::npos && valid_scheme(target.substr(0, sep))) {
        auto scheme = target.substr(0, sep);
        if (!iequals(scheme, "http") && !iequals(scheme, "https"))
            return reject("Unsupported URI scheme in the request target");
        auto rest = target.substr(sep + 3);
        auto end = rest.find_first_of("/?#");
        auto authority = rest.substr(0, end);
        if (authority.empty() || authority.find('@') != std::string_view::npos ||
            !valid_host(authority))
            return reject("Invalid authority in the request target");
        auto tail = end == std::string_view::npos ? std::string_view() : rest.substr(end);
        out.form = TargetForm::Absolute;
        out.origin =
            tail.empty() || tail.front() != '/' ? "/" + std::string(tail) : std::string(tail);
        out.host = std::string(authority);  // RFC 9112 3.2.2: the authority replaces Host
    } else {
        return reject("Malformed request target");
    }
    out.accept = true;
    return out;
}

}  // namespace dnsplane::http
