#include "http/beast_conversion.h"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>

#include "common/util.h"
#include "core/error.h"

namespace dnsplane::http {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Host values end up in every link the API returns: accept only the
// characters a host[:port] can contain.
bool plausible_host(std::string_view host) {
    if (host.empty() || host.size() > 255) return false;
    return std::all_of(host.begin(), host.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '[' ||
               c == ']';
    });
}

std::string base_url_for(const Request& req, const ConversionContext& ctx) {
    std::string scheme = "http";
    std::string host;
    if (ctx.trust_forwarded) {
        if (auto proto = req.header("x-forwarded-proto")) {
            auto first = lower(trim(proto->substr(0, proto->find(','))));
            if (first == "http" || first == "https") scheme = first;
        }
        if (auto fwd = req.header("x-forwarded-host")) {
            auto first = trim(fwd->substr(0, fwd->find(',')));
            if (plausible_host(first)) host = std::string(first);
        }
    }
    if (host.empty()) {
        if (auto h = req.header("host"); h && plausible_host(trim(*h)))
            host = std::string(trim(*h));
        else
            host = ctx.local_address;
    }
    return scheme + "://" + host;
}

}  // namespace

RequestHead head_of(const BeastRequest& msg, bool obs_fold) {
    RequestHead head;
    head.method = msg.method_string();
    head.target = msg.target();
    head.version = msg.version();
    head.obs_fold = obs_fold;
    for (const auto& field : msg) head.fields.emplace_back(field.name_string(), field.value());
    return head;
}

void apply_framing(BeastRequest& msg, const Framing& framing) {
    if (framing.form != TargetForm::Absolute) return;
    msg.set(boost::beast::http::field::host, framing.host);
    msg.target(framing.origin);
}

Request from_beast(BeastRequest&& msg, const ConversionContext& ctx) {
    Request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    for (const auto& field : msg)
        req.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
    req.body = std::move(msg.body());
    req.request_id = "req-" + common::new_uuid();
    req.base_url = base_url_for(req, ctx);
    return req;
}

void decode_target(Request& req) {
    auto parsed = boost::urls::parse_origin_form(req.target);
    if (!parsed) throw core::bad_request("bad_request", "Malformed request target");
    req.path = parsed->encoded_path();  // decoded per segment by the router
    if (req.path.empty()) req.path = "/";
    req.query.clear();
    for (auto param : parsed->params())  // '+' decodes to a space, as in forms
        req.query.emplace_back(param.key, param.value);
}

BeastResponse to_beast(Response&& res, const std::string& request_id, unsigned version,
                       bool keep_alive) {
    namespace bhttp = boost::beast::http;
    BeastResponse out;
    out.version(version);
    out.result(res.status);
    for (auto& [name, value] : res.headers) out.insert(name, value);
    out.set("X-Openstack-Request-Id", request_id);
    const bool bodiless = res.status == 204 || res.status == 304 || res.status < 200;
    if (bodiless)
        res.body.clear();
    else if (!res.content_type.empty())
        out.set(bhttp::field::content_type, res.content_type);
    out.set(bhttp::field::server, "dnsplane");
    out.body() = std::move(res.body);
    out.keep_alive(keep_alive);
    out.prepare_payload();
    return out;
}

}  // namespace dnsplane::http
