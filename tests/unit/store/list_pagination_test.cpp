// Keyset and offset pagination of record sets and zones: page boundaries in
// both directions, ties on the sort key, NULL sort values, total counts.
#include <algorithm>
#include <variant>

#include "store_fixture.h"

namespace dnsplane::store::testing {
namespace {

using SortValue = std::variant<std::int64_t, std::string>;

SortValue sort_value(const core::RecordSet& rs, const std::string& key) {
    if (key == "id") return rs.id;
    if (key == "name") return rs.name;
    if (key == "type") return rs.type;
    if (key == "ttl") return rs.ttl ? std::int64_t{*rs.ttl} : std::int64_t{-1};  // NULL first
    if (key == "status") return rs.status;
    if (key == "description") return rs.description;
    if (key == "zone_id") return rs.zone_id;
    if (key == "created_at") return rs.created_at;
    if (key == "updated_at") return rs.updated_at.value_or("");
    if (key == "version") return rs.version;
    ADD_FAILURE() << "no sort value for " << key;
    return rs.id;
}

class ListPaginationTest : public BackendTest {
  protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped()) return;
        // 30 sets in z1, 5 in z2 (same project), 4 in z3 (another project).
        // Many share a name, type, ttl, status or timestamp, so ties are the
        // rule and the id must break them.
        const char* types[] = {"A", "AAAA", "TXT"};
        write([&](WriteTxn& tx) {
            for (const auto& z : zones_) tx.insert_zone(z);
            int n = 0;
            auto add = [&](const core::Zone& z, int count) {
                for (int i = 0; i < count; ++i, ++n) {
                    char id[16];
                    std::snprintf(id, sizeof id, "rs%02d", (n * 17) % 97);  // scrambled ids
                    auto rs = make_recordset(z, id, "h" + std::to_string(i % 10) + "." + z.name,
                                             types[(i / 10) % 3], {"192.0.2." + std::to_string(i)});
                    if (i % 4) rs.ttl = static_cast<std::uint32_t>(300 * (i % 3));
                    rs.status = i % 5 ? "ACTIVE" : "PENDING";
                    rs.description = i % 2 ? "odd" : "even";
                    rs.created_at = "2026-01-0" + std::to_string(1 + i % 3) + "T00:00:00.000000";
                    if (i % 3 == 0) rs.updated_at = "2026-02-0" + std::to_string(1 + i % 2);
                    rs.version = 1 + i % 4;
                    tx.insert_recordset(rs);
                    all_.push_back(rs);
                }
            };
            add(zones_[0], 30);
            add(zones_[1], 5);
            add(zones_[2], 4);
        });
    }

    // Every id in `scope`, in the order the store must return them.
    std::vector<std::string> expected(const std::function<bool(const core::RecordSet&)>& in_scope,
                                      const std::string& key, bool descending) {
        std::vector<core::RecordSet> v;
        for (const auto& rs : all_)
            if (in_scope(rs)) v.push_back(rs);
        std::sort(v.begin(), v.end(), [&](const auto& a, const auto& b) {
            auto ka = sort_value(a, key), kb = sort_value(b, key);
            return ka != kb ? ka < kb : a.id < b.id;
        });
        if (descending) std::reverse(v.begin(), v.end());
        return ids_of(v);
    }

    // Follows markers from the first page to the last.
    std::vector<std::string> walk(ListQuery q, std::size_t expect_total) {
        std::vector<std::string> ids;
        for (int guard = 0; guard < 100; ++guard) {
            auto page = store_->read()->list_recordsets(q);
            EXPECT_EQ(page.total_count, expect_total);
            EXPECT_LE(page.items.size(), q.limit);
            for (const auto& rs : page.items) {
                ids.push_back(rs.id);
                EXPECT_EQ(rs.records.size(), 1u) << rs.id;
            }
            if (!page.has_more) return ids;
            EXPECT_EQ(page.items.size(), q.limit);
            q.marker = page.items.back().id;
        }
        ADD_FAILURE() << "pagination did not end";
        return ids;
    }

