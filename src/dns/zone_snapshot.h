// An immutable, read-optimised copy of one zone for the query path: owner
// names in lower-case wire form in a hash index, record sets pre-encoded as
// knot_rrset_t (wire rdata), precomputed zone-cut and wildcard facts per
// node, and canonical-order iteration for AXFR. Built from store rows; never
// mutated after publication (shared_ptr<const> is swapped, not edited).
#pragma once

#include "dns/wire_libknot.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace dnsplane::dns {

class ZoneSnapshot;
using ZoneSnapshotPtr = std::shared_ptr<const ZoneSnapshot>;

// One owner name of the zone. Empty non-terminals (names that only exist
// because something lies below them) are nodes with no rrsets.
struct ZoneNode {
    const knot_dname_t* owner = nullptr;   // lower-case wire form, owned by the snapshot
    std::span<const knot_rrset_t> rrsets;  // at most one per type, sorted by type
    const ZoneNode* parent = nullptr;      // null at the apex
    // Nearest delegation point (non-apex node holding NS) at or above this
    // node, or null when the node is authoritative data.
    const ZoneNode* cut = nullptr;
    const ZoneNode* wildcard_child = nullptr;  // the "*.<owner>" node, if any

    const knot_rrset_t* find(std::uint16_t type) const;
    bool is_delegation() const { return cut == this; }
    bool empty() const { return rrsets.empty(); }
};

// A name inside NS/MX/SRV rdata that has a node in this zone, for the
// additional section (Knot's "glue": exact node or wildcard match). Lists
// hang off knot_rrset_t::additional (an AdditionalList*), mandatory first.
struct GlueRef {
    const knot_dname_t* name = nullptr;  // the target inside the rdata (lower-case)
    const ZoneNode* node = nullptr;      // holds the A/AAAA (may be a "*" node)
    bool optional = true;                // false: NS target at/below a cut, needed by a referral
};
struct AdditionalList {
    std::vector<GlueRef> glues;
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

    // AXFR order: the apex SOA first, then every other RRset exactly once
    // (apex first, then canonical name order, types ascending). The closing
    // SOA of an AXFR is the caller's job.
    void for_each_rrset(const std::function<void(const knot_rrset_t&)>& fn) const;
    // The same traversal, one RR at a time.
    void for_each_record(const std::function<void(const WireRecord&)>& fn) const;

    std::size_t node_count() const { return nodes_.size(); }
    std::size_t rrset_count() const { return rrset_count_; }
    std::size_t record_count() const { return record_count_; }

  private:
    friend class SnapshotBuilder;
    ZoneSnapshot() = default;

    // Open-addressing hash index over nodes_ (linear probing, load <= 1/2).
    struct Slot {
        std::uint32_t hash = 0;
        std::uint32_t node = 0;  // index into nodes_ + 1; 0 = empty
    };
    static std::uint32_t hash_name(const std::uint8_t* name, std::size_t len);

    std::string name_;
    std::string zone_id_;
    std::uint32_t serial_ = 0;
    std::uint32_t negative_ttl_ = 0;
    std::uint32_t default_ttl_ = 0;
    // Everything lives in a few flat arrays filled once by the builder:
    std::vector<std::uint8_t> names_;   // distinct owner names, back to back
    std::vector<knot_rrset_t> rrsets_;  // canonical order; rdata malloc'ed
    std::vector<ZoneNode> nodes_;       // canonical order, apex first
    std::vector<Slot> index_;           // size is a power of two
    std::vector<std::unique_ptr<AdditionalList>> additionals_;
    ZoneNode* apex_ = nullptr;
    const knot_rrset_t* soa_ = nullptr;
    std::size_t rrset_count_ = 0;
    std::size_t record_count_ = 0;
};

// Builds a snapshot from a zone and all its record sets (SOA and NS included).
// Effective TTL of a set = its ttl or the zone's ttl. Record sets outside the
// zone or whose data does not parse are skipped (logged), never fatal: the
// store has validated them already. When no SOA set is present, the SOA is
// synthesised from the Zone row (mname = first apex NS or "ns.<zone>").
ZoneSnapshotPtr build_snapshot(const core::Zone& zone, const std::vector<core::RecordSet>& sets);

// Applies one committed change to `base` without reading every record set
// again: the RRsets of `base` minus change.removed plus change.added (TTLs
// as carried by the change), with the SOA rebuilt from `zone` and `soa` (the
// store's SOA set, or null to synthesise it). Returns null when the change
// does not apply to `base` (serial or zone TTL mismatch, unparsable data):
// the caller then rebuilds from the store.
ZoneSnapshotPtr patch_snapshot(const ZoneSnapshot& base, const core::Zone& zone,
                               const core::RecordSet* soa, const core::ZoneChange& change);

}  // namespace dnsplane::dns
