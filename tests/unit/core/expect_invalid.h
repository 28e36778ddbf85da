// Test helper: runs a callable that must throw core::Error of kind Invalid and
// checks that its message names the problem (contains every key word).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/error.h"

namespace dnsplane::core::testing {

inline ::testing::AssertionResult throws_invalid(const std::function<void()>& call,
                                                 const std::vector<std::string>& key_words) {
    try {
        call();
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::Invalid)
            return ::testing::AssertionFailure() << "wrong error kind for: " << e.what();
        if (e.type() != "invalid_object")
            return ::testing::AssertionFailure() << "wrong error type " << e.type();
        std::string message = e.what();
        for (const auto& word : key_words)
            if (message.find(word) == std::string::npos)
                return ::testing::AssertionFailure()
                       << "message \"" << message << "\" lacks \"" << word << "\"";
        return ::testing::AssertionSuccess() << message;
    } catch (const std::exception& e) {
        return ::testing::AssertionFailure() << "threw a non-core error: " << e.what();
    }
    return ::testing::AssertionFailure() << "did not throw";
}

}  // namespace dnsplane::core::testing
