// X-Plugin-* credential parsing and the Kubernetes Status error body.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/connector/connector_api.h"
#include "common/util.h"

namespace dnsplane::connector {
namespace {

http::Request with(std::vector<std::pair<std::string, std::string>> headers) {
    http::Request r;
    r.method = "GET";
    r.headers = std::move(headers);
    return r;
}

TEST(Base64, DecodesStrictly) {
    EXPECT_EQ(common::base64_decode("YWRtaW4="), "admin");
    EXPECT_EQ(common::base64_decode("YWRtaW4"), "admin");  // padding optional
    EXPECT_EQ(common::base64_decode("cGFzczEyMw=="), "pass123");
    EXPECT_EQ(common::base64_decode(""), "");
    EXPECT_EQ(common::base64_decode("a3ViZXJuZXRlcy5pby9iYXNpYy1hdXRo"),
              "kubernetes.io/basic-auth");
    EXPECT_EQ(common::base64_decode("!!!!"), std::nullopt);
    EXPECT_EQ(common::base64_decode("YWRtaW5"), std::nullopt);  // 7 chars: non-zero leftover bits
    EXPECT_EQ(common::base64_decode("Y"), std::nullopt);
}

TEST(PluginHeaders, SpecExampleBasicAuth) {
    auto c = parse_plugin_headers(
        with({{"x-plugin-meta", "eyJiYXNlVVJMIjoiaHR0cHM6Ly9naXRodWIuY29tIn0="},
              {"x-plugin-auth", "a3ViZXJuZXRlcy5pby9iYXNpYy1hdXRo"},
              {"x-plugin-secret",
               "eyJwYXNzd29yZCI6ImNHRnpjekV5TXc9PSIsInVzZXJuYW1lIjoiWVdSdGFXND0ifQ=="}}));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->type, "kubernetes.io/basic-auth");
    EXPECT_EQ(c->username, "admin");
    EXPECT_EQ(c->token, "pass123");
    EXPECT_EQ(c->base_url, "https://github.com");
}

TEST(PluginHeaders, PlainTypeAndNoSecret) {
    EXPECT_FALSE(parse_plugin_headers(with({})));
    // {"token":"dG9r"} -> token "tok"
    auto c = parse_plugin_headers(
        with({{"x-plugin-auth", "Opaque"}, {"x-plugin-secret", "eyJ0b2tlbiI6ImRHOXIifQ=="}}));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->token, "tok");
    EXPECT_FALSE(c->username);
}

TEST(PluginHeaders, MalformedIsBadRequest) {
    auto kind = [](std::vector<std::pair<std::string, std::string>> h) {
        try {
            parse_plugin_headers(with(std::move(h)));
        } catch (const core::Error& e) {
            return e.kind();
        }
        return core::ErrorKind::Internal;
    };
    EXPECT_EQ(kind({{"x-plugin-auth", "Opaque"}, {"x-plugin-secret", "%%"}}),
              core::ErrorKind::BadRequest);
    EXPECT_EQ(kind({{"x-plugin-auth", "kubernetes.io/ssh-auth"},
                    {"x-plugin-secret", "eyJ0b2tlbiI6ImRHOXIifQ=="}}),
              core::ErrorKind::BadRequest);
    EXPECT_EQ(kind({{"x-plugin-secret", "eyJ0b2tlbiI6ImRHOXIifQ=="}}), core::ErrorKind::BadRequest);
}

TEST(StatusBody, KubernetesShape) {
    http::Request req;
    auto res = render_error(core::Error(core::ErrorKind::Unauthorized, "unauthorized", "no"), req);
    EXPECT_EQ(res.status, 401u);
    auto v = boost::json::parse(res.body).as_object();
    EXPECT_EQ(v["kind"], "Status");
    EXPECT_EQ(v["apiVersion"], "v1");
    EXPECT_EQ(v["status"], "Failure");
    EXPECT_EQ(v["reason"], "Unauthorized");
    EXPECT_EQ(v["code"], 401);
    EXPECT_EQ(v["message"], "no");
    EXPECT_TRUE(v["details"].is_null());
}

}  // namespace
}  // namespace dnsplane::connector
