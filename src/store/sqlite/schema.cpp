#include "store/sqlite/schema.h"

namespace dnsplane::store::sqlite {
namespace {

// Version 1: the whole initial schema. Every index costs a page write per
// commit that touches its table, so record sets carry indexes only for the
// common paths: lookups by (zone, name, type) and by id, the default sort
// (created_at) in each scope, and name sorts; rarer sorts scan one zone.
const char* const kInitialSchema = R"SQL(
CREATE TABLE zones (
    id TEXT PRIMARY KEY NOT NULL,
    pool_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    name TEXT NOT NULL,
    rname TEXT NOT NULL,  -- name spelled backwards: descendants share a prefix
    email TEXT NOT NULL,
    ttl INTEGER NOT NULL,
    serial INTEGER NOT NULL,
    status TEXT NOT NULL,
    action TEXT NOT NULL,
    description TEXT NOT NULL,
    type TEXT NOT NULL,
    masters TEXT NOT NULL,  -- JSON array of strings
    transferred_at TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    refresh INTEGER NOT NULL,
    retry INTEGER NOT NULL,
    expire INTEGER NOT NULL,
    minimum INTEGER NOT NULL,
    recordset_count INTEGER NOT NULL DEFAULT 0  -- kept by the triggers below
);
CREATE UNIQUE INDEX zones_live_name ON zones(name) WHERE status <> 'DELETED';
CREATE INDEX zones_rname ON zones(rname);
CREATE INDEX zones_created ON zones(created_at, id);
CREATE INDEX zones_project_created ON zones(project_id, created_at, id);
CREATE INDEX zones_project_name ON zones(project_id, name, id);

-- Record sets and records are clustered by zone (WITHOUT ROWID): loading a
-- zone for the DNS server is two range scans, not one lookup per set.
CREATE TABLE recordsets (
    zone_id TEXT NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
    id TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL,
    zone_name TEXT NOT NULL,  -- copy of zones.name (zones are never renamed)
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    ttl INTEGER,  -- NULL: the zone's TTL applies
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    action TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    managed INTEGER NOT NULL,
    PRIMARY KEY (zone_id, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX recordsets_zone_name_type ON recordsets(zone_id, name, type);
CREATE INDEX recordsets_zone_created ON recordsets(zone_id, created_at, id);
CREATE INDEX recordsets_project_created ON recordsets(project_id, created_at, id);
CREATE INDEX recordsets_project_name ON recordsets(project_id, name, id);
CREATE INDEX recordsets_created ON recordsets(created_at, id);

CREATE TRIGGER recordsets_counted AFTER INSERT ON recordsets BEGIN
    UPDATE zones SET recordset_count = recordset_count + 1 WHERE id = NEW.zone_id;
END;
CREATE TRIGGER recordsets_uncounted AFTER DELETE ON recordsets BEGIN
    UPDATE zones SET recordset_count = recordset_count - 1 WHERE id = OLD.zone_id;
END;

CREATE TABLE records (
    zone_id TEXT NOT NULL,
    recordset_id TEXT NOT NULL,
    position INTEGER NOT NULL,  -- keeps the values in the order they were given
    id TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL,
    PRIMARY KEY (zone_id, recordset_id, position),
    FOREIGN KEY (zone_id, recordset_id) REFERENCES recordsets(zone_id, id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE zone_changes (
    seq INTEGER PRIMARY KEY,  -- rowid: always above every existing entry
    zone_id TEXT NOT NULL,  -- no foreign key: the deletion entry outlives the zone
    zone_name TEXT NOT NULL,
    old_serial INTEGER NOT NULL,
    new_serial INTEGER NOT NULL,
    removed TEXT NOT NULL,  -- JSON [[name, type, ttl, data], ...]
    added TEXT NOT NULL,
    zone_created INTEGER NOT NULL,
    zone_deleted INTEGER NOT NULL,
    committed_at TEXT NOT NULL
);
CREATE INDEX zone_changes_zone ON zone_changes(zone_id, seq);

CREATE TABLE tokens (
    id TEXT PRIMARY KEY NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL
);
)SQL";

// Version 2: metadata an API keeps with a record set and returns unchanged
// (the ExternalDNS webhook's labels and providerSpecific, as compact JSON;
// empty when none). Opaque to the store and to the DNS server.
const char* const kRecordSetProviderMeta = R"SQL(
ALTER TABLE recordsets ADD COLUMN provider_meta TEXT NOT NULL DEFAULT '';
)SQL";

// Version 3: the plug-in platform (issue 13): the change_committed outbox,
// per-zone event sequences (they survive acks), extension point bindings,
// tenants and the status probe's row.
const char* const kPlatformSchema = R"SQL(
CREATE TABLE hook_outbox (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    zone_id TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE hook_sequences (
    zone_id TEXT PRIMARY KEY NOT NULL,
    last INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE hook_bindings (
    addons_point TEXT PRIMARY KEY NOT NULL,
    plugin_id TEXT NOT NULL,
    plugin_version TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE tenants (
    id TEXT PRIMARY KEY NOT NULL,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE status_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at TEXT NOT NULL
);
)SQL";

// Version 7: users of the built-in identity endpoint (/identity/v3) and the
// user and expiry of the tokens it issues.
const char* const kUsersSchema = R"SQL(
CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL,
    project_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
ALTER TABLE tokens ADD COLUMN user_id TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';
)SQL";

}  // namespace

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> list = {
        {1, kInitialSchema},
        {2, kRecordSetProviderMeta},
        {3, kPlatformSchema},
        {7, kUsersSchema},
    };
    return list;
}

int schema_version(Connection& conn) {
    auto st = conn.prepare("PRAGMA user_version");
    st.step();
    return static_cast<int>(st.int64(0));
}

void migrate(Connection& conn) {
    const auto& list = migrations();
    const int newest = list.empty() ? 0 : list.back().version;
    for (const auto& m : list) {
        if (schema_version(conn) >= m.version) continue;
        // Re-checked under the write lock: another process may have migrated
        // the file between the check above and BEGIN IMMEDIATE.
        conn.exec("BEGIN IMMEDIATE");
        try {
            if (schema_version(conn) < m.version) {
                conn.exec(m.sql);
                conn.exec("PRAGMA user_version = " + std::to_string(m.version));
            }
            conn.exec("COMMIT");
        } catch (...) {
            conn.exec_quietly("ROLLBACK");
            throw;
        }
    }
    int found = schema_version(conn);
    if (found > newest) {
        throw core::Error(core::ErrorKind::Unavailable, "database_unavailable",
                          "schema version " + std::to_string(found) +
                              " is newer than this dnsplane supports (" + std::to_string(newest) +
                              ")");
    }
}

}  // namespace dnsplane::store::sqlite
