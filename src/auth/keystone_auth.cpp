#include "auth/keystone_auth.h"

#include <spdlog/spdlog.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <map>
#include <mutex>
#include <string_view>
#include <vector>

#include "auth/caller_headers.h"
#include "common/util.h"
#include "core/error.h"

namespace dnsplane::auth {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Reply {
    unsigned status = 0;
    std::string subject_token;  // X-Subject-Token
    std::string body;
};

core::Error unauthorized() {
    return core::Error(core::ErrorKind::Unauthorized, "unauthorized", "Authentication required");
}

core::Error keystone_down(const std::string& why) {
    return core::Error(core::ErrorKind::Unavailable, "service_unavailable",
                       "cannot validate the token with Keystone: " + why);
}

// One HTTP/1.1 exchange with a deadline; throws keystone_down on failure.
Reply exchange(bhttp::verb verb, const std::string& url,
               const std::vector<std::pair<std::string, std::string>>& headers,
               const std::string& body, std::chrono::milliseconds timeout) {
    auto u = boost::urls::parse_absolute_uri(url);
    if (!u || u->scheme() != "http" || u->host().empty()) throw keystone_down("not an http:// URL");
    std::string host = u->host();
    if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
    const std::string port = u->has_port() ? std::string(u->port()) : "80";
    asio::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    bhttp::request<bhttp::string_body> req{verb, std::string(u->encoded_target()), 11};
    req.set(bhttp::field::host, std::string(u->encoded_host_and_port()));
    req.set(bhttp::field::user_agent, "dnsplane-keystone");
    req.set(bhttp::field::accept, "application/json");
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    boost::system::error_code failure;
    stream.expires_after(timeout);
    resolver.async_resolve(host, port, [&](auto ec, tcp::resolver::results_type results) {
        if (ec) return void(failure = ec);
        stream.async_connect(results, [&](auto ec2, auto) {
            if (ec2) return void(failure = ec2);
            bhttp::async_write(stream, req, [&](auto ec3, std::size_t) {
                if (ec3) return void(failure = ec3);
                bhttp::async_read(stream, buffer, res, [&](auto ec4, std::size_t) {
                    if (ec4) failure = ec4;
                });
            });
        });
    });
    io.run();
    if (failure) throw keystone_down(failure.message());
    Reply out;
    out.status = res.result_int();
    if (auto it = res.find("X-Subject-Token"); it != res.end())
        out.subject_token = std::string(it->value());
    out.body = std::move(res.body());
    return out;
}

struct Validated {
    std::string project_id;
    service::Role role = service::Role::Reader;
    Clock::time_point until;  // end of the cache time
    std::string expires_at;   // the token's expiry (UTC, now_timestamp's form), "" if unknown
};

// Keystone's expires_at ("2026-01-02T03:04:05.000000Z"; a token capped by an
// application credential's expiry comes without fraction or zone) in
// common::now_timestamp()'s form, so that the two compare as strings; ""
// when it is not a UTC time in either form.
std::string utc_timestamp(std::string_view iso) {
    if (iso.ends_with('Z'))
        iso.remove_suffix(1);
    else if (iso.ends_with("+00:00"))
        iso.remove_suffix(6);
    constexpr std::string_view pattern = "dddd-dd-ddTdd:dd:dd";
    if (iso.size() < pattern.size()) return {};
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const bool digit = iso[i] >= '0' && iso[i] <= '9';
        if (pattern[i] == 'd' ? !digit : iso[i] != pattern[i]) return {};
    }
    std::string fraction(iso.substr(pattern.size()));
    if (fraction.empty()) fraction = ".";
    if (fraction[0] != '.' || fraction.size() > 7) return {};
    for (std::size_t i = 1; i < fraction.size(); ++i)
        if (fraction[i] < '0' || fraction[i] > '9') return {};
    fraction.resize(7, '0');
    return std::string(iso.substr(0, pattern.size())) + fraction;
}

class KeystoneAuth : public Authenticator {
  public:
    explicit KeystoneAuth(KeystoneOptions opts) : opts_(std::move(opts)) {
        while (!opts_.url.empty() && opts_.url.back() == '/') opts_.url.pop_back();
        if (opts_.url.size() >= 3 && opts_.url.compare(opts_.url.size() - 3, 3, "/v3") == 0)
            opts_.url.resize(opts_.url.size() - 3);
    }