    std::vector<core::Zone> zones_ = {make_zone("z1", "example.org."),
                                      make_zone("z2", "example.net."),
                                      make_zone("z3", "example.com.", "p2")};
    std::vector<core::RecordSet> all_;
};

TEST_P(ListPaginationTest, KeysetPagesCoverEveryRowOnceInOrderForEverySortKey) {
    auto in_z1 = [](const core::RecordSet& rs) { return rs.zone_id == "z1"; };
    for (std::string key : {"created_at", "id", "name", "type", "ttl", "status", "description",
                            "updated_at", "version", "zone_id"}) {
        for (bool desc : {false, true}) {
            for (std::size_t limit : {1u, 4u, 7u, 30u, 1000u}) {
                ListQuery q;
                q.scope.zone_id = "z1";
                q.sort_key = key;
                q.descending = desc;
                q.limit = limit;
                EXPECT_EQ(walk(q, 30), expected(in_z1, key, desc))
                    << key << (desc ? " desc" : " asc") << " limit " << limit;
            }
        }
    }
}

TEST_P(ListPaginationTest, ProjectAndAllProjectScopes) {
    auto in_p1 = [](const core::RecordSet& rs) { return rs.project_id == "p1"; };
    auto any = [](const core::RecordSet&) { return true; };
    for (std::string key : {"zone_id", "name", "created_at", "ttl"}) {
        ListQuery q;
        q.scope.project_id = "p1";
        q.sort_key = key;
        q.limit = 6;
        EXPECT_EQ(walk(q, 35), expected(in_p1, key, false)) << key;
        q.scope.project_id.reset();
        q.descending = true;
        EXPECT_EQ(walk(q, 39), expected(any, key, true)) << key;
    }
}

TEST_P(ListPaginationTest, OffsetModeSkipsRowsAndIgnoresMarker) {
    auto in_z1 = [](const core::RecordSet& rs) { return rs.zone_id == "z1"; };
    auto order = expected(in_z1, "name", false);
    ListQuery q;
    q.scope.zone_id = "z1";
    q.sort_key = "name";
    q.limit = 8;
    q.offset = 8;
    q.marker = order[20];
    auto page = store_->read()->list_recordsets(q);
    EXPECT_EQ(ids_of(page.items), std::vector<std::string>(order.begin() + 8, order.begin() + 16));
    EXPECT_TRUE(page.has_more);
    EXPECT_EQ(page.total_count, 30u);

    q.offset = 24;
    page = store_->read()->list_recordsets(q);
    EXPECT_EQ(ids_of(page.items), std::vector<std::string>(order.begin() + 24, order.end()));
    EXPECT_FALSE(page.has_more);

    q.offset = 40;
    page = store_->read()->list_recordsets(q);
    EXPECT_TRUE(page.items.empty());
    EXPECT_FALSE(page.has_more);
    EXPECT_EQ(page.total_count, 30u);
}

TEST_P(ListPaginationTest, TotalCountIgnoresTheMarker) {
    ListQuery q;
    q.scope.zone_id = "z2";
    q.limit = 2;
    auto first = store_->read()->list_recordsets(q);
    q.marker = first.items.back().id;
    auto second = store_->read()->list_recordsets(q);
    EXPECT_EQ(first.total_count, 5u);
    EXPECT_EQ(second.total_count, 5u);
    EXPECT_EQ(second.items.size(), 2u);
}

TEST_P(ListPaginationTest, LastPageHasNoMoreAndExactFitToo) {
    ListQuery q;
    q.scope.zone_id = "z2";
    q.limit = 5;
    auto page = store_->read()->list_recordsets(q);
    EXPECT_EQ(page.items.size(), 5u);
    EXPECT_FALSE(page.has_more);
    q.limit = 4;
    EXPECT_TRUE(store_->read()->list_recordsets(q).has_more);
}

