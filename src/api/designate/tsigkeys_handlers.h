// /v2/tsigkeys (Designate's TSIG key resource): admin CRUD; other callers
// may read the keys that concern them, without the secret.
#pragma once

#include "api/designate/handlers.h"

namespace dnsplane::designate::handlers {

http::Response create_tsigkey(const Context& ctx, const http::Request& req);
http::Response list_tsigkeys(const Context& ctx, const http::Request& req);
http::Response get_tsigkey(const Context& ctx, const http::Request& req);
http::Response update_tsigkey(const Context& ctx, const http::Request& req);
http::Response delete_tsigkey(const Context& ctx, const http::Request& req);

}  // namespace dnsplane::designate::handlers
