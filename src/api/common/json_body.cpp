#include "api/common/json_body.h"

#include <algorithm>
#include <cctype>

#include "core/error.h"

namespace dnsplane::api {

namespace json = boost::json;

std::string media_type(std::string_view content_type) {
    auto semi = content_type.find(';');
    std::string_view media = content_type.substr(0, semi);
    while (!media.empty() && std::isspace(static_cast<unsigned char>(media.front())))
        media.remove_prefix(1);
    while (!media.empty() && std::isspace(static_cast<unsigned char>(media.back())))
        media.remove_suffix(1);
    std::string out(media);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

void require_media_type(const http::Request& req, std::string_view expected) {
    auto ct = req.header("content-type");
    if (!ct) return;
    std::string media = media_type(*ct);
    if (!media.empty() && media != expected)
        throw core::Error(core::ErrorKind::UnsupportedMedia, "unsupported_media_type",
                          "Unsupported Content-Type '" + media + "': the request body must be " +
                              std::string(expected));
}

json::value parse_json_body(const http::Request& req) {
    const bool blank = std::all_of(req.body.begin(), req.body.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c));
    });
    if (blank) throw core::bad_request("bad_request", "The request body is empty");
    json::parse_options options;
    options.max_depth = kMaxJsonDepth;
    boost::system::error_code ec;
    json::value v = json::parse(req.body, ec, {}, options);
    if (ec) throw core::bad_request("bad_request", "Malformed JSON body: " + ec.message());
    return v;
}

json::object read_json_object(const http::Request& req) {
    require_media_type(req);
    json::value v = parse_json_body(req);
    if (!v.is_object()) {
        std::string message =
            std::string("The request body must be a JSON object, not ") + json_kind_name(v);
        throw core::Error(core::ErrorKind::Invalid, "invalid_object", message,
                          {core::FieldError{{}, message, "type"}});
    }
    return std::move(v.get_object());
}

const char* json_kind_name(const json::value& v) {
    switch (v.kind()) {
        case json::kind::null:
            return "null";
        case json::kind::bool_:
            return "a boolean";
        case json::kind::int64:
        case json::kind::uint64:
            return "an integer";
        case json::kind::double_:
            return "a number";
        case json::kind::string:
            return "a string";
        case json::kind::array:
            return "a list";
        case json::kind::object:
            return "an object";
    }
    return "a value";
}

}  // namespace dnsplane::api
