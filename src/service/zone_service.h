// Business rules for zones and record sets, shared by every API surface.
// Each write is one store transaction; after commit every ChangeSink is told.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "service/caller.h"
#include "service/change_sink.h"
#include "service/group_commit.h"
#include "service/settings.h"
#include "service/tsig_keys.h"
#include "service/zone_edit.h"
#include "store/store.h"

namespace dnsplane::service {

struct ZoneCreate {
    std::string name;
    std::string email;
    std::optional<std::int64_t> ttl;
    std::string description;
    std::string type = "PRIMARY";
};

struct ZoneUpdate {
    std::optional<std::string> email;
    std::optional<std::int64_t> ttl;
    std::optional<std::string> description;
};

// Records arrive as presentation text (dict input is converted by the API).
struct RecordSetCreate {
    std::string name;  // must be absolute and inside the zone
    std::string type;
    std::optional<std::int64_t> ttl;
    std::string description;
    std::vector<std::string> records;
};

struct RecordSetUpdate {
    std::optional<std::vector<std::string>> records;
    // outer nullopt: unchanged; inner nullopt: reset to the zone's TTL
    std::optional<std::optional<std::int64_t>> ttl;
    std::optional<std::string> description;
};

// The change sets of Designate's record set writes (one code path for every
// write: the ZoneService methods below and JSON Patch apply these).
// `if_match` becomes a SetVersion prerequisite.
ZoneEdit recordset_create_edit(const std::string& zone_id, const RecordSetCreate& in);
ZoneEdit recordset_update_edit(const std::string& zone_id, const std::string& id,
                               const RecordSetUpdate& in,
                               std::optional<std::int64_t> if_match = {});
ZoneEdit recordset_delete_edit(const std::string& zone_id, const std::string& id,
                               std::optional<std::int64_t> if_match = {});

// A zone with every record set (and record) in it, read in one transaction.
struct ZoneContents {
    core::Zone zone;
    std::vector<core::RecordSet> sets;
};

class ZoneService {
public:
    ZoneService(store::Store& store, ServiceSettings settings);

    void add_sink(ChangeSink* sink);
    // Issue 13: validate_change / outbox hook and commit outcome observer
    // (set before serving; not owned).
    void set_commit_hook(CommitHook* hook) { committer_.set_hook(hook); }
    void set_commit_observer(CommitObserver* o) { committer_.set_observer(o); }
    const ServiceSettings& settings() const { return settings_; }

    // Zones. `if_match`: expected version; stale -> 412 (PreconditionFailed).
    core::Zone create_zone(const Caller& c, const ZoneCreate& in);
    core::Zone get_zone(const Caller& c, const std::string& id);
    store::Page<core::Zone> list_zones(const Caller& c, store::ListQuery q);
    core::Zone update_zone(const Caller& c, const std::string& id, const ZoneUpdate& in,
                           std::optional<std::int64_t> if_match = {});
    core::Zone delete_zone(const Caller& c, const std::string& id,
                           std::optional<std::int64_t> if_match = {});

    // Record sets. zone_id empty in list = across the caller's zones.
    core::RecordSet create_recordset(const Caller& c, const std::string& zone_id,
                                     const RecordSetCreate& in);
    core::RecordSet get_recordset(const Caller& c, const std::string& zone_id,
                                  const std::string& id);
    // Looks a record set up by id alone (for /v2/recordsets/{id} redirects).
    core::RecordSet find_recordset(const Caller& c, const std::string& id);
    store::Page<core::RecordSet> list_recordsets(const Caller& c, store::ListQuery q);
    // Every record set of one visible zone (two range scans; record_ops lists).
    std::vector<core::RecordSet> zone_recordsets(const Caller& c, const std::string& zone_id);
    // The set of a visible zone holding the value `record_id` (by index).
    std::optional<core::RecordSet> recordset_of_record(const Caller& c, const std::string& zone_id,
                                                       const std::string& record_id);
    core::RecordSet update_recordset(const Caller& c, const std::string& zone_id,
                                     const std::string& id, const RecordSetUpdate& in,
                                     std::optional<std::int64_t> if_match = {});
    core::RecordSet delete_recordset(const Caller& c, const std::string& zone_id,
                                     const std::string& id,
                                     std::optional<std::int64_t> if_match = {});

    // Change sets (zone_edit.h): every operation and prerequisite in one
    // transaction, all or nothing; one serial bump, one ZoneChange and one
    // publication per changed zone. Errors carry core::Error::operation().
    EditResult apply(const Caller& c, const ZoneEdit& edit);

    // The longest zone containing `name` (absolute) that the caller can see
    // and so may write (if not a reader); nullopt when there is none.
    std::optional<core::Zone> zone_for_name(const Caller& c, const std::string& name);

    // Bulk reads (project_reads.cpp), for APIs that mirror whole zones (the
    // ExternalDNS webhook). Zones the caller can see, sorted by name:
    std::vector<core::Zone> visible_zones(const Caller& c);
    // ... and each with its record sets, all in one read transaction.
    std::vector<ZoneContents> zone_contents(const Caller& c);
    // Every record set at each (zone id, absolute canonical name), one read
    // transaction; zones the caller cannot see give nothing.
    std::vector<core::RecordSet> sets_at(
        const Caller& c, const std::vector<std::pair<std::string, std::string>>& zone_names);

    std::vector<core::Pool> list_pools(const Caller& c);
    core::Pool get_pool(const Caller& c, const std::string& id);

    // TSIG keys (Designate /v2/tsigkeys; the DNS server's UPDATE/transfer keys).
    TsigKeys& tsig_keys() { return *tsig_keys_; }

    // Commits vs requests of the group commit (every write goes through it).
    CommitStats commit_stats() const { return committer_.stats(); }

private:
    store::Store& store_;
    ServiceSettings settings_;
    std::vector<ChangeSink*> sinks_;
    // Every write runs in it: shared commits, publication in commit order.
    // Sinks must not write through the service (they would wait on themselves).
    GroupCommitter committer_;
    std::unique_ptr<TsigKeys> tsig_keys_;
};

}  // namespace dnsplane::service
