// Table-driven rdata test cases shared by the per-type test files.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "core/rdata.h"
#include "expect_invalid.h"

namespace dnsplane::core::testing {

// `input` in presentation form canonicalizes to `canonical`.
struct Accepted {
    std::string type;
    std::string input;
    std::string canonical;
    std::string origin = {};
};

// `input` is rejected; the message contains every key word.
struct Rejected {
    std::string type;
    std::string input;
    std::vector<std::string> key_words;
    std::string origin = {};
};

inline void PrintTo(const Accepted& c, std::ostream* os) {
    *os << c.type << " '" << c.input << "'";
}
inline void PrintTo(const Rejected& c, std::ostream* os) {
    *os << c.type << " '" << c.input << "'";
}

class AcceptedRdata : public ::testing::TestWithParam<Accepted> {};
class RejectedRdata : public ::testing::TestWithParam<Rejected> {};

}  // namespace dnsplane::core::testing
