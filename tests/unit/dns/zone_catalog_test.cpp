// The catalog: longest-match lookup, publication, loading from a store,
// change-sink reloads, and atomic swaps under concurrent readers.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <thread>

#include "dns/wire.h"
#include "dns_test_util.h"
#include "service/zone_change.h"
#include "store/store.h"

namespace dnsplane::dns {
namespace {

using test::make_query;
using test::make_set;
using test::make_zone;

// An in-memory store with just what the catalog reads.
class FakeStore : public store::Store {
  public:
    std::map<std::string, core::Zone> zones;                   // by id
    std::map<std::string, std::vector<core::RecordSet>> sets;  // by zone id
    std::atomic<int> reads{0};
    std::atomic<int> full_reads{0};  // zone_recordsets() calls

    class Txn : public store::ReadTxn {
      public:
        explicit Txn(FakeStore& s) : s_(s) {}
        std::optional<core::Zone> get_zone(const std::string& id) override {
            auto it = s_.zones.find(id);
            if (it == s_.zones.end()) return std::nullopt;
            return it->second;
        }
        std::vector<core::Zone> all_zones() override {
            std::vector<core::Zone> out;
            for (auto& [id, z] : s_.zones) out.push_back(z);
            return out;
        }
        std::vector<core::RecordSet> zone_recordsets(const std::string& zone_id) override {
            ++s_.full_reads;
            return s_.sets[zone_id];
        }
        std::optional<core::RecordSet> find_recordset(const std::string& zone_id,
                                                      const std::string& name,
                                                      const std::string& type) override {
            for (const auto& rs : s_.sets[zone_id]) {
                if (rs.name == name && rs.type == type) return rs;
            }
            return std::nullopt;
        }
        // Not used by the catalog.
        std::optional<core::Zone> find_zone_by_name(const std::string&) override { fail(); }
        store::Page<core::Zone> list_zones(const store::ListQuery&) override { fail(); }
        std::vector<core::Zone> related_zones(const std::string&) override { fail(); }
        std::vector<core::Zone> zones_below(const std::string&) override { fail(); }
        std::size_t count_zones(const std::string&) override { fail(); }
        std::optional<core::RecordSet> get_recordset(const std::string&) override { fail(); }
        std::vector<core::RecordSet> recordsets_at(const std::string&,
                                                   const std::string&) override {
            fail();
        }
        store::Page<core::RecordSet> list_recordsets(const store::ListQuery&) override { fail(); }
        std::size_t count_recordsets(const std::string&) override { fail(); }
        std::vector<core::ZoneChange> changes_since(const std::string&, std::uint32_t) override {
            fail();
        }
        std::optional<store::Token> find_token(const std::string&) override { fail(); }
        std::vector<store::OutboxEvent> outbox_head(std::size_t) override { fail(); }
        std::size_t outbox_size() override { fail(); }
        std::vector<store::HookBinding> hook_bindings() override { fail(); }
        std::optional<std::string> tenant_status(const std::string&) override { fail(); }

      private:
        [[noreturn]] static void fail() { throw std::logic_error("not used by the catalog"); }
        FakeStore& s_;
    };

    std::unique_ptr<store::ReadTxn> read() override {
        ++reads;
        return std::make_unique<Txn>(*this);
    }
    std::unique_ptr<store::WriteTxn> write() override { throw std::logic_error("read-only fake"); }

