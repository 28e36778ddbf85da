// Endpoint resolution and the {"ret","msg"} error body of the platform surface.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/platform/platform_api.h"
#include "hooks/journal.h"

namespace dnsplane::platform {
namespace {

TEST(ResolveEndpoint, PathsAgainstPlatformUrl) {
    EXPECT_EQ(resolve_endpoint("http://a:1/x", ""), "http://a:1/x");
    EXPECT_EQ(resolve_endpoint("/hook", "http://p:9/base/"), "http://p:9/base/hook");
    EXPECT_EQ(resolve_endpoint("hook", "http://p:9"), "http://p:9/hook");
    EXPECT_EQ(resolve_endpoint("/hook", ""), "");
}

TEST(ErrorBody, NegativeRetAndMessage) {
    http::Request req;
    auto res = render_error(core::Error(core::ErrorKind::BadRequest, "bad_request", "why"), req);
    EXPECT_EQ(res.status, 400u);
    auto v = boost::json::parse(res.body).as_object();
    EXPECT_EQ(v["ret"], -400);
    EXPECT_EQ(v["msg"], "why");
}

TEST(RrsetsJson, GroupsByOwnerTypeTtlInOrder) {
    auto a = hooks::rrsets_json({{"a.x.", "A", 60, "192.0.2.1"},
                                 {"b.x.", "A", 60, "192.0.2.3"},
                                 {"a.x.", "A", 60, "192.0.2.2"}});
    ASSERT_EQ(a.size(), 2u);
    EXPECT_EQ(a[0].as_object().at("name"), "a.x.");
    EXPECT_EQ(a[0].as_object().at("records").as_array().size(), 2u);
    EXPECT_EQ(a[1].as_object().at("ttl"), 60);
}

}  // namespace
}  // namespace dnsplane::platform
