// Zones: every field round-trips, uniqueness, lookups by name and hierarchy.
#include <algorithm>

#include "store_fixture.h"

namespace dnsplane::store::testing {
namespace {

using ZoneStoreTest = BackendTest;

TEST_P(ZoneStoreTest, InsertedZoneReadsBackWithEveryField) {
    core::Zone z = make_zone("z1", "example.org.");
    z.ttl = 7200;
    z.serial = 4000000000u;
    z.status = "PENDING";
    z.action = "CREATE";
    z.description = "the example";
    z.type = "SECONDARY";
    z.masters = {"192.0.2.1:53", "[2001:db8::1]:5353"};
    z.transferred_at = "2026-01-02T00:00:00.000000";
    z.version = 7;
    z.updated_at = "2026-01-03T00:00:00.000000";
    z.refresh = 1;
    z.retry = 2;
    z.expire = 3;
    z.minimum = 4;
    z.spelled_name = "Example.ORG.";
    write([&](WriteTxn& tx) { tx.insert_zone(z); });

    auto got = store_->read()->get_zone("z1");
    ASSERT_TRUE(got);
    EXPECT_EQ(got->id, z.id);
    EXPECT_EQ(got->pool_id, z.pool_id);
    EXPECT_EQ(got->project_id, z.project_id);
    EXPECT_EQ(got->name, z.name);
    EXPECT_EQ(got->email, z.email);
    EXPECT_EQ(got->ttl, 7200u);
    EXPECT_EQ(got->serial, 4000000000u);
    EXPECT_EQ(got->status, "PENDING");
    EXPECT_EQ(got->action, "CREATE");
    EXPECT_EQ(got->description, "the example");
    EXPECT_EQ(got->type, "SECONDARY");
    EXPECT_EQ(got->masters, z.masters);
    EXPECT_EQ(got->transferred_at, z.transferred_at);
    EXPECT_EQ(got->version, 7);
    EXPECT_EQ(got->created_at, z.created_at);
    EXPECT_EQ(got->updated_at, z.updated_at);
    EXPECT_EQ(got->refresh, 1u);
    EXPECT_EQ(got->retry, 2u);
    EXPECT_EQ(got->expire, 3u);
    EXPECT_EQ(got->minimum, 4u);
    EXPECT_EQ(got->spelled_name, "Example.ORG.");
}

TEST_P(ZoneStoreTest, OptionalFieldsStayEmpty) {
    write([&](WriteTxn& tx) { tx.insert_zone(make_zone("z1", "example.org.")); });
    auto got = store_->read()->get_zone("z1");
    ASSERT_TRUE(got);
    EXPECT_FALSE(got->updated_at);
    EXPECT_FALSE(got->transferred_at);
    EXPECT_TRUE(got->masters.empty());
    EXPECT_TRUE(got->spelled_name.empty());
    EXPECT_FALSE(store_->read()->get_zone("missing"));
}

TEST_P(ZoneStoreTest, UpdateReplacesMutableColumns) {
    write([&](WriteTxn& tx) { tx.insert_zone(make_zone("z1", "example.org.")); });
    auto z = *store_->read()->get_zone("z1");
    z.email = "admin@example.org";
    z.serial = 99;
    z.version = 2;
    z.updated_at = "2026-02-01T00:00:00.000000";
    z.spelled_name = "EXAMPLE.org.";
    write([&](WriteTxn& tx) { tx.update_zone(z); });
    auto got = store_->read()->get_zone("z1");
    EXPECT_EQ(got->spelled_name, "EXAMPLE.org.");
    EXPECT_EQ(got->email, "admin@example.org");
    EXPECT_EQ(got->serial, 99u);
    EXPECT_EQ(got->version, 2);
    EXPECT_EQ(got->updated_at, z.updated_at);
}

TEST_P(ZoneStoreTest, UpdateOrDeleteOfMissingZoneIsNotFound) {
    auto tx = store_->write();
    auto e = error_of([&] { tx->update_zone(make_zone("nope", "x.org.")); });
    EXPECT_EQ(e.kind(), core::ErrorKind::NotFound);
    EXPECT_EQ(e.type(), "zone_not_found");
    e = error_of([&] { tx->delete_zone("nope"); });
    EXPECT_EQ(e.kind(), core::ErrorKind::NotFound);
}

TEST_P(ZoneStoreTest, DuplicateNameIsConflict) {
    write([&](WriteTxn& tx) { tx.insert_zone(make_zone("z1", "example.org.")); });
    auto tx = store_->write();
    auto e = error_of([&] { tx->insert_zone(make_zone("z2", "example.org.", "other")); });
    EXPECT_EQ(e.kind(), core::ErrorKind::Conflict);
    EXPECT_EQ(e.type(), "duplicate_zone");
    // The failed insert left the transaction usable.
    tx->insert_zone(make_zone("z3", "example.net."));
    tx->commit();
    EXPECT_TRUE(store_->read()->get_zone("z3"));
}

// The spelling is shown only: uniqueness and lookups use the canonical name.
TEST_P(ZoneStoreTest, SpellingTakesNoPartInUniquenessOrLookups) {
    auto spelled = make_zone("z1", "example.org.");
    spelled.spelled_name = "Example.ORG.";
    write([&](WriteTxn& tx) { tx.insert_zone(spelled); });
    auto other = make_zone("z2", "example.org.", "other");
    other.spelled_name = "EXAMPLE.org.";
    {
        auto tx = store_->write();  // not committed
        EXPECT_EQ(error_of([&] { tx->insert_zone(other); }).type(), "duplicate_zone");
    }
    auto r = store_->read();
    EXPECT_EQ(r->find_zone_by_name("example.org.")->spelled_name, "Example.ORG.");
    EXPECT_FALSE(r->find_zone_by_name("Example.ORG."));
}

TEST_P(ZoneStoreTest, DeletedZoneFreesItsNameAndIsHiddenFromNameLookups) {
    auto old = make_zone("z1", "example.org.");
    old.status = "DELETED";
    write([&](WriteTxn& tx) {
        tx.insert_zone(old);
        tx.insert_zone(make_zone("z2", "example.org."));
    });
    auto r = store_->read();
    EXPECT_EQ(r->find_zone_by_name("example.org.")->id, "z2");
    EXPECT_EQ(ids_of(r->all_zones()), std::vector<std::string>{"z2"});
    EXPECT_EQ(r->count_zones("p1"), 1u);
    EXPECT_EQ(r->get_zone("z1")->status, "DELETED");
}

TEST_P(ZoneStoreTest, FindByNameAndCount) {
    write([&](WriteTxn& tx) {
        tx.insert_zone(make_zone("z1", "example.org."));
        tx.insert_zone(make_zone("z2", "example.net."));
        tx.insert_zone(make_zone("z3", "example.com.", "p2"));
    });
    auto r = store_->read();
    EXPECT_EQ(r->find_zone_by_name("example.net.")->id, "z2");
    EXPECT_FALSE(r->find_zone_by_name("example.nl."));
    EXPECT_EQ(r->count_zones("p1"), 2u);
    EXPECT_EQ(r->count_zones("p2"), 1u);
    EXPECT_EQ(r->count_zones("p3"), 0u);
    EXPECT_EQ(r->all_zones().size(), 3u);
}

TEST_P(ZoneStoreTest, RelatedZonesAreSelfAncestorsAndDescendants) {
    write([&](WriteTxn& tx) {
        tx.insert_zone(make_zone("root", "."));
        tx.insert_zone(make_zone("org", "org."));
        tx.insert_zone(make_zone("ex", "example.org.", "p2"));
        tx.insert_zone(make_zone("sub", "sub.example.org."));
        tx.insert_zone(make_zone("deep", "a.b.sub.example.org."));
        tx.insert_zone(make_zone("other", "example.net."));
        tx.insert_zone(make_zone("lookalike", "myexample.org."));
        tx.insert_zone(make_zone("escaped", "x\\.example.org."));  // one label "x.example"
    });
    auto ids = [&](const std::string& name) {
        auto v = ids_of(store_->read()->related_zones(name));
        std::sort(v.begin(), v.end());
        return v;
    };
    EXPECT_EQ(ids("example.org."), (std::vector<std::string>{"deep", "ex", "org", "root", "sub"}));
    EXPECT_EQ(ids("www.example.net."), (std::vector<std::string>{"other", "root"}));
    EXPECT_EQ(ids("sub.example.org."),
              (std::vector<std::string>{"deep", "ex", "org", "root", "sub"}));
    EXPECT_EQ(ids("com."), (std::vector<std::string>{"root"}));
    EXPECT_EQ(ids(".").size(), 8u);
    // Only the zones strictly below (child zones at any depth).
    auto below = [&](const std::string& name) {
        auto v = ids_of(store_->read()->zones_below(name));
        std::sort(v.begin(), v.end());
        return v;
    };
    EXPECT_EQ(below("example.org."), (std::vector<std::string>{"deep", "sub"}));
    EXPECT_EQ(below("sub.example.org."), (std::vector<std::string>{"deep"}));
    EXPECT_TRUE(below("a.b.sub.example.org.").empty());
    EXPECT_EQ(below(".").size(), 7u);
}

TEST_P(ZoneStoreTest, DeleteZoneCascadesToRecordSetsAndRecords) {
    auto z = make_zone("z1", "example.org.");
    write([&](WriteTxn& tx) {
        tx.insert_zone(z);
        tx.insert_recordset(make_recordset(z, "rs1", "www.example.org.", "A", {"192.0.2.1"}));
    });
    write([&](WriteTxn& tx) { tx.delete_zone("z1"); });
    auto r = store_->read();
    EXPECT_FALSE(r->get_zone("z1"));
    EXPECT_FALSE(r->get_recordset("rs1"));
    // The record id is free again: the record row went with its set.
    auto z2 = make_zone("z2", "example.org.");
    write([&](WriteTxn& tx) {
        tx.insert_zone(z2);
        tx.insert_recordset(make_recordset(z2, "rs1", "www.example.org.", "A", {"192.0.2.1"}));
    });
    EXPECT_EQ(store_->read()->get_recordset("rs1")->zone_id, "z2");
}

DNSPLANE_BOTH_BACKENDS(ZoneStoreTest);

}  // namespace
}  // namespace dnsplane::store::testing
