// Bulk record set operations for big change sets: insert_recordsets
// (multi-row INSERTs: same rows as one insert_recordset per set, all or
// nothing), recordsets_at_names (many names in one read) and scan_recordsets
// (the streaming zone read: same content as zone_recordsets).
#include <algorithm>
#include <map>

#include "store_fixture.h"

namespace dnsplane::store::testing {
namespace {

class BulkStoreTest : public BackendTest {
  protected:
    void SetUp() override {
        BackendTest::SetUp();
        write([&](WriteTxn& tx) {
            tx.insert_zone(zone_);
            tx.insert_zone(other_);
        });
    }

    // n sets in `zone`: set i has (i % 4) + 1 values, every third a TTL, every
    // fifth provider_meta, the first one managed.
    std::vector<core::RecordSet> sets(const core::Zone& zone, const std::string& prefix,
                                      std::size_t n) {
        std::vector<core::RecordSet> out;
        for (std::size_t i = 0; i < n; ++i) {
            std::vector<std::string> data;
            for (std::size_t v = 0; v <= i % 4; ++v)
                data.push_back("192.0." + std::to_string(v) + "." + std::to_string(i % 250));
            auto rs = make_recordset(zone, prefix + std::to_string(i),
                                     prefix + std::to_string(i) + "." + zone.name, "A", data);
            if (i % 3 == 0) rs.ttl = static_cast<std::uint32_t>(60 + i);
            if (i % 5 == 0) rs.provider_meta = "[{\"s\":\"" + std::to_string(i) + "\"}]";
            rs.managed = i == 0;
            rs.description = "d" + std::to_string(i);
            out.push_back(std::move(rs));
        }
        return out;
    }

    static std::vector<const core::RecordSet*> ptrs(const std::vector<core::RecordSet>& v) {
        std::vector<const core::RecordSet*> out;
        for (const auto& rs : v) out.push_back(&rs);
        return out;
    }

    static void expect_same(const core::RecordSet& got, const core::RecordSet& want) {
        EXPECT_EQ(got.id, want.id);
        EXPECT_EQ(got.zone_id, want.zone_id);
        EXPECT_EQ(got.project_id, want.project_id);
        EXPECT_EQ(got.zone_name, want.zone_name);
        EXPECT_EQ(got.name, want.name);
        EXPECT_EQ(got.type, want.type);
        EXPECT_EQ(got.ttl, want.ttl);
        EXPECT_EQ(got.description, want.description);
        EXPECT_EQ(got.version, want.version);
        EXPECT_EQ(got.created_at, want.created_at);
        EXPECT_EQ(got.updated_at, want.updated_at);
        EXPECT_EQ(got.managed, want.managed);
        EXPECT_EQ(got.provider_meta, want.provider_meta);
        ASSERT_EQ(got.records.size(), want.records.size()) << want.id;
        for (std::size_t i = 0; i < want.records.size(); ++i) {
            EXPECT_EQ(got.records[i].id, want.records[i].id);
            EXPECT_EQ(got.records[i].data, want.records[i].data);
        }
    }

