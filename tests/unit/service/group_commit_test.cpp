// Concurrent writers: group commit (shared transactions and commits), no
// lost update with and without versions, serials strictly increasing, and
// the published changes replayed over the start state equal the store.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include "edit_fixture.h"
#include "service/group_commit.h"
#include "service/zone_change.h"

namespace dnsplane::service::testing {
namespace {

using RR = std::tuple<std::string, std::string, std::uint32_t, std::string>;

std::set<RR> as_set(const std::vector<core::ResourceRecord>& rrs) {
    std::set<RR> out;
    for (const auto& r : rrs) out.emplace(r.name, r.type, r.ttl, r.data);
    return out;
}

// A sink safe to call from whichever thread leads the commit.
class LockedSink : public ChangeSink {
  public:
    void on_commit(const core::ZoneChange& change) override {
        std::lock_guard lock(mutex);
        changes.push_back(change);
    }
    std::mutex mutex;
    std::vector<core::ZoneChange> changes;
};

constexpr int kThreads = 16;
constexpr int kPerThread = 25;

// Holds the first publication until every writer is queued behind it, so
// that the next commit is one batch of all of them.
class GateSink : public ChangeSink {
  public:
    void on_commit(const core::ZoneChange&) override {
        std::unique_lock lock(mutex);
        if (first) {
            first = false;
            entered = true;
            cv.wait(lock, [&] { return arrived == expected; });
            lock.unlock();
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    std::mutex mutex;
    std::condition_variable cv;
    bool first = true;
    std::atomic<bool> entered{false};
    int arrived = 0;
    int expected = 0;
};

class GroupCommitTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        settings_.quotas.recordsets_per_zone = 100000;
        settings_.quotas.records_per_recordset = 100000;
        restart();
        svc().add_sink(&locked_);
        zone_ = make_zone("a.example.", owner_);
        start_ = zone_rrs(zone_);
        start_serial_ = stored_zone(zone_.id).serial;
        locked_.changes.clear();
    }

    std::set<RR> zone_rrs(const core::Zone& z) {
        auto txn = store_->read();
        auto zone = txn->get_zone(z.id);
        return as_set(resource_records(txn->zone_recordsets(z.id), zone->ttl));
    }

    // Serials move by one per change, in publication order; replaying the
    // published changes over the start state gives the store's state.
    void expect_changes_replay_to_store() {
        std::set<RR> state = start_;
        std::uint32_t serial = start_serial_;
        for (const auto& c : locked_.changes) {
            ASSERT_EQ(c.zone_id, zone_.id);
            EXPECT_EQ(c.old_serial, serial);
            EXPECT_EQ(c.new_serial, serial + 1);
            ASSERT_TRUE(c.zone);
            EXPECT_EQ(c.zone->serial, c.new_serial);
            serial = c.new_serial;
            for (const auto& r : c.removed) state.erase({r.name, r.type, r.ttl, r.data});
            for (const auto& r : c.added) state.emplace(r.name, r.type, r.ttl, r.data);
        }
        EXPECT_EQ(serial, stored_zone(zone_.id).serial);
        EXPECT_EQ(state, zone_rrs(zone_));
    }

    template <class Fn>
    void run_threads(int threads, Fn fn) {
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t) pool.emplace_back(fn, t);
        for (auto& th : pool) th.join();
    }

    // Runs write(t) on kThreads threads queued behind an opener whose
    // publication the gate holds, so that their commits form (nearly) one
    // batch.
    template <class Fn>
    void run_held_batch(Fn write) {
        gate_.expected = kThreads;
        svc().add_sink(&gate_);
        std::thread opener([&] {
            svc().apply(owner_, edit_of({create("opener.a.example.", "A", {"192.0.2.1"})}));
        });
        while (!gate_.entered) std::this_thread::yield();  // the opener leads and is held
        run_threads(kThreads, [&](int t) {
            {
                std::lock_guard lock(gate_.mutex);
                ++gate_.arrived;
            }
            gate_.cv.notify_all();
            write(t);
        });
        opener.join();
    }

