// Builds ZoneSnapshots: from store rows (build_snapshot: parse every record
// set once, group by owner, one node allocation per name, empty
// non-terminals added on the way) and from a committed change
// (patch_snapshot: start from the base version's maps, which share
// everything, and replace only the nodes of the changed names, the apex for
// its SOA, and ancestors whose child count moves; ENTs appear and disappear
// with their last descendant). Zone cuts, wildcard children and additional
// targets are not precomputed (see zone_snapshot.h), so a new delegation
// below the apex costs one node, not a walk of everything under it.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <numeric>
#include <stdexcept>

#include "dns/wire.h"
#include "dns/zone_snapshot.h"

namespace dnsplane::dns {

namespace {

std::atomic<std::uint64_t> next_builder_token{1};  // 64 bits: never wraps

// "hostmaster@example.org" -> "hostmaster.example.org." (dots in the local
// part escaped, RFC 1035 8).
std::string mailbox_from_email(const std::string& email, const std::string& zone) {
    auto at = email.find('@');
    if (email.empty() || at == std::string::npos) return "hostmaster." + zone;
    std::string out;
    for (char c : email.substr(0, at)) {
        if (c == '.') out += '\\';
        out += c;
    }
    out += '.';
    out += email.substr(at + 1);
    if (out.back() != '.') out += '.';
    return out;
}

std::string_view bytes_of(const knot_dname_t* name) {
    return wire::name_bytes(name);
}

const knot_dname_t* as_dname(std::string_view bytes) {
    return reinterpret_cast<const knot_dname_t*>(bytes.data());
}

// One RRset on its way into a node: either a view of an existing node's
// rdata or an owned (malloc'ed) rdataset.
struct PendingSet {
    std::uint16_t type = 0;
    std::uint32_t ttl = 0;
    knot_rdataset_t rrs{};
    bool owned = false;
};

struct PendingSets {
    std::vector<PendingSet> sets;
    PendingSets() = default;
    PendingSets(const PendingSets&) = delete;
    PendingSets& operator=(const PendingSets&) = delete;
    ~PendingSets() {
        for (PendingSet& s : sets)
            if (s.owned) knot_rdataset_clear(&s.rrs, nullptr);
    }
    PendingSet* find(std::uint16_t type) {
        for (PendingSet& s : sets)
            if (s.type == type) return &s;
        return nullptr;
    }
    PendingSet& own(PendingSet& s) {
        if (!s.owned) {
            knot_rdataset_t copy;
            knot_rdataset_init(&copy);
            if (knot_rdataset_copy(&copy, &s.rrs, nullptr) != KNOT_EOK) throw std::bad_alloc();
            s.rrs = copy;
            s.owned = true;
        }
        return s;
    }
    void drop_empty_and_sort() {
        std::size_t out = 0;
        for (std::size_t i = 0; i < sets.size(); ++i) {
            if (sets[i].rrs.count == 0) {
                if (sets[i].owned) knot_rdataset_clear(&sets[i].rrs, nullptr);
                continue;
            }
            sets[out++] = sets[i];
        }
        sets.resize(out);
        std::sort(sets.begin(), sets.end(),
                  [](const PendingSet& a, const PendingSet& b) { return a.type < b.type; });
    }
};

// One allocation: header, rrsets, rdata, owner.
ZoneNode* make_node(std::string_view owner, const std::vector<PendingSet>& sets,
                    std::uint32_t children, std::uint64_t token) {
    std::size_t rdata_bytes = 0;
    for (const PendingSet& s : sets) rdata_bytes += s.rrs.size;
    std::size_t bytes =
        sizeof(ZoneNode) + sets.size() * sizeof(knot_rrset_t) + rdata_bytes + owner.size();
    void* mem = std::malloc(bytes);
    if (!mem) throw std::bad_alloc();
    auto* node = new (mem) ZoneNode();
    auto* rrsets = reinterpret_cast<knot_rrset_t*>(node + 1);
    auto* rd = reinterpret_cast<std::uint8_t*>(rrsets + sets.size());
    auto* name = rd + rdata_bytes;
    std::memcpy(name, owner.data(), owner.size());
    node->children = children;
    node->hash = hash_bytes(name, owner.size());
    node->builder = token;
    node->owner_len = static_cast<std::uint16_t>(owner.size());
    node->owner = name;
    for (std::size_t i = 0; i < sets.size(); ++i) {
        knot_rrset_init(&rrsets[i], name, sets[i].type, KNOT_CLASS_IN, sets[i].ttl);
        rrsets[i].rrs.count = sets[i].rrs.count;
        rrsets[i].rrs.size = sets[i].rrs.size;
        rrsets[i].rrs.rdata = reinterpret_cast<knot_rdata_t*>(rd);
        std::memcpy(rd, sets[i].rrs.rdata, sets[i].rrs.size);
        rd += sets[i].rrs.size;
    }
    node->rrsets = {rrsets, sets.size()};
    return node;
}

void view_sets(const ZoneNode& node, PendingSets& out) {
    for (const knot_rrset_t& rr : node.rrsets) {
        out.sets.push_back(PendingSet{rr.type, rr.ttl, rr.rrs, false});
    }
}

}  // namespace

class SnapshotBuilder {
  public:
    SnapshotBuilder(const core::Zone& zone, const ZoneSnapshot* base)
        : zone_(zone), base_(base), snap_(new ZoneSnapshot()) {
        knot_dname_storage_t apex;
        if (zone.name.empty() || !knot_dname_from_str(apex, zone.name.c_str(), sizeof(apex))) {
            throw std::invalid_argument("invalid zone name: " + zone.name);
        }
        knot_dname_to_lower(apex);
        apex_.assign(reinterpret_cast<const char*>(apex), knot_dname_size(apex));
        if (base) {
            snap_->nodes_ = base->nodes_;  // shares the whole map
            snap_->cuts_ = base->cuts_;
            snap_->rrset_count_ = base->rrset_count_;
            snap_->record_count_ = base->record_count_;
        }
    }

