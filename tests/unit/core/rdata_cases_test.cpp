// The shared parameterized checks; each rdata_types_*_test.cpp instantiates
// them with its own tables.
#include "rdata_cases.h"

namespace dnsplane::core::testing {
namespace {

TEST_P(AcceptedRdata, CanonicalizesAndIsStable) {
    const auto& c = GetParam();
    std::string canonical = canonical_rdata(c.type, c.input, c.origin);
    EXPECT_EQ(canonical, c.canonical);
    // The canonical form is a fixed point (re-parsing it changes nothing).
    EXPECT_EQ(canonical_rdata(c.type, canonical), canonical);
}

TEST_P(RejectedRdata, FailsWithMessage) {
    const auto& c = GetParam();
    std::vector<std::string> words = c.key_words;
    words.push_back(c.type + " record");  // every message names the type
    EXPECT_TRUE(throws_invalid([&] { canonical_rdata(c.type, c.input, c.origin); }, words));
}

}  // namespace
}  // namespace dnsplane::core::testing
