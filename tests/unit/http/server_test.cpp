// Drives the real server on a free loopback port with a real TCP client.
#include "http/server.h"

#include "http/io_pool.h"

#include <gtest/gtest.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "test_client.h"

using namespace dnsplane;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using test::Client;
using test::ClientResponse;
using test::get;
using test::post;

namespace {

class ServerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        router.add("GET", "/hello", [](http::Request& r) {
            http::Response res;
            res.body = R"({"hello":"world"})";
            return res;
        });
        router.add("GET", "/echo/{name}", [](http::Request& r) {
            boost::json::object o;
            o["path"] = r.path;
            o["name"] = r.param("name");
            boost::json::array q;
            for (auto& [k, v] : r.query) q.push_back(boost::json::array{k.c_str(), v.c_str()});
            o["query"] = q;
            o["base_url"] = r.base_url;
            o["request_id"] = r.request_id;
            http::Response res;
            res.body = boost::json::serialize(o);
            return res;
        });
        router.add("POST", "/upload", [](http::Request& r) {
            http::Response res;
            res.status = 201;
            res.body = std::to_string(r.body.size());
            res.content_type = "text/plain";
            return res;
        });
        auto slow = [this](http::Request&) {
            slow_started = true;
            std::this_thread::sleep_for(400ms);
            http::Response res;
            res.body = "done";
            return res;
        };
        router.add("GET", "/slow", slow);
        router.add("POST", "/slow", slow);
        router.add("DELETE", "/hello", [](http::Request&) {
            http::Response res;
            res.status = 204;
            res.body.clear();
            return res;
        });
    }

    void start(http::ServerOptions opts = {}) {
        opts.listen = "127.0.0.1:0";
        server = std::make_unique<http::Server>(io, opts, router);
        server->start();
        for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
    }

    void stop_and_join() {
        if (server) server->stop();
        for (auto& t : threads) t.join();
        threads.clear();
    }

    void TearDown() override { stop_and_join(); }

    asio::io_context io;
    http::Router router;
    std::unique_ptr<http::Server> server;
    std::vector<std::thread> threads;
    std::atomic<bool> slow_started{false};
};

}  // namespace

TEST_F(ServerTest, AnswersWithRequestIdAndContentType) {
    start();
    ASSERT_NE(server->port(), 0);
    Client c(server->port());
    auto res = c.request(get("/hello"));
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_EQ(res.body(), R"({"hello":"world"})");
    EXPECT_EQ(res[bhttp::field::content_type], "application/json");
    EXPECT_EQ(std::string(res["X-Openstack-Request-Id"]).rfind("req-", 0), 0u);
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
    start();
    Client c(server->port());
    auto first = c.request(get("/hello"));
    auto second = c.request(get("/hello"));
    EXPECT_EQ(first.result_int(), 200u);
    EXPECT_EQ(second.result_int(), 200u);
    EXPECT_TRUE(second.keep_alive());
    EXPECT_NE(first["X-Openstack-Request-Id"], second["X-Openstack-Request-Id"]);
}

TEST_F(ServerTest, Http10ClosesAfterTheResponse) {
    start();
    Client c(server->port());
    auto res = c.request("GET /hello HTTP/1.0\r\n\r\n");
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_EQ(res.version(), 10u);
    EXPECT_TRUE(c.closed_by_server());
}

TEST_F(ServerTest, ConvertsPathQueryAndBaseUrl) {
    start();
    Client c(server->port());
    auto res = c.request(get("/echo/a%2Eb?x=1&y=hello+world&x=2"));
    ASSERT_EQ(res.result_int(), 200u);
    auto o = boost::json::parse(res.body()).as_object();
    EXPECT_EQ(o["path"].as_string(), "/echo/a%2Eb");  // raw; the parameter is decoded
    EXPECT_EQ(o["name"].as_string(), "a.b");
    EXPECT_EQ(boost::json::serialize(o["query"]), R"([["x","1"],["y","hello world"],["x","2"]])");
    EXPECT_EQ(o["base_url"].as_string(), "http://test.local:1234");
    EXPECT_EQ(o["request_id"].as_string(), res["X-Openstack-Request-Id"]);
}

