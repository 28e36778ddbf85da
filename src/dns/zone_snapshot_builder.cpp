// Builds a ZoneSnapshot from store rows: parses presentation rdata once,
// sorts the RRsets in canonical order, creates every node (empty
// non-terminals included) and precomputes zone cuts, wildcard children and
// additional targets, so that the query path only does hash lookups.
// Everything goes into a few flat arrays: a 10,000-record zone builds in a
// few milliseconds (see src/dns/README.md).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "dns/wire.h"
#include "dns/zone_snapshot.h"

namespace dnsplane::dns {

namespace {

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

// The name inside NS/MX/SRV rdata that gets additional processing.
const knot_dname_t* additional_target(const knot_rdata_t* rd, std::uint16_t type) {
    switch (type) {
        case KNOT_RRTYPE_NS:
            return knot_ns_name(rd);
        case KNOT_RRTYPE_MX:
            return knot_mx_name(rd);
        case KNOT_RRTYPE_SRV:
            return knot_srv_name(rd);
        default:
            return nullptr;
    }
}

}  // namespace

class SnapshotBuilder {
  public:
    explicit SnapshotBuilder(const core::Zone& zone) : zone_(zone) {
        knot_dname_storage_t apex;
        if (zone.name.empty() || !knot_dname_from_str(apex, zone.name.c_str(), sizeof(apex))) {
            throw std::invalid_argument("invalid zone name: " + zone.name);
        }
        knot_dname_to_lower(apex);
        apex_.assign(reinterpret_cast<const char*>(apex), knot_dname_size(apex));
    }

