// The per-zone change log: round trip, serial-based selection (RFC 1982),
// and what happens to it when its zone is deleted.
#include "store/row_codec.h"
#include "store_fixture.h"

namespace dnsplane::store::testing {
namespace {

class ChangeLogTest : public BackendTest {
  protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped()) return;
        write([&](WriteTxn& tx) {
            tx.insert_zone(zone_);
            tx.insert_zone(make_zone("z2", "example.net."));
        });
    }

    core::ZoneChange change(std::uint32_t from, std::uint32_t to, const std::string& zone = "z1") {
        core::ZoneChange c;
        c.zone_id = zone;
        c.zone_name = zone == "z1" ? "example.org." : "example.net.";
        c.old_serial = from;
        c.new_serial = to;
        c.committed_at = "2026-01-01T00:00:0" + std::to_string(to % 10) + ".000000";
        c.added = {{"www." + c.zone_name, "A", 300, "192.0.2." + std::to_string(to % 250)}};
        return c;
    }

    std::vector<std::uint32_t> old_serials(std::uint32_t from, const std::string& zone = "z1") {
        std::vector<std::uint32_t> out;
        for (const auto& c : store_->read()->changes_since(zone, from)) out.push_back(c.old_serial);
        return out;
    }

    core::Zone zone_ = make_zone("z1", "example.org.");
};

TEST_P(ChangeLogTest, EntryRoundTripsEveryField) {
    core::ZoneChange c = change(10, 11);
    c.removed = {{"a.example.org.", "TXT", 60, "\"quoted \\\"text\\\" with, commas\""},
                 {"example.org.", "MX", 3600, "10 mx.example.org."}};
    c.zone_created = true;
    write([&](WriteTxn& tx) { tx.append_change(c); });

    auto got = store_->read()->changes_since("z1", 10);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].zone_id, "z1");
    EXPECT_EQ(got[0].zone_name, "example.org.");
    EXPECT_EQ(got[0].old_serial, 10u);
    EXPECT_EQ(got[0].new_serial, 11u);
    EXPECT_EQ(got[0].removed, c.removed);
    EXPECT_EQ(got[0].added, c.added);
    EXPECT_TRUE(got[0].zone_created);
    EXPECT_FALSE(got[0].zone_deleted);
    EXPECT_EQ(got[0].committed_at, c.committed_at);
}

// Since migration 12 an entry keeps the zone row and SOA rdata its change
// left: a node following the log patches its DNS snapshot from them.
TEST_P(ChangeLogTest, EntryKeepsTheZoneRowAndSoaItsChangeLeft) {
    core::ZoneChange c = change(10, 11);
    core::Zone row = zone_;
    row.serial = 11;
    row.ttl = 600;
    row.minimum = 120;
    row.status = "PENDING";
    row.type = "SECONDARY";
    row.masters = {"192.0.2.53:53", "[2001:db8::53]:5353"};
    row.transferred_at = "2026-01-01T00:00:05.000000";
    row.updated_at = "2026-01-01T00:00:06.000000";
    row.version = 7;
    row.spelled_name = "Example.ORG.";
    row.soa_mname = "ns.master.test.";
    row.soa_rname = "dns\\.admin.master.test.";
    row.description = "with \"quotes\", commas and \u00e9";
    c.zone = row;
    c.soa_data = "ns1.example.org. hostmaster.example.org. 11 3500 600 86400 120";
    core::ZoneChange bare = change(11, 12);  // no zone row: as entries before migration 12
    core::ZoneChange gone = change(12, 12);
    gone.zone_deleted = true;
    write([&](WriteTxn& tx) {
        tx.append_change(c);
        tx.append_change(bare);
        tx.append_change(gone);
    });

    auto got = store_->read()->changes_since("z1", 10);
    ASSERT_EQ(got.size(), 3u);
    if (backend() == Backend::Sqlite) {
        // Nobody follows a SQLite store's log: the columns stay empty.
        for (const auto& e : got) EXPECT_FALSE(e.zone);
        EXPECT_TRUE(got[0].soa_data.empty());
        EXPECT_EQ(got[0].added, c.added);
        return;
    }
    ASSERT_TRUE(got[0].zone);
    const core::Zone& z = *got[0].zone;
    EXPECT_EQ(z.id, row.id);
    EXPECT_EQ(z.pool_id, row.pool_id);
    EXPECT_EQ(z.project_id, row.project_id);
    EXPECT_EQ(z.name, row.name);
    EXPECT_EQ(z.spelled_name, row.spelled_name);
    EXPECT_EQ(z.email, row.email);
    EXPECT_EQ(z.ttl, 600u);
    EXPECT_EQ(z.serial, 11u);
    EXPECT_EQ(z.status, "PENDING");
    EXPECT_EQ(z.action, row.action);
    EXPECT_EQ(z.description, row.description);
    EXPECT_EQ(z.type, "SECONDARY");
    EXPECT_EQ(z.masters, row.masters);
    EXPECT_EQ(z.transferred_at, row.transferred_at);
    EXPECT_EQ(z.version, 7);
    EXPECT_EQ(z.created_at, row.created_at);
    EXPECT_EQ(z.updated_at, row.updated_at);
    EXPECT_EQ(z.refresh, row.refresh);
    EXPECT_EQ(z.retry, row.retry);
    EXPECT_EQ(z.expire, row.expire);
    EXPECT_EQ(z.minimum, 120u);
    EXPECT_EQ(z.soa_mname, row.soa_mname);
    EXPECT_EQ(z.soa_rname, row.soa_rname);
    EXPECT_EQ(got[0].soa_data, c.soa_data);
    EXPECT_EQ(got[0].added, c.added);
    // Without a zone row: nothing to carry (readers fall back to the store).
    EXPECT_FALSE(got[1].zone);
    EXPECT_TRUE(got[1].soa_data.empty());
    EXPECT_TRUE(got[2].zone_deleted);
    EXPECT_FALSE(got[2].zone);
}