    LockedSink locked_;
    GateSink gate_;
    core::Zone zone_;
    std::set<RR> start_;
    std::uint32_t start_serial_ = 0;
};

std::string ip(int t, int i) {
    return "10.0." + std::to_string(t) + "." + std::to_string(i + 1);
}

TEST_F(GroupCommitTest, ManyWritersOnOneSetWithoutVersionsLoseNothing) {
    auto before = svc().commit_stats();
    run_threads(kThreads, [&](int t) {
        for (int i = 0; i < kPerThread; ++i)
            svc().apply(owner_, edit_of({add("www.a.example.", "A", {ip(t, i)})}));
    });
    auto rs = stored_set(zone_, "www.a.example.", "A");
    EXPECT_EQ(rs.records.size(), static_cast<std::size_t>(kThreads * kPerThread));
    expect_changes_replay_to_store();
    auto after = svc().commit_stats();
    auto edits = after.requests - before.requests;
    auto commits = after.commits - before.commits;
    EXPECT_EQ(edits, static_cast<std::uint64_t>(kThreads * kPerThread));
    EXPECT_LT(commits, edits) << "no batch formed";
    // One serial and one published change per zone per batch: the edits of
    // a batch joined the first one's change.
    EXPECT_EQ(locked_.changes.size(), commits);
    std::printf("[ info ] %llu edits in %llu commits\n", (unsigned long long)edits,
                (unsigned long long)commits);
}

TEST_F(GroupCommitTest, ManyWritersOnOneSetWithVersionsLoseNothing) {
    svc().apply(owner_, edit_of({create("counter.a.example.", "TXT", {"\"0\""})}));
    start_ = zone_rrs(zone_);
    start_serial_ = stored_zone(zone_.id).serial;
    locked_.changes.clear();
    std::atomic<int> conflicts{0};
    run_threads(kThreads, [&](int) {
        for (int i = 0; i < 10; ++i) {
            for (;;) {
                auto rs = stored_set(zone_, "counter.a.example.", "TXT");
                int n = std::stoi(rs.records[0].data.substr(1));
                auto e = edit_of(
                    {replace("counter.a.example.", "TXT", {"\"" + std::to_string(n + 1) + "\""})},
                    {prereq(PrerequisiteKind::SetVersion, "counter.a.example.", "TXT", {},
                            rs.version)});
                try {
                    svc().apply(owner_, e);
                    break;
                } catch (const core::Error& err) {
                    ASSERT_EQ(err.type(), "precondition_failed") << err.what();
                    ++conflicts;
                }
            }
        }
    });
    auto rs = stored_set(zone_, "counter.a.example.", "TXT");
    EXPECT_EQ(values(rs), std::vector<std::string>{"\"" + std::to_string(kThreads * 10) + "\""});
    EXPECT_EQ(rs.version, 1 + kThreads * 10);
    expect_changes_replay_to_store();
    std::printf("[ info ] %d version conflicts retried\n", conflicts.load());
}

TEST_F(GroupCommitTest, ManyWritersOnOneZone) {
    run_threads(kThreads, [&](int t) {
        for (int i = 0; i < kPerThread; ++i) {
            std::string name = "h" + std::to_string(t) + "-" + std::to_string(i) + ".a.example.";
            svc().apply(owner_, edit_of({create(name, "A", {ip(t, i)}),
                                         add("shared.a.example.", "TXT", {"\"" + name + "\""})}));
            if (i % 5 == 4) svc().apply(owner_, edit_of({delete_set(name, "A")}));
        }
    });
    EXPECT_EQ(store_->read()->count_recordsets(zone_.id),
              static_cast<std::size_t>(2 + 1 + kThreads * (kPerThread - kPerThread / 5)));
    EXPECT_EQ(stored_set(zone_, "shared.a.example.", "TXT").records.size(),
              static_cast<std::size_t>(kThreads * kPerThread));
    expect_changes_replay_to_store();
}

TEST_F(GroupCommitTest, AFailingRequestInABatchFailsAlone) {
    svc().apply(owner_, edit_of({create("taken.a.example.", "A", {"192.0.2.1"})}));
    auto before = svc().commit_stats();
    std::vector<std::string> errors(kThreads);
    run_held_batch([&](int t) {
        // Odd threads collide with an existing set.
        std::string name = t % 2 ? "taken.a.example." : "w" + std::to_string(t) + ".a.example.";
        try {
            svc().apply(owner_, edit_of({create(name, "A", {ip(t, 0)})}));
        } catch (const core::Error& e) {
            errors[t] = e.type();
        }
    });
    for (int t = 0; t < kThreads; ++t) {
        if (t % 2) {
            EXPECT_EQ(errors[t], "duplicate_recordset");
        } else {
            EXPECT_EQ(errors[t], "");
            stored_set(zone_, "w" + std::to_string(t) + ".a.example.", "A");
        }
    }
    EXPECT_EQ(values(stored_set(zone_, "taken.a.example.", "A")),
              std::vector<std::string>{"192.0.2.1"});
    auto after = svc().commit_stats();
    EXPECT_EQ(after.requests - before.requests, static_cast<std::uint64_t>(kThreads + 1));
    EXPECT_LT(after.commits - before.commits, 4u);  // opener + (nearly) one batch
    expect_changes_replay_to_store();
}

// Vetoes, inside the transaction, every change that adds a name starting
// with "veto" (after the request's work has run, so after it joined).
class VetoHook : public CommitHook {
  public:
    void before_commit(store::WriteTxn&, const std::vector<core::ZoneChange>& changes) override {
        for (const auto& c : changes)
            for (const auto& rr : c.added)
                if (rr.name.rfind("veto", 0) == 0)
                    throw core::invalid("vetoed by the test hook", {"name"});
    }
};

TEST_F(GroupCommitTest, RequestsOfABatchShareOneSerialAndAFailedJoinLeavesNoTrace) {
    VetoHook veto;
    svc().set_commit_hook(&veto);
    std::vector<std::string> errors(kThreads);
    run_held_batch([&](int t) {
        // Every third thread's edit is vetoed after it ran (and joined).
        std::string name = (t % 3 == 1 ? "veto" : "w") + std::to_string(t) + ".a.example.";
        try {
            svc().apply(owner_, edit_of({create(name, "A", {ip(t, 0)}),
                                         add("shared.a.example.", "TXT", {"\"" + name + "\""})}));
        } catch (const core::Error& e) {
            errors[t] = e.type();
        }
    });
    auto txn = store_->read();
    for (int t = 0; t < kThreads; ++t) {
        const bool vetoed = t % 3 == 1;
        EXPECT_EQ(errors[t], vetoed ? "invalid_object" : "") << t;
        std::string name = (vetoed ? "veto" : "w") + std::to_string(t) + ".a.example.";
        EXPECT_EQ(txn->find_recordset(zone_.id, name, "A").has_value(), !vetoed) << name;
    }
    // The held-back writers committed in (nearly) one batch, under fewer
    // serials than edits; the published changes and the change log both
    // lead from the start state to the store's state.
    expect_changes_replay_to_store();
    EXPECT_LT(locked_.changes.size(), static_cast<std::size_t>(kThreads));
    auto log = txn->changes_since(zone_.id, start_serial_);
    ASSERT_FALSE(log.empty());
    std::set<RR> state = start_;
    std::uint32_t serial = start_serial_;
    for (const auto& c : log) {
        EXPECT_EQ(c.old_serial, serial);
        serial = c.new_serial;
        for (const auto& r : c.removed) EXPECT_EQ(state.erase({r.name, r.type, r.ttl, r.data}), 1u);
        for (const auto& r : c.added)
            EXPECT_TRUE(state.emplace(r.name, r.type, r.ttl, r.data).second);
    }
    EXPECT_EQ(serial, stored_zone(zone_.id).serial);
    EXPECT_EQ(state, zone_rrs(zone_));
    EXPECT_EQ(log.size(), locked_.changes.size());
}

// Records what a CommitHook sees per request and per batch.
class RecordingHook : public CommitHook {
  public:
    void before_commit(store::WriteTxn&, const std::vector<core::ZoneChange>& changes) override {
        per_request += changes.size();
    }
    void before_batch_commit(store::WriteTxn&,
                             const std::vector<core::ZoneChange>& changes) override {
        batches.push_back(changes);
    }
    std::size_t per_request = 0;
    std::vector<std::vector<core::ZoneChange>> batches;  // leader thread only
};

TEST_F(GroupCommitTest, TheBatchHookGetsOneComposedChangePerZoneAndSerial) {
    RecordingHook hook;
    svc().set_commit_hook(&hook);
    run_held_batch([&](int t) {
        svc().apply(owner_,
                    edit_of({create("b" + std::to_string(t) + ".a.example.", "A", {ip(t, 0)})}));
    });
    EXPECT_EQ(hook.per_request, static_cast<std::size_t>(kThreads + 1));
    // Every batch hook call: one change per zone and serial, exactly what the
    // sinks got, in the same order.
    std::vector<core::ZoneChange> hooked;
    std::set<std::uint32_t> serials;
    for (const auto& b : hook.batches)
        for (const auto& c : b) {
            EXPECT_TRUE(serials.insert(c.new_serial).second) << "serial " << c.new_serial;
            hooked.push_back(c);
        }
    ASSERT_EQ(hooked.size(), locked_.changes.size());
    for (std::size_t i = 0; i < hooked.size(); ++i) {
        EXPECT_EQ(hooked[i].new_serial, locked_.changes[i].new_serial);
        EXPECT_EQ(as_set(hooked[i].added), as_set(locked_.changes[i].added));
    }
    EXPECT_LT(hooked.size(), static_cast<std::size_t>(kThreads));  // the held writers joined
    std::size_t added = 0;
    for (const auto& c : hooked) added += c.added.size();
    EXPECT_EQ(added, static_cast<std::size_t>(kThreads + 1));
    expect_changes_replay_to_store();
}

TEST_F(GroupCommitTest, ZoneWritesShareTheCommitPath) {
    auto before = svc().commit_stats();
    run_threads(8, [&](int t) {
        auto z = make_zone("z" + std::to_string(t) + ".example.", owner_);
        ZoneUpdate u;
        u.description = "zone " + std::to_string(t);
        svc().update_zone(owner_, z.id, u);
        svc().delete_zone(owner_, z.id);
    });
    auto after = svc().commit_stats();
    EXPECT_EQ(after.requests - before.requests, 24u);
    for (const auto& c : locked_.changes) {
        if (c.zone_deleted) {
            EXPECT_FALSE(c.zone);
            EXPECT_TRUE(c.soa_data.empty());
        } else {
            ASSERT_TRUE(c.zone);
            EXPECT_EQ(c.zone->serial, c.new_serial);
            EXPECT_NE(c.soa_data.find(" " + std::to_string(c.new_serial) + " "), std::string::npos);
        }
    }
}

// Records the names each write transaction was opened to read ahead.
class ReadAheadRecorder : public store::Store {
  public:
    explicit ReadAheadRecorder(store::Store& inner) : inner_(inner) {}
    std::unique_ptr<store::ReadTxn> read() override { return inner_.read(); }
    std::unique_ptr<store::WriteTxn> write() override { return inner_.write(); }
    std::unique_ptr<store::WriteTxn> write_reading(const std::vector<ReadAhead>& ahead) override {
        {
            std::lock_guard lock(mutex);
            opened.push_back(ahead);
        }
        return inner_.write_reading(ahead);
    }
    std::mutex mutex;
    std::vector<std::vector<ReadAhead>> opened;

