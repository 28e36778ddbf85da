// Chooses the store implementation from the database URL's scheme.
#include <string_view>

#include "core/error.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace dnsplane::store {

std::unique_ptr<Store> open_store(const std::string& url) {
    if (url.starts_with("sqlite:")) {
        return sqlite::open_sqlite_store(sqlite::sqlite_options_from_url(url));
    }
    if (url.starts_with("postgresql:") || url.starts_with("postgres:")) {
        // The URL is not echoed: it may carry a password.
        throw core::Error(core::ErrorKind::Unavailable, "database_unavailable",
                          "cannot open database: PostgreSQL is not supported yet; use a "
                          "sqlite: URL");
    }
    throw core::Error(core::ErrorKind::Unavailable, "database_unavailable",
                      "cannot open database '" + url +
                          "': the URL must name its kind, e.g. sqlite:///var/lib/dnsplane/"
                          "dnsplane.db or sqlite://relative/path.db");
}

}  // namespace dnsplane::store
