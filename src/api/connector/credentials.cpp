#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "api/connector/connector_api.h"

namespace dnsplane::connector {

namespace json = boost::json;

namespace {

core::Error bad(std::string message) {
    return core::Error(core::ErrorKind::BadRequest, "bad_request", std::move(message));
}

int sextet(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
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
    if (auto decoded = base64_decode(header); decoded && known_type(*decoded)) return *decoded;
    std::string shown = base64_decode(header).value_or(std::string(header));
    if (shown.size() > 64) shown = shown.substr(0, 64) + "...";
    throw bad("X-Plugin-Auth: unsupported secret type '" + shown +
              "' (expected Opaque or kubernetes.io/basic-auth)");
}

json::object decode_json_header(std::string_view header, const char* name) {
    auto decoded = base64_decode(header);
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
    auto decoded = base64_decode(v->as_string());
    if (!decoded) throw bad(std::string("X-Plugin-Secret: ") + key + " is not base64");
    return decoded;
}

}  // namespace

std::optional<std::string> base64_decode(std::string_view text) {
    while (!text.empty() && (text.back() == '=')) text.remove_suffix(1);
    if (text.size() % 4 == 1) return std::nullopt;
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        int v = sextet(c);
        if (v < 0) return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    // Leftover bits must be zero (canonical encoding).
    if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
    return out;
}

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
