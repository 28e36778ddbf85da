// Builds http::Request values the way the server would (path/query split,
// lower-cased header names) for tests that call handlers or the router directly.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "http/message.h"

namespace dnsplane::designate::testing {

inline std::string percent_decode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
            i += 2;
        } else if (s[i] == '+') {
            out.push_back(' ');
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

inline http::Request make_request(std::string method, std::string target, std::string body = {},
                                  std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request req;
    req.method = std::move(method);
    req.target = target;
    auto q = target.find('?');
    req.path = percent_decode(target.substr(0, q));
    if (q != std::string::npos) {
        std::string query = target.substr(q + 1);
        std::size_t start = 0;
        while (start <= query.size()) {
            auto amp = query.find('&', start);
            std::string part = query.substr(start, amp - start);
            if (!part.empty()) {
                auto eq = part.find('=');
                std::string key = percent_decode(part.substr(0, eq));
                std::string value =
                    eq == std::string::npos ? std::string() : percent_decode(part.substr(eq + 1));
                req.query.emplace_back(key, value);
            }
            if (amp == std::string::npos) break;
            start = amp + 1;
        }
    }
    for (auto& [k, v] : headers) {
        std::string lower = k;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        req.headers.emplace_back(lower, v);
    }
    if (!body.empty()) req.headers.emplace_back("content-type", "application/json");
    req.body = std::move(body);
    req.request_id = "req-00000000-0000-4000-8000-000000000000";
    req.base_url = "http://dns.test:9001";
    return req;
}

}  // namespace dnsplane::designate::testing
