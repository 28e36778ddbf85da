// libFuzzer target for the HTTP request path up to the handler: Beast's
// parser on the raw bytes, the RFC 9112 framing decision (http/framing),
// target decoding, mount selection and routing with per-segment decoding
// (http/router) on a Designate-shaped route table, two surfaces by prefix.
// Besides the sanitizers, it checks the invariants the server relies on:
// an accepted head has a known body framing and a Host rule satisfied; a
// routed request never has a parameter holding '/' or NUL; Router::handle
// never throws and answers a status the error mapping knows.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>

#include <cstdlib>
#include <string_view>

#include "http/beast_conversion.h"
#include "http/framing.h"
#include "http/surface.h"

namespace {

using namespace dnsplane;
namespace bhttp = boost::beast::http;

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
}

http::Response check_params(http::Request& req) {
    for (const auto& [name, value] : req.params)
        if (value.find('/') != std::string::npos || value.find('\0') != std::string::npos)
            fail("a route parameter holds '/' or NUL");
    http::Response res;
    res.body = req.path;
    return res;
}

struct Surfaces {
    http::Surface designate, hooks;
    std::vector<http::Mount> mounts;
    Surfaces() {
        for (const char* p :
             {"/", "/v2", "/v2/zones", "/v2/zones/{zone_id}", "/v2/zones/{zone_id}/recordsets",
              "/v2/zones/{zone_id}/recordsets/{recordset_id}", "/v2/recordsets/{recordset_id}",
              "/v2/pools/{pool_id}", "/v2/zones/tasks"})
            for (const char* m : {"GET", "POST", "PUT", "PATCH", "DELETE"})
                designate.router.add(m, p, check_params);
        designate.router.use([](http::Request& r) {
            if (r.header("x-deny")) throw core::Error(core::ErrorKind::Unauthorized, "u", "no");
        });
        hooks.router.add("POST", "/events/{id}", check_params);
        mounts = {http::mount("/", designate), http::mount("/hooks/v1", hooks)};
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Surfaces surfaces;
    const std::string_view in(reinterpret_cast<const char*>(data), size);

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(64 * 1024);
    parser.eager(true);
    boost::system::error_code ec;
    std::size_t used = 0;
    while (!ec && !parser.is_done() && used < in.size()) {
        std::size_t n = parser.put(boost::asio::buffer(in.data() + used, in.size() - used), ec);
        if (ec == bhttp::error::need_more) {
            ec = {};
            if (n == 0) break;
        }
        used += n;
    }
    if (ec || !parser.is_header_done()) return 0;

    const auto end = http::request_head_end(in);
    const bool obs_fold =
        http::has_obs_fold(in.substr(0, end == std::string_view::npos ? in.size() : end));
    const http::Framing framing = http::decide_framing(http::head_of(parser.get(), obs_fold));
    if (!framing.accept) {
        if (framing.reason.empty()) fail("a rejection without a reason");
        return 0;
    }
    if (parser.get().version() != 10 && parser.get().count(bhttp::field::host) != 1)
        fail("accepted an HTTP/1.1 head without exactly one Host");
    if (framing.chunked && parser.get().version() == 10) fail("accepted chunked on HTTP/1.0");
    if (parser.get().count(bhttp::field::transfer_encoding) &&
        parser.get().count(bhttp::field::content_length))
        fail("accepted Content-Length with Transfer-Encoding");

    auto msg = parser.release();
    http::apply_framing(msg, framing);
    http::Request req = http::from_beast(std::move(msg), {false, "127.0.0.1:9001"});
    if (framing.form == http::TargetForm::Asterisk) return 0;
    try {
        http::decode_target(req);
    } catch (const core::Error&) {
        return 0;
    }
    const http::Mount* m = http::select_mount(surfaces.mounts, req.path);
    if (!m) return 0;
    req.mount_length = http::mount_length(*m);
    http::Response res = m->router->handle(req);  // never throws
    if (res.status < 200 || res.status > 599) fail("status out of range");
    return 0;
}
