// RFC 9112 framing: every rule of http/framing, table-driven, against the
// real server over a socket (raw bytes in; status, error body and whether the
// connection is closed out), including the rules Boost.Beast already
// enforces, so they keep holding.
#include "http/framing.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <thread>

#include "http/error_mapping.h"
#include "http/server.h"
#include "test_client.h"

using namespace dnsplane;
using namespace std::chrono_literals;

namespace {

struct Case {
    const char* name;
    std::string raw;
    unsigned status;  // rejected heads: 400 and the connection closes
};

const std::string kHost = "Host: x\r\n";
const std::string kPost11 = "POST /upload HTTP/1.1\r\n" + kHost;
const std::string kChunkedAbc = "3\r\nabc\r\n0\r\n\r\n";

std::vector<Case> cases() {
    return {
        // Transfer-Encoding
        {"te_chunked_http11_holds", kPost11 + "Transfer-Encoding: chunked\r\n\r\n" + kChunkedAbc,
         201},
        {"te_chunked_any_case_holds", kPost11 + "Transfer-Encoding: Chunked\r\n\r\n" + kChunkedAbc,
         201},
        {"te_on_http10",
         "POST /upload HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" + kChunkedAbc, 400},
        {"cl_then_te", kPost11 + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc", 400},
        {"te_then_cl",
         kPost11 + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n" + kChunkedAbc, 400},
        {"te_gzip_with_cl", kPost11 + "Transfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc",
         400},
        {"te_final_not_chunked", kPost11 + "Transfer-Encoding: chunked, gzip\r\n\r\n" + kChunkedAbc,
         400},
        {"te_identity", kPost11 + "Transfer-Encoding: identity\r\n\r\nabc", 400},
        {"te_unknown_coding_before_chunked",
         kPost11 + "Transfer-Encoding: gzip, chunked\r\n\r\n" + kChunkedAbc, 400},
        {"te_chunked_twice_in_a_list",
         kPost11 + "Transfer-Encoding: chunked, chunked\r\n\r\n" + kChunkedAbc, 400},
        {"te_chunked_twice_in_two_lines",
         kPost11 + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n" + kChunkedAbc,
         400},
        {"te_empty", kPost11 + "Transfer-Encoding: \r\n\r\n", 400},
        // Content-Length
        {"cl_holds", kPost11 + "Content-Length: 3\r\n\r\nabc", 201},
        {"cl_duplicate_same_value_holds",
         kPost11 + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 201},
        {"cl_list_same_value_holds", kPost11 + "Content-Length: 3, 3\r\n\r\nabc", 201},
        {"cl_duplicate_different_values",
         kPost11 + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400},
        {"cl_list_different_values", kPost11 + "Content-Length: 3, 4\r\n\r\nabcd", 400},
        {"cl_not_a_number", kPost11 + "Content-Length: abc\r\n\r\n", 400},
        {"cl_signed", kPost11 + "Content-Length: +3\r\n\r\nabc", 400},
        {"cl_negative", kPost11 + "Content-Length: -1\r\n\r\n", 400},
        {"cl_empty", kPost11 + "Content-Length: \r\n\r\n", 400},
        {"cl_too_large_a_number", kPost11 + "Content-Length: 99999999999999999999999\r\n\r\n", 400},
        // Field syntax
        {"obs_fold", "GET /hello HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n", 400},
        {"obs_fold_tab", "GET /hello HTTP/1.1\r\nHost: x\r\nX-A: a\r\n\tb\r\n\r\n", 400},
        {"blank_before_first_field", "GET /hello HTTP/1.1\r\n Host: x\r\n\r\n", 400},
        {"bare_lf_line_ends", "GET /hello HTTP/1.1\nHost: x\n\n", 400},
        // Host
        {"host_holds", "GET /hello HTTP/1.1\r\nHost: api.example:9001\r\n\r\n", 200},
        {"host_ipv6_holds", "GET /hello HTTP/1.1\r\nHost: [::1]:9001\r\n\r\n", 200},
        {"host_empty_holds", "GET /hello HTTP/1.1\r\nHost:\r\n\r\n", 200},
        {"no_host_http11", "GET /hello HTTP/1.1\r\n\r\n", 400},
        {"two_hosts_http11", "GET /hello HTTP/1.1\r\nHost: x\r\nHost: x\r\n\r\n", 400},
        {"two_hosts_different", "GET /hello HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400},
        {"no_host_http10_holds", "GET /hello HTTP/1.0\r\n\r\n", 200},
        {"two_hosts_http10", "GET /hello HTTP/1.0\r\nHost: x\r\nHost: y\r\n\r\n", 400},
        {"host_with_slash", "GET /hello HTTP/1.1\r\nHost: x/y\r\n\r\n", 400},
        {"host_with_userinfo", "GET /hello HTTP/1.1\r\nHost: u@x\r\n\r\n", 400},
        {"host_with_space", "GET /hello HTTP/1.1\r\nHost: x y\r\n\r\n", 400},
        {"host_bad_port", "GET /hello HTTP/1.1\r\nHost: x:80a\r\n\r\n", 400},
        // Request-target forms
        {"origin_form_holds", "GET /hello?x=1 HTTP/1.1\r\n" + kHost + "\r\n", 200},
        {"absolute_form", "GET http://elsewhere:8080/hello HTTP/1.1\r\n" + kHost + "\r\n", 200},
        {"absolute_form_https", "GET https://elsewhere/hello?x=1 HTTP/1.1\r\n" + kHost + "\r\n",
         200},
        {"absolute_form_other_scheme", "GET ftp://elsewhere/hello HTTP/1.1\r\n" + kHost + "\r\n",
         400},
        {"absolute_form_userinfo", "GET http://u@elsewhere/hello HTTP/1.1\r\n" + kHost + "\r\n",
         400},
        {"absolute_form_no_authority", "GET http:///hello HTTP/1.1\r\n" + kHost + "\r\n", 400},
        {"authority_form_get", "GET example.org:443 HTTP/1.1\r\n" + kHost + "\r\n", 400},
        {"authority_form_connect",
         "CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n", 400},
        {"asterisk_form_options", "OPTIONS * HTTP/1.1\r\n" + kHost + "\r\n", 204},
        {"asterisk_form_get", "GET * HTTP/1.1\r\n" + kHost + "\r\n", 400},
        {"relative_target", "GET hello HTTP/1.1\r\n" + kHost + "\r\n", 400},
        // Version
        {"http_2_0_text", "GET /hello HTTP/2.0\r\n" + kHost + "\r\n", 400},
        {"http_1_1_holds", "GET /hello HTTP/1.1\r\n" + kHost + "\r\n", 200},
    };
}

class FramingOverSocket : public ::testing::TestWithParam<Case> {
  protected:
    static void SetUpTestSuite() {
        router_ = new http::Router;
        router_->add("GET", "/hello", [](http::Request&) { return http::Response{}; });
        router_->add("POST", "/upload", [](http::Request& r) {
            http::Response res;
            res.status = r.body == "abc" || r.body == "abcd" ? 201 : 422;
            return res;
        });
        // The surface's own error body shape: rejections must use it.
        router_->set_error_renderer([](const core::Error& e, const http::Request& req) {
            http::Response res;
            res.status = http::status_for(e.kind());
            res.body = boost::json::serialize(
                boost::json::object{{"surface", "test"}, {"type", e.type()}, {"why", e.what()}});
            return res;
        });
        io_ = new boost::asio::io_context;
        http::ServerOptions opts;
        opts.listen = "127.0.0.1:0";
        opts.read_timeout_seconds = 3;
        server_ = new http::Server(*io_, opts, *router_);
        server_->start();
        thread_ = new std::thread([] { io_->run(); });
    }
    static void TearDownTestSuite() {
        server_->stop();
        thread_->join();
        delete thread_;
        delete server_;
        delete io_;
        delete router_;
    }
    static http::Router* router_;
    static boost::asio::io_context* io_;
    static http::Server* server_;
    static std::thread* thread_;
};

http::Router* FramingOverSocket::router_ = nullptr;
boost::asio::io_context* FramingOverSocket::io_ = nullptr;
http::Server* FramingOverSocket::server_ = nullptr;
std::thread* FramingOverSocket::thread_ = nullptr;

}  // namespace

TEST_P(FramingOverSocket, AnswersAndClosesAsRfc9112Says) {
    const Case& c = GetParam();
    test::Client client(server_->port());
    client.send(c.raw);
    auto res = client.read();
    EXPECT_EQ(res.result_int(), c.status) << res.body();
    if (c.status == 400) {
        auto body = boost::json::parse(res.body()).as_object();
        EXPECT_EQ(body["surface"], "test");
        EXPECT_EQ(body["type"], "bad_request");
        EXPECT_FALSE(res.keep_alive());
        EXPECT_TRUE(client.closed_by_server());
    } else if (c.raw.find("HTTP/1.0") == std::string::npos) {
        // Accepted: the connection stays usable.
        auto next = client.request("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        EXPECT_EQ(next.result_int(), 200u);
    }
}

INSTANTIATE_TEST_SUITE_P(Rfc9112, FramingOverSocket, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return std::string(info.param.name); });

// The decision itself, without a socket: what it says beyond accept/reject.
TEST(DecideFraming, AbsoluteFormGivesOriginAndHost) {
    http::RequestHead head;
    head.method = "GET";
    head.target = "http://api.example:9001?limit=2";
    head.fields = {{"Host", "ignored"}};
    auto f = http::decide_framing(head);
    ASSERT_TRUE(f.accept) << f.reason;
    EXPECT_EQ(f.form, http::TargetForm::Absolute);
    EXPECT_EQ(f.origin, "/?limit=2");
    EXPECT_EQ(f.host, "api.example:9001");
}

TEST(DecideFraming, ReasonsNameTheRule) {
    http::RequestHead head;
    head.method = "POST";
    head.target = "/";
    head.version = 10;
    head.fields = {{"Transfer-Encoding", "chunked"}};
    EXPECT_EQ(http::decide_framing(head).reason,
              "Transfer-Encoding is not allowed in an HTTP/1.0 request");
    head.version = 11;
    head.fields = {{"Host", "x"}, {"Transfer-Encoding", "chunked"}};
    auto f = http::decide_framing(head);
    EXPECT_TRUE(f.accept);
    EXPECT_TRUE(f.chunked);
    head.fields = {{"Host", "x"}, {"Content-Length", "007"}, {"Content-Length", "7"}};
    EXPECT_TRUE(http::decide_framing(head).accept);  // same length, leading zeros
}

TEST(HasObsFold, FindsContinuationLinesOnly) {
    EXPECT_FALSE(http::has_obs_fold("GET / HTTP/1.1\r\nHost: x\r\nA: b c\r\n\r\n"));
    EXPECT_TRUE(http::has_obs_fold("GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n c\r\n\r\n"));
    EXPECT_TRUE(http::has_obs_fold("GET / HTTP/1.1\r\n\tHost: x\r\n\r\n"));
}
