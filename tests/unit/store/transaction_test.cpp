// Transaction semantics: rollback when dropped, isolation of readers, the
// single writer slot, and readers working alongside a writer from threads.
#include <atomic>
#include <chrono>
#include <thread>

#include "store_fixture.h"

namespace dnsplane::store::testing {
namespace {

using TransactionTest = BackendTest;
using namespace std::chrono_literals;

TEST_P(TransactionTest, DroppedWriteRollsBack) {
    {
        auto tx = store_->write();
        tx->insert_zone(make_zone("z1", "example.org."));
        EXPECT_TRUE(tx->get_zone("z1"));  // the writer sees its own change
    }
    EXPECT_FALSE(store_->read()->get_zone("z1"));
    // The writer slot was released: another write goes through.
    write([&](WriteTxn& tx) { tx.insert_zone(make_zone("z2", "example.org.")); });
    EXPECT_TRUE(store_->read()->get_zone("z2"));
}

TEST_P(TransactionTest, RollbackAfterAFailedCallUndoesEarlierCallsToo) {
    {
        auto tx = store_->write();
        tx->insert_zone(make_zone("z1", "example.org."));
        EXPECT_THROW(tx->insert_zone(make_zone("z2", "example.org.")), core::Error);
    }
    EXPECT_FALSE(store_->read()->get_zone("z1"));
}

TEST_P(TransactionTest, ReadersSeeOnlyCommittedDataAndKeepTheirSnapshot) {
    auto before = store_->read();
    EXPECT_FALSE(before->get_zone("z1"));  // snapshot starts here

    auto tx = store_->write();
    tx->insert_zone(make_zone("z1", "example.org."));
    EXPECT_FALSE(store_->read()->get_zone("z1"));
    tx->commit();

    EXPECT_TRUE(store_->read()->get_zone("z1"));
    EXPECT_FALSE(before->get_zone("z1"));  // still the old snapshot
}

TEST_P(TransactionTest, UseAfterCommitIsAnError) {
    auto tx = store_->write();
    tx->insert_zone(make_zone("z1", "example.org."));
    tx->commit();
    EXPECT_THROW(tx->insert_zone(make_zone("z2", "example.net.")), core::Error);
    EXPECT_THROW(tx->commit(), core::Error);
}

TEST_P(TransactionTest, SecondWriterWaitsForTheFirst) {
    auto first = store_->write();
    first->insert_zone(make_zone("z1", "example.org."));
    std::atomic<bool> second_started{false}, second_done{false};
    std::thread t([&] {
        second_started = true;
        auto second = store_->write();  // blocks until `first` is gone
        // It begins after the first committed, so it sees z1.
        EXPECT_TRUE(second->get_zone("z1"));
        second->insert_zone(make_zone("z2", "example.net."));
        second->commit();
        second_done = true;
    });
    while (!second_started) std::this_thread::yield();
    std::this_thread::sleep_for(100ms);
    EXPECT_FALSE(second_done);
    first->commit();
    first.reset();
    t.join();
    EXPECT_TRUE(second_done);
    EXPECT_TRUE(store_->read()->get_zone("z2"));
}

TEST_P(TransactionTest, WriteTxnMayBeReleasedOnAnotherThread) {
    auto tx = store_->write();
    tx->insert_zone(make_zone("z1", "example.org."));
    std::thread([t = std::move(tx)]() mutable {
        t->commit();
        t.reset();
    }).join();
    write([&](WriteTxn& w) { w.insert_zone(make_zone("z2", "example.net.")); });
    EXPECT_EQ(store_->read()->all_zones().size(), 2u);
}

TEST_P(TransactionTest, ConcurrentReadersWithAWriter) {
    auto zone = make_zone("z1", "example.org.");
    write([&](WriteTxn& tx) { tx.insert_zone(zone); });

    constexpr int kWrites = 200;
    std::atomic<bool> stop{false};
    std::atomic<int> reads{0}, failures{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 4; ++r) {
        readers.emplace_back([&] {
            std::size_t last = 0;
            while (!stop) {
                auto tx = store_->read();
                // Within one snapshot the count and the full list agree, and
                // the committed count never goes backwards.
                std::size_t n = tx->count_recordsets("z1");
                auto sets = tx->zone_recordsets("z1");
                ListQuery q;
                q.scope.zone_id = "z1";
                q.limit = 5;
                auto page = tx->list_recordsets(q);
                if (sets.size() != n || n < last || page.total_count != n) ++failures;
                for (const auto& rs : sets)
                    if (rs.records.size() != 2) ++failures;  // never half a record set
                last = n;
                ++reads;
            }
        });
    }
    for (int i = 0; i < kWrites; ++i) {
        std::string n = std::to_string(i);
        write([&](WriteTxn& tx) {
            tx.insert_recordset(make_recordset(zone, "rs" + n, "h" + n + ".example.org.", "A",
                                               {"192.0.2.1", "192.0.2.2"}));
        });
    }
    // Let the readers run a little past the last write.
    std::this_thread::sleep_for(20ms);
    stop = true;
    for (auto& t : readers) t.join();
    EXPECT_EQ(failures, 0);
    EXPECT_GT(reads, 0);
    EXPECT_EQ(store_->read()->count_recordsets("z1"), static_cast<std::size_t>(kWrites));
}

TEST_P(TransactionTest, TransactionsMayOutliveTheStore) {
    write([&](WriteTxn& tx) { tx.insert_zone(make_zone("z1", "example.org.")); });
    auto r = store_->read();
    store_.reset();
    EXPECT_TRUE(r->get_zone("z1"));
}

DNSPLANE_BOTH_BACKENDS(TransactionTest);

}  // namespace
}  // namespace dnsplane::store::testing
