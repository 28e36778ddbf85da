#include "api/common/responses.h"

#include <cctype>
#include <charconv>

#include "core/error.h"

namespace dnsplane::api {

namespace json = boost::json;

http::Response json_response(unsigned status, const json::value& body) {
    http::Response res;
    res.status = status;
    res.body = json::serialize(body);
    return res;
}

void set_etag(http::Response& res, std::int64_t version) {
    res.set_header("ETag", "\"" + std::to_string(version) + "\"");
}

std::optional<std::int64_t> parse_if_match(const http::Request& req) {
    auto header = req.header("if-match");
    if (!header) return std::nullopt;
    std::string_view v = *header;
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    if (v == "*") return std::nullopt;
    auto malformed = [&] {
        return core::bad_request("bad_request", "Malformed If-Match header '" +
                                                    std::string(*header) +
                                                    "': expected \"<version>\" or *");
    };
    if (v.size() < 3 || v.front() != '"' || v.back() != '"') throw malformed();
    std::string_view digits = v.substr(1, v.size() - 2);
    std::int64_t version = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
    if (ec != std::errc() || end != digits.data() + digits.size() || version < 0) throw malformed();
    return version;
}

bool is_uuid(std::string_view id) {
    if (id.size() != 36) return false;
    for (std::size_t i = 0; i < id.size(); ++i) {
        const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash_position ? id[i] != '-' : !std::isxdigit(static_cast<unsigned char>(id[i])))
            return false;
    }
    return true;
}

void require_uuid(std::string_view id, const char* type, const char* /*message*/) {
    // Designate's answer to an id that cannot be one: 400 invalid_uuid,
    // "Invalid UUID zone_id: <id>" (designate-tempest-plugin checks it;
    // openstacksdk's find falls back to a name lookup on any client error).
    if (is_uuid(id)) return;
    std::string param(type);
    const std::string suffix = "_not_found";
    if (param.size() > suffix.size() &&
        param.compare(param.size() - suffix.size(), suffix.size(), suffix) == 0)
        param.resize(param.size() - suffix.size());
    throw core::bad_request("invalid_uuid", "Invalid UUID " + param + "_id: " + std::string(id));
}

}  // namespace dnsplane::api