TEST_P(ChangeLogTest, SinceSerialReturnsLaterEntriesOldestFirst) {
    write([&](WriteTxn& tx) {
        for (std::uint32_t s = 100; s < 105; ++s) tx.append_change(change(s, s + 1));
        tx.append_change(change(500, 501, "z2"));
    });
    EXPECT_EQ(old_serials(102), (std::vector<std::uint32_t>{102, 103, 104}));
    EXPECT_EQ(old_serials(100), (std::vector<std::uint32_t>{100, 101, 102, 103, 104}));
    EXPECT_TRUE(old_serials(105).empty());
    EXPECT_EQ(old_serials(0, "z2"), (std::vector<std::uint32_t>{500}));
}

TEST_P(ChangeLogTest, SerialComparisonWrapsAround) {
    write([&](WriteTxn& tx) {
        tx.append_change(change(4294967294u, 4294967295u));
        tx.append_change(change(4294967295u, 0));
        tx.append_change(change(0, 1));
        tx.append_change(change(1, 2));
    });
    EXPECT_EQ(old_serials(4294967295u), (std::vector<std::uint32_t>{4294967295u, 0, 1}));
    EXPECT_EQ(old_serials(0), (std::vector<std::uint32_t>{0, 1}));
    EXPECT_EQ(old_serials(4294967290u).size(), 4u);
}

TEST_P(ChangeLogTest, DeletingTheZoneDropsItsHistoryButKeepsTheDeletionEntry) {
    write([&](WriteTxn& tx) {
        tx.append_change(change(1, 2));
        tx.append_change(change(2, 3));
        tx.append_change(change(7, 8, "z2"));
    });
    write([&](WriteTxn& tx) {
        tx.delete_zone("z1");
        auto gone = change(3, 4);
        gone.zone_deleted = true;
        tx.append_change(gone);
    });
    auto left = store_->read()->changes_since("z1", 0);
    ASSERT_EQ(left.size(), 1u);
    EXPECT_TRUE(left[0].zone_deleted);
    EXPECT_EQ(old_serials(0, "z2"), (std::vector<std::uint32_t>{7}));
}

TEST_P(ChangeLogTest, UncommittedEntriesVanishWithTheirTransaction) {
    {
        auto tx = store_->write();
        tx->append_change(change(1, 2));
        EXPECT_EQ(tx->changes_since("z1", 1).size(), 1u);
    }
    EXPECT_TRUE(store_->read()->changes_since("z1", 0).empty());
}

TEST_P(ChangeLogTest, AnEntryCanBeRewrittenInItsTransactionKeepingItsPlace) {
    // The group commit folds later requests of its batch into the entry.
    write([&](WriteTxn& tx) {
        auto first = tx.append_change(change(1, 2));
        auto other = tx.append_change(change(7, 8, "z2"));
        EXPECT_GT(other, first);
        core::ZoneChange folded = change(1, 2);
        folded.added.push_back({"new.example.org.", "AAAA", 60, "2001:db8::1"});
        folded.removed = {{"old.example.org.", "A", 300, "192.0.2.9"}};
        folded.committed_at = "2026-01-01T00:00:09.000000";
        // The last request of the batch left the zone row and SOA.
        folded.zone = zone_;
        folded.zone->serial = 2;
        folded.zone->version = 5;
        folded.soa_data = "ns1.example.org. hostmaster.example.org. 2 3500 600 86400 3600";
        tx.rewrite_change(first, folded);
        tx.append_change(change(2, 3));
    });
    auto got = store_->read()->changes_since("z1", 1);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].old_serial, 1u);
    EXPECT_EQ(got[0].new_serial, 2u);
    ASSERT_EQ(got[0].added.size(), 2u);
    EXPECT_EQ(got[0].added[1].data, "2001:db8::1");
    ASSERT_EQ(got[0].removed.size(), 1u);
    EXPECT_EQ(got[0].removed[0].name, "old.example.org.");
    EXPECT_EQ(got[0].committed_at, "2026-01-01T00:00:09.000000");
    if (backend() == Backend::Postgres) {
        ASSERT_TRUE(got[0].zone);
        EXPECT_EQ(got[0].zone->serial, 2u);
        EXPECT_EQ(got[0].zone->version, 5);
        EXPECT_EQ(got[0].soa_data,
                  "ns1.example.org. hostmaster.example.org. 2 3500 600 86400 3600");
    } else {
        EXPECT_FALSE(got[0].zone);
    }
    EXPECT_EQ(got[1].old_serial, 2u);
    EXPECT_EQ(old_serials(0, "z2"), (std::vector<std::uint32_t>{7}));
}

DNSPLANE_BOTH_BACKENDS(ChangeLogTest);

// A zone row that does not parse leaves the entry without one (the catalog
// then reads the store), rather than stopping every reader of the log.
TEST(ChangeLogZoneRow, MalformedRowsReadAsNone) {
    auto z = make_zone("z1", "example.org.");
    auto back = zone_from_json(zone_to_json(z));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->name, "example.org.");
    EXPECT_EQ(back->serial, z.serial);
    EXPECT_FALSE(back->updated_at);
    EXPECT_FALSE(zone_from_json("{"));
    EXPECT_FALSE(zone_from_json("[]"));
    EXPECT_FALSE(zone_from_json(R"({"id":"z1","name":"example.org.","ttl":"x"})"));
    EXPECT_FALSE(zone_from_json(R"({"name":"example.org."})"));
}

}  // namespace
}  // namespace dnsplane::store::testing
