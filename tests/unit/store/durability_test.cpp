// A process killed with SIGKILL in the middle of writing loses no
// acknowledged (committed) write and leaves no half-applied transaction.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store_fixture.h"

namespace dnsplane::store::testing {
namespace {

using DurabilityTest = StoreTest;

// Child: writes zone i with a three-record set in one transaction, then
// reports i on the pipe; never returns.
[[noreturn]] void write_until_killed(const std::string& url, int ack_fd) {
    try {
        auto s = open_store(url);
        for (int i = 0;; ++i) {
            std::string n = std::to_string(i);
            auto z = make_zone("z" + n, "zone" + n + ".org.");
            auto tx = s->write();
            tx->insert_zone(z);
            tx->insert_recordset(
                make_recordset(z, "rs" + n, z.name, "A", {"192.0.2.1", "192.0.2.2", "192.0.2.3"}));
            tx->commit();
            if (::write(ack_fd, &i, sizeof i) != sizeof i) ::_exit(3);
        }
    } catch (...) {
        ::_exit(2);
    }
}

TEST_F(DurabilityTest, KillNineKeepsAcknowledgedWritesAndNoHalfTransactions) {
    store_.reset();  // the child is the only writer
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::close(fds[0]);
        write_until_killed(url(), fds[1]);
    }
    ::close(fds[1]);
    int last_ack = -1;
    while (last_ack < 40) {
        int i;
        ASSERT_EQ(::read(fds[0], &i, sizeof i), static_cast<ssize_t>(sizeof i));
        last_ack = i;
    }
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    // Drain acks written between our last read and the kill.
    int i;
    while (::read(fds[0], &i, sizeof i) == static_cast<ssize_t>(sizeof i)) last_ack = i;
    ::close(fds[0]);
    ASSERT_TRUE(WIFSIGNALED(status));

    store_ = open_store(url());
    auto r = store_->read();
    auto zones = r->all_zones();
    EXPECT_GE(static_cast<int>(zones.size()), last_ack + 1);
    for (int k = 0; k <= last_ack; ++k)
        EXPECT_TRUE(r->get_zone("z" + std::to_string(k))) << "acknowledged write " << k << " lost";
    for (const auto& z : zones) {
        auto sets = r->zone_recordsets(z.id);
        ASSERT_EQ(sets.size(), 1u) << z.id;
        EXPECT_EQ(sets[0].records.size(), 3u) << z.id;
    }
}

}  // namespace
}  // namespace dnsplane::store::testing
