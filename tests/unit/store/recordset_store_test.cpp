// Record sets and their records: ids and order kept, replacement on update,
// uniqueness, lookups, and per-call atomicity inside a write transaction.
#include <algorithm>
#include <random>

#include "store_fixture.h"

namespace dnsplane::store::testing {
namespace {

class RecordSetStoreTest : public BackendTest {
  protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped()) return;
        write([&](WriteTxn& tx) { tx.insert_zone(zone_); });
    }
    core::Zone zone_ = make_zone("z1", "example.org.");
};

std::vector<std::string> data_of(const core::RecordSet& rs) {
    std::vector<std::string> out;
    for (const auto& r : rs.records) out.push_back(r.data);
    return out;
}

TEST_P(RecordSetStoreTest, InsertedRecordSetReadsBackWithRecordsInOrder) {
    auto rs = make_recordset(zone_, "rs1", "www.example.org.", "A",
                             {"192.0.2.3", "192.0.2.1", "192.0.2.2"});
    rs.ttl = 300;
    rs.description = "web";
    rs.status = "PENDING";
    rs.action = "CREATE";
    rs.version = 3;
    rs.updated_at = "2026-01-05T00:00:00.000000";
    rs.managed = true;
    write([&](WriteTxn& tx) { tx.insert_recordset(rs); });

    auto got = store_->read()->get_recordset("rs1");
    ASSERT_TRUE(got);
    EXPECT_EQ(got->zone_id, "z1");
    EXPECT_EQ(got->zone_name, "example.org.");
    EXPECT_EQ(got->project_id, "p1");
    EXPECT_EQ(got->name, "www.example.org.");
    EXPECT_EQ(got->type, "A");
    EXPECT_EQ(got->ttl, 300u);
    EXPECT_EQ(got->description, "web");
    EXPECT_EQ(got->status, "PENDING");
    EXPECT_EQ(got->action, "CREATE");
    EXPECT_EQ(got->version, 3);
    EXPECT_EQ(got->created_at, rs.created_at);
    EXPECT_EQ(got->updated_at, rs.updated_at);
    EXPECT_TRUE(got->managed);
    EXPECT_EQ(ids_of(got->records), (std::vector<std::string>{"rs1-r0", "rs1-r1", "rs1-r2"}));
    EXPECT_EQ(data_of(*got), (std::vector<std::string>{"192.0.2.3", "192.0.2.1", "192.0.2.2"}));
}

TEST_P(RecordSetStoreTest, NullTtlRoundTrips) {
    write([&](WriteTxn& tx) {
        tx.insert_recordset(make_recordset(zone_, "rs1", "a.example.org.", "TXT", {"\"x\""}));
    });
    auto got = store_->read()->get_recordset("rs1");
    EXPECT_FALSE(got->ttl);
    EXPECT_FALSE(got->updated_at);
    EXPECT_FALSE(got->managed);
}

TEST_P(RecordSetStoreTest, UpdateReplacesRecordsKeepingGivenIds) {
    auto rs = make_recordset(zone_, "rs1", "www.example.org.", "A", {"192.0.2.1", "192.0.2.2"});
    write([&](WriteTxn& tx) { tx.insert_recordset(rs); });

    // Keep the second value (its id too), drop the first, add a new one first.
    rs.records = {core::Record{"new", "192.0.2.9"}, core::Record{"rs1-r1", "192.0.2.2"}};
    rs.ttl = 60;
    rs.version = 2;
    write([&](WriteTxn& tx) { tx.update_recordset(rs); });

    auto got = store_->read()->get_recordset("rs1");
    EXPECT_EQ(ids_of(got->records), (std::vector<std::string>{"new", "rs1-r1"}));
    EXPECT_EQ(data_of(*got), (std::vector<std::string>{"192.0.2.9", "192.0.2.2"}));
    EXPECT_EQ(got->ttl, 60u);
    EXPECT_EQ(got->version, 2);

    rs.ttl.reset();
    rs.records.clear();
    write([&](WriteTxn& tx) { tx.update_recordset(rs); });
    got = store_->read()->get_recordset("rs1");
    EXPECT_FALSE(got->ttl);
    EXPECT_TRUE(got->records.empty());
}

