// Business rules for zones and record sets, shared by every API surface.
// Each write is one store transaction; after commit every ChangeSink is told.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "service/caller.h"
#include "service/catalog_zone.h"
#include "service/change_sink.h"
#include "service/group_commit.h"
#include "service/propagation.h"
#include "service/secondary.h"
#include "service/settings.h"
#include "service/tenancy.h"
#include "service/tsig_keys.h"
#include "service/zone_edit.h"
#include "service/zone_tasks.h"
#include "store/store.h"

namespace dnsplane::service {

struct ZoneCreate {
    std::string name;
    std::string email;
    std::optional<std::int64_t> ttl;
    std::string description;
    std::string type = "PRIMARY";
    std::vector<std::string> masters;  // SECONDARY only: "host[:port]" (service/secondary.h)
};

struct ZoneUpdate {
    std::optional<std::string> email;
    std::optional<std::int64_t> ttl;
    std::optional<std::string> description;
    // SECONDARY zones only (a PRIMARY zone accepts none or an empty list).
    std::optional<std::vector<std::string>> masters;
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

// Designate admin resources (issue 16; admin_service.cpp). Inputs: nullopt
// leaves a field as it is (updates) or takes the default (creates).
struct TldInput {
    std::optional<std::string> name;
    std::optional<std::string> description;
};
struct BlacklistInput {
    std::optional<std::string> pattern;
    std::optional<std::string> description;
};
struct PoolInput {
    std::optional<std::string> name;
    std::optional<std::string> description;
    std::optional<std::string> project_id;
    std::optional<std::vector<core::NameServer>> ns_records;
    std::optional<std::map<std::string, std::string>> attributes;
};

// /v2/limits: what a project may create, as Designate reports it.
struct Limits {
    std::int64_t max_page_limit = 1000;
    std::int64_t max_recordset_name_length = 255;
    std::int64_t max_zone_name_length = 255;
    std::int64_t max_recordset_records = 0;
    std::int64_t max_zone_records = 0;
    std::int64_t max_zone_recordsets = 0;
    std::int64_t max_zones = 0;
    std::int64_t min_ttl = 0;
};

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
    void set_commit_hook(CommitHook* hook) {
        hook_ = hook;
        committer_.set_hook(hook);
    }
    void set_commit_observer(CommitObserver* o) { committer_.set_observer(o); }
    // Designate status/action of zones and record sets still on their way to
    // the pool's polled nameservers (set before serving; not owned).
    void set_propagation(const Propagation* p) { propagation_ = p; }
    const ServiceSettings& settings() const { return settings_; }
    // Retired projects (tenant unbind): surfaces refuse their callers; every
    // write refuses to change their zones.
    ProjectStatus& projects() { return projects_; }

    // Issue 14: serve an RFC 9432 catalog of every zone (set before serving).
    // Creates/reconciles the catalog zone in one commit; from then on every
    // zone creation and deletion lists/unlists the zone in its transaction.
    void enable_catalog(const std::string& catalog_name);
    const CatalogZone* catalog() const { return catalog_ ? &*catalog_ : nullptr; }

    // SECONDARY zones (issue 16): the DNS side's refresher, which transfers
    // them from their masters (set before serving; not owned).
    void set_secondary_refresh(SecondaryRefresh* r) { secondary_refresh_ = r; }
    // Designate's POST /v2/zones/{id}/tasks/xfr: the refresher checks the
    // zone's masters now and transfers it when a master has a newer serial.
    // 400 bad_request for a PRIMARY zone.
    void xfr_zone(const Caller& c, const std::string& zone_id);

    // Zones. `if_match`: expected version; stale -> 412 (PreconditionFailed).
    // A SECONDARY zone is created with serial 1 and no data served (SERVFAIL)
    // until its first transfer; an update may change only its description.
    core::Zone create_zone(const Caller& c, const ZoneCreate& in);
    core::Zone get_zone(const Caller& c, const std::string& id);
    store::Page<core::Zone> list_zones(const Caller& c, store::ListQuery q);
    core::Zone update_zone(const Caller& c, const std::string& id, const ZoneUpdate& in,
                           std::optional<std::int64_t> if_match = {});
    // A shared zone (issue 16) is deleted, with its shares, only with
    // `delete_shares`; else 409 zone_shared.
    core::Zone delete_zone(const Caller& c, const std::string& id,
                           std::optional<std::int64_t> if_match = {}, bool delete_shares = false);

