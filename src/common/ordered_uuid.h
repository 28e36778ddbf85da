// Identifiers for stored rows that sort in the order they were made.
#pragma once

#include <string>

namespace dnsplane::common {

// RFC 9562 version 7: 48 bits of Unix milliseconds, a 12-bit sequence that
// keeps ids made within one millisecond increasing (in this process), then 62
// random bits. Rows keyed by these ids are appended at the right edge of their
// b-trees instead of landing on random pages, which is what makes inserting a
// large change set cheap. Not for secrets: use random_token or new_uuid.
std::string new_ordered_uuid();

}  // namespace dnsplane::common