// The form given the stored set (the edit path's): any edit, read back exactly.
TEST_P(RecordSetStoreTest, UpdateGivenTheStoredSetWritesAnyEditExactly) {
    auto rs = make_recordset(zone_, "rs1", "www.example.org.", "TXT", {});
    write([&](WriteTxn& tx) { tx.insert_recordset(rs); });
    std::mt19937 rng(11);
    int next_id = 0;
    for (int round = 0; round < 60; ++round) {
        auto stored = *store_->read()->get_recordset("rs1");
        auto edited = stored;
        auto& r = edited.records;
        switch (rng() % 5) {
            case 0:  // append one or more
                for (unsigned k = 0, n = 1 + rng() % 3; k < n; ++k)
                    r.push_back(
                        {"v" + std::to_string(next_id++), "\"" + std::to_string(rng()) + "\""});
                break;
            case 1:  // remove one
                if (!r.empty()) r.erase(r.begin() + rng() % r.size());
                break;
            case 2:  // change one in place
                if (!r.empty())
                    r[rng() % r.size()].data = "\"changed" + std::to_string(round) + "\"";
                break;
            case 3:  // reorder
                std::shuffle(r.begin(), r.end(), rng);
                break;
            default:  // insert in the middle
                r.insert(r.begin() + (r.empty() ? 0 : rng() % r.size()),
                         core::Record{"v" + std::to_string(next_id++), "\"mid\""});
        }
        edited.version += 1;
        write([&](WriteTxn& tx) { tx.update_recordset(edited, stored); });
        auto got = store_->read()->get_recordset("rs1");
        ASSERT_TRUE(got);
        EXPECT_EQ(ids_of(got->records), ids_of(edited.records)) << round;
        EXPECT_EQ(data_of(*got), data_of(edited)) << round;
        EXPECT_EQ(got->version, edited.version);
    }
    EXPECT_EQ(store_->read()->zone_recordsets("z1").at(0).records.size(),
              store_->read()->get_recordset("rs1")->records.size());
}

TEST_P(RecordSetStoreTest, UpdateOfRemovedChangedAndAppendedValuesKeepsOrderAndIds) {
    auto rs = make_recordset(zone_, "rs1", "www.example.org.", "A",
                             {"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"});
    write([&](WriteTxn& tx) { tx.insert_recordset(rs); });
    // Drop r1, change r2 in place, append two: only those rows are written.
    rs.records = {core::Record{"rs1-r0", "192.0.2.1"}, core::Record{"rs1-r2", "198.51.100.3"},
                  core::Record{"rs1-r3", "192.0.2.4"}, core::Record{"a1", "192.0.2.10"},
                  core::Record{"a2", "192.0.2.11"}};
    write([&](WriteTxn& tx) { tx.update_recordset(rs); });
    auto got = store_->read()->get_recordset("rs1");
    EXPECT_EQ(ids_of(got->records),
              (std::vector<std::string>{"rs1-r0", "rs1-r2", "rs1-r3", "a1", "a2"}));
    EXPECT_EQ(data_of(*got), (std::vector<std::string>{"192.0.2.1", "198.51.100.3", "192.0.2.4",
                                                       "192.0.2.10", "192.0.2.11"}));
    // Then drop the last and append again (positions after the gap).
    rs.records.pop_back();
    rs.records.push_back(core::Record{"a3", "192.0.2.12"});
    write([&](WriteTxn& tx) { tx.update_recordset(rs); });
    got = store_->read()->get_recordset("rs1");
    EXPECT_EQ(ids_of(got->records),
              (std::vector<std::string>{"rs1-r0", "rs1-r2", "rs1-r3", "a1", "a3"}));
    // A reordering rewrites the rows in the new order.
    std::reverse(rs.records.begin(), rs.records.end());
    write([&](WriteTxn& tx) { tx.update_recordset(rs); });
    got = store_->read()->get_recordset("rs1");
    EXPECT_EQ(ids_of(got->records),
              (std::vector<std::string>{"a3", "a1", "rs1-r3", "rs1-r2", "rs1-r0"}));
    EXPECT_EQ(store_->read()->zone_recordsets("z1").at(0).records.size(), 5u);
}