    // Record sets. zone_id empty in list = across the caller's zones.
    core::RecordSet create_recordset(const Caller& c, const std::string& zone_id,
                                     const RecordSetCreate& in);
    // Whether the caller may replace the set at all (SOA: 400, managed: 403,
    // apex NS: 400, readers: 403), without looking at any new content: the
    // Designate API asks it when an update's body is malformed, because
    // Designate refuses such a set before reading the body.
    void check_replaceable(const Caller& c, const std::string& zone_id, const std::string& id);
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
    // ... or streamed, in one read transaction: `fn` sees each zone's sets
    // (store::RecordSetView, valid during the call) without the sets being
    // built as core::RecordSet values first (the webhook's GET /records).
    void scan_zone_contents(
        const Caller& c,
        const std::function<void(const core::Zone&, const store::RecordSetView&)>& fn);
    // Every record set at each (zone id, absolute canonical name), one read
    // transaction; zones the caller cannot see give nothing.
    std::vector<core::RecordSet> sets_at(
        const Caller& c, const std::vector<std::pair<std::string, std::string>>& zone_names);

    // Pools: the configured default pool (read-only; every zone belongs to
    // it) and pools admins create. Writes need the admin role (403).
    std::vector<core::Pool> list_pools(const Caller& c);
    core::Pool get_pool(const Caller& c, const std::string& id);
    core::Pool create_pool(const Caller& c, const PoolInput& in);
    core::Pool update_pool(const Caller& c, const std::string& id, const PoolInput& in);
    void delete_pool(const Caller& c, const std::string& id);
    // The name servers of a visible zone (its pool's ns_records).
    std::vector<core::NameServer> zone_nameservers(const Caller& c, const std::string& zone_id);

    // TLDs and blacklists (admin only, reads too). Zone creation checks them.
    std::vector<core::Tld> list_tlds(const Caller& c);
    core::Tld get_tld(const Caller& c, const std::string& id);
    core::Tld create_tld(const Caller& c, const TldInput& in);
    core::Tld update_tld(const Caller& c, const std::string& id, const TldInput& in);
    void delete_tld(const Caller& c, const std::string& id);
    std::vector<core::Blacklist> list_blacklists(const Caller& c);
    core::Blacklist get_blacklist(const Caller& c, const std::string& id);
    core::Blacklist create_blacklist(const Caller& c, const BlacklistInput& in);
    core::Blacklist update_blacklist(const Caller& c, const std::string& id,
                                     const BlacklistInput& in);
    void delete_blacklist(const Caller& c, const std::string& id);

    // Quotas by Designate resource name (admin_rules.h). Reading: a project
    // its own, admins any; setting and resetting: admins only.
    std::map<std::string, std::int64_t> get_quotas(const Caller& c, const std::string& project_id);
    std::map<std::string, std::int64_t> set_quotas(
        const Caller& c, const std::string& project_id,
        const std::map<std::string, std::int64_t>& values);
    void reset_quotas(const Caller& c, const std::string& project_id);
    // The caller's project's effective quotas and the TTL bound.
    Limits limits(const Caller& c);
    // The defaults with the project's overrides, read in `txn`.
    Quotas project_quotas(store::ReadTxn& txn, const std::string& project_id) const;

    // Designate zone tasks (issue 16; zone_tasks.cpp). An import creates the
    // zone and every record set in one transaction, or nothing; it returns
    // its task row, COMPLETE with the zone id or ERROR with a message naming
    // the zone file line (`failed_import` records a file that did not parse).
    store::ZoneTask import_zone(const Caller& c, const ZoneImport& in);
    store::ZoneTask failed_import(const Caller& c, const std::string& message);
    store::ZoneTask create_export(const Caller& c, const std::string& zone_id);
    // The zone an export describes, with every record set (one read).
    ZoneContents export_contents(const Caller& c, const std::string& export_id);
    // Import/export rows the caller can see (own project; every project with
    // all_projects): get (404 `<kind>_not_found`), list, delete.
    store::ZoneTask get_task(const Caller& c, const std::string& kind, const std::string& id);
    std::vector<store::ZoneTask> list_tasks(const Caller& c, const std::string& kind);
    void delete_task(const Caller& c, const std::string& kind, const std::string& id);
    // Admins: forget the zone (rows, tasks' links, shares); it stops being served.
    core::Zone abandon_zone(const Caller& c, const std::string& zone_id);