    ~SnapshotBuilder() {
        for (Item& item : items_) knot_rdataset_clear(&item.rrs, nullptr);
        if (have_soa_) knot_rdataset_clear(&soa_.rrs, nullptr);
    }

    // Full build: one record set of the store.
    void add(const core::RecordSet& rs) {
        knot_dname_storage_t owner;
        auto type = wire::type_from_text(rs.type);
        bool named = !rs.name.empty() && knot_dname_from_str(owner, rs.name.c_str(), sizeof(owner));
        if (named) knot_dname_to_lower(owner);
        if (!named || !type || knot_dname_in_bailiwick(owner, apex()) < 0) {
            spdlog::warn("dns: zone {}: skipping record set {} {} (bad or out-of-zone name/type)",
                         zone_.name, rs.name, rs.type);
            return;
        }
        knot_rrset_t rr;
        knot_rrset_init(&rr, nullptr, *type, KNOT_CLASS_IN, rs.ttl.value_or(zone_.ttl));
        std::string error;
        for (const core::Record& r : rs.records) {
            if (!parser().parse(*type, r.data, buf_, &error) ||
                knot_rrset_add_rdata(&rr, buf_.data(), buf_.size(), nullptr) != KNOT_EOK) {
                spdlog::warn("dns: zone {}: skipping {} {} \"{}\": {}", zone_.name, rs.name,
                             rs.type, r.data, error);
            }
        }
        if (rr.rrs.count == 0) return;  // every value failed: nothing to serve
        Item item{static_cast<std::uint32_t>(owners_.size()),
                  static_cast<std::uint16_t>(knot_dname_size(owner)), *type, rr.ttl, rr.rrs};
        owners_.append(reinterpret_cast<const char*>(owner), item.owner_len);
        items_.push_back(item);
    }

    // Patch: the store's SOA set (or none: synthesised).
    void set_soa(const core::RecordSet* soa) {
        patch_soa_ = true;
        if (!soa) return;
        knot_rrset_t rr;
        knot_rrset_init(&rr, nullptr, KNOT_RRTYPE_SOA, KNOT_CLASS_IN, soa->ttl.value_or(zone_.ttl));
        for (const core::Record& r : soa->records) {
            if (parser().parse(KNOT_RRTYPE_SOA, r.data, buf_)) {
                knot_rrset_add_rdata(&rr, buf_.data(), buf_.size(), nullptr);
            }
        }
        if (rr.rrs.count == 0) return;
        soa_ = PendingSet{KNOT_RRTYPE_SOA, rr.ttl, rr.rrs, true};
        have_soa_ = true;
    }