    ~SnapshotBuilder() {
        for (Item& item : items_) knot_rdataset_clear(&item.rrs, nullptr);
    }

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
            if (!parser_.parse(*type, r.data, buf_, &error) ||
                knot_rrset_add_rdata(&rr, buf_.data(), buf_.size(), nullptr) != KNOT_EOK) {
                spdlog::warn("dns: zone {}: skipping {} {} \"{}\": {}", zone_.name, rs.name,
                             rs.type, r.data, error);
            }
        }
        if (rr.rrs.count == 0) return;  // every value failed: nothing to serve
        push(owner, *type, rr.ttl, rr.rrs);
    }

    // Patch mode: start from every RRset of `base` but its SOA (already in
    // canonical order, so lookups can bisect), then apply changes.
    void add_base(const ZoneSnapshot& base) {
        for (const knot_rrset_t& rr : base.rrsets_) {
            if (&rr == base.soa_) continue;
            knot_rdataset_t copy;
            knot_rdataset_init(&copy);
            if (knot_rdataset_copy(&copy, &rr.rrs, nullptr) != KNOT_EOK) {
                throw std::bad_alloc();
            }
            push(rr.owner, rr.type, rr.ttl, copy);
        }
        sorted_prefix_ = items_.size();
    }

    // One record of a ZoneChange; false when it cannot be applied.
    bool apply(const core::ResourceRecord& rr, bool add) {
        knot_dname_storage_t owner;
        auto type = wire::type_from_text(rr.type);
        if (rr.name.empty() || !type ||
            !knot_dname_from_str(owner, rr.name.c_str(), sizeof(owner))) {
            return false;
        }
        knot_dname_to_lower(owner);
        if (knot_dname_in_bailiwick(owner, apex()) < 0) return true;  // never served
        if (*type == KNOT_RRTYPE_SOA) return true;              // the SOA comes from the zone row
        if (!parser_.parse(*type, rr.data, buf_)) return !add;  // as a full build skips it
        Item* item = locate(owner, *type);
        if (!item) {
            if (!add) return true;
            knot_rdataset_t empty;
            knot_rdataset_init(&empty);
            push(owner, *type, rr.ttl, empty);
            item = &items_.back();
        }
        std::vector<std::uint8_t> rdata(knot_rdata_size(buf_.size()));
        auto* rd = reinterpret_cast<knot_rdata_t*>(rdata.data());
        knot_rdata_init(rd, buf_.size(), buf_.data());
        if (add) {
            item->ttl = rr.ttl;  // one TTL per RRset: the latest write wins
            return knot_rdataset_add(&item->rrs, rd, nullptr) == KNOT_EOK;
        }
        int ret = knot_rdataset_remove(&item->rrs, rd, nullptr);
        return ret == KNOT_EOK || ret == KNOT_ENOENT;
    }

    ZoneSnapshotPtr finish() {
        ensure_soa();
        auto canonical = [this](const Item& a, const Item& b) {
            int c = lf(a).compare(lf(b));
            return c != 0 ? c < 0 : a.type < b.type;
        };
        // A patch appends a few items to a prefix that is already in order:
        // sorting just the tail and merging keeps a commit to a big zone
        // linear instead of re-sorting every RRset of the zone.
        auto tail = items_.begin() + static_cast<std::ptrdiff_t>(sorted_prefix_);
        std::sort(tail, items_.end(), canonical);
        std::inplace_merge(items_.begin(), tail, items_.end(), canonical);
        merge_duplicates();

        std::shared_ptr<ZoneSnapshot> snap(new ZoneSnapshot());
        snap->name_ = wire::name_to_text(apex());
        snap->zone_id_ = zone_.id;
        snap->default_ttl_ = zone_.ttl;
        create_nodes(*snap);
        link_nodes(*snap);
        compute_additionals(*snap);

        snap->soa_ = snap->apex_->find(KNOT_RRTYPE_SOA);
        const knot_rdata_t* soa = snap->soa_->rrs.rdata;
        snap->serial_ = knot_soa_serial(soa);
        snap->negative_ttl_ = std::min(snap->soa_->ttl, knot_soa_minimum(soa));
        return snap;
    }

  private:
    // One parsed RRset; names live in the builder's byte buffers.
    struct Item {
        std::uint32_t owner_off, lf_off;
        std::uint16_t owner_len, lf_len;
        std::uint16_t type;
        std::uint32_t ttl;
        knot_rdataset_t rrs;  // malloc'ed; moved into the snapshot
    };

    const knot_dname_t* apex() const { return reinterpret_cast<const knot_dname_t*>(apex_.data()); }
    const knot_dname_t* owner(const Item& i) const {
        return reinterpret_cast<const knot_dname_t*>(owners_.data() + i.owner_off);
    }
    std::string_view lf(const Item& i) const { return {lfs_.data() + i.lf_off, i.lf_len}; }

    void push(const knot_dname_t* lower_owner, std::uint16_t type, std::uint32_t ttl,
              knot_rdataset_t rrs) {
        knot_dname_storage_t storage;
        const std::uint8_t* key = knot_dname_lf(lower_owner, storage);  // points into storage
        Item item{static_cast<std::uint32_t>(owners_.size()),
                  static_cast<std::uint32_t>(lfs_.size()),
                  static_cast<std::uint16_t>(knot_dname_size(lower_owner)),
                  key[0],
                  type,
                  ttl,
                  rrs};
        owners_.append(reinterpret_cast<const char*>(lower_owner), item.owner_len);
        lfs_.append(reinterpret_cast<const char*>(key + 1), key[0]);
        items_.push_back(item);
    }

    Item* find_item(const knot_dname_t* name, std::uint16_t type) {
        for (Item& i : items_) {
            if (i.type == type && knot_dname_is_equal(owner(i), name)) return &i;
        }
        return nullptr;
    }

    // The item of (owner, type): bisect the canonical prefix from the base
    // snapshot, then scan what patching appended.
    Item* locate(const knot_dname_t* lower_owner, std::uint16_t type) {
        knot_dname_storage_t storage;
        const std::uint8_t* key = knot_dname_lf(lower_owner, storage);
        std::string_view want(reinterpret_cast<const char*>(key + 1), key[0]);
        auto end = items_.begin() + static_cast<std::ptrdiff_t>(sorted_prefix_);
        auto it = std::lower_bound(
            items_.begin(), end, std::pair(want, type),
            [this](const Item& i, const std::pair<std::string_view, std::uint16_t>& k) {
                int c = lf(i).compare(k.first);
                return c != 0 ? c < 0 : i.type < k.second;
            });
        if (it != end && it->type == type && lf(*it) == want) return &*it;
        for (auto i = end; i != items_.end(); ++i) {
            if (i->type == type && lf(*i) == want) return &*i;
        }
        return nullptr;
    }

    // The store's SOA set when present (serial forced to the zone row's, which
    // is authoritative); otherwise one synthesised from the zone row.
    void ensure_soa() {
        Item* soa = find_item(apex(), KNOT_RRTYPE_SOA);
        if (!soa) {
            std::string zone_text = wire::name_to_text(apex());
            std::string mname = zone_text;
            if (Item* ns = find_item(apex(), KNOT_RRTYPE_NS)) {
                mname = wire::name_to_text(knot_ns_name(ns->rrs.rdata));
            }
            std::string text = mname + " " + mailbox_from_email(zone_.email, zone_text) + " " +
                               std::to_string(zone_.serial) + " " + std::to_string(zone_.refresh) +
                               " " + std::to_string(zone_.retry) + " " +
                               std::to_string(zone_.expire) + " " + std::to_string(zone_.minimum);
            std::string error;
            knot_rrset_t rr;
            knot_rrset_init(&rr, nullptr, KNOT_RRTYPE_SOA, KNOT_CLASS_IN, zone_.ttl);
            if (!parser_.parse(KNOT_RRTYPE_SOA, text, buf_, &error) ||
                knot_rrset_add_rdata(&rr, buf_.data(), buf_.size(), nullptr) != KNOT_EOK) {
                throw std::invalid_argument("cannot build SOA for " + zone_.name + ": " + error);
            }
            push(apex(), KNOT_RRTYPE_SOA, zone_.ttl, rr.rrs);
            soa = &items_.back();
        }
        knot_rdata_t* rd = soa->rrs.rdata;
        for (std::uint16_t i = 0; i < soa->rrs.count; ++i, rd = knot_rdataset_next(rd)) {
            knot_soa_serial_set(rd, zone_.serial);
        }
    }

    // Two store rows for one (owner, type) cannot happen, but be safe; drop
    // RRsets a patch emptied.
    void merge_duplicates() {
        std::size_t out = 0;
        for (std::size_t i = 0; i < items_.size(); ++i) {
            if (items_[i].rrs.count == 0) {  // every value removed by a patch
                knot_rdataset_clear(&items_[i].rrs, nullptr);
                continue;
            }
            if (out > 0 && items_[out - 1].type == items_[i].type &&
                lf(items_[out - 1]) == lf(items_[i])) {
                knot_rdataset_merge(&items_[out - 1].rrs, &items_[i].rrs, nullptr);
                knot_rdataset_clear(&items_[i].rrs, nullptr);
                continue;
            }
            items_[out++] = items_[i];
        }
        items_.resize(out);
    }

    // Nodes in canonical order. A missing ancestor of a name sorts after every
    // earlier node and before the name, so empty non-terminals are created on
    // the way without another sort; their owners are suffixes of the name.
    void create_nodes(ZoneSnapshot& snap) {
        std::size_t name_bytes = 0;
        for (std::size_t i = 0; i < items_.size(); ++i) {
            if (i == 0 || lf(items_[i]) != lf(items_[i - 1])) name_bytes += items_[i].owner_len;
        }
        snap.names_.reserve(name_bytes);
        snap.rrsets_.reserve(items_.size());
        snap.nodes_.reserve(items_.size() + 16);
        grow_index(snap, items_.size() * 2);

        std::vector<const knot_dname_t*> missing;
        for (std::size_t i = 0; i < items_.size();) {
            const Item& first = items_[i];
            auto* name = snap.names_.data() + snap.names_.size();
            snap.names_.insert(snap.names_.end(), owner(first), owner(first) + first.owner_len);
            std::size_t begin = snap.rrsets_.size();
            for (; i < items_.size() && lf(items_[i]) == lf(first); ++i) {
                knot_rrset_t rr;
                knot_rrset_init(&rr, name, items_[i].type, KNOT_CLASS_IN, items_[i].ttl);
                rr.rrs = items_[i].rrs;
                knot_rdataset_init(&items_[i].rrs);
                snap.rrsets_.push_back(rr);
                snap.record_count_ += rr.rrs.count;
            }
            if (snap.nodes_.empty() && !knot_dname_is_equal(name, apex())) {
                throw std::logic_error("zone apex does not sort first");
            }
            // Ancestors up to the nearest existing node.
            missing.clear();
            if (!snap.nodes_.empty()) {
                for (const knot_dname_t* p = knot_wire_next_label(name, nullptr);
                     !snap.find_node(p); p = knot_wire_next_label(p, nullptr)) {
                    missing.push_back(p);
                }
            }
            for (auto it = missing.rbegin(); it != missing.rend(); ++it) add_node(snap, *it, {});
            add_node(snap, name,
                     std::span<const knot_rrset_t>(snap.rrsets_.data() + begin,
                                                   snap.rrsets_.size() - begin));
        }
        snap.rrset_count_ = snap.rrsets_.size();
        snap.apex_ = &snap.nodes_.front();
    }

    void add_node(ZoneSnapshot& snap, const knot_dname_t* name, std::span<const knot_rrset_t> rrs) {
        ZoneNode node;
        node.owner = name;
        node.rrsets = rrs;
        snap.nodes_.push_back(node);
        if (snap.nodes_.size() * 2 > snap.index_.size()) grow_index(snap, snap.index_.size() * 2);
        index_insert(snap, static_cast<std::uint32_t>(snap.nodes_.size() - 1));
    }

    static void index_insert(ZoneSnapshot& snap, std::uint32_t node_index) {
        const knot_dname_t* owner = snap.nodes_[node_index].owner;
        std::uint32_t h = ZoneSnapshot::hash_name(owner, knot_dname_size(owner));
        std::size_t mask = snap.index_.size() - 1;
        std::size_t i = h & mask;
        while (snap.index_[i].node != 0) i = (i + 1) & mask;
        snap.index_[i] = {h, node_index + 1};
    }

    static void grow_index(ZoneSnapshot& snap, std::size_t min_slots) {
        std::size_t size = 16;
        while (size < min_slots) size *= 2;
        snap.index_.assign(size, {});
        for (std::uint32_t n = 0; n < snap.nodes_.size(); ++n) index_insert(snap, n);
    }

    // Parents, zone cuts (canonical order visits parents first) and wildcards.
    static void link_nodes(ZoneSnapshot& snap) {
        for (ZoneNode& node : snap.nodes_) {
            if (&node == snap.apex_) continue;
            auto* parent =
                const_cast<ZoneNode*>(snap.find_node(knot_wire_next_label(node.owner, nullptr)));
            node.parent = parent;
            if (parent->cut) {
                node.cut = parent->cut;
            } else if (node.find(KNOT_RRTYPE_NS)) {
                node.cut = &node;
            }
            if (knot_dname_is_wildcard(node.owner)) parent->wildcard_child = &node;
        }
    }

    // Knot's zone_contents_find_node_or_wildcard(): exact node, else the
    // wildcard child of the closest encloser.
    static const ZoneNode* find_node_or_wildcard(const ZoneSnapshot& snap,
                                                 const knot_dname_t* name) {
        if (!snap.contains(name)) return nullptr;
        knot_dname_storage_t lower;
        knot_dname_copy_lower(lower, name);
        auto [match, encloser] = snap.lookup(lower);
        return match ? match : encloser->wildcard_child;
    }

    static void compute_additionals(ZoneSnapshot& snap) {
        std::vector<GlueRef> optional;
        for (knot_rrset_t& rr : snap.rrsets_) {
            if (!knot_rrtype_additional_needed(rr.type)) continue;
            auto list = std::make_unique<AdditionalList>();
            optional.clear();
            knot_rdata_t* rd = rr.rrs.rdata;
            for (std::uint16_t i = 0; i < rr.rrs.count; ++i, rd = knot_rdataset_next(rd)) {
                const knot_dname_t* target = additional_target(rd, rr.type);
                const ZoneNode* glue = target ? find_node_or_wildcard(snap, target) : nullptr;
                if (!glue) continue;
                bool mandatory = glue->cut != nullptr && rr.type == KNOT_RRTYPE_NS &&
                                 knot_dname_in_bailiwick(glue->owner, rr.owner) >= 0;
                (mandatory ? list->glues : optional).push_back(GlueRef{target, glue, !mandatory});
            }
            list->glues.insert(list->glues.end(), optional.begin(), optional.end());
            if (list->glues.empty()) continue;
            rr.additional = list.get();
            snap.additionals_.push_back(std::move(list));
        }
    }

    const core::Zone& zone_;
    std::string apex_;
    std::string owners_;  // owner wire names of items_, back to back
    std::string lfs_;     // their lookup-format (canonical sort) keys
    std::vector<Item> items_;
    std::size_t sorted_prefix_ = 0;  // items_[0, n) are in canonical order
    wire::RdataParser parser_;
    std::vector<std::uint8_t> buf_;
};

ZoneSnapshotPtr build_snapshot(const core::Zone& zone, const std::vector<core::RecordSet>& sets) {
    SnapshotBuilder builder(zone);
    for (const core::RecordSet& rs : sets) builder.add(rs);
    return builder.finish();
}

ZoneSnapshotPtr patch_snapshot(const ZoneSnapshot& base, const core::Zone& zone,
                               const core::RecordSet* soa, const core::ZoneChange& change) {
    if (change.zone_created || change.zone_deleted || base.serial() != change.old_serial ||
        base.default_ttl() != zone.ttl || base.zone_id() != zone.id) {
        return nullptr;
    }
    SnapshotBuilder builder(zone);
    builder.add_base(base);
    if (soa) builder.add(*soa);
    for (const core::ResourceRecord& rr : change.removed) {
        if (!builder.apply(rr, false)) return nullptr;
    }
    for (const core::ResourceRecord& rr : change.added) {
        if (!builder.apply(rr, true)) return nullptr;
    }
    return builder.finish();
}

}  // namespace dnsplane::dns