    void add_zone(const core::Zone& z, std::vector<core::RecordSet> rs) {
        zones[z.id] = z;
        sets[z.id] = std::move(rs);
    }
};

std::vector<std::string> answers(const ZoneCatalog& c, const std::string& name,
                                 std::uint16_t type = KNOT_RRTYPE_A) {
    return test::ask(c, make_query(name, type)).answer;
}

TEST(ZoneCatalog, LongestMatchingZoneWins) {
    ZoneCatalog c;
    c.publish(build_snapshot(make_zone("example.org."), {}));
    c.publish(build_snapshot(make_zone("dev.example.org."), {}));
    EXPECT_EQ(c.zone_count(), 2u);
    EXPECT_EQ(c.find("a.b.dev.example.org.")->name(), "dev.example.org.");
    EXPECT_EQ(c.find("DEV.Example.ORG.")->name(), "dev.example.org.");
    EXPECT_EQ(c.find("www.example.org.")->name(), "example.org.");
    EXPECT_EQ(c.find("example.org.")->name(), "example.org.");
    EXPECT_EQ(c.find("org."), nullptr);
    EXPECT_EQ(c.find("xexample.org."), nullptr);
    auto w = *wire::name_to_wire("x.dev.example.org.");
    EXPECT_EQ(c.find_wire(reinterpret_cast<const std::uint8_t*>(w.data()))->name(),
              "dev.example.org.");
    EXPECT_EQ(c.find_fast(reinterpret_cast<const std::uint8_t*>(w.data()))->name(),
              "dev.example.org.");
    EXPECT_EQ(c.get("dev.example.org.")->name(), "dev.example.org.");
    EXPECT_EQ(c.get("x.dev.example.org."), nullptr);
    EXPECT_EQ(c.all().size(), 2u);
}

TEST(ZoneCatalog, PublishReplacesAndRemoveDeletesVisibleAtOnce) {
    ZoneCatalog c;
    auto gen = c.generation();
    c.publish(build_snapshot(make_zone("example.org.", 1),
                             {make_set("www.example.org.", "A", {"192.0.2.1"})}));
    EXPECT_GT(c.generation(), gen);
    EXPECT_EQ(answers(c, "www.example.org.").size(), 1u);  // primes the thread cache
    c.publish(build_snapshot(make_zone("example.org.", 2),
                             {make_set("www.example.org.", "A", {"192.0.2.2"})}));
    EXPECT_EQ(answers(c, "www.example.org."),
              (std::vector<std::string>{"www.example.org. 3600 A 192.0.2.2"}));
    c.remove("example.org.");
    EXPECT_EQ(c.zone_count(), 0u);
    EXPECT_EQ(test::ask(c, make_query("www.example.org.", KNOT_RRTYPE_A)).rcode,
              KNOT_RCODE_REFUSED);
    c.remove("never.example.");  // no-op
}

TEST(ZoneCatalog, LoadAllReadsEveryServableZone) {
    FakeStore store;
    store.add_zone(make_zone("example.org."), {make_set("www.example.org.", "A", {"192.0.2.1"})});
    core::Zone gone = make_zone("gone.example.");
    gone.status = "DELETED";
    store.add_zone(gone, {});
    core::Zone pending = make_zone("pending.example.");
    pending.status = "PENDING";
    store.add_zone(pending, {});
    ZoneCatalog c(store);
    c.load_all();
    EXPECT_EQ(c.zone_count(), 2u);
    EXPECT_EQ(c.get("gone.example."), nullptr);
    EXPECT_NE(c.get("pending.example."), nullptr);
    EXPECT_EQ(answers(c, "www.example.org.").size(), 1u);
}

TEST(ZoneCatalog, OnCommitReloadsCreatesAndDeletes) {
    FakeStore store;
    core::Zone zone = make_zone("example.org.", 10);
    store.add_zone(zone, {make_set("www.example.org.", "A", {"192.0.2.1"})});
    ZoneCatalog c(store);
    c.load_all();
    EXPECT_EQ(answers(c, "www.example.org.").size(), 1u);

    // A committed change: the next query sees it, no sleep. The snapshot is
    // patched from the change, without reading the whole zone again.
    auto before = service::resource_records(store.sets[zone.id], zone.ttl);
    zone.serial = 11;
    store.add_zone(zone, {make_set("www.example.org.", "A", {"192.0.2.1", "192.0.2.7"}),
                          make_set("new.example.org.", "TXT", {"\"hello\""})});
    core::ZoneChange change = service::begin_change(zone, 10, 11);
    service::add_difference(change, before,
                            service::resource_records(store.sets[zone.id], zone.ttl));
    int full_reads = store.full_reads;
    c.on_commit(change);
    EXPECT_EQ(store.full_reads, full_reads);
    EXPECT_EQ(answers(c, "www.example.org.").size(), 2u);
    EXPECT_EQ(answers(c, "new.example.org.", KNOT_RRTYPE_TXT).size(), 1u);
    EXPECT_EQ(c.get("example.org.")->serial(), 11u);

    // A change the snapshot cannot be patched with (serial gap): full reload.
    zone.serial = 13;
    store.add_zone(zone, {make_set("www.example.org.", "A", {"192.0.2.8"})});
    core::ZoneChange gap = service::begin_change(zone, 12, 13);
    c.on_commit(gap);
    EXPECT_EQ(store.full_reads, full_reads + 1);
    EXPECT_EQ(answers(c, "www.example.org."),
              (std::vector<std::string>{"www.example.org. 3600 A 192.0.2.8"}));
    EXPECT_TRUE(answers(c, "new.example.org.", KNOT_RRTYPE_TXT).empty());

    // A late report of an older commit never rolls the zone back.
    core::ZoneChange late = service::begin_change(zone, 10, 11);
    zone.serial = 11;
    store.zones[zone.id].serial = 11;  // what a reader could still see
    c.on_commit(late);
    EXPECT_EQ(c.get("example.org.")->serial(), 13u);
    store.zones[zone.id].serial = 13;

    // A new zone.
    core::Zone other = make_zone("other.test.", 1);
    store.add_zone(other, {make_set("a.other.test.", "A", {"192.0.2.9"})});
    core::ZoneChange created{.zone_id = other.id, .zone_name = other.name, .zone_created = true};
    c.on_commit(created);
    EXPECT_EQ(answers(c, "a.other.test.").size(), 1u);

    // Deleted.
    core::ZoneChange deleted{.zone_id = other.id, .zone_name = other.name, .zone_deleted = true};
    c.on_commit(deleted);
    EXPECT_EQ(c.get("other.test."), nullptr);
    EXPECT_EQ(test::ask(c, make_query("a.other.test.", KNOT_RRTYPE_A)).rcode, KNOT_RCODE_REFUSED);
}

// Another node's change (from the change log: no zone row, no SOA) that the
// store is already past: patching the base with it alone under the store's
// newer serial would lose the changes in between, so the zone is rebuilt.
TEST(ZoneCatalog, OnCommitOfAChangeTheStoreIsPastRebuildsFromTheStore) {
    FakeStore store;
    core::Zone zone = make_zone("example.org.", 10);
    store.add_zone(zone, {make_set("www.example.org.", "A", {"192.0.2.1"})});
    ZoneCatalog c(store);
    c.load_all();

    // Two commits (10 -> 11 adds a, 11 -> 12 adds b); the first is reported
    // only after the second is in the store.
    zone.serial = 12;
    store.add_zone(zone, {make_set("www.example.org.", "A", {"192.0.2.1"}),
                          make_set("a.example.org.", "A", {"192.0.2.2"}),
                          make_set("b.example.org.", "A", {"192.0.2.3"})});
    core::ZoneChange first = service::begin_change(zone, 10, 11);
    first.added.push_back({"a.example.org.", "A", 3600, "192.0.2.2"});
    c.on_commit(first);
    EXPECT_EQ(c.get("example.org.")->serial(), 12u);
    EXPECT_EQ(answers(c, "a.example.org.").size(), 1u);
    EXPECT_EQ(answers(c, "b.example.org.").size(), 1u);
}

// With the zone row and SOA carried by the change (group commit: the store
// may already be ahead of it), the catalog never reads the store.
TEST(ZoneCatalog, OnCommitUsesTheZoneRowAndSoaCarriedByTheChange) {
    FakeStore store;
    core::Zone zone = make_zone("example.org.", 10);
    store.add_zone(zone, {make_set("www.example.org.", "A", {"192.0.2.1"})});
    ZoneCatalog c(store);
    c.load_all();
    const int reads = store.reads;

    core::Zone row = zone;
    row.serial = 11;
    row.minimum = 120;
    core::ZoneChange change = service::begin_change(row, 10, 11);
    change.added.push_back({"new.example.org.", "A", 300, "192.0.2.9"});
    change.zone = row;
    change.soa_data = "ns1.example.org. hostmaster.example.org. 11 3500 600 86400 120";
    store.zones[zone.id].serial = 12;  // ahead of this change
    c.on_commit(change);
    EXPECT_EQ(store.reads, reads);
    auto snap = c.get("example.org.");
    EXPECT_EQ(snap->serial(), 11u);
    EXPECT_EQ(snap->negative_ttl(), 120u);  // from the carried SOA rdata
    EXPECT_EQ(answers(c, "new.example.org."),
              (std::vector<std::string>{"new.example.org. 300 A 192.0.2.9"}));
    EXPECT_EQ(answers(c, "www.example.org.").size(), 1u);

    // A new zone, built from the change alone.
    core::Zone other = make_zone("other.test.", 5);
    core::ZoneChange created = service::begin_change(other, 0, 5);
    created.zone_created = true;
    created.zone = other;
    created.soa_data = "ns1.other.test. hostmaster.other.test. 5 3500 600 86400 300";
    created.added = {{"other.test.", "NS", 3600, "ns1.other.test."},
                     {"a.other.test.", "A", 3600, "192.0.2.10"}};
    c.on_commit(created);
    EXPECT_EQ(store.reads, reads);
    EXPECT_EQ(answers(c, "a.other.test.").size(), 1u);
    EXPECT_EQ(c.get("other.test.")->serial(), 5u);

    // A zone row in ERROR is no longer served.
    other.status = "ERROR";
    other.serial = 6;
    core::ZoneChange broken = service::begin_change(other, 5, 6);
    broken.zone = other;
    c.on_commit(broken);
    EXPECT_EQ(store.reads, reads);
    EXPECT_EQ(c.get("other.test."), nullptr);
}

// Another node's commits as the follower hands them over: PostgreSQL's change
// log carries the zone row and SOA each commit left (read back in
// pg_store_test FollowedChangesCarryTheZoneRowAndSoa), so each one patches the
// published snapshot although the store is already further: a rebuild from
// the store would publish serial 13 and c.example.org. at once.
TEST(ZoneCatalog, FollowedChangesPatchAlthoughTheStoreIsAhead) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("dnsplane-catalog-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    {
        auto store = store::open_store("sqlite://" + (dir / "db.sqlite").string());
        core::Zone zone = make_zone("example.org.", 10);
        zone.created_at = "2026-01-01T00:00:00.000000";
        auto soa_text = [](std::uint32_t serial) {
            return "ns1.example.org. hostmaster.example.org. " + std::to_string(serial) +
                   " 3500 600 86400 300";
        };
        auto in_zone = [&](core::RecordSet rs) {
            rs.zone_id = zone.id;
            rs.zone_name = zone.name;
            rs.created_at = zone.created_at;
            return rs;
        };
        {
            auto tx = store->write();
            tx->insert_zone(zone);
            tx->insert_recordset(in_zone(make_set("example.org.", "SOA", {soa_text(10)})));
            tx->insert_recordset(in_zone(make_set("example.org.", "NS", {"ns1.example.org."})));
            tx->commit();
        }
        ZoneCatalog c(*store);
        c.load_all();
        ASSERT_EQ(c.get("example.org.")->serial(), 10u);

        // What a node's write leaves: zone row, SOA, the set, the change log entry.
        std::vector<core::ZoneChange> followed;
        auto commit = [&](std::uint32_t serial, const std::string& name, const std::string& ip) {
            auto tx = store->write();
            core::Zone z = *tx->get_zone(zone.id);
            z.serial = serial;
            tx->update_zone(z);
            auto soa = *tx->find_recordset(zone.id, zone.name, "SOA");
            soa.records[0].data = soa_text(serial);
            tx->update_recordset(soa);
            auto rs = in_zone(make_set(name, "A", {ip}));
            tx->insert_recordset(rs);
            auto change = service::begin_change(z, serial - 1, serial);
            service::add_set_difference(change, nullptr, &rs, z.ttl);
            change.zone = z;
            change.soa_data = soa_text(serial);
            tx->append_change(change);
            tx->commit();
            followed.push_back(change);
        };
        commit(11, "a.example.org.", "192.0.2.2");
        commit(12, "b.example.org.", "192.0.2.3");
        commit(13, "c.example.org.", "192.0.2.4");
        ASSERT_EQ(followed.size(), 3u);
        ASSERT_TRUE(followed[0].zone);

        c.on_commit(followed[0]);
        c.on_commit(followed[1]);
        EXPECT_EQ(c.get("example.org.")->serial(), 12u);  // patched twice, store at 13
        EXPECT_EQ(answers(c, "a.example.org.").size(), 1u);
        EXPECT_EQ(answers(c, "b.example.org.").size(), 1u);
        EXPECT_TRUE(answers(c, "c.example.org.").empty());

        // An entry written before migration 12 (no zone row, no SOA): the
        // store is read as before; it stands where this change left it.
        core::ZoneChange old_form = followed[2];
        old_form.zone.reset();
        old_form.soa_data.clear();
        c.on_commit(old_form);
        EXPECT_EQ(c.get("example.org.")->serial(), 13u);
        EXPECT_EQ(answers(c, "c.example.org.").size(), 1u);

        // Reported again late: never rolls the zone back.
        c.on_commit(followed[1]);
        EXPECT_EQ(c.get("example.org.")->serial(), 13u);
        EXPECT_EQ(answers(c, "c.example.org.").size(), 1u);
    }
    std::filesystem::remove_all(dir);
}

// A reader hammering the catalog while a writer swaps versions must always
// see one whole version: the SOA serial and the "ver" TXT agree.
TEST(ZoneCatalog, SwapsAreAtomicForConcurrentReaders) {
    auto version = [](std::uint32_t n) {
        std::vector<core::RecordSet> sets = {
            make_set("ver.example.org.", "TXT", {"\"" + std::to_string(n) + "\""})};
        // Some bulk so that a build is not instantaneous.
        for (int i = 0; i < 50; ++i) {
            sets.push_back(make_set("h" + std::to_string(i) + ".example.org.", "A",
                                    {"10.0." + std::to_string(n % 256) + "." + std::to_string(i)}));
        }
        return build_snapshot(make_zone("example.org.", n), sets);
    };
    ZoneCatalog c;
    c.publish(version(1));
    std::atomic<bool> stop{false};
    std::atomic<long> checks{0}, mismatches{0}, engine_answers{0};
    auto reader = [&] {
        auto w = *wire::name_to_wire("ver.example.org.");
        auto q = make_query("ver.example.org.", KNOT_RRTYPE_TXT);
        std::vector<std::uint8_t> out;
        while (!stop.load()) {
            auto snap = c.find("ver.example.org.");
            const ZoneNode* n = snap->find_node(w);
            const knot_rdata_t* rd = n->find(KNOT_RRTYPE_TXT)->rrs.rdata;
            std::string txt(reinterpret_cast<const char*>(rd->data + 1), rd->data[0]);
            if (txt != std::to_string(snap->serial())) ++mismatches;
            ++checks;
            // And through the query path (thread-local cached versions).
            if (answer_query(c, q, {}, out)) {
                auto r = test::parse_response(out);
                if (r.answer.size() == 1) ++engine_answers;
            }
        }
    };
    std::thread r1(reader), r2(reader);
    for (std::uint32_t n = 2; n < 300; ++n) c.publish(version(n));
    stop = true;
    r1.join();
    r2.join();
    EXPECT_GT(checks.load(), 0);
    EXPECT_EQ(mismatches.load(), 0);
    EXPECT_GT(engine_answers.load(), 0);
    EXPECT_EQ(c.get("example.org.")->serial(), 299u);
}

}  // namespace
}  // namespace dnsplane::dns