TEST_F(ServerTest, NotFoundAndMethodNotAllowed) {
    start();
    Client c(server->port());
    auto missing = c.request(get("/nothing"));
    EXPECT_EQ(missing.result_int(), 404u);
    auto o = boost::json::parse(missing.body()).as_object();
    EXPECT_EQ(o["code"].as_int64(), 404);
    EXPECT_EQ(o["request_id"].as_string(), missing["X-Openstack-Request-Id"]);
    auto wrong = c.request("PUT /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    EXPECT_EQ(wrong.result_int(), 405u);
    EXPECT_EQ(wrong[bhttp::field::allow], "DELETE, GET");
}

TEST_F(ServerTest, NoContentHasNoContentType) {
    start();
    Client c(server->port());
    auto res = c.request("DELETE /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(res.result_int(), 204u);
    EXPECT_EQ(res.find(bhttp::field::content_type), res.end());
    EXPECT_NE(res.find("X-Openstack-Request-Id"), res.end());
}

TEST_F(ServerTest, BodyWithinLimitIsAccepted) {
    http::ServerOptions opts;
    opts.body_limit = 1024;
    start(opts);
    Client c(server->port());
    auto res = c.request("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\n" +
                         std::string(1024, 'a'));
    EXPECT_EQ(res.result_int(), 201u);
    EXPECT_EQ(res.body(), "1024");
    EXPECT_EQ(res[bhttp::field::content_type], "text/plain");
}

TEST_F(ServerTest, BodyOverLimitIs413AndCloses) {
    http::ServerOptions opts;
    opts.body_limit = 1024;
    start(opts);
    Client c(server->port());
    auto res = c.request("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" +
                         std::string(5000, 'a'));
    EXPECT_EQ(res.result_int(), 413u);
    auto o = boost::json::parse(res.body()).as_object();
    EXPECT_EQ(o["type"].as_string(), "request_too_large");
    EXPECT_EQ(o["code"].as_int64(), 413);
    EXPECT_FALSE(res.keep_alive());
    EXPECT_TRUE(c.closed_by_server());
}

TEST_F(ServerTest, ChunkedBodyOverLimitIs413) {
    http::ServerOptions opts;
    opts.body_limit = 100;
    start(opts);
    Client c(server->port());
    std::string chunk(200, 'b');
    auto res =
        c.request("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nc8\r\n" +
                  chunk + "\r\n0\r\n\r\n");
    EXPECT_EQ(res.result_int(), 413u);
}

TEST_F(ServerTest, ExpectContinueGetsInterimResponse) {
    start();
    Client c(server->port());
    c.send("POST /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
    auto interim = c.read();
    EXPECT_EQ(interim.result_int(), 100u);
    c.send("abc");
    auto res = c.read();
    EXPECT_EQ(res.result_int(), 201u);
    EXPECT_EQ(res.body(), "3");
}

TEST_F(ServerTest, MalformedRequestIs400) {
    start();
    Client c(server->port());
    auto res = c.request("THIS IS NOT HTTP\r\n\r\n");
    EXPECT_EQ(res.result_int(), 400u);
    auto o = boost::json::parse(res.body()).as_object();
    EXPECT_EQ(o["type"].as_string(), "bad_request");
    EXPECT_TRUE(c.closed_by_server());
}

TEST_F(ServerTest, AbsoluteFormTargetTakesHostFromItsAuthority) {
    start();
    Client c(server->port());
    auto res = c.request("GET http://elsewhere:8080/echo/x?a=1 HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(res.result_int(), 200u);
    auto o = boost::json::parse(res.body()).as_object();
    EXPECT_EQ(o["path"].as_string(), "/echo/x");
    EXPECT_EQ(o["base_url"].as_string(), "http://elsewhere:8080");
    EXPECT_EQ(boost::json::serialize(o["query"]), R"([["a","1"]])");
}

TEST_F(ServerTest, EncodedSlashInASegmentIsNotASeparator) {
    start();
    Client c(server->port());
    EXPECT_EQ(c.request(get("/echo/a%2Fb")).result_int(), 404u);
    EXPECT_EQ(c.request(get("/echo/a%00b")).result_int(), 404u);
    EXPECT_EQ(c.request(get("/hell%6F")).result_int(), 200u);  // unreserved: same segment
}

TEST_F(ServerTest, AConnectionAndItsHandlersStayOnOneConnectionThread) {
    http::IoPool pool(4);
    std::mutex mu;
    std::set<std::thread::id> seen;
    router.add("GET", "/where", [&](http::Request&) {
        std::lock_guard lock(mu);
        seen.insert(std::this_thread::get_id());
        return http::Response{};
    });
    http::ServerOptions opts;
    opts.connection_threads = &pool;
    start(opts);
    // Four connections go round robin to the four threads...
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < 4; ++i) {
        clients.push_back(std::make_unique<Client>(server->port()));
        EXPECT_EQ(clients.back()->request(get("/where")).result_int(), 200u);
    }
    EXPECT_EQ(seen.size(), 4u);
    std::set<std::thread::id> io_threads;
    for (auto& t : threads) io_threads.insert(t.get_id());
    for (auto& id : seen) EXPECT_EQ(io_threads.count(id), 0u) << "ran on an I/O thread";
    // ...and every later request of a connection runs on its thread.
    seen.clear();
    for (int i = 0; i < 5; ++i) EXPECT_EQ(clients[2]->request(get("/where")).result_int(), 200u);
    EXPECT_EQ(seen.size(), 1u);
    clients.clear();
    stop_and_join();
    pool.join();
}

TEST_F(ServerTest, AWaitingHandlerHoldsOnlyItsOwnConnectionThread) {
    http::IoPool pool(4);
    std::atomic<int> inside{0}, most{0};
    std::atomic<bool> release{false};
    router.add("POST", "/wait", [&](http::Request&) {
        int now = ++inside;
        for (int seen = most; now > seen && !most.compare_exchange_weak(seen, now);) {
        }
        while (!release) std::this_thread::sleep_for(1ms);
        --inside;
        return http::Response{};
    });
    http::ServerOptions opts;
    opts.connection_threads = &pool;
    start(opts);
    // Three connections (threads 0-2) wait in their handlers at once.
    std::vector<std::thread> clients;
    std::atomic<int> ok{0};
    std::vector<std::unique_ptr<Client>> conns;
    for (int i = 0; i < 3; ++i) conns.push_back(std::make_unique<Client>(server->port()));
    Client quick(server->port());  // the fourth connection: thread 3
    for (int i = 0; i < 3; ++i)
        clients.emplace_back([&, i] {
            if (conns[i]->request(post("/wait")).result_int() == 200) ++ok;
        });
    const auto started = std::chrono::steady_clock::now();
    while (inside < 3 && std::chrono::steady_clock::now() - started < 3s)
        std::this_thread::sleep_for(2ms);
    EXPECT_EQ(inside, 3);
    // Thread 3 answers while the other three are still held.
    EXPECT_EQ(quick.request(get("/hello")).result_int(), 200u);
    EXPECT_EQ(inside, 3);
    release = true;
    for (auto& t : clients) t.join();
    EXPECT_EQ(ok, 3);
    EXPECT_EQ(most, 3);
    conns.clear();
    stop_and_join();
    pool.join();
}

TEST_F(ServerTest, StopFinishesRequestsRunningOnConnectionThreads) {
    http::IoPool pool(4);
    http::ServerOptions opts;
    opts.connection_threads = &pool;
    start(opts);
    Client busy(server->port());
    busy.send(post("/slow"));
    while (!slow_started) std::this_thread::sleep_for(5ms);
    server->stop();
    auto res = busy.read();
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_EQ(res.body(), "done");
    stop_and_join();
    pool.join();
}

TEST_F(ServerTest, IdleConnectionTimesOut) {
    http::ServerOptions opts;
    opts.read_timeout_seconds = 1;
    start(opts);
    Client c(server->port());
    auto started = std::chrono::steady_clock::now();
    c.send("GET /hello HTTP/1.1\r\n");  // never finished
    EXPECT_TRUE(c.closed_by_server(5s));
    EXPECT_LT(std::chrono::steady_clock::now() - started, 4s);
}

TEST_F(ServerTest, PortInUseGivesClearMessage) {
    start();
    http::ServerOptions opts;
    opts.listen = "127.0.0.1:" + std::to_string(server->port());
    try {
        http::Server second(io, opts, router);
        FAIL() << "bind should fail";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "cannot listen on " + opts.listen + ": Address already in use");
    }
}

TEST_F(ServerTest, ListensOnIpv6Loopback) {
    http::ServerOptions opts;
    opts.listen = "[::1]:0";
    asio::io_context io6;
    std::unique_ptr<http::Server> s6;
    try {
        s6 = std::make_unique<http::Server>(io6, opts, router);
    } catch (const std::runtime_error& e) {
        GTEST_SKIP() << "no IPv6 loopback: " << e.what();
    }
    s6->start();
    std::thread t([&] { io6.run(); });
    asio::io_context cio;
    tcp::socket sock(cio);
    sock.connect(tcp::endpoint(asio::ip::make_address("::1"), s6->port()));
    asio::write(sock, asio::buffer(get("/hello", "Connection: close\r\n")));
    beast::flat_buffer buf;
    ClientResponse res;
    bhttp::read(sock, buf, res);
    EXPECT_EQ(res.result_int(), 200u);
    s6->stop();
    t.join();
}

TEST_F(ServerTest, StopClosesIdleConnectionsAndFinishesInFlightRequests) {
    start();
    Client idle(server->port());
    EXPECT_EQ(idle.request(get("/hello")).result_int(), 200u);

    Client busy(server->port());
    busy.send(get("/slow"));
    while (!slow_started) std::this_thread::sleep_for(5ms);
    server->stop();

    auto res = busy.read();
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_EQ(res.body(), "done");
    EXPECT_FALSE(res.keep_alive());  // stopping: the server says it will close
    EXPECT_TRUE(idle.closed_by_server());
    for (auto& t : threads) t.join();  // io runs out of work: every session ended
    threads.clear();

    asio::io_context cio;
    tcp::socket sock(cio);
    boost::system::error_code ec;
    sock.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server->port()), ec);
    EXPECT_TRUE(ec) << "acceptor should be closed";
}
