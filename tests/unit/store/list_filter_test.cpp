// List filters: exact matches, `*` wildcards, literal % and _ in values,
// record data, numeric ttl, and total_count under filters.
#include <algorithm>

#include "store_fixture.h"

namespace dnsplane::store::testing {
namespace {

class ListFilterTest : public BackendTest {
  protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped()) return;
        auto z1 = make_zone("z1", "example.org.");
        auto z2 = make_zone("z2", "example.net.");
        z2.email = "ops_team@example.net";
        z2.description = "100% uptime";
        auto z3 = make_zone("z3", "test.org.");
        z3.email = "opsXteam@test.org";
        z3.description = "100 percent";
        z3.ttl = 60;
        write([&](WriteTxn& tx) {
            tx.insert_zone(z1);
            tx.insert_zone(z2);
            tx.insert_zone(z3);
            auto add = [&](const char* id, const char* name, const char* type,
                           std::vector<std::string> data, std::optional<std::uint32_t> ttl,
                           const char* description) {
                auto rs = make_recordset(z1, id, name, type, data);
                rs.ttl = ttl;
                rs.description = description;
                tx.insert_recordset(rs);
            };
            add("a", "www.example.org.", "A", {"192.0.2.1", "192.0.2.2"}, 300, "web_1");
            add("b", "www.example.org.", "AAAA", {"2001:db8::1"}, 300, "web-1");
            add("c", "mail.example.org.", "A", {"192.0.2.10"}, std::nullopt, "mail");
            add("d", "example.org.", "MX", {"10 mail.example.org."}, 3600, "50% off");
            add("e", "_sip._tcp.example.org.", "SRV", {"0 5 5060 sip.example.org."}, 60,
                "back\\slash");
        });
    }

    std::vector<std::string> recordset_ids(
        std::vector<std::pair<std::string, std::string>> filters) {
        ListQuery q;
        q.scope.zone_id = "z1";
        q.filters = std::move(filters);
        q.sort_key = "id";
        auto page = store_->read()->list_recordsets(q);
        EXPECT_EQ(page.total_count, page.items.size());
        return ids_of(page.items);
    }

    std::vector<std::string> zone_ids(std::vector<std::pair<std::string, std::string>> filters) {
        ListQuery q;
        q.filters = std::move(filters);
        q.sort_key = "id";
        auto page = store_->read()->list_zones(q);
        EXPECT_EQ(page.total_count, page.items.size());
        return ids_of(page.items);
    }

    using V = std::vector<std::string>;
};

TEST_P(ListFilterTest, ExactNameAndType) {
    EXPECT_EQ(recordset_ids({{"name", "www.example.org."}}), (V{"a", "b"}));
    EXPECT_EQ(recordset_ids({{"name", "www.example.org."}, {"type", "AAAA"}}), (V{"b"}));
    EXPECT_EQ(recordset_ids({{"name", "www.example"}}), V{});
}

TEST_P(ListFilterTest, WildcardsMatchAnyRun) {
    EXPECT_EQ(recordset_ids({{"name", "*.example.org."}}), (V{"a", "b", "c", "e"}));
    EXPECT_EQ(recordset_ids({{"name", "*example.org."}}), (V{"a", "b", "c", "d", "e"}));
    EXPECT_EQ(recordset_ids({{"name", "m*"}}), (V{"c"}));
    EXPECT_EQ(recordset_ids({{"name", "*ww*"}}), (V{"a", "b"}));
    EXPECT_EQ(recordset_ids({{"description", "web*"}}), (V{"a", "b"}));
    EXPECT_EQ(zone_ids({{"name", "*.org."}}), (V{"z1", "z3"}));
}

TEST_P(ListFilterTest, WildcardMatchingIgnoresAsciiCase) {
    EXPECT_EQ(recordset_ids({{"name", "WWW*"}}), (V{"a", "b"}));
}