TEST_P(ListPaginationTest, UnknownOrOutOfScopeMarkerIsRejected) {
    ListQuery q;
    q.scope.zone_id = "z1";
    q.marker = "no-such-id";
    auto e = error_of([&] { store_->read()->list_recordsets(q); });
    EXPECT_EQ(e.kind(), core::ErrorKind::BadRequest);
    EXPECT_EQ(e.type(), "invalid_marker");

    // A real record set, but of another zone.
    std::string foreign;
    for (const auto& rs : all_)
        if (rs.zone_id == "z3") foreign = rs.id;
    q.marker = foreign;
    EXPECT_EQ(error_of([&] { store_->read()->list_recordsets(q); }).type(), "invalid_marker");
    q.scope = Scope{"p1", std::nullopt};
    EXPECT_EQ(error_of([&] { store_->read()->list_recordsets(q); }).type(), "invalid_marker");
}

TEST_P(ListPaginationTest, ZoneScopeWithAnotherProjectSeesNothing) {
    ListQuery q;
    q.scope = Scope{"p2", "z1"};  // z1 belongs to p1
    auto page = store_->read()->list_recordsets(q);
    EXPECT_TRUE(page.items.empty());
    EXPECT_EQ(page.total_count, 0u);
    EXPECT_FALSE(page.has_more);
    q.scope = Scope{"p1", "z1"};
    EXPECT_EQ(store_->read()->list_recordsets(q).total_count, 30u);
}

TEST_P(ListPaginationTest, TotalCountFollowsInsertsDeletesAndRollbacks) {
    ListQuery q;
    q.scope.zone_id = "z2";
    auto total = [&] { return store_->read()->list_recordsets(q).total_count; };
    EXPECT_EQ(total(), 5u);
    write([&](WriteTxn& tx) {
        tx.insert_recordset(make_recordset(zones_[1], "x1", "x1.example.net.", "A", {}));
        tx.insert_recordset(make_recordset(zones_[1], "x2", "x2.example.net.", "A", {}));
        tx.delete_recordset("x1");
    });
    EXPECT_EQ(total(), 6u);
    {
        auto tx = store_->write();
        tx->delete_recordset("x2");
        EXPECT_EQ(tx->count_recordsets("z2"), 5u);
    }
    EXPECT_EQ(total(), 6u);
    EXPECT_EQ(store_->read()->count_recordsets("z2"), 6u);
    q.filters = {{"type", "A"}};
    EXPECT_EQ(total(), 6u);
}

TEST_P(ListPaginationTest, SortKeysThatTheTableLacksAreRejected) {
    for (std::string key : {"serial", "email", "bogus", "id; DROP TABLE zones"}) {
        ListQuery q;
        q.sort_key = key;
        auto e = error_of([&] { store_->read()->list_recordsets(q); });
        EXPECT_EQ(e.kind(), core::ErrorKind::BadRequest) << key;
        EXPECT_EQ(e.type(), "invalid_sort_key") << key;
    }
    ListQuery q;
    q.sort_key = "zone_id";
    EXPECT_EQ(error_of([&] { store_->read()->list_zones(q); }).type(), "invalid_sort_key");
}

class ZoneListTest : public BackendTest {};

TEST_P(ZoneListTest, ZonesPageBySerialAndNameWithinProject) {
    std::vector<core::Zone> zones;
    write([&](WriteTxn& tx) {
        for (int i = 0; i < 12; ++i) {
            auto z = make_zone("z" + std::to_string(100 + i), "n" + std::to_string(i) + ".org.",
                               i < 9 ? "p1" : "p2");
            z.serial = static_cast<std::uint32_t>(1000 + i % 4);  // ties
            tx.insert_zone(z);
            zones.push_back(z);
        }
    });
    std::vector<core::Zone> p1(zones.begin(), zones.begin() + 9);
    std::sort(p1.begin(), p1.end(), [](const auto& a, const auto& b) {
        return a.serial != b.serial ? a.serial > b.serial : a.id > b.id;
    });

    ListQuery q;
    q.scope.project_id = "p1";
    q.sort_key = "serial";
    q.descending = true;
    q.limit = 2;
    std::vector<std::string> got;
    for (;;) {
        auto page = store_->read()->list_zones(q);
        EXPECT_EQ(page.total_count, 9u);
        for (const auto& z : page.items) got.push_back(z.id);
        if (!page.has_more) break;
        q.marker = page.items.back().id;
    }
    EXPECT_EQ(got, ids_of(p1));

    ListQuery all;
    all.sort_key = "name";
    all.limit = 100;
    auto page = store_->read()->list_zones(all);
    EXPECT_EQ(page.total_count, 12u);
    ASSERT_EQ(page.items.size(), 12u);
    EXPECT_TRUE(std::is_sorted(page.items.begin(), page.items.end(),
                               [](const auto& a, const auto& b) { return a.name < b.name; }));
}

