// The one place that renders a Designate error body.
#include <algorithm>
#include <cctype>

#include <boost/json.hpp>

#include "api/designate/designate_api.h"
#include "http/error_mapping.h"

namespace dnsplane::designate {

namespace json = boost::json;

namespace {

// FieldError paths store indexes as decimal strings; Designate shows them as numbers.
json::value path_element(const std::string& element) {
    const bool numeric = !element.empty() && element.size() < 10 &&
                         std::all_of(element.begin(), element.end(), [](char c) {
                             return std::isdigit(static_cast<unsigned char>(c));
                         });
    if (numeric) return json::value(std::stoll(element));
    return json::value(element);
}

}  // namespace

http::Response render_error(const core::Error& e, const http::Request& req) {
    http::Response res;
    res.status = http::status_for(e.kind());
    json::object body;
    body["code"] = res.status;
    body["type"] = e.type();
    body["message"] = e.what();
    body["request_id"] = req.request_id;
    if (!e.fields().empty()) {
        json::array list;
        for (const auto& f : e.fields()) {
            json::array path;
            for (const auto& element : f.path) path.push_back(path_element(element));
            list.push_back(json::object{
                {"path", std::move(path)}, {"message", f.message}, {"validator", f.validator}});
        }
        body["errors"] = json::object{{"errors", std::move(list)}};
    }
    res.body = json::serialize(body);
    res.set_header("Vary", "Accept");
    return res;
}

}  // namespace dnsplane::designate
