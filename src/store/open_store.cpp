// Chooses the store implementation from the database URL's scheme.
#include <string_view>

#include "core/error.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace dnsplane::store {

std::unique_ptr<Store> open_store(const std::string& url) {
    if (url.starts_with("sqlite:")) {
        return sqlite::open_sqlite_store(sqlite::sqlite_options_from_url(url));
    }
    if (url.starts_with("postgresql:") || url.starts_with("postgres:")) {
        // The URL is never echoed: it may carry a password.
        return postgres::open_postgres_store(url);
    }
    throw core::Error(core::ErrorKind::Unavailable, "database_unavailable",
                      "cannot open database '" + url +
                          "': the URL must name its kind, e.g. sqlite:///var/lib/dnsplane/"
                          "dnsplane.db, sqlite://relative/path.db or postgresql://host/db");
}

std::string redacted_url(const std::string& url) {
    std::string out = url;
    auto scheme = out.find("://");
    if (scheme != std::string::npos) {
        auto start = scheme + 3;
        auto at = out.find('@', start);
        auto slash = out.find('/', start);
        if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
            auto colon = out.find(':', start);
            if (colon != std::string::npos && colon < at)
                out.replace(colon + 1, at - colon - 1, "***");
        }
    }
    for (std::string key : {"password="}) {
        for (auto pos = out.find(key); pos != std::string::npos; pos = out.find(key, pos + 1)) {
            if (pos > 0 && out[pos - 1] != '?' && out[pos - 1] != '&' && out[pos - 1] != ' ')
                continue;
            auto end = out.find_first_of("& ", pos);
            out.replace(pos + key.size(),
                        (end == std::string::npos ? out.size() : end) - pos - key.size(), "***");
        }
    }
    return out;
}

}  // namespace dnsplane::store
