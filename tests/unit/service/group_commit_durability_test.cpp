// kill -9 during group-committed writes (the service-level twin of
// tests/unit/store/durability_test.cpp): every acknowledged change set is
// present after restart, and none is half applied (each spans two zones).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <thread>

#include "edit_fixture.h"

namespace dnsplane::service::testing {
namespace {

using GroupCommitDurabilityTest = ServiceTest;

constexpr int kWriters = 8;

// Child: 8 threads apply edits "t<thread>-<i>" creating one set in each of
// the two zones; after apply returns, the id goes to the pipe. Never returns.
[[noreturn]] void write_until_killed(const std::string& url, const ServiceSettings& settings,
                                     int ack_fd) {
    try {
        auto store = store::open_store(url);
        ZoneService svc(*store, settings);
        Caller c = member_of("project-a");
        std::vector<std::thread> pool;
        for (int t = 0; t < kWriters; ++t) {
            pool.emplace_back([&, t] {
                for (int i = 0;; ++i) {
                    std::string n = "t" + std::to_string(t) + "-" + std::to_string(i);
                    svc.apply(c, edit_of({add(n + ".a.example.", "TXT", {"\"" + n + "\""}),
                                          add(n + ".b.example.", "TXT", {"\"" + n + "\""})}));
                    int ack[2] = {t, i};
                    if (::write(ack_fd, ack, sizeof ack) != sizeof ack) ::_exit(3);
                }
            });
        }
        for (auto& th : pool) th.join();
    } catch (...) {
        ::_exit(2);
    }
    ::_exit(4);
}

TEST_F(GroupCommitDurabilityTest, KillNineKeepsAcknowledgedEditsWhole) {
    settings_.quotas.recordsets_per_zone = 1000000;
    restart();
    auto a = make_zone("a.example.", owner_);
    auto b = make_zone("b.example.", owner_);
    svc_.reset();
    store_.reset();  // the child is the only writer

    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::close(fds[0]);
        write_until_killed("sqlite://" + dir_ + "/store.db", settings_, fds[1]);
    }
    ::close(fds[1]);
    std::vector<int> last(kWriters, -1);
    int acks = 0;
    while (acks < 400) {
        int ack[2];
        ASSERT_EQ(::read(fds[0], ack, sizeof ack), static_cast<ssize_t>(sizeof ack));
        last[ack[0]] = std::max(last[ack[0]], ack[1]);
        ++acks;
    }
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    int ack[2];
    while (::read(fds[0], ack, sizeof ack) == static_cast<ssize_t>(sizeof ack))
        last[ack[0]] = std::max(last[ack[0]], ack[1]);
    ::close(fds[0]);
    ASSERT_TRUE(WIFSIGNALED(status));

    store_ = store::open_store("sqlite://" + dir_ + "/store.db");
    auto txn = store_->read();
    for (int t = 0; t < kWriters; ++t)
        for (int i = 0; i <= last[t]; ++i) {
            std::string n = "t" + std::to_string(t) + "-" + std::to_string(i);
            EXPECT_TRUE(txn->find_recordset(a.id, n + ".a.example.", "TXT")) << n << " lost";
        }
    // Nothing half applied: the two zones hold the same edits; each zone's
    // change log chains from its creation to its serial (one entry per zone
    // per group commit: edits of one batch share a serial) and adds exactly
    // the names the zone holds.
    auto names = [&](const core::Zone& z, const std::string& suffix) {
        std::set<std::string> out;
        for (const auto& rs : txn->zone_recordsets(z.id))
            if (rs.type == "TXT") out.insert(rs.name.substr(0, rs.name.size() - suffix.size()));
        return out;
    };
    auto in_a = names(a, ".a.example.");
    EXPECT_EQ(in_a, names(b, ".b.example."));
    EXPECT_GE(in_a.size(), 400u);
    for (const auto& z : {a, b}) {
        auto log = txn->changes_since(z.id, 0);
        auto zone = txn->get_zone(z.id);
        ASSERT_FALSE(log.empty());
        EXPECT_EQ(log.back().new_serial, zone->serial);
        EXPECT_LE(log.size(), in_a.size() + 1);  // + the zone's creation
        std::set<std::string> logged;
        const std::string suffix = z.name == a.name ? ".a.example." : ".b.example.";
        for (std::size_t k = 1; k < log.size(); ++k) {
            EXPECT_EQ(log[k].old_serial, log[k - 1].new_serial) << "entry " << k;
            EXPECT_TRUE(log[k].removed.empty());
            for (const auto& rr : log[k].added)
                if (rr.type == "TXT")
                    EXPECT_TRUE(
                        logged.insert(rr.name.substr(0, rr.name.size() - suffix.size())).second)
                        << rr.name << " logged twice";
        }
        EXPECT_EQ(logged, in_a);
    }
}

}  // namespace
}  // namespace dnsplane::service::testing
