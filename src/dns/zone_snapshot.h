// An immutable, read-optimised copy of one zone for the query path: owner
// names in lower-case wire form in a persistent hash map (a HAMT, see
// persistent_map.h), each node one allocation holding its record sets
// pre-encoded as knot_rrset_t (wire rdata). Versions share every node and
// every subtree of the map that a change did not touch, so publishing a
// change costs O(change x log n). Derived facts that depend on other names
// (zone cut, wildcard child, parent, additional targets) are not stored:
// they are computed when a query needs them from the few ancestor labels of
// a name (see src/dns/README.md). Never mutated after publication.
#pragma once

#include "dns/wire_libknot.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "dns/persistent_map.h"

namespace dnsplane::dns {

class ZoneSnapshot;
using ZoneSnapshotPtr = std::shared_ptr<const ZoneSnapshot>;

// One owner name of the zone. Empty non-terminals (names that only exist
// because something lies below them) are nodes with no rrsets. A node is one
// allocation (header, knot_rrset_t array, rdata, owner name), shared by every
// snapshot version that did not change it.
struct ZoneNode {
    std::atomic<std::uint32_t> refs{1};
    std::uint32_t children = 0;            // direct child nodes (an ENT lives while > 0)
    std::uint64_t hash = 0;                // of the owner's wire bytes
    std::uint64_t builder = 0;             // the builder that made it (only it may edit `children`)
    const knot_dname_t* owner = nullptr;   // lower-case wire form, inside this node
    std::span<const knot_rrset_t> rrsets;  // at most one per type, sorted by type
    std::uint16_t owner_len = 0;

    const knot_rrset_t* find(std::uint16_t type) const;
    bool empty() const { return rrsets.empty(); }
    std::string_view key() const { return {reinterpret_cast<const char*>(owner), owner_len}; }
    std::size_t record_count() const;
    static void destroy(ZoneNode* node);
};

// A name inside NS/MX/SRV rdata that has a node in this zone, for the
// additional section (Knot's "glue": exact node or wildcard match).
struct GlueRef {
    const knot_dname_t* name = nullptr;  // the target inside the rdata
    const ZoneNode* node = nullptr;      // holds the A/AAAA (may be a "*" node)
    bool optional = true;                // false: NS target at/below a cut, needed by a referral
};

// One RR as (owner, type, ttl, rdata wire) for callers that want plain tuples
// (IXFR diffs, tests). `owner` is lower-case wire form.
struct WireRecord {
    const knot_dname_t* owner;
    std::uint16_t type;
    std::uint32_t ttl;
    std::span<const std::uint8_t> rdata;
};

class ZoneSnapshot {
  public:
    using NodeMap = PersistentHashMap<ZoneNode>;

    ~ZoneSnapshot();
    ZoneSnapshot(const ZoneSnapshot&) = delete;
    ZoneSnapshot& operator=(const ZoneSnapshot&) = delete;

    // Canonical text name ("example.org.") and lower-case wire name.
    const std::string& name() const { return name_; }
    const knot_dname_t* apex_name() const { return apex_->owner; }
    const std::string& zone_id() const { return zone_id_; }
    std::uint32_t serial() const { return serial_; }
    // The zone row's TTL when built (record sets without a TTL use it).
    std::uint32_t default_ttl() const { return default_ttl_; }

    // Not served (ZoneCatalog::set_serving): queries get SERVFAIL. Serving
    // state, not content, so it may change on a published snapshot.
    bool unserved() const { return unserved_.load(std::memory_order_relaxed); }
    void set_unserved(bool v) const { unserved_.store(v, std::memory_order_relaxed); }

    const ZoneNode& apex() const { return *apex_; }
    // The apex SOA (always present: synthesised from the Zone row when the
    // store holds no SOA record set).
    const knot_rrset_t& soa_rrset() const { return *soa_; }
    // Negative-answer TTL (RFC 2308 5): min(SOA TTL, SOA minimum).
    std::uint32_t negative_ttl() const { return negative_ttl_; }

    // Exact lookup by lower-case wire name (the bytes of a knot_dname_t,
    // including the final zero octet). Null when the name does not exist.
    const ZoneNode* find_node(std::string_view lower_wire) const;
    const ZoneNode* find_node(const knot_dname_t* lower_wire) const;

