#include "api/common/error_body.h"

#include <algorithm>
#include <cctype>

#include <boost/json.hpp>

#include "http/error_mapping.h"

namespace dnsplane::api {

namespace json = boost::json;

http::Response render_error_body(const core::Error& e, const http::Request& req) {
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
            for (const auto& element : f.path) {
                const bool numeric = !element.empty() && element.size() < 10 &&
                                     std::all_of(element.begin(), element.end(), [](char c) {
                                         return std::isdigit(static_cast<unsigned char>(c));
                                     });
                if (numeric)
                    path.push_back(json::value(std::stoll(element)));
                else
                    path.push_back(json::value(element));
            }
            list.push_back(json::object{
                {"path", std::move(path)}, {"message", f.message}, {"validator", f.validator}});
        }
        body["errors"] = json::object{{"errors", std::move(list)}};
    }
    res.body = json::serialize(body);
    return res;
}

}  // namespace dnsplane::api