TEST_P(ZoneListTest, ZonesSharedWithTheProjectJoinItsListWhenAsked) {
    // p1 owns n0..n4; p2 owns n5..n9 and shares n6 and n8 with p1 (and n7
    // with p3). Another kind of task naming p1 shares nothing.
    write([&](WriteTxn& tx) {
        for (int i = 0; i < 10; ++i) {
            auto z = make_zone("z" + std::to_string(100 + i), "n" + std::to_string(i) + ".org.",
                               i < 5 ? "p1" : "p2");
            z.serial = static_cast<std::uint32_t>(1000 + i % 3);  // ties
            tx.insert_zone(z);
        }
        auto task = [&](const std::string& id, const std::string& kind, const std::string& zone,
                        const std::string& target) {
            tx.insert_task(make_task(id, kind, zone, "p2", target, "2026-01-01T00:00:00.000000"));
        };
        task("s1", "share", "z106", "p1");
        task("s2", "share", "z108", "p1");
        task("s3", "share", "z107", "p3");
        task("t1", "transfer_request", "z109", "p1");
    });
    auto names = [&](ListQuery q) {
        std::vector<std::string> got;
        for (int guard = 0; guard < 20; ++guard) {
            auto page = store_->read()->list_zones(q);
            for (const auto& z : page.items) got.push_back(z.name);
            if (!page.has_more) break;
            q.marker = page.items.back().id;
        }
        return got;
    };
    ListQuery q;
    q.scope.project_id = "p1";
    q.sort_key = "name";
    q.limit = 2;
    EXPECT_EQ(names(q),
              (std::vector<std::string>{"n0.org.", "n1.org.", "n2.org.", "n3.org.", "n4.org."}));
    q.scope.with_shared_zones = true;
    EXPECT_EQ(store_->read()->list_zones(q).total_count, 7u);
    EXPECT_EQ(names(q), (std::vector<std::string>{"n0.org.", "n1.org.", "n2.org.", "n3.org.",
                                                  "n4.org.", "n6.org.", "n8.org."}));
    // A shared zone is a valid marker; filters and other sort keys apply.
    q.marker = "z106";
    EXPECT_EQ(names(q), (std::vector<std::string>{"n8.org."}));
    q.marker.reset();
    q.sort_key = "serial";
    q.descending = true;
    q.limit = 3;
    auto by_serial = names(q);
    EXPECT_EQ(by_serial.size(), 7u);
    q.filters = {{"name", "n*8.org."}};
    auto filtered = store_->read()->list_zones(q);
    EXPECT_EQ(filtered.total_count, 1u);
    ASSERT_EQ(filtered.items.size(), 1u);
    EXPECT_EQ(filtered.items[0].id, "z108");
    // Offset pages count shared zones too.
    q.filters.clear();
    q.sort_key = "name";
    q.descending = false;
    q.offset = 5;
    auto last = store_->read()->list_zones(q);
    EXPECT_EQ(last.total_count, 7u);
    ASSERT_EQ(last.items.size(), 2u);
    EXPECT_EQ(last.items[1].name, "n8.org.");
    // p3 sees its one shared zone; the flag does nothing for all projects.
    ListQuery p3;
    p3.scope.project_id = "p3";
    p3.scope.with_shared_zones = true;
    EXPECT_EQ(names(p3), std::vector<std::string>{"n7.org."});
    ListQuery all;
    all.scope.with_shared_zones = true;
    EXPECT_EQ(store_->read()->list_zones(all).total_count, 10u);
}

DNSPLANE_BOTH_BACKENDS(ListPaginationTest);
DNSPLANE_BOTH_BACKENDS(ZoneListTest);

}  // namespace
}  // namespace dnsplane::store::testing