    service::Caller authenticate(const http::Request& req) override {
        auto secret = req.header("x-auth-token");
        if (!secret || secret->empty()) throw unauthorized();
        const std::string key = common::sha256_hex(*secret);
        auto v = cached(key);
        if (!v) {
            v = validate(std::string(*secret));
            std::lock_guard lock(mutex_);
            if (cache_.size() > 10000) cache_.clear();
            cache_[key] = *v;
        }
        service::Caller caller;
        caller.project_id = v->project_id;
        caller.role = v->role;
        apply_admin_headers(caller, req);
        return caller;
    }

  private:
    std::optional<Validated> cached(const std::string& key) {
        std::lock_guard lock(mutex_);
        auto it = cache_.find(key);
        if (it == cache_.end()) return std::nullopt;
        // A cached answer never outlives the token itself.
        const auto& v = it->second;
        if (Clock::now() >= v.until ||
            (!v.expires_at.empty() && v.expires_at <= common::now_timestamp())) {
            cache_.erase(it);
            return std::nullopt;
        }
        return it->second;
    }

    std::string service_token(bool renew) {
        std::lock_guard lock(service_mutex_);
        if (!renew && !service_token_.empty() && Clock::now() < service_until_)
            return service_token_;
        json::object user{{"name", opts_.user},
                          {"domain", json::object{{"name", opts_.user_domain}}},
                          {"password", opts_.password}};
        json::object project{{"name", opts_.project},
                             {"domain", json::object{{"name", opts_.project_domain}}}};
        json::object password{{"user", std::move(user)}};
        json::object identity{{"methods", json::array{"password"}},
                              {"password", std::move(password)}};
        json::object auth{{"identity", std::move(identity)},
                          {"scope", json::object{{"project", std::move(project)}}}};
        json::object body{{"auth", std::move(auth)}};
        auto reply = exchange(bhttp::verb::post, opts_.url + "/v3/auth/tokens", {},
                              json::serialize(body), opts_.timeout);
        if (reply.status != 201 || reply.subject_token.empty())
            throw keystone_down("service credentials refused (HTTP " +
                                std::to_string(reply.status) + ")");
        service_token_ = reply.subject_token;
        // Renewed well before Keystone's expiry (an hour by default).
        service_until_ = Clock::now() + std::chrono::minutes(30);
        return service_token_;
    }

    Validated validate(const std::string& secret) {
        Reply reply;
        for (int attempt = 0; attempt < 2; ++attempt) {
            reply = exchange(
                bhttp::verb::get, opts_.url + "/v3/auth/tokens?nocatalog",
                {{"X-Auth-Token", service_token(attempt > 0)}, {"X-Subject-Token", secret}}, {},
                opts_.timeout);
            if (reply.status != 401) break;  // 401: our service token went stale
        }
        if (reply.status == 404 || reply.status == 401) throw unauthorized();
        if (reply.status != 200)
            throw keystone_down("token validation answered HTTP " + std::to_string(reply.status));
        Validated v;
        try {
            // The parsed document must outlive the references into it.
            const json::value doc = json::parse(reply.body);
            const auto& token = doc.at("token").as_object();
            auto project = token.if_contains("project");
            // Domain- and system-scoped tokens carry no project: dnsplane's
            // resources all belong to one.
            if (!project || !project->is_object())
                throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                                  "a token without a project cannot act on project resources");
            v.project_id = std::string(project->at("id").as_string());
            std::string roles;
            if (auto r = token.if_contains("roles"); r && r->is_array())
                for (const auto& role : r->as_array())
                    roles += std::string(role.at("name").as_string()) + ",";
            v.role = role_from_list(roles);
            if (auto e = token.if_contains("expires_at"); e && e->is_string())
                v.expires_at = utc_timestamp(std::string(e->as_string()));
        } catch (const core::Error&) {
            throw;
        } catch (const std::exception& e) {
            throw keystone_down(std::string("unreadable token body: ") + e.what());
        }
        v.until = Clock::now() + opts_.cache;
        return v;
    }

    KeystoneOptions opts_;
    std::mutex mutex_;
    std::map<std::string, Validated> cache_;
    std::mutex service_mutex_;
    std::string service_token_;
    Clock::time_point service_until_;
};

}  // namespace

std::unique_ptr<Authenticator> make_keystone_auth(KeystoneOptions opts) {
    return std::make_unique<KeystoneAuth>(std::move(opts));
}

}  // namespace dnsplane::auth
