// Query parsing and collection links.
#include <gtest/gtest.h>

#include "api/designate/pagination.h"
#include "core/error.h"
#include "request_builder.h"

namespace dnsplane::designate {
namespace {

using testing::make_request;

core::Error list_error(const std::string& target, const CollectionSpec& spec = zone_collection()) {
    try {
        parse_list_request(make_request("GET", target), spec);
    } catch (const core::Error& e) {
        return e;
    }
    ADD_FAILURE() << "expected an error for " << target;
    return core::Error(core::ErrorKind::Internal, "none", "none");
}

TEST(ParseList, Defaults) {
    auto list = parse_list_request(make_request("GET", "/v2/zones"), zone_collection());
    EXPECT_EQ(list.query.limit, 20u);
    EXPECT_EQ(list.query.sort_key, "created_at");
    EXPECT_FALSE(list.query.descending);
    EXPECT_FALSE(list.query.marker);
    EXPECT_FALSE(list.query.offset);
    EXPECT_FALSE(list.page_mode);
    EXPECT_TRUE(list.query.filters.empty());
}

TEST(ParseList, LimitRules) {
    auto big = parse_list_request(make_request("GET", "/v2/zones?limit=5000"), zone_collection());
    EXPECT_EQ(big.query.limit, 1000u);
    auto max = parse_list_request(make_request("GET", "/v2/zones?limit=max"), zone_collection());
    EXPECT_EQ(max.query.limit, 1000u);
    for (const char* bad : {"/v2/zones?limit=0", "/v2/zones?limit=-1", "/v2/zones?limit=abc",
                            "/v2/zones?limit=1.5", "/v2/zones?limit="}) {
        auto e = list_error(bad);
        EXPECT_EQ(e.type(), "invalid_limit") << bad;
        EXPECT_EQ(e.kind(), core::ErrorKind::BadRequest) << bad;
    }
}

TEST(ParseList, SortKeyAndDir) {
    auto list = parse_list_request(make_request("GET", "/v2/zones?sort_key=name&sort_dir=desc"),
                                   zone_collection());
    EXPECT_EQ(list.query.sort_key, "name");
    EXPECT_TRUE(list.query.descending);
    EXPECT_EQ(list_error("/v2/zones?sort_key=colour").type(), "invalid_sort_key");
    EXPECT_EQ(list_error("/v2/zones?sort_dir=up").type(), "invalid_sort_dir");
    // serial sorts zones but is no record set key
    EXPECT_EQ(list_error("/v2/recordsets?sort_key=serial", recordset_collection()).type(),
              "invalid_sort_key");
}

TEST(ParseList, FiltersNormalisedUnknownIgnored) {
    auto list = parse_list_request(
        make_request("GET", "/v2/zones?name=Example.ORG&type=primary&colour=blue&email=A%40b.c"),
        zone_collection());
    ASSERT_EQ(list.query.filters.size(), 3u);
    EXPECT_EQ(list.query.filters[0], (std::pair<std::string, std::string>{"name", "example.org."}));
    EXPECT_EQ(list.query.filters[1], (std::pair<std::string, std::string>{"type", "PRIMARY"}));
    EXPECT_EQ(list.query.filters[2], (std::pair<std::string, std::string>{"email", "A@b.c"}));
    auto wildcard =
        parse_list_request(make_request("GET", "/v2/zones?name=ex*"), zone_collection());
    EXPECT_EQ(wildcard.query.filters[0].second, "ex*");
    EXPECT_EQ(list_error("/v2/zones?ttl=abc").kind(), core::ErrorKind::BadRequest);
}

TEST(ParseList, ZoneIdFilterScopesAllRecordSets) {
    auto list = parse_list_request(make_request("GET", "/v2/recordsets?zone_id=abc&data=1.2.3.4"),
                                   all_recordsets_collection());
    EXPECT_EQ(list.query.scope.zone_id, "abc");
    ASSERT_EQ(list.query.filters.size(), 1u);
    EXPECT_EQ(list.query.filters[0].first, "data");
    // the zone-scoped collection does not take zone_id from the query
    auto scoped = parse_list_request(make_request("GET", "/v2/zones/x/recordsets?zone_id=abc"),
                                     recordset_collection());
    EXPECT_FALSE(scoped.query.scope.zone_id);
}

TEST(ParseList, PageStyle) {
    auto list =
        parse_list_request(make_request("GET", "/v2/zones?page=3&per_page=10"), zone_collection());
    EXPECT_TRUE(list.page_mode);
    EXPECT_EQ(list.query.limit, 10u);
    EXPECT_EQ(list.query.offset, 20u);
    EXPECT_EQ(list_error("/v2/zones?page=0").type(), "bad_request");
    EXPECT_EQ(list_error("/v2/zones?per_page=0").type(), "invalid_limit");
    EXPECT_EQ(list_error("/v2/zones?per_page=1001").type(), "invalid_limit");
    EXPECT_EQ(list_error("/v2/zones?page=2&marker=abc").type(), "bad_request");
    EXPECT_EQ(list_error("/v2/zones?page=2&limit=3").type(), "bad_request");
}

TEST(Links, NextOnlyWhenMoreAndRepeatsFilters) {
    auto req = make_request("GET", "/v2/zones?name=a*&limit=2&colour=x&sort_dir=desc");
    auto list = parse_list_request(req, zone_collection());
    auto none = collection_links(req, list, false, "id2");
    EXPECT_EQ(none.at("self").as_string(),
              "http://dns.test:9001/v2/zones?name=a*&limit=2&colour=x&sort_dir=desc");
    EXPECT_FALSE(none.contains("next"));
    auto more = collection_links(req, list, true, "id2");
    EXPECT_EQ(more.at("next").as_string(),
              "http://dns.test:9001/v2/zones?name=a*&sort_dir=desc&limit=2&marker=id2");
}

TEST(Links, DefaultLimitAppearsInNext) {
    auto req = make_request("GET", "/v2/zones/z/recordsets");
    auto list = parse_list_request(req, recordset_collection());
    auto links = collection_links(req, list, true, "last");
    EXPECT_EQ(links.at("next").as_string(),
              "http://dns.test:9001/v2/zones/z/recordsets?limit=20&marker=last");
}

TEST(Links, PageStyleNextAndPrevious) {
    auto req = make_request("GET", "/v2/zones?type=PRIMARY&page=2&per_page=5");
    auto list = parse_list_request(req, zone_collection());
    auto links = collection_links(req, list, true, "x");
    EXPECT_EQ(links.at("next").as_string(),
              "http://dns.test:9001/v2/zones?type=PRIMARY&per_page=5&page=3");
    EXPECT_EQ(links.at("previous").as_string(),
              "http://dns.test:9001/v2/zones?type=PRIMARY&per_page=5&page=1");
    auto first = parse_list_request(make_request("GET", "/v2/zones?page=1"), zone_collection());
    auto first_links = collection_links(req, first, false, "x");
    EXPECT_FALSE(first_links.contains("next"));
    EXPECT_FALSE(first_links.contains("previous"));
}

TEST(EncodeQuery, EscapesReservedCharacters) {
    EXPECT_EQ(encode_query({{"name", "a b&c=d"}, {"data", "10 mx.example.org."}}),
              "name=a%20b%26c%3Dd&data=10%20mx.example.org.");
    EXPECT_EQ(encode_query({{"name", "*.example.org."}}), "name=*.example.org.");
}

TEST(CollectionDocument, CarriesTotalCount) {
    auto req = make_request("GET", "/v2/zones");
    auto list = parse_list_request(req, zone_collection());
    auto doc = collection_document("zones", boost::json::array{}, req, list, 42, false, "");
    EXPECT_TRUE(doc.at("zones").as_array().empty());
    EXPECT_EQ(doc.at("metadata").at("total_count").to_number<int>(), 42);
    EXPECT_FALSE(doc.at("links").as_object().contains("next"));
}

}  // namespace
}  // namespace dnsplane::designate
