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

// PostgreSQL forms of migrations 1-3 (see schema.h for the conventions).
const char* const kInitialSchemaPg = R"SQL(
CREATE TABLE zones (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    pool_id TEXT COLLATE "C" NOT NULL,
    project_id TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    rname TEXT COLLATE "C" NOT NULL,
    email TEXT COLLATE "C" NOT NULL,
    ttl BIGINT NOT NULL,
    serial BIGINT NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    action TEXT COLLATE "C" NOT NULL,
    description TEXT COLLATE "C" NOT NULL,
    type TEXT COLLATE "C" NOT NULL,
    masters TEXT COLLATE "C" NOT NULL,
    transferred_at TEXT COLLATE "C",
    version BIGINT NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C",
    refresh BIGINT NOT NULL,
    retry BIGINT NOT NULL,
    expire BIGINT NOT NULL,
    minimum BIGINT NOT NULL,
    recordset_count BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX zones_live_name ON zones(name) WHERE status <> 'DELETED';
CREATE INDEX zones_rname ON zones(rname);
CREATE INDEX zones_created ON zones(created_at, id);
CREATE INDEX zones_project_created ON zones(project_id, created_at, id);
CREATE INDEX zones_project_name ON zones(project_id, name, id);

CREATE TABLE recordsets (
    zone_id TEXT COLLATE "C" NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
    id TEXT COLLATE "C" NOT NULL UNIQUE,
    project_id TEXT COLLATE "C" NOT NULL,
    zone_name TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    type TEXT COLLATE "C" NOT NULL,
    ttl BIGINT,
    description TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    action TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C",
    managed BIGINT NOT NULL,
    PRIMARY KEY (zone_id, id)
);
CREATE UNIQUE INDEX recordsets_zone_name_type ON recordsets(zone_id, name, type);
CREATE INDEX recordsets_zone_created ON recordsets(zone_id, created_at, id);
CREATE INDEX recordsets_project_created ON recordsets(project_id, created_at, id);
CREATE INDEX recordsets_project_name ON recordsets(project_id, name, id);
CREATE INDEX recordsets_created ON recordsets(created_at, id);

CREATE FUNCTION dnsplane_count_recordsets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE zones SET recordset_count = recordset_count + 1 WHERE id = NEW.zone_id;
    ELSE
        UPDATE zones SET recordset_count = recordset_count - 1 WHERE id = OLD.zone_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER recordsets_counted AFTER INSERT OR DELETE ON recordsets
    FOR EACH ROW EXECUTE FUNCTION dnsplane_count_recordsets();

CREATE TABLE records (
    zone_id TEXT COLLATE "C" NOT NULL,
    recordset_id TEXT COLLATE "C" NOT NULL,
    position BIGINT NOT NULL,
    id TEXT COLLATE "C" NOT NULL UNIQUE,
    data TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (zone_id, recordset_id, position),
    FOREIGN KEY (zone_id, recordset_id) REFERENCES recordsets(zone_id, id) ON DELETE CASCADE
);

CREATE TABLE zone_changes (
    seq BIGSERIAL PRIMARY KEY,
    zone_id TEXT COLLATE "C" NOT NULL,
    zone_name TEXT COLLATE "C" NOT NULL,
    old_serial BIGINT NOT NULL,
    new_serial BIGINT NOT NULL,
    removed TEXT COLLATE "C" NOT NULL,
    added TEXT COLLATE "C" NOT NULL,
    zone_created BIGINT NOT NULL,
    zone_deleted BIGINT NOT NULL,
    committed_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX zone_changes_zone ON zone_changes(zone_id, seq);

CREATE TABLE tokens (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    hash TEXT COLLATE "C" NOT NULL UNIQUE,
    project_id TEXT COLLATE "C" NOT NULL,
    role TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);
)SQL";

const char* const kRecordSetProviderMetaPg = R"SQL(
ALTER TABLE recordsets ADD COLUMN provider_meta TEXT COLLATE "C" NOT NULL DEFAULT '';
)SQL";

