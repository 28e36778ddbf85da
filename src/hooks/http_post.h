// A small HTTP/1.1 client for extension point calls: one POST of a JSON
// body to an absolute http:// URL, with one deadline for connect + write +
// read. Never throws; failures are described in PostResult::error.
#pragma once

#include <chrono>
#include <string>

namespace dnsplane::hooks {

struct PostResult {
    bool answered = false;  // a complete HTTP response arrived in time
    unsigned status = 0;
    std::string body;
    std::string error;  // why not answered ("timeout", "connection refused", ...)
    bool ok() const { return answered && status >= 200 && status < 300; }
};

PostResult http_post(const std::string& url, const std::string& json_body,
                     std::chrono::milliseconds timeout);
// A GET (no body) with the same deadline: "does this endpoint answer?".
PostResult http_get(const std::string& url, std::chrono::milliseconds timeout);

// A kept-alive connection for a stream of POSTs (the change_committed
// sender): reconnects when the origin changes, the server closes, or a
// request fails; a request that fails on a reused connection is tried once
// more on a fresh one (delivery is at least once anyway). One thread only.
class KeepAliveClient {
  public:
    KeepAliveClient();
    ~KeepAliveClient();
    PostResult post(const std::string& url, const std::string& json_body,
                    std::chrono::milliseconds timeout);

  private:
    struct Impl;
    Impl* impl_;
};

// True for "http://host[:port]/path..." (the only scheme hooks speak).
bool is_http_url(const std::string& url);

}  // namespace dnsplane::hooks