TEST_P(RecordSetStoreTest, RecordsetOfRecordFindsTheSetByValueIdInItsZone) {
    write([&](WriteTxn& tx) {
        tx.insert_zone(make_zone("z2", "example.net."));
        tx.insert_recordset(make_recordset(zone_, "rs1", "a.example.org.", "A", {"192.0.2.1"}));
        tx.insert_recordset(
            make_recordset(zone_, "rs2", "b.example.org.", "A", {"192.0.2.2", "192.0.2.3"}));
    });
    auto got = store_->read()->recordset_of_record("z1", "rs2-r1");
    ASSERT_TRUE(got);
    EXPECT_EQ(got->id, "rs2");
    EXPECT_EQ(got->records.size(), 2u);
    EXPECT_FALSE(store_->read()->recordset_of_record("z2", "rs2-r1"));
    EXPECT_FALSE(store_->read()->recordset_of_record("z1", "nope"));
}

TEST_P(RecordSetStoreTest, DeleteRemovesTheSetAndItsRecords) {
    write([&](WriteTxn& tx) {
        tx.insert_recordset(make_recordset(zone_, "rs1", "www.example.org.", "A", {"192.0.2.1"}));
    });
    write([&](WriteTxn& tx) { tx.delete_recordset("rs1"); });
    EXPECT_FALSE(store_->read()->get_recordset("rs1"));
    EXPECT_EQ(store_->read()->count_recordsets("z1"), 0u);
    // The record id can be used again.
    write([&](WriteTxn& tx) {
        tx.insert_recordset(make_recordset(zone_, "rs1", "www.example.org.", "A", {"192.0.2.1"}));
    });
    auto tx = store_->write();
    auto e = error_of([&] { tx->delete_recordset("missing"); });
    EXPECT_EQ(e.kind(), core::ErrorKind::NotFound);
    EXPECT_EQ(e.type(), "recordset_not_found");
    e = error_of(
        [&] { tx->update_recordset(make_recordset(zone_, "missing", "x.example.org.", "A", {})); });
    EXPECT_EQ(e.type(), "recordset_not_found");
}

TEST_P(RecordSetStoreTest, DuplicateNameAndTypeIsConflict) {
    write([&](WriteTxn& tx) {
        tx.insert_recordset(make_recordset(zone_, "rs1", "www.example.org.", "A", {"192.0.2.1"}));
        // Same name, other type: fine.
        tx.insert_recordset(make_recordset(zone_, "rs2", "www.example.org.", "AAAA", {"::1"}));
    });
    auto tx = store_->write();
    auto e = error_of([&] {
        tx->insert_recordset(make_recordset(zone_, "rs3", "www.example.org.", "A", {"192.0.2.2"}));
    });
    EXPECT_EQ(e.kind(), core::ErrorKind::Conflict);
    EXPECT_EQ(e.type(), "duplicate_recordset");
    // Renaming rs2 onto rs1's name and type is also a duplicate.
    auto rs2 = make_recordset(zone_, "rs2", "www.example.org.", "A", {"192.0.2.2"});
    e = error_of([&] { tx->update_recordset(rs2); });
    EXPECT_EQ(e.type(), "duplicate_recordset");
}