const char* const kPlatformSchemaPg = R"SQL(
CREATE TABLE hook_outbox (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT COLLATE "C" NOT NULL UNIQUE,
    zone_id TEXT COLLATE "C" NOT NULL,
    sequence BIGINT NOT NULL,
    payload TEXT COLLATE "C" NOT NULL
);
CREATE TABLE hook_sequences (
    zone_id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    last BIGINT NOT NULL
);
CREATE TABLE hook_bindings (
    addons_point TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    plugin_id TEXT COLLATE "C" NOT NULL,
    plugin_version TEXT COLLATE "C" NOT NULL,
    endpoint TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);
CREATE TABLE tenants (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL
);
CREATE TABLE status_probe (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    at TEXT COLLATE "C" NOT NULL
);
)SQL";

// Version 6: Designate zone tasks and grants (issue 16): imports, exports,
// transfer requests and accepts, and zone shares, one row each (store::ZoneTask).
const char* const kZoneTasksSchema = R"SQL(
CREATE TABLE zone_tasks (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    project_id TEXT NOT NULL,
    zone_id TEXT NOT NULL,  -- '' when none
    zone_name TEXT NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL,
    target_project_id TEXT NOT NULL,
    task_key TEXT NOT NULL,
    description TEXT NOT NULL,
    request_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT
);
CREATE INDEX zone_tasks_kind ON zone_tasks(kind, created_at, id);
CREATE INDEX zone_tasks_zone ON zone_tasks(zone_id, kind);
CREATE UNIQUE INDEX zone_tasks_one_share ON zone_tasks(zone_id, target_project_id)
    WHERE kind = 'share';
)SQL";
const char* const kZoneTasksSchemaPg = R"SQL(
CREATE TABLE zone_tasks (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    project_id TEXT COLLATE "C" NOT NULL,
    zone_id TEXT COLLATE "C" NOT NULL,  -- '' when none
    zone_name TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    message TEXT COLLATE "C" NOT NULL,
    target_project_id TEXT COLLATE "C" NOT NULL,
    task_key TEXT COLLATE "C" NOT NULL,
    description TEXT COLLATE "C" NOT NULL,
    request_id TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C"
);
CREATE INDEX zone_tasks_kind ON zone_tasks(kind, created_at, id);
CREATE INDEX zone_tasks_zone ON zone_tasks(zone_id, kind);
CREATE UNIQUE INDEX zone_tasks_one_share ON zone_tasks(zone_id, target_project_id)
    WHERE kind = 'share';
)SQL";

// Version 5: Designate admin resources (issue 16): TLDs, blacklists,
// per-project quota overrides, pools created through the API. Names and
// patterns are unique; ns_records and attributes are JSON text.
const char* const kAdminSchema = R"SQL(
CREATE TABLE tlds (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT
);
CREATE TABLE blacklists (
    id TEXT PRIMARY KEY NOT NULL,
    pattern TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT
);
CREATE TABLE quotas (
    project_id TEXT NOT NULL,
    resource TEXT NOT NULL,
    hard_limit INTEGER NOT NULL,
    PRIMARY KEY (project_id, resource)
);
CREATE TABLE pools (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    project_id TEXT NOT NULL,
    ns_records TEXT NOT NULL,  -- JSON [[hostname, priority], ...]
    attributes TEXT NOT NULL,  -- JSON {"key": "value", ...}
    created_at TEXT NOT NULL,
    updated_at TEXT
);
)SQL";

// Version 4: TSIG keys (Designate /v2/tsigkeys; RFC 2136 UPDATE and signed
// transfers). Names are unique case-insensitively (they are DNS names).
const char* const kTsigKeySchema = R"SQL(
CREATE TABLE tsig_keys (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    lname TEXT NOT NULL UNIQUE,
    algorithm TEXT NOT NULL,
    secret TEXT NOT NULL,
    scope TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT
);
)SQL";
const char* const kTsigKeySchemaPg = R"SQL(
CREATE TABLE tsig_keys (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    lname TEXT COLLATE "C" NOT NULL UNIQUE,
    algorithm TEXT COLLATE "C" NOT NULL,
    secret TEXT COLLATE "C" NOT NULL,
    scope TEXT COLLATE "C" NOT NULL,
    resource_id TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C"
);
)SQL";