    core::Zone zone_ = make_zone("z1", "example.org.");
    core::Zone other_ = make_zone("z2", "example.net.");
};

TEST_P(BulkStoreTest, InsertRecordSetsWritesEveryRowAcrossChunksAndZones) {
    // 3,000 sets (more than one statement's worth) and ~7,500 values.
    auto a = sets(zone_, "a", 2500);
    auto b = sets(other_, "b", 500);
    std::vector<const core::RecordSet*> all = ptrs(a);
    for (const auto* p : ptrs(b)) all.push_back(p);
    write([&](WriteTxn& tx) { tx.insert_recordsets(all); });

    auto r = store_->read();
    EXPECT_EQ(r->count_recordsets("z1"), 2500u);
    EXPECT_EQ(r->count_recordsets("z2"), 500u);
    std::map<std::string, core::RecordSet> got;
    for (auto& rs : r->zone_recordsets("z1")) got[rs.id] = rs;
    for (auto& rs : r->zone_recordsets("z2")) got[rs.id] = rs;
    ASSERT_EQ(got.size(), 3000u);
    for (const auto* want : all) expect_same(got.at(want->id), *want);
    // Indexes written too: lookups by id, by (zone, name, type), by record id.
    expect_same(*r->get_recordset("a1234"), a[1234]);
    expect_same(*r->find_recordset("z2", "b499.example.net.", "A"), b[499]);
    EXPECT_EQ(r->recordset_of_record("z1", "a77-r1")->id, "a77");
}

TEST_P(BulkStoreTest, InsertRecordSetsIsAllOrNothing) {
    write([&](WriteTxn& tx) { tx.insert_recordset(sets(zone_, "x", 1)[0]); });
    auto batch = sets(zone_, "a", 1500);
    // The last set takes a name that exists: a unique violation in the last
    // statement undoes the earlier statements of the call, nothing else.
    auto clash = make_recordset(zone_, "clash", "x0.example.org.", "A", {"192.0.2.9"});
    auto all = ptrs(batch);
    all.push_back(&clash);
    auto tx = store_->write();
    auto e = error_of([&] { tx->insert_recordsets(all); });
    EXPECT_EQ(e.kind(), core::ErrorKind::Conflict);
    EXPECT_EQ(e.type(), "duplicate_recordset");
    EXPECT_EQ(tx->count_recordsets("z1"), 1u);
    EXPECT_FALSE(tx->get_recordset("a0"));
    // The transaction goes on.
    tx->insert_recordset(batch[7]);
    tx->commit();
    auto r = store_->read();
    EXPECT_EQ(r->count_recordsets("z1"), 2u);
    EXPECT_EQ(r->zone_recordsets("z1").size(), 2u);
}

TEST_P(BulkStoreTest, InsertRecordSetsRefusesAReusedRecordId) {
    auto batch = sets(zone_, "a", 40);
    batch[39].records[0].id = batch[3].records[0].id;
    auto tx = store_->write();
    auto e = error_of([&] { tx->insert_recordsets(ptrs(batch)); });
    EXPECT_EQ(e.type(), "duplicate_record");
    EXPECT_EQ(tx->count_recordsets("z1"), 0u);
}

TEST_P(BulkStoreTest, InsertRecordSetsIntoAMissingZoneIsZoneNotFound) {
    core::Zone ghost = make_zone("nope", "ghost.example.");
    auto batch = sets(ghost, "g", 3);
    auto tx = store_->write();
    auto e = error_of([&] { tx->insert_recordsets(ptrs(batch)); });
    EXPECT_EQ(e.kind(), core::ErrorKind::NotFound);
    EXPECT_EQ(e.type(), "zone_not_found");
}

TEST_P(BulkStoreTest, RecordSetsAtNamesReadsOnlyThoseNames) {
    auto a = sets(zone_, "a", 50);
    auto txt = make_recordset(zone_, "t5", "a5.example.org.", "TXT", {"\"one\"", "\"two\""});
    auto b = sets(other_, "b", 5);
    write([&](WriteTxn& tx) {
        tx.insert_recordsets(ptrs(a));
        tx.insert_recordset(txt);
        tx.insert_recordsets(ptrs(b));
    });
    auto r = store_->read();
    auto got = r->recordsets_at_names(
        "z1", {"a5.example.org.", "a49.example.org.", "missing.example.org.", "a2.example.org."});
    std::map<std::pair<std::string, std::string>, core::RecordSet> by_key;
    for (auto& rs : got) by_key[{rs.name, rs.type}] = rs;
    ASSERT_EQ(by_key.size(), 4u);
    ASSERT_EQ(got.size(), 4u);
    expect_same(by_key.at({"a5.example.org.", "A"}), a[5]);
    expect_same(by_key.at({"a5.example.org.", "TXT"}), txt);
    expect_same(by_key.at({"a49.example.org.", "A"}), a[49]);
    expect_same(by_key.at({"a2.example.org.", "A"}), a[2]);
    EXPECT_TRUE(r->recordsets_at_names("z1", {}).empty());
    EXPECT_EQ(r->recordsets_at_names("z2", {"b1.example.net.", "a1.example.org."}).size(), 1u);
}

TEST_P(BulkStoreTest, ScanRecordSetsSeesWhatZoneRecordSetsReads) {
    // Set sizes go up and down (1..4 values), so reused buffers must hand
    // over exactly each set's values.
    auto a = sets(zone_, "a", 300);
    write([&](WriteTxn& tx) { tx.insert_recordsets(ptrs(a)); });
    auto r = store_->read();
    std::map<std::string, core::RecordSet> want;
    for (auto& rs : r->zone_recordsets("z1")) want[rs.id] = rs;
    std::size_t seen = 0;
    r->scan_recordsets("z1", [&](const RecordSetView& v) {
        ++seen;
        const auto& w = want.at(std::string(v.id));
        EXPECT_EQ(v.name, w.name);
        EXPECT_EQ(v.type, w.type);
        EXPECT_EQ(v.ttl, w.ttl);
        EXPECT_EQ(v.managed, w.managed);
        EXPECT_EQ(v.provider_meta, w.provider_meta);
        ASSERT_EQ(v.data.size(), w.records.size()) << w.id;
        for (std::size_t i = 0; i < v.data.size(); ++i) EXPECT_EQ(v.data[i], w.records[i].data);
    });
    EXPECT_EQ(seen, 300u);
    std::size_t none = 0;
    r->scan_recordsets("z2", [&](const RecordSetView&) { ++none; });
    EXPECT_EQ(none, 0u);
}

DNSPLANE_BOTH_BACKENDS(BulkStoreTest);

}  // namespace
}  // namespace dnsplane::store::testing