TEST_P(ListFilterTest, PercentUnderscoreAndBackslashAreLiteral) {
    // `_` would match any one character in raw LIKE ("web-1" too).
    EXPECT_EQ(recordset_ids({{"description", "web_*"}}), (V{"a"}));
    EXPECT_EQ(recordset_ids({{"description", "web_1"}}), (V{"a"}));
    EXPECT_EQ(recordset_ids({{"description", "50%*"}}), (V{"d"}));
    EXPECT_EQ(recordset_ids({{"description", "*%*"}}), (V{"d"}));
    EXPECT_EQ(recordset_ids({{"description", "back\\*"}}), (V{"e"}));
    EXPECT_EQ(recordset_ids({{"name", "_*"}}), (V{"e"}));
    EXPECT_EQ(zone_ids({{"email", "ops_team*"}}), (V{"z2"}));
    EXPECT_EQ(zone_ids({{"email", "ops*team*"}}), (V{"z2", "z3"}));
    EXPECT_EQ(zone_ids({{"description", "100%*"}}), (V{"z2"}));
}

TEST_P(ListFilterTest, StarIsLiteralForExactOnlyAttributes) {
    EXPECT_EQ(recordset_ids({{"type", "A*"}}), V{});
    EXPECT_EQ(recordset_ids({{"status", "*"}}), V{});
}

TEST_P(ListFilterTest, DataMatchesRecordSetsHavingSuchARecord) {
    EXPECT_EQ(recordset_ids({{"data", "192.0.2.2"}}), (V{"a"}));
    EXPECT_EQ(recordset_ids({{"data", "192.0.2.1*"}}), (V{"a", "c"}));
    EXPECT_EQ(recordset_ids({{"data", "*mail.example.org."}}), (V{"d"}));
    EXPECT_EQ(recordset_ids({{"data", "192.0.2.1"}, {"type", "AAAA"}}), V{});
    // The matching record set keeps all its records, not just the match.
    ListQuery q;
    q.scope.zone_id = "z1";
    q.filters = {{"data", "192.0.2.2"}};
    EXPECT_EQ(store_->read()->list_recordsets(q).items.at(0).records.size(), 2u);
}

TEST_P(ListFilterTest, DataFilterPagesByKeysetInZoneAndProjectScope) {
    for (bool zone_scope : {true, false}) {
        ListQuery q;
        if (zone_scope)
            q.scope.zone_id = "z1";
        else
            q.scope.project_id = "p1";
        q.filters = {{"data", "192.0.2.*"}};
        q.sort_key = "name";
        q.descending = true;
        q.limit = 1;
        std::vector<std::string> ids;
        for (;;) {
            auto page = store_->read()->list_recordsets(q);
            EXPECT_EQ(page.total_count, 2u);
            for (const auto& rs : page.items) ids.push_back(rs.id);
            if (!page.has_more) break;
            q.marker = ids.back();
        }
        // www (a) sorts after mail (c) by name, descending first.
        EXPECT_EQ(ids, (V{"a", "c"})) << (zone_scope ? "zone" : "project");
    }
}

TEST_P(ListFilterTest, TtlIsNumeric) {
    EXPECT_EQ(recordset_ids({{"ttl", "300"}}), (V{"a", "b"}));
    EXPECT_EQ(recordset_ids({{"ttl", "0300"}}), (V{"a", "b"}));
    EXPECT_EQ(zone_ids({{"ttl", "60"}}), (V{"z3"}));
    auto e = error_of([&] { recordset_ids({{"ttl", "3OO"}}); });
    EXPECT_EQ(e.kind(), core::ErrorKind::BadRequest);
    EXPECT_EQ(e.type(), "invalid_filter");
}

TEST_P(ListFilterTest, UnknownAttributeIsRejected) {
    auto e = error_of([&] { recordset_ids({{"email", "x"}}); });
    EXPECT_EQ(e.kind(), core::ErrorKind::BadRequest);
    EXPECT_EQ(e.type(), "invalid_filter");
    EXPECT_EQ(error_of([&] { zone_ids({{"data", "x"}}); }).type(), "invalid_filter");
}

TEST_P(ListFilterTest, TotalCountCountsFilteredRowsAcrossPages) {
    ListQuery q;
    q.scope.zone_id = "z1";
    q.filters = {{"name", "*.example.org."}};
    q.limit = 1;
    auto page = store_->read()->list_recordsets(q);
    EXPECT_EQ(page.items.size(), 1u);
    EXPECT_EQ(page.total_count, 4u);
    EXPECT_TRUE(page.has_more);
}

DNSPLANE_BOTH_BACKENDS(ListFilterTest);

}  // namespace
}  // namespace dnsplane::store::testing
