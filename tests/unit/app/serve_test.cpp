#include "app/serve.h"

#include <gtest/gtest.h>

using namespace dnsplane;

namespace {
http::Request request(std::string method, std::string path) {
    http::Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    return r;
}
}  // namespace

TEST(Serve, OnlyVersionDocumentsArePublic) {
    EXPECT_TRUE(app::is_public_request(request("GET", "/")));
    EXPECT_TRUE(app::is_public_request(request("GET", "/v2")));
    EXPECT_TRUE(app::is_public_request(request("GET", "/v2/")));
    EXPECT_FALSE(app::is_public_request(request("POST", "/")));
    EXPECT_FALSE(app::is_public_request(request("GET", "/v2/zones")));
    EXPECT_FALSE(app::is_public_request(request("GET", "/v2/pools")));
    EXPECT_FALSE(app::is_public_request(request("DELETE", "/v2/")));
}