    // Patch: one record of a ZoneChange; false when it cannot be applied.
    bool apply(const core::ResourceRecord& rr, bool add) {
        knot_dname_storage_t owner;
        auto type = wire::type_from_text(rr.type);
        if (rr.name.empty() || !type ||
            !knot_dname_from_str(owner, rr.name.c_str(), sizeof(owner))) {
            return false;
        }
        knot_dname_to_lower(owner);
        if (knot_dname_in_bailiwick(owner, apex()) < 0) return true;  // never served
        if (*type == KNOT_RRTYPE_SOA) return true;               // the SOA comes from the zone row
        if (!parser().parse(*type, rr.data, buf_)) return !add;  // as a full build skips it
        Edit& edit = edits_[{std::string(bytes_of(owner)), *type}];
        std::vector<std::uint8_t> rdata(knot_rdata_size(buf_.size()));
        knot_rdata_init(reinterpret_cast<knot_rdata_t*>(rdata.data()), buf_.size(), buf_.data());
        edit.steps.push_back({add, std::move(rdata)});
        if (add) edit.ttl = rr.ttl;  // one TTL per RRset: the latest write wins
        return true;
    }

    ZoneSnapshotPtr finish() {
        if (base_) {
            finish_patch();
        } else {
            finish_build();
        }
        ZoneSnapshot& s = *snap_;
        s.name_ = wire::name_to_text(apex());
        s.zone_id_ = zone_.id;
        s.default_ttl_ = zone_.ttl;
        s.apex_labels_ = knot_dname_labels(apex(), nullptr);
        s.apex_ = s.find_node(apex_);
        s.soa_ = s.apex_->find(KNOT_RRTYPE_SOA);
        const knot_rdata_t* soa = s.soa_->rrs.rdata;
        s.serial_ = knot_soa_serial(soa);
        s.negative_ttl_ = std::min(s.soa_->ttl, knot_soa_minimum(soa));
        return std::move(snap_);
    }

  private:
    struct Item {
        std::uint32_t owner_off;
        std::uint16_t owner_len;
        std::uint16_t type;
        std::uint32_t ttl;
        knot_rdataset_t rrs;  // malloc'ed; freed by the builder
    };
    struct Step {
        bool add;
        std::vector<std::uint8_t> rdata;  // one knot_rdata_t
    };
    struct Edit {
        std::vector<Step> steps;  // removals first (as applied), then additions
        std::optional<std::uint32_t> ttl;
    };

    const knot_dname_t* apex() const { return as_dname(apex_); }
    std::string_view owner(const Item& i) const {
        return {owners_.data() + i.owner_off, i.owner_len};
    }

    // --- node edits (every one keeps the counters and the touched list) ----
    const ZoneNode* find(std::string_view name) const { return snap_->find_node(name); }

    void count(const ZoneNode* node, int sign) {
        if (!node) return;
        snap_->rrset_count_ += sign * static_cast<std::ptrdiff_t>(node->rrsets.size());
        snap_->record_count_ += sign * static_cast<std::ptrdiff_t>(node->record_count());
    }

    void replace(const ZoneNode* old, ZoneNode* node) {
        count(old, -1);
        count(node, +1);
        snap_->nodes_.set(node);
        if (base_) touched_.emplace_back(node->key());
    }

    // Sets the RRsets of `name` (sorted, non-empty ones only): creates,
    // replaces or removes its node, and its ENT ancestors as needed.
    void put(std::string_view name, const std::vector<PendingSet>& sets) {
        const ZoneNode* old = find(name);
        if (sets.empty()) {
            if (!old || old->empty()) return;
            if (old->children > 0) {
                replace(old, make_node(name, {}, old->children, token_));
                return;
            }
            erase(old);
            return;
        }
        replace(old, make_node(name, sets, old ? old->children : 0, token_));
        if (!old && name != apex_) link_parent(name);
    }

    void erase(const ZoneNode* old) {
        std::string name(old->key());
        count(old, -1);
        snap_->nodes_.erase(old->hash, name);
        if (base_) touched_.push_back(name);
        unlink_parent(name);
    }

    // Adjusts the child count of the node above `name` (a new name: creating
    // the ENTs up to the first existing ancestor).
    void link_parent(std::string_view name) {
        std::string_view up = bytes_of(knot_wire_next_label(as_dname(name), nullptr));
        if (const ZoneNode* parent = find(up)) {
            set_children(parent, parent->children + 1);
            return;
        }
        replace(nullptr, make_node(up, {}, 1, token_));
        link_parent(up);
    }

    void unlink_parent(std::string_view name) {
        std::string_view up = bytes_of(knot_wire_next_label(as_dname(name), nullptr));
        const ZoneNode* parent = find(up);
        if (!parent) throw std::logic_error("zone snapshot: node without parent");
        if (parent->children == 1 && parent->empty() && up != apex_) {
            erase(parent);
            return;
        }
        set_children(parent, parent->children - 1);
    }

