#include "http/error_mapping.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

using namespace dnsplane;
using K = core::ErrorKind;

TEST(ErrorMapping, EveryKindHasItsStatus) {
    const std::pair<K, unsigned> table[] = {
        {K::BadRequest, 400},   {K::Invalid, 400},
        {K::Unauthorized, 401}, {K::Forbidden, 403},
        {K::NotFound, 404},     {K::MethodNotAllowed, 405},
        {K::Conflict, 409},     {K::PreconditionFailed, 412},
        {K::TooLarge, 413},     {K::UnsupportedMedia, 415},
        {K::Internal, 500},     {K::Unavailable, 503},
    };
    for (auto [kind, status] : table) EXPECT_EQ(http::status_for(kind), status);
}

TEST(ErrorMapping, DefaultBodyCarriesCodeTypeMessageAndRequestId) {
    http::Request req;
    req.request_id = "req-1234";
    auto res = http::default_error_response(
        core::Error(K::NotFound, "zone_not_found", "Could not find Zone"), req);
    EXPECT_EQ(res.status, 404u);
    EXPECT_EQ(res.content_type, "application/json");
    auto body = boost::json::parse(res.body).as_object();
    EXPECT_EQ(body.at("code").as_int64(), 404);
    EXPECT_EQ(body.at("type").as_string(), "zone_not_found");
    EXPECT_EQ(body.at("message").as_string(), "Could not find Zone");
    EXPECT_EQ(body.at("request_id").as_string(), "req-1234");
}
