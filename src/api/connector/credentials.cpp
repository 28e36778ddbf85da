#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "api/connector/connector_api.h"
#include "common/util.h"

namespace dnsplane::connector {

namespace json = boost::json;

namespace {

core::Error bad(std::string message) {
    return core::Error(core::ErrorKind::BadRequest, "bad_request", std::move(message));
}

constexpr std::string_view kOpaque = "Opaque";
constexpr std::string_view kBasic = "kubernetes.io/basic-auth";

bool known_type(std::string_view t) {
    return t == kOpaque || t == kBasic;
}

std::string secret_type(std::string_view header) {
    // The documentation sends base64 of the type, the reference library the
    // plain type: accept both.
    if (known_type(header)) return std::string(header);
    if (auto decoded = common::base64_decode(header); decoded && known_type(*decoded))
        return *decoded;
    std::string shown = common::base64_decode(header).value_or(std::string(header));
    if (shown.size() > 64) shown = shown.substr(0, 64) + "...";
    throw bad("X-Plugin-Auth: unsupported secret type '" + shown +
              "' (expected Opaque or kubernetes.io/basic-auth)");
}

json::object decode_json_header(std::string_view header, const char* name) {
    auto decoded = common::base64_decode(header);
    if (!decoded) throw bad(std::string(name) + " is not base64");
    boost::system::error_code ec;
    auto v = json::parse(*decoded, ec);
    if (ec || !v.is_object()) throw bad(std::string(name) + " must be base64 of a JSON object");
    return v.as_object();
}

// Values of the secret's data are base64 again.
std::optional<std::string> secret_value(const json::object& data, const char* key) {
    auto* v = data.if_contains(key);
    if (!v) return std::nullopt;
    if (!v->is_string()) throw bad(std::string("X-Plugin-Secret: ") + key + " must be a string");
    auto decoded = common::base64_decode(v->as_string());
    if (!decoded) throw bad(std::string("X-Plugin-Secret: ") + key + " is not base64");
    return decoded;
}

}  // namespace

std::optional<PluginCredentials> parse_plugin_headers(const http::Request& req) {
    auto secret = req.header("X-Plugin-Secret");
    if (!secret) return std::nullopt;
    PluginCredentials out;
    auto auth = req.header("X-Plugin-Auth");
    if (!auth || auth->empty()) throw bad("X-Plugin-Auth (the secret type) is required");
    out.type = secret_type(*auth);
    auto data = decode_json_header(*secret, "X-Plugin-Secret");
    if (out.type == kOpaque) {
        auto token = secret_value(data, "token");
        if (!token || token->empty())
            throw bad("X-Plugin-Secret: an Opaque secret must carry a token");
        out.token = *token;
    } else {
        out.username = secret_value(data, "username");
        auto password = secret_value(data, "password");
        if (!out.username || out.username->empty() || !password || password->empty())
            throw bad("X-Plugin-Secret: a basic-auth secret must carry username and password");
        out.token = *password;
    }
    if (auto meta = req.header("X-Plugin-Meta")) {
        auto m = decode_json_header(*meta, "X-Plugin-Meta");
        if (auto* b = m.if_contains("baseURL")) {
            if (!b->is_string()) throw bad("X-Plugin-Meta: baseURL must be a string");
            out.base_url = std::string(b->as_string());
        }
    }
    return out;
}

}  // namespace dnsplane::connector