  private:
    store::Store& inner_;
};

std::map<std::string, std::vector<std::string>> by_zone(
    const std::vector<store::Store::ReadAhead>& ahead) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& a : ahead) {
        EXPECT_FALSE(out.count(a.zone_id)) << "one entry per zone";
        out[a.zone_id] = a.names;
        std::sort(out[a.zone_id].begin(), out[a.zone_id].end());
    }
    return out;
}

using GroupCommitReadAheadTest = ServiceTest;

// The transaction of a batch is opened with the names its queued requests
// will read (PostgreSQL reads them in the round trip that takes the write
// lock): the requests waiting behind a held batch open the next one with
// all their names, per zone, each once.
TEST_F(GroupCommitReadAheadTest, ABatchIsOpenedWithTheNamesOfTheRequestsQueuedForIt) {
    ReadAheadRecorder recorder(*store_);
    std::vector<ChangeSink*> sinks;
    GroupCommitter committer(recorder, sinks);
    std::mutex m;
    std::condition_variable cv;
    bool entered = false;
    bool released = false;
    GroupCommitter::Work hold = [&](store::WriteTxn&) {
        std::unique_lock lock(m);
        entered = true;
        cv.notify_all();
        cv.wait(lock, [&] { return released; });
        return std::vector<core::ZoneChange>{};
    };
    GroupCommitter::Work nothing = [](store::WriteTxn&) { return std::vector<core::ZoneChange>{}; };
    std::thread first([&] { committer.run(hold, {{"z1", "first.z1."}}); });
    {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return entered; });
    }
    std::vector<std::thread> waiting;
    for (int i = 0; i < 4; ++i)
        waiting.emplace_back([&, i] {
            std::vector<GroupCommitter::NameHint> hints{{"z1", "n" + std::to_string(i) + ".z1."},
                                                        {"z1", "shared.z1."}};
            if (i == 0) hints.push_back({"z2", "m.z2."});
            committer.run(nothing, hints);
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // all four queued
    {
        std::lock_guard lock(m);
        released = true;
    }
    cv.notify_all();
    first.join();
    for (auto& t : waiting) t.join();
    ASSERT_EQ(recorder.opened.size(), 2u);
    using Names = std::vector<std::string>;
    EXPECT_EQ(by_zone(recorder.opened[0]), (std::map<std::string, Names>{{"z1", {"first.z1."}}}));
    EXPECT_EQ(
        by_zone(recorder.opened[1]),
        (std::map<std::string, Names>{
            {"z1", {"n0.z1.", "n1.z1.", "n2.z1.", "n3.z1.", "shared.z1."}}, {"z2", {"m.z2."}}}));
    EXPECT_EQ(committer.stats().commits, 2u);
    EXPECT_EQ(committer.stats().requests, 5u);
}

}  // namespace
}  // namespace dnsplane::service::testing