TEST_P(RecordSetStoreTest, RecordIdInUseIsConflictAndTheFailedCallLeavesNoTrace) {
    write([&](WriteTxn& tx) {
        tx.insert_recordset(make_recordset(zone_, "rs1", "www.example.org.", "A", {"192.0.2.1"}));
    });
    auto tx = store_->write();
    auto clash = make_recordset(zone_, "rs2", "mail.example.org.", "A", {"192.0.2.5", "x"});
    clash.records[1].id = "rs1-r0";  // already rs1's record
    auto e = error_of([&] { tx->insert_recordset(clash); });
    EXPECT_EQ(e.kind(), core::ErrorKind::Conflict);
    EXPECT_EQ(e.type(), "duplicate_record");
    // Neither the set row nor its first record stayed behind.
    EXPECT_FALSE(tx->get_recordset("rs2"));
    EXPECT_FALSE(tx->find_recordset("z1", "mail.example.org.", "A"));
    tx->commit();
    EXPECT_EQ(store_->read()->count_recordsets("z1"), 1u);
    EXPECT_EQ(store_->read()->get_recordset("rs1")->records.size(), 1u);
}

TEST_P(RecordSetStoreTest, FailedUpdateKeepsTheOldRecords) {
    write([&](WriteTxn& tx) {
        tx.insert_recordset(make_recordset(zone_, "rs1", "a.example.org.", "A", {"192.0.2.1"}));
        tx.insert_recordset(make_recordset(zone_, "rs2", "b.example.org.", "A", {"192.0.2.2"}));
    });
    auto tx = store_->write();
    auto rs1 = make_recordset(zone_, "rs1", "a.example.org.", "A", {"192.0.2.7", "192.0.2.8"});
    rs1.records[1].id = "rs2-r0";
    EXPECT_EQ(error_of([&] { tx->update_recordset(rs1); }).type(), "duplicate_record");
    EXPECT_EQ(data_of(*tx->get_recordset("rs1")), std::vector<std::string>{"192.0.2.1"});
}

TEST_P(RecordSetStoreTest, RecordSetInMissingZoneIsNotFound) {
    auto ghost = make_zone("ghost", "ghost.org.");
    auto tx = store_->write();
    auto e = error_of([&] {
        tx->insert_recordset(make_recordset(ghost, "rs1", "ghost.org.", "A", {"192.0.2.1"}));
    });
    EXPECT_EQ(e.kind(), core::ErrorKind::NotFound);
    EXPECT_EQ(e.type(), "zone_not_found");
}

TEST_P(RecordSetStoreTest, LookupsByNameAndZone) {
    auto other = make_zone("z2", "example.net.");
    write([&](WriteTxn& tx) {
        tx.insert_zone(other);
        tx.insert_recordset(make_recordset(zone_, "a", "www.example.org.", "A", {"192.0.2.1"}));
        tx.insert_recordset(make_recordset(zone_, "b", "www.example.org.", "TXT", {"\"hi\""}));
        tx.insert_recordset(make_recordset(zone_, "c", "example.org.", "MX", {"10 mx.org."}));
        tx.insert_recordset(make_recordset(zone_, "d", "empty.example.org.", "A", {}));
        tx.insert_recordset(make_recordset(other, "e", "www.example.net.", "A", {"192.0.2.9"}));
    });
    auto r = store_->read();
    EXPECT_EQ(r->find_recordset("z1", "www.example.org.", "TXT")->id, "b");
    EXPECT_FALSE(r->find_recordset("z1", "www.example.org.", "MX"));
    EXPECT_FALSE(r->find_recordset("z2", "www.example.org.", "A"));

    auto at = r->recordsets_at("z1", "www.example.org.");
    std::vector<std::string> ids = ids_of(at);
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, (std::vector<std::string>{"a", "b"}));
    for (const auto& rs : at) EXPECT_EQ(rs.records.size(), 1u);

    auto all = r->zone_recordsets("z1");
    ASSERT_EQ(all.size(), 4u);
    for (const auto& rs : all) {
        EXPECT_EQ(rs.zone_id, "z1");
        EXPECT_EQ(rs.records.size(), rs.id == "d" ? 0u : 1u) << rs.id;
        if (rs.id == "c") {
            EXPECT_EQ(rs.records[0].data, "10 mx.org.");
        }
    }
    EXPECT_EQ(r->count_recordsets("z1"), 4u);
    EXPECT_EQ(r->count_recordsets("z2"), 1u);
}