    void set_children(const ZoneNode* node, std::uint32_t children) {
        if (node->builder == token_) {  // made by this builder: not published yet
            const_cast<ZoneNode*>(node)->children = children;
            return;
        }
        PendingSets sets;
        view_sets(*node, sets);
        replace(node, make_node(node->key(), sets.sets, children, token_));
    }

    // --- SOA ------------------------------------------------------------
    // The store's SOA set when present (serial forced to the zone row's, which
    // is authoritative); otherwise one synthesised from the zone row.
    void ensure_soa(PendingSets& apex_sets) {
        if (patch_soa_) {
            if (PendingSet* old = apex_sets.find(KNOT_RRTYPE_SOA)) old->rrs.count = 0;
            apex_sets.drop_empty_and_sort();
            if (have_soa_) {
                apex_sets.sets.push_back(soa_);
                have_soa_ = false;  // ownership moved
            }
        }
        PendingSet* soa = apex_sets.find(KNOT_RRTYPE_SOA);
        if (!soa) {
            std::string zone_text = wire::name_to_text(apex());
            std::string mname = zone_text;
            if (PendingSet* ns = apex_sets.find(KNOT_RRTYPE_NS)) {
                mname = wire::name_to_text(knot_ns_name(ns->rrs.rdata));
            }
            std::string text = mname + " " + mailbox_from_email(zone_.email, zone_text) + " " +
                               std::to_string(zone_.serial) + " " + std::to_string(zone_.refresh) +
                               " " + std::to_string(zone_.retry) + " " +
                               std::to_string(zone_.expire) + " " + std::to_string(zone_.minimum);
            std::string error;
            knot_rrset_t rr;
            knot_rrset_init(&rr, nullptr, KNOT_RRTYPE_SOA, KNOT_CLASS_IN, zone_.ttl);
            if (!parser().parse(KNOT_RRTYPE_SOA, text, buf_, &error) ||
                knot_rrset_add_rdata(&rr, buf_.data(), buf_.size(), nullptr) != KNOT_EOK) {
                throw std::invalid_argument("cannot build SOA for " + zone_.name + ": " + error);
            }
            apex_sets.sets.push_back(PendingSet{KNOT_RRTYPE_SOA, zone_.ttl, rr.rrs, true});
            soa = &apex_sets.sets.back();
        }
        apex_sets.own(*soa);
        knot_rdata_t* rd = soa->rrs.rdata;
        for (std::uint16_t i = 0; i < soa->rrs.count; ++i, rd = knot_rdataset_next(rd)) {
            knot_soa_serial_set(rd, zone_.serial);
        }
        apex_sets.drop_empty_and_sort();
    }

    // --- full build -----------------------------------------------------
    void finish_build() {
        // Group by owner (any order that keeps an owner's items together),
        // types ascending; the apex first so that every ENT has a parent.
        std::vector<std::uint32_t> order(items_.size());
        std::iota(order.begin(), order.end(), 0u);
        std::sort(order.begin(), order.end(), [this](std::uint32_t a, std::uint32_t b) {
            const Item& x = items_[a];
            const Item& y = items_[b];
            bool xa = owner(x) == apex_, ya = owner(y) == apex_;
            if (xa != ya) return xa;
            int c = owner(x).compare(owner(y));
            return c != 0 ? c < 0 : x.type < y.type;
        });
        bool apex_done = false;
        for (std::size_t i = 0; i < order.size();) {
            std::string_view name = owner(items_[order[i]]);
            PendingSets sets;
            for (; i < order.size() && owner(items_[order[i]]) == name; ++i) {
                Item& item = items_[order[i]];
                PendingSet* same = sets.sets.empty() || sets.sets.back().type != item.type
                                       ? nullptr
                                       : &sets.sets.back();
                if (same) {  // two store rows for one (owner, type): merge
                    knot_rdataset_merge(&same->rrs, &item.rrs, nullptr);
                } else {
                    sets.sets.push_back(PendingSet{item.type, item.ttl, item.rrs, true});
                    knot_rdataset_init(&item.rrs);  // moved
                }
            }
            if (name == apex_) {
                ensure_soa(sets);
                apex_done = true;
            } else if (!apex_done) {
                build_apex_without_records();
                apex_done = true;
            }
            put(name, sets.sets);
        }
        if (!apex_done) build_apex_without_records();
        snap_->nodes_.for_each([this](const ZoneNode* n) {
            if (n->key() != apex_ && n->find(KNOT_RRTYPE_NS)) {
                ZoneSnapshot::NodeMap::retain_leaf(n);
                snap_->cuts_.set(const_cast<ZoneNode*>(n));
            }
        });
    }

