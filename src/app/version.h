#pragma once

namespace dnsplane::app {

// Set from project(VERSION) in CMakeLists.txt.
inline constexpr const char* kVersion = DNSPLANE_VERSION;

}  // namespace dnsplane::app
