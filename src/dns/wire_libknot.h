// The one way to include libknot and libzscanner from C++: their 3.2 headers
// carry no extern "C" guards, so a bare #include gives C++ linkage and the
// link fails. Include this header instead of <libknot/libknot.h>.
#pragma once

extern "C" {
#include <libknot/libknot.h>
#include <libzscanner/scanner.h>
}