    // Zone transfers between projects (zone_transfers.cpp).
    store::ZoneTask create_transfer_request(const Caller& c, const std::string& zone_id,
                                            const TransferRequestInput& in);
    // Owner, admin with all_projects, or the target project; `with_key`
    // tells whether the caller may see the key (the owner's side only).
    store::ZoneTask get_transfer_request(const Caller& c, const std::string& id,
                                         bool* with_key = nullptr);
    std::vector<store::ZoneTask> list_transfer_requests(const Caller& c);
    store::ZoneTask update_transfer_request(const Caller& c, const std::string& id,
                                            const TransferRequestUpdate& in);
    void delete_transfer_request(const Caller& c, const std::string& id);
    // Moves the zone and its record sets to the caller's project.
    store::ZoneTask accept_transfer(const Caller& c, const std::string& request_id,
                                    const std::string& key);
    store::ZoneTask get_transfer_accept(const Caller& c, const std::string& id);
    std::vector<store::ZoneTask> list_transfer_accepts(const Caller& c);

    // Zone shares (zone_shares.cpp): the owner shares a zone with a project,
    // which may then manage its own record sets in it.
    store::ZoneTask share_zone(const Caller& c, const std::string& zone_id,
                               const std::string& target_project_id);
    std::vector<store::ZoneTask> list_shares(const Caller& c, const std::string& zone_id);
    store::ZoneTask get_share(const Caller& c, const std::string& zone_id,
                              const std::string& share_id);
    // 409 shared_zone_has_recordsets while the project still has sets there.
    void unshare_zone(const Caller& c, const std::string& zone_id, const std::string& share_id);
    bool zone_is_shared(const std::string& zone_id);

    // TSIG keys (Designate /v2/tsigkeys; the DNS server's UPDATE/transfer keys).
    TsigKeys& tsig_keys() { return *tsig_keys_; }

    // Commits vs requests of the group commit (every write goes through it).
    CommitStats commit_stats() const { return committer_.stats(); }

  private:
    // Every write: runs `work` in the group commit, refusing changes to a
    // retired project's zones. With a validate_change hook the request is
    // first planned (run and rolled back), the hook is asked about the plan
    // outside any transaction, then the request runs again and commits only
    // if it still makes the changes the hook allowed (else it plans again).
    void commit(const GroupCommitter::Work& work, std::vector<GroupCommitter::NameHint> hints = {});
    // A validated zone row for `in` in the caller's project (no store access).
    core::Zone new_zone_row(const Caller& c, const ZoneCreate& in) const;
    // Inserts a new zone with its SOA and apex NS (taking over the parent's
    // sets below it) in `txn`; returns its change first, then the parent's,
    // neither yet appended to the change log.
    // `admin`: the caller may create a blacklisted name (Designate's rule).
    std::vector<core::ZoneChange> insert_new_zone(store::WriteTxn& txn, const core::Zone& zone,
                                                  bool admin);
    // Deletes the zone (zone_service.cpp delete_zone).
    std::vector<core::ZoneChange> remove_zone(store::WriteTxn& txn, const core::Zone& zone);
    // Adds the catalog's change listing `zone` (issue 14), if a catalog is served.
    void list_in_catalog(store::WriteTxn& txn, const core::Zone& zone,
                         std::vector<core::ZoneChange>& changes);
    // Designate's status/action as the propagation state tells them (reads).
    template <typename T>
    T shown(T value) const {
        if (propagation_) propagation_->show(value);
        return value;
    }
    template <typename T>
    store::Page<T> shown(store::Page<T> page) const {
        if (propagation_)
            for (auto& item : page.items) propagation_->show(item);
        return page;
    }

    store::Store& store_;
    ServiceSettings settings_;
    std::vector<ChangeSink*> sinks_;
    // Every write runs in it: shared commits, publication in commit order.
    // Sinks must not write through the service (they would wait on themselves).
    GroupCommitter committer_;
    std::optional<CatalogZone> catalog_;
    CommitHook* hook_ = nullptr;
    const Propagation* propagation_ = nullptr;
    SecondaryRefresh* secondary_refresh_ = nullptr;
    ProjectStatus projects_;
    std::unique_ptr<TsigKeys> tsig_keys_;
};

}  // namespace dnsplane::service
