// Change publication: sinks hear every commit once, in commit order, even
// with concurrent writers; the change log matches what sinks heard.
#include <mutex>
#include <stdexcept>
#include <thread>

#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

class FailingSink : public ChangeSink {
  public:
    void on_commit(const core::ZoneChange&) override { throw std::runtime_error("sink down"); }
};

TEST_F(ServiceTest, ConcurrentWritersPublishInSerialOrder) {
    auto z = make_zone("example.org.", owner_);
    sink_.changes.clear();
    auto writer = [&](const std::string& prefix) {
        for (int i = 0; i < 10; ++i)
            make_rs(z, prefix + std::to_string(i) + ".example.org.", "A", {"192.0.2.1"});
    };
    std::thread t1(writer, "a");
    std::thread t2(writer, "b");
    t1.join();
    t2.join();

    // One change per zone per commit (two writers' creates may share one),
    // serials consecutive in publication order.
    const std::size_t n = sink_.changes.size();
    ASSERT_GE(n, 1u);
    ASSERT_LE(n, 20u);
    std::size_t added = 0;
    for (std::size_t i = 0; i < n; ++i) {
        EXPECT_EQ(sink_.changes[i].old_serial, z.serial + i);
        EXPECT_EQ(sink_.changes[i].new_serial, z.serial + i + 1);
        added += sink_.changes[i].added.size();
    }
    EXPECT_EQ(added, 20u);
    EXPECT_EQ(stored_zone(z.id).serial, z.serial + n);

    auto log = change_log(z);
    ASSERT_EQ(log.size(), n + 1);  // the zone's creation and one entry per commit
    for (std::size_t i = 1; i < log.size(); ++i) {
        EXPECT_EQ(log[i].new_serial, sink_.changes[i - 1].new_serial);
        EXPECT_EQ(log[i].added, sink_.changes[i - 1].added);
    }
}

TEST_F(ServiceTest, EverySinkHearsACommitEvenIfOneFails) {
    FailingSink failing;
    RecordingSink second;
    svc().add_sink(&failing);
    svc().add_sink(&second);
    ZoneCreate in;
    in.name = "example.org.";
    in.email = "a@example.org";
    EXPECT_THROW(svc().create_zone(owner_, in), std::runtime_error);
    // Committed regardless, and both recording sinks heard it.
    EXPECT_EQ(svc().list_zones(owner_, {}).total_count, 1u);
    EXPECT_EQ(sink_.changes.size(), 1u);
    EXPECT_EQ(second.changes.size(), 1u);
}

TEST_F(ServiceTest, RejectedWritesPublishNothing) {
    auto z = make_zone("example.org.", owner_);
    make_rs(z, "www.example.org.", "A", {"192.0.2.1"});
    auto published = sink_.changes.size();
    auto log_size = change_log(z).size();
    EXPECT_REJECTED(make_rs(z, "www.example.org.", "A", {"192.0.2.2"}), Conflict,
                    "duplicate_recordset");
    EXPECT_EQ(sink_.changes.size(), published);
    EXPECT_EQ(change_log(z).size(), log_size);
}

}  // namespace
}  // namespace dnsplane::service::testing
