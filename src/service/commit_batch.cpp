#include "service/commit_batch.h"

#include "service/zone_change.h"

namespace dnsplane::service {

const core::ZoneChange* CommitBatch::joinable(const core::Zone& zone) const {
    auto it = open_.find(zone.id);
    if (it == open_.end()) return nullptr;
    const Entry& e = entries_.at(it->second);
    if (e.change.new_serial != zone.serial || e.version != zone.version) return nullptr;
    if (e.change.added.size() + e.change.removed.size() > kMaxJoinedRecords) return nullptr;
    return &e.change;
}

void CommitBatch::save(const Key& key) {
    auto it = entries_.find(key);
    undo_entries_.emplace_back(
        key, it == entries_.end() ? std::nullopt : std::optional<Entry>(it->second));
    auto o = open_.find(key.first);
    undo_open_.emplace_back(key.first,
                            o == open_.end() ? std::nullopt : std::optional<Key>(o->second));
}

void CommitBatch::opened(const core::ZoneChange& change, std::int64_t seq) {
    if (change.zone_created || change.zone_deleted || !change.zone) return;
    Key key{change.zone_id, change.new_serial};
    save(key);
    Entry e;
    e.change = change;
    e.seq = seq;
    e.version = change.zone->version;
    entries_[key] = std::move(e);
    open_[change.zone_id] = key;
}

std::pair<std::int64_t, const core::ZoneChange&> CommitBatch::join(const core::ZoneChange& change) {
    const Key key = open_.at(change.zone_id);
    save(key);
    Entry& e = entries_.at(key);
    compose_changes(e.change, change);
    e.joins += 1;
    return {e.seq, e.change};
}

void CommitBatch::keep() {
    undo_entries_.clear();
    undo_open_.clear();
}

void CommitBatch::drop() {
    for (auto it = undo_entries_.rbegin(); it != undo_entries_.rend(); ++it) {
        if (it->second)
            entries_[it->first] = std::move(*it->second);
        else
            entries_.erase(it->first);
    }
    for (auto it = undo_open_.rbegin(); it != undo_open_.rend(); ++it) {
        if (it->second)
            open_[it->first] = *it->second;
        else
            open_.erase(it->first);
    }
    keep();
}

std::vector<core::ZoneChange> CommitBatch::publication(
    const std::vector<core::ZoneChange>& changes) {
    std::vector<core::ZoneChange> out;
    out.reserve(changes.size());
    for (const auto& c : changes) {
        auto it = entries_.find(Key{c.zone_id, c.new_serial});
        if (it == entries_.end() || it->second.joins == 0) {
            out.push_back(c);
            continue;
        }
        if (it->second.published) continue;
        it->second.published = true;
        out.push_back(it->second.change);
    }
    return out;
}

}  // namespace dnsplane::service
