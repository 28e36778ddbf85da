// Cost of publishing one single-record change into a zone of N records
// (patch_snapshot: the new version shares everything but the changed node,
// the apex and the map paths to them). Flat cost across zone sizes is the
// goal. Also: one query-path lookup, and a full build for comparison.
//   build/snapshot_bench [--benchmark_filter=Publish]
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dns/wire.h"
#include "dns/zone_snapshot.h"

namespace {

using namespace dnsplane;

core::Zone bench_zone(std::uint32_t serial) {
    core::Zone z;
    z.id = "zone-bench";
    z.name = "bench.example.";
    z.email = "hostmaster@bench.example";
    z.ttl = 3600;
    z.serial = serial;
    return z;
}

// N one-record A sets (h<i>.bench.example.) plus SOA and NS.
std::vector<core::RecordSet> bench_sets(std::size_t n) {
    std::vector<core::RecordSet> sets;
    sets.reserve(n + 2);
    auto set = [](std::string name, std::string type, std::string data) {
        core::RecordSet rs;
        rs.name = std::move(name);
        rs.type = std::move(type);
        rs.records.push_back({"", std::move(data)});
        return rs;
    };
    sets.push_back(set("bench.example.", "SOA",
                       "ns1.bench.example. hostmaster.bench.example. 1 3600 600 86400 300"));
    sets.push_back(set("bench.example.", "NS", "ns1.bench.example."));
    for (std::size_t i = 0; i < n; ++i) {
        sets.push_back(set("h" + std::to_string(i) + ".bench.example.", "A",
                           "10." + std::to_string((i >> 16) & 255) + "." +
                               std::to_string((i >> 8) & 255) + "." + std::to_string(i & 255)));
    }
    return sets;
}

struct Fixture {
    std::size_t n = 0;
    dns::ZoneSnapshotPtr snap;
    core::RecordSet soa;
};

Fixture& fixture(std::size_t n) {
    static std::map<std::size_t, Fixture> cache;
    Fixture& f = cache[n];
    if (!f.snap) {
        auto sets = bench_sets(n);
        f.n = n;
        f.soa = sets[0];
        f.snap = dns::build_snapshot(bench_zone(1), sets);
    }
    return f;
}

// Each iteration publishes one single-record change on top of the previous
// version, as the catalog does, and drops the older version: alternately a
// record at a new name (a node appears) and its removal (it disappears).
void BM_PublishOneRecord(benchmark::State& state) {
    Fixture& f = fixture(static_cast<std::size_t>(state.range(0)));
    dns::ZoneSnapshotPtr current = f.snap;
    std::uint32_t serial = current->serial();
    std::size_t i = 0;
    for (auto _ : state) {
        core::Zone zone = bench_zone(serial + 1);
        core::ZoneChange change;
        change.zone_id = zone.id;
        change.zone_name = zone.name;
        change.old_serial = serial;
        change.new_serial = serial + 1;
        // Add a record at a new name, then remove it: the zone keeps its size.
        core::ResourceRecord rr{"new.bench.example.", "A", 3600, "192.0.2.1"};
        (i++ % 2 == 0 ? change.added : change.removed).push_back(rr);
        auto next = dns::patch_snapshot(*current, zone, &f.soa, change);
        if (!next) state.SkipWithError("patch refused");
        current = std::move(next);
        ++serial;
    }
    state.counters["records"] = static_cast<double>(current->record_count());
}
BENCHMARK(BM_PublishOneRecord)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMicrosecond);

void BM_Lookup(benchmark::State& state) {
    Fixture& f = fixture(static_cast<std::size_t>(state.range(0)));
    std::vector<std::string> names;
    for (std::size_t i = 0; i < 1024; ++i) {
        names.push_back(
            *dns::wire::name_to_wire("h" + std::to_string((i * 7919) % f.n) + ".bench.example."));
    }
    std::size_t i = 0, hits = 0;
    for (auto _ : state) {
        const auto& w = names[i++ & 1023];
        hits += f.snap->lookup(reinterpret_cast<const knot_dname_t*>(w.data())).match != nullptr;
    }
    benchmark::DoNotOptimize(hits);
}
BENCHMARK(BM_Lookup)->Arg(10'000)->Arg(100'000)->Arg(1'000'000);

void BM_FullBuild(benchmark::State& state) {
    auto sets = bench_sets(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(dns::build_snapshot(bench_zone(1), sets));
}
BENCHMARK(BM_FullBuild)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