TEST_P(RecordSetStoreTest, ZoneRecordSetsKeepsRecordOrderAcrossManySets) {
    write([&](WriteTxn& tx) {
        for (int i = 0; i < 50; ++i) {
            std::string n = std::to_string(i);
            tx.insert_recordset(make_recordset(zone_, "rs" + n, "h" + n + ".example.org.", "A",
                                               {"192.0.2." + n, "198.51.100." + n, "10.0.0." + n}));
        }
    });
    auto all = store_->read()->zone_recordsets("z1");
    ASSERT_EQ(all.size(), 50u);
    for (const auto& rs : all) {
        std::string n = rs.id.substr(2);
        EXPECT_EQ(data_of(rs),
                  (std::vector<std::string>{"192.0.2." + n, "198.51.100." + n, "10.0.0." + n}));
    }
}

TEST_P(RecordSetStoreTest, TokensRoundTripAndHashIsUnique) {
    Token t{"t1", "abc123", "p1", "admin", "2026-01-01T00:00:00.000000"};
    write([&](WriteTxn& tx) { tx.insert_token(t); });
    auto got = store_->read()->find_token("abc123");
    ASSERT_TRUE(got);
    EXPECT_EQ(got->id, "t1");
    EXPECT_EQ(got->project_id, "p1");
    EXPECT_EQ(got->role, "admin");
    EXPECT_EQ(got->created_at, t.created_at);
    EXPECT_FALSE(store_->read()->find_token("other"));

    auto tx = store_->write();
    auto e = error_of([&] { tx->insert_token(Token{"t2", "abc123", "p2", "reader", "x"}); });
    EXPECT_EQ(e.kind(), core::ErrorKind::Conflict);
    EXPECT_EQ(e.type(), "duplicate_token");
}

TEST_P(RecordSetStoreTest, TsigKeysRoundTripWithCaseInsensitiveUniqueNames) {
    TsigKey k{"k1",
              "Update-Key",
              "hmac-sha256",
              "c2VjcmV0",
              "POOL",
              "pool-1",
              "2026-01-01T00:00:00.000000",
              std::nullopt};
    write([&](WriteTxn& tx) { tx.insert_tsig_key(k); });
    auto keys = store_->read()->tsig_keys();
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_EQ(keys[0].name, "Update-Key");
    EXPECT_EQ(keys[0].secret, "c2VjcmV0");
    EXPECT_FALSE(keys[0].updated_at);
    {
        auto tx = store_->write();
        TsigKey dup = k;
        dup.id = "k2";
        dup.name = "update-key.";  // the same DNS name
        auto e = error_of([&] { tx->insert_tsig_key(dup); });
        EXPECT_EQ(e.kind(), core::ErrorKind::Conflict);
        EXPECT_EQ(e.type(), "duplicate_tsigkey");
    }
    k.algorithm = "hmac-sha512";
    k.updated_at = "2026-01-02T00:00:00.000000";
    write([&](WriteTxn& tx) { tx.update_tsig_key(k); });
    EXPECT_EQ(store_->read()->tsig_keys()[0].algorithm, "hmac-sha512");
    write([&](WriteTxn& tx) { tx.delete_tsig_key("k1"); });
    EXPECT_TRUE(store_->read()->tsig_keys().empty());
    auto tx = store_->write();
    auto e = error_of([&] { tx->delete_tsig_key("k1"); });
    EXPECT_EQ(e.kind(), core::ErrorKind::NotFound);
    EXPECT_EQ(e.type(), "tsigkey_not_found");
}

DNSPLANE_BOTH_BACKENDS(RecordSetStoreTest);

}  // namespace
}  // namespace dnsplane::store::testing
