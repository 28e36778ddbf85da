// One serial per zone per group commit. The requests of one batch commit
// together, so nobody (API, DNS, transfers) can see a state between two of
// them: when a later request of the batch changes a zone an earlier one
// already moved to a new serial, it joins that change instead of taking a
// serial of its own. It writes its record sets but no zone row, no SOA and no
// change-log row of its own: the zone's change-log row is rewritten with the
// composed difference, and the DNS hears one change per zone and batch.
// Only the group committer's leader uses it, inside a batch (single thread).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/model.h"

namespace dnsplane::service {

class CommitBatch {
  public:
    // Joined changes stop growing past this many records (a new serial then
    // starts): rewriting the row costs the joined change's size per request.
    static constexpr std::size_t kMaxJoinedRecords = 256;

    // The zone's change of this batch that a new change of `zone` (as the
    // transaction has it now) can join, or null: the zone is where that change
    // left it (same serial and version) and the change is an ordinary one.
    const core::ZoneChange* joinable(const core::Zone& zone) const;
    // `change` started a serial of its own (change-log row `seq`).
    void opened(const core::ZoneChange& change, std::int64_t seq);
    // Folds `change` into the open change of its zone (joinable() said
    // yes); returns the change-log row to rewrite and its new content.
    std::pair<std::int64_t, const core::ZoneChange&> join(const core::ZoneChange& change);

    // The current request committed its savepoint / rolled it back (its
    // openings and joins are undone).
    void keep();
    void drop();

    // What to publish for the committed requests' changes, in order: a change
    // that others joined is replaced by the composed one at its first
    // appearance, and the joined ones are left out.
    std::vector<core::ZoneChange> publication(const std::vector<core::ZoneChange>& changes);

  private:
    struct Entry {
        core::ZoneChange change;  // composed
        std::int64_t seq = 0;
        std::int64_t version = 0;  // the zone row's version it left
        std::size_t joins = 0;
        bool published = false;
    };
    using Key = std::pair<std::string, std::uint32_t>;  // zone id, new serial
    std::map<Key, Entry> entries_;
    std::map<std::string, Key> open_;  // zone id -> its joinable entry
    // Undo log of the current request: the entries and open marks it touched,
    // as they were before.
    std::vector<std::pair<Key, std::optional<Entry>>> undo_entries_;
    std::vector<std::pair<std::string, std::optional<Key>>> undo_open_;
    void save(const Key& key);
};

}  // namespace dnsplane::service
