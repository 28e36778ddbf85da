#include "http/router.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>
#include <set>

#include "http/error_mapping.h"

namespace dnsplane::http {

namespace {

// "/v2/zones/" -> {"v2", "zones"}; "/" and "" -> {}.
std::vector<std::string> split_path(std::string_view path) {
    while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    std::vector<std::string> out;
    if (path.empty()) return out;
    std::size_t start = 0;
    for (;;) {
        auto slash = path.find('/', start);
        out.emplace_back(path.substr(start, slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return out;
}

bool is_param(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decodes one raw path segment. A segment that decodes to a '/' or a
// NUL names nothing any route can serve: 404, the same answer as an unknown
// id, and never the route the unescaped path would reach.
std::string decode_segment(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '%') {
            out += raw[i];
            continue;
        }
        int hi = i + 2 < raw.size() ? hex_value(raw[i + 1]) : -1;
        int lo = hi >= 0 ? hex_value(raw[i + 2]) : -1;
        if (lo < 0)
            throw core::bad_request("bad_request", "Malformed percent-encoding in the path");
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    if (out.find('/') != std::string::npos || out.find('\0') != std::string::npos)
        throw core::Error(core::ErrorKind::NotFound, "not_found", "Not Found");
    return out;
}

// Raw path -> decoded segments (split before decoding).
std::vector<std::string> decoded_segments(std::string_view raw_path) {
    auto segments = split_path(raw_path);
    for (auto& s : segments) s = decode_segment(s);
    return segments;
}

// Matches one route's segments against the path; on success fills `params`
// and returns a score where literal segments early in the path weigh most,
// so "/v2/zones/tasks" beats "/v2/zones/{zone_id}".
std::optional<std::uint64_t> match(const std::vector<std::string>& pattern,
                                   const std::vector<std::string>& path,
                                   std::map<std::string, std::string>& params) {
    if (pattern.size() != path.size()) return std::nullopt;
    std::uint64_t score = 0;
    std::map<std::string, std::string> found;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        score <<= 1;
        if (is_param(pattern[i])) {
            if (path[i].empty()) return std::nullopt;
            found[pattern[i].substr(1, pattern[i].size() - 2)] = path[i];
        } else if (pattern[i] == path[i]) {
            score |= 1;
        } else {
            return std::nullopt;
        }
    }
    params = std::move(found);
    return score;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += sep;
        out += item;
    }
    return out;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler h) {
    routes_.push_back(Route{std::move(method), split_path(pattern), std::move(h)});
}

Response Router::dispatch(Request& req) const {
    const auto path = decoded_segments(req.route_path());
    const Route* best = nullptr;
    std::uint64_t best_score = 0;
    std::map<std::string, std::string> best_params;
    bool path_known = false;
    for (const auto& route : routes_) {
        std::map<std::string, std::string> params;
        auto score = match(route.segments, path, params);
        if (!score) continue;
        path_known = true;
        if (route.method != req.method) continue;
        if (!best || *score > best_score) {
            best = &route;
            best_score = *score;
            best_params = std::move(params);
        }
    }
    if (!best) {
        if (path_known)
            throw core::Error(core::ErrorKind::MethodNotAllowed, "method_not_allowed",
                              "Method Not Allowed");
        throw core::Error(core::ErrorKind::NotFound, "not_found", "Not Found");
    }
    req.params = std::move(best_params);
    return best->handler(req);
}

std::vector<std::string> Router::allowed_methods(std::string_view path) const {
    std::vector<std::string> segments;
    try {
        segments = decoded_segments(path);
    } catch (const core::Error&) {
        return {};
    }
    std::set<std::string> methods;
    for (const auto& route : routes_) {
        std::map<std::string, std::string> ignored;
        if (match(route.segments, segments, ignored)) methods.insert(route.method);
    }
    return {methods.begin(), methods.end()};
}

Response Router::render_error(const core::Error& e, const Request& req) const {
    if (render_) {
        try {
            return render_(e, req);
        } catch (const std::exception& ex) {
            spdlog::error("error renderer failed request_id={}: {}", req.request_id, ex.what());
        }
    }
    return default_error_response(e, req);
}

Response Router::handle(Request& req) const {
    try {
        for (const auto& m : middleware_) m(req);
        return dispatch(req);
    } catch (const core::Error& e) {
        Response res = render_error(e, req);
        if (e.kind() == core::ErrorKind::MethodNotAllowed)
            res.set_header("Allow", join(allowed_methods(req.route_path()), ", "));
        return res;
    } catch (const std::exception& e) {
        // The detail goes to the log only; clients get a generic message.
        spdlog::error("unhandled exception request_id={} method={} path={}: {}", req.request_id,
                      req.method, req.path, e.what());
    } catch (...) {
        spdlog::error("unhandled non-standard exception request_id={}", req.request_id);
    }
    return render_error(
        core::Error(core::ErrorKind::Internal, "internal", "An unexpected error occurred"), req);
}

}  // namespace dnsplane::http