const char* const kAdminSchemaPg = R"SQL(
CREATE TABLE tlds (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    name TEXT COLLATE "C" NOT NULL UNIQUE,
    description TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C"
);
CREATE TABLE blacklists (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    pattern TEXT COLLATE "C" NOT NULL UNIQUE,
    description TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C"
);
CREATE TABLE quotas (
    project_id TEXT COLLATE "C" NOT NULL,
    resource TEXT COLLATE "C" NOT NULL,
    hard_limit BIGINT NOT NULL,
    PRIMARY KEY (project_id, resource)
);
CREATE TABLE pools (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    name TEXT COLLATE "C" NOT NULL UNIQUE,
    description TEXT COLLATE "C" NOT NULL,
    project_id TEXT COLLATE "C" NOT NULL,
    ns_records TEXT COLLATE "C" NOT NULL,  -- JSON [[hostname, priority], ...]
    attributes TEXT COLLATE "C" NOT NULL,  -- JSON {"key": "value", ...}
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C"
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
const char* const kUsersSchemaPg = R"SQL(
CREATE TABLE users (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    name TEXT COLLATE "C" NOT NULL UNIQUE,
    project_id TEXT COLLATE "C" NOT NULL,
    project_name TEXT COLLATE "C" NOT NULL,
    role TEXT COLLATE "C" NOT NULL,
    password_hash TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);
ALTER TABLE tokens ADD COLUMN user_id TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN expires_at TEXT COLLATE "C" NOT NULL DEFAULT '';
)SQL";

// Version 8 (issue 16, secondary zones): the SOA MNAME and RNAME a SECONDARY
// zone serves are its master's; empty for PRIMARY zones (ours are derived
// from the pool and the zone's email).
const char* const kSecondarySoaSchema = R"SQL(
ALTER TABLE zones ADD COLUMN soa_mname TEXT NOT NULL DEFAULT '';
ALTER TABLE zones ADD COLUMN soa_rname TEXT NOT NULL DEFAULT '';
)SQL";
const char* const kSecondarySoaSchemaPg = R"SQL(
ALTER TABLE zones ADD COLUMN soa_mname TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE zones ADD COLUMN soa_rname TEXT COLLATE "C" NOT NULL DEFAULT '';
)SQL";

// PostgreSQL keeps zones.recordset_count itself from migration 9 on (the write
// transaction adds its per-zone delta once, at commit): a row trigger updating
// the same zones row for every set of one transaction makes PostgreSQL walk
// an ever longer version chain, so a 100,000-set import or catalog was
// quadratic. SQLite updates the row in place and keeps its triggers.
const char* const kRecordSetCountSqlite = "-- PostgreSQL only (see kRecordSetCountPg)";
const char* const kRecordSetCountPg = R"SQL(
DROP TRIGGER IF EXISTS recordsets_counted ON recordsets;
DROP FUNCTION IF EXISTS dnsplane_count_recordsets();
)SQL";

// Version 10: zones.record_count, the zone's values, so that Designate's
// zone_records quota costs one row read per write instead of a count over the
// zone. SQLite keeps it with triggers (foreign-key cascades fire them too);
// PostgreSQL's write transaction adds its per-zone delta at commit, as for
// recordset_count (migration 9).
const char* const kRecordCountSqlite = R"SQL(
ALTER TABLE zones ADD COLUMN record_count INTEGER NOT NULL DEFAULT 0;
UPDATE zones SET record_count = (SELECT count(*) FROM records WHERE records.zone_id = zones.id);
CREATE TRIGGER records_counted AFTER INSERT ON records BEGIN
    UPDATE zones SET record_count = record_count + 1 WHERE id = NEW.zone_id;