    // RFC 1034 4.3.2 step 3 for a lower-case name inside the zone: the exact
    // node (or null) and the closest encloser (the node itself when found;
    // always non-null, at worst the apex).
    struct Lookup {
        const ZoneNode* match = nullptr;
        const ZoneNode* encloser = nullptr;
    };
    Lookup lookup(const knot_dname_t* lower_name) const;
    // True when `name` (any case) is the apex or below it.
    bool contains(const knot_dname_t* name) const;

    // Derived facts, computed from the node's ancestors on demand:
    // the node one label up (null at the apex);
    const ZoneNode* parent(const ZoneNode& node) const;
    // the "*.<owner>" node, if any;
    const ZoneNode* wildcard_child(const ZoneNode& node) const;
    // the nearest delegation point (non-apex node holding NS) at or above
    // the node, walking down from the apex: null for authoritative data.
    const ZoneNode* cut(const ZoneNode& node) const;
    bool is_delegation(const ZoneNode& node) const { return cut(node) == &node; }
    // Knot's zone_contents_find_node_or_wildcard(): the node of `name` (any
    // case), else the wildcard child of its closest encloser, else null.
    const ZoneNode* find_node_or_wildcard(const knot_dname_t* name) const;
    // The additional-section target of one rdata of an NS/MX/SRV RRset owned
    // by `rr_owner` (lower case), when it has a node here.
    bool glue_for(const knot_rdata_t* rd, std::uint16_t type, const knot_dname_t* rr_owner,
                  GlueRef& out) const;
    // Every target of an RRset, mandatory glue first (tests, tools).
    std::vector<GlueRef> additionals(const knot_rrset_t& rr) const;

    // AXFR order: the apex SOA first, then every other RRset exactly once
    // (apex first, then canonical name order, types ascending). The closing
    // SOA of an AXFR is the caller's job. The order is computed on first use
    // for each version (O(n log n) once) and kept with the snapshot.
    void for_each_rrset(const std::function<void(const knot_rrset_t&)>& fn) const;
    // The same traversal, one RR at a time.
    void for_each_record(const std::function<void(const WireRecord&)>& fn) const;

    std::size_t node_count() const { return nodes_.size(); }
    std::size_t rrset_count() const { return rrset_count_; }
    std::size_t record_count() const { return record_count_; }
    // Delegation points (non-apex names with NS).
    std::size_t cut_count() const { return cuts_.size(); }

  private:
    friend class SnapshotBuilder;
    ZoneSnapshot() = default;

    const std::vector<const ZoneNode*>& canonical_order() const;

    std::string name_;
    std::string zone_id_;
    std::uint32_t serial_ = 0;
    std::uint32_t negative_ttl_ = 0;
    std::uint32_t default_ttl_ = 0;
    std::size_t apex_labels_ = 0;
    NodeMap nodes_;  // every node, ENTs included
    NodeMap cuts_;   // the delegation points only (usually few or none)
    const ZoneNode* apex_ = nullptr;
    const knot_rrset_t* soa_ = nullptr;
    std::size_t rrset_count_ = 0;
    std::size_t record_count_ = 0;
    mutable std::atomic<bool> unserved_{false};
    mutable std::once_flag order_once_;
    mutable std::vector<const ZoneNode*> order_;
};

// Builds a snapshot from a zone and all its record sets (SOA and NS included).
// Effective TTL of a set = its ttl or the zone's ttl. Record sets outside the
// zone or whose data does not parse are skipped (logged), never fatal: the
// store has validated them already. When no SOA set is present, the SOA is
// synthesised from the Zone row (mname = first apex NS or "ns.<zone>").
ZoneSnapshotPtr build_snapshot(const core::Zone& zone, const std::vector<core::RecordSet>& sets);

// Applies one committed change to `base`, sharing everything it does not
// touch: the RRsets of `base` minus change.removed plus change.added (TTLs
// as carried by the change), with the SOA rebuilt from `zone` and `soa` (the
// store's SOA set, or null to synthesise it). Costs O(changed names x their
// depth x log n). Returns null when the change does not apply to `base`
// (serial mismatch, unparsable data, or a zone TTL change unless
// `ttl_change_announced`: the change then re-announces every record whose
// effective TTL moved): the caller then rebuilds from the store.
ZoneSnapshotPtr patch_snapshot(const ZoneSnapshot& base, const core::Zone& zone,
                               const core::RecordSet* soa, const core::ZoneChange& change,
                               bool ttl_change_announced = false);

}  // namespace dnsplane::dns
