// Boost.JSON and Boost.URL compiled once, header-only style, so no Boost
// shared libraries beyond the Debian headers are needed.
#include <boost/json/src.hpp>
#include <boost/url/src.hpp>