END;
CREATE TRIGGER records_uncounted AFTER DELETE ON records BEGIN
    UPDATE zones SET record_count = record_count - 1 WHERE id = OLD.zone_id;
END;
)SQL";
const char* const kRecordCountPg = R"SQL(
ALTER TABLE zones ADD COLUMN record_count BIGINT NOT NULL DEFAULT 0;
UPDATE zones SET record_count = (SELECT count(*) FROM records WHERE records.zone_id = zones.id);
)SQL";

// Version 11 (RFC 4343 case preservation): a zone's name as its creator
// spelled it, when that differs from the canonical `name` in letter case;
// empty otherwise. Only shown: uniqueness, lookups and sorts use `name`.
const char* const kZoneSpellingSqlite = R"SQL(
ALTER TABLE zones ADD COLUMN spelled_name TEXT NOT NULL DEFAULT '';
)SQL";
const char* const kZoneSpellingPg = R"SQL(
ALTER TABLE zones ADD COLUMN spelled_name TEXT COLLATE "C" NOT NULL DEFAULT '';
)SQL";

// Version 12: each change-log entry keeps the zone row (JSON, every stored
// column) and the apex SOA rdata the change left, so that another node
// following the log patches its DNS snapshot from the entry alone instead of
// reading the whole zone back. NULL in older entries and after a deletion,
// and always in SQLite (no other node follows its log).
const char* const kChangeZoneRowSqlite = R"SQL(
ALTER TABLE zone_changes ADD COLUMN zone_row TEXT;
ALTER TABLE zone_changes ADD COLUMN soa_data TEXT;
)SQL";
const char* const kChangeZoneRowPg = R"SQL(
ALTER TABLE zone_changes ADD COLUMN zone_row TEXT COLLATE "C";
ALTER TABLE zone_changes ADD COLUMN soa_data TEXT COLLATE "C";
)SQL";

// Version 13 (PostgreSQL only): room in every page for updated rows. The
// zone row, its SOA record set and the SOA value change with every commit
// of the zone; with full pages each such UPDATE put the new row version on
// another page and into every index of the table (7 for recordsets), and
// lookups and unique checks then stepped over the dead versions until
// autovacuum came by: two nodes writing into a freshly loaded zone ran at a
// fifth of their rate for its first minute. With room, the update stays on
// its page (a heap-only tuple: no index entry) and the page's dead versions
// are pruned when it is next read. New pages only (what is stored keeps its
// layout until rewritten). SQLite rewrites rows in place: nothing to do.
const char* const kFillFactorSqlite = "SELECT 1;";
const char* const kFillFactorPg = R"SQL(
ALTER TABLE zones SET (fillfactor = 50);
ALTER TABLE recordsets SET (fillfactor = 90);
ALTER TABLE records SET (fillfactor = 90);
)SQL";

}  // namespace

// Append new migrations as {N, kSqliteText, kPostgresText}. A migration
// without its PostgreSQL text ({N, kSqliteText}) still works on SQLite, but
// PostgreSQL stores refuse to open and MigrationsTest fails (see schema.h).
const std::vector<Migration>& migrations() {
    static const std::vector<Migration> list = {
        {1, kInitialSchema, kInitialSchemaPg},
        {2, kRecordSetProviderMeta, kRecordSetProviderMetaPg},
        {3, kPlatformSchema, kPlatformSchemaPg},
        {4, kTsigKeySchema, kTsigKeySchemaPg},
        {5, kAdminSchema, kAdminSchemaPg},
        {6, kZoneTasksSchema, kZoneTasksSchemaPg},
        {7, kUsersSchema, kUsersSchemaPg},
        {8, kSecondarySoaSchema, kSecondarySoaSchemaPg},
        {9, kRecordSetCountSqlite, kRecordSetCountPg},
        {10, kRecordCountSqlite, kRecordCountPg},
        {11, kZoneSpellingSqlite, kZoneSpellingPg},
        {12, kChangeZoneRowSqlite, kChangeZoneRowPg},
        {13, kFillFactorSqlite, kFillFactorPg},
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
