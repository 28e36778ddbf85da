// The message-framing decision of RFC 9112, in one place: given a request
// head as received, either accept it (and say where the request goes) or
// reject it with 400 and close the connection. Runs before any body byte is
// read, so a request whose length cannot be known for sure is never served.
//
// Boost.Beast's parser already refuses some of these heads on its own
// (Content-Length followed by Transfer-Encoding, chunked followed by
// Content-Length, different Content-Length values, a malformed
// Content-Length); the rules here repeat those so the decision does not
// depend on the parser, and add what Beast leaves through: Transfer-Encoding
// on HTTP/1.0, Transfer-Encoding not ending in chunked or carrying other
// codings, non-chunked Transfer-Encoding with Content-Length, obsolete line
// folding, Host rules and request-target forms.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dnsplane::http {

// The request head as received: the start line and every field line in
// order (repeated fields stay separate), values without surrounding blanks.
struct RequestHead {
    std::string_view method;
    std::string_view target;
    unsigned version = 11;  // 10 * major + minor
    std::vector<std::pair<std::string_view, std::string_view>> fields;
    bool obs_fold = false;  // a field line was continued with SP/HTAB (see has_obs_fold)
};

enum class TargetForm { Origin, Absolute, Asterisk };

struct Framing {
    bool accept = false;
    std::string reason;  // why a head is rejected; for the 400 body
    TargetForm form = TargetForm::Origin;
    // Accepted: the target in origin-form ("/path?query"; "*" for asterisk-form)
    // and the effective host[:port] (the absolute-form authority, else Host).
    std::string origin;
    std::string host;
    bool chunked = false;  // the body is chunked (else Content-Length or none)
};

// Every rule, in order; the first that fails gives the reason:
// - HTTP/1.x only;
// - no obsolete line folding (RFC 9112 5.2);
// - Transfer-Encoding: not on HTTP/1.0 (6.1), not with Content-Length (6.3),
//   exactly "chunked" (a final coding other than chunked, or any coding we do
//   not implement, is 400: we never guess a body length);
// - Content-Length: a comma list of decimal lengths, all equal (6.3);
// - Host: at most one field line, required on HTTP/1.1, a valid uri-host[:port] (3.2);
// - request-target (3.2): origin-form; absolute-form with http/https (its
//   authority replaces Host); asterisk-form only for OPTIONS; CONNECT and
//   authority-form are not served.
Framing decide_framing(const RequestHead& head);

// True when a field line of `raw_head` (the bytes from the request line to
// the blank line) begins with SP or HTAB: obsolete line folding, or
// whitespace between the start line and the first field.
bool has_obs_fold(std::string_view raw_head);

// End of the request head in `data` (just past the blank line that closes it),
// or npos while it is incomplete. A bare-LF blank line also ends it, so the
// parser can refuse such a head at once instead of waiting for more.
std::size_t request_head_end(std::string_view data);

}  // namespace dnsplane::http