    void build_apex_without_records() {
        PendingSets sets;
        ensure_soa(sets);
        put(apex_, sets.sets);
    }

    // --- patch ----------------------------------------------------------
    void finish_patch() {
        bool apex_edited = false;
        for (auto it = edits_.begin(); it != edits_.end();) {
            const std::string name = it->first.first;
            PendingSets sets;
            if (const ZoneNode* old = find(name)) view_sets(*old, sets);
            for (; it != edits_.end() && it->first.first == name; ++it) {
                apply_edit(sets, it->first.second, it->second);
            }
            sets.drop_empty_and_sort();
            if (name == apex_) {
                ensure_soa(sets);
                apex_edited = true;
            }
            put(name, sets.sets);
        }
        if (!apex_edited) {  // the SOA changes with every commit
            PendingSets sets;
            view_sets(*find(apex_), sets);
            ensure_soa(sets);
            put(apex_, sets.sets);
        }
        // Delegation points among the names whose node changed.
        for (const std::string& name : touched_) {
            const ZoneNode* n = find(name);
            std::uint64_t h =
                hash_bytes(reinterpret_cast<const std::uint8_t*>(name.data()), name.size());
            if (n && name != apex_ && n->find(KNOT_RRTYPE_NS)) {
                if (snap_->cuts_.find(h, name) != n) {
                    ZoneSnapshot::NodeMap::retain_leaf(n);
                    snap_->cuts_.set(const_cast<ZoneNode*>(n));
                }
            } else {
                snap_->cuts_.erase(h, name);
            }
        }
    }

    static void apply_edit(PendingSets& sets, std::uint16_t type, const Edit& edit) {
        PendingSet* set = sets.find(type);
        if (!set) {
            knot_rdataset_t empty;
            knot_rdataset_init(&empty);
            sets.sets.push_back(PendingSet{type, edit.ttl.value_or(0), empty, true});
            set = &sets.sets.back();
        }
        sets.own(*set);
        for (const Step& step : edit.steps) {
            auto* rd = reinterpret_cast<const knot_rdata_t*>(step.rdata.data());
            int ret = step.add ? knot_rdataset_add(&set->rrs, rd, nullptr)
                               : knot_rdataset_remove(&set->rrs, rd, nullptr);
            if (ret != KNOT_EOK && ret != KNOT_ENOENT) throw std::bad_alloc();
        }
        if (edit.ttl) set->ttl = *edit.ttl;
    }

    const core::Zone& zone_;
    const ZoneSnapshot* base_;
    std::shared_ptr<ZoneSnapshot> snap_;
    const std::uint64_t token_ = next_builder_token.fetch_add(1);  // never 0
    std::string apex_;
    // full build
    std::string owners_;
    std::vector<Item> items_;
    // patch
    std::map<std::pair<std::string, std::uint16_t>, Edit> edits_;
    std::vector<std::string> touched_;
    bool patch_soa_ = false;
    bool have_soa_ = false;
    PendingSet soa_;
    // The thread's parser, asked at each use (a builder may move between
    // threads): one of its own would cost ~200 KB allocated and cleared for
    // every commit's patch.
    static wire::RdataParser& parser() { return wire::RdataParser::of_this_thread(); }
    std::vector<std::uint8_t> buf_;
};

ZoneSnapshotPtr build_snapshot(const core::Zone& zone, const std::vector<core::RecordSet>& sets) {
    SnapshotBuilder builder(zone, nullptr);
    for (const core::RecordSet& rs : sets) builder.add(rs);
    return builder.finish();
}

ZoneSnapshotPtr patch_snapshot(const ZoneSnapshot& base, const core::Zone& zone,
                               const core::RecordSet* soa, const core::ZoneChange& change,
                               bool ttl_change_announced) {
    if (change.zone_created || change.zone_deleted || base.serial() != change.old_serial ||
        base.zone_id() != zone.id || (base.default_ttl() != zone.ttl && !ttl_change_announced)) {
        return nullptr;
    }
    SnapshotBuilder builder(zone, &base);
    builder.set_soa(soa);
    for (const core::ResourceRecord& rr : change.removed) {
        if (!builder.apply(rr, false)) return nullptr;
    }
    for (const core::ResourceRecord& rr : change.added) {
        if (!builder.apply(rr, true)) return nullptr;
    }
    return builder.finish();
}

}  // namespace dnsplane::dns
