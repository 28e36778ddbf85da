// Service-level benchmark of one big change set (issue 10: "one change set of
// 10,000 creates <= 300 ms from request to committed and answering in DNS"),
// without HTTP: the webhook's JSON decoding and planning and
// ZoneService::apply (commit + DNS publication) are timed apart.
//
//   bash scripts/build --target apply_bench
//   build/apply_bench [--seed 90000] [--creates 10000] [--runs 3] [--dir /tmp]
//
// A fresh SQLite store (synchronous=normal) in a temporary folder gets one
// zone of --seed one-record A sets (written by apply in batches of 10,000,
// outside every timed window); the DNS catalog is loaded and attached as the
// first ChangeSink, as `dnsplane serve` does. Then each run:
//   webhook: the POST /records body of --creates creates (the bench's JSON) is
//     decoded (changes_from_json), planned (visible_zones, touched_names,
//     sets_at, plan_edit) and applied; runs alternate between a fresh zone
//     and the seeded zone;
//   plain:   --creates CreateSet operations (no prerequisites; Designate zone
//     import's shape) applied into a fresh zone.
// After every apply the last name must be in the published DNS snapshot.
// Prints one line per run and the best (minimum) of each column.
#include <sys/resource.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "api/webhook/endpoint.h"
#include "api/webhook/mapping.h"
#include "dns/wire_libknot.h"
#include "dns/zone_catalog.h"
#include "service/zone_service.h"
#include "store/store.h"

namespace {

using namespace dnsplane;
using Clock = std::chrono::steady_clock;

double ms(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

// CPU time (user + system) of this thread, in ms: apply runs on the calling
// thread (it leads its own group commit and calls the sinks), so this is the
// number to compare on a machine shared with other work.
double thread_cpu_ms() {
    rusage u{};
    getrusage(RUSAGE_THREAD, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 +
           (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

std::string target(std::size_t i) {
    return "10." + std::to_string((i >> 16) & 255) + "." + std::to_string((i >> 8) & 255) + "." +
           std::to_string(i & 255);
}

// The body bench/webhook_tool.py sends.
std::string creates_body(const std::string& zone, const std::string& prefix, std::size_t n) {
    std::string out = "{\"create\":[";
    for (std::size_t i = 0; i < n; ++i) {
        if (i) out += ',';
        out += "{\"dnsName\":\"" + prefix + std::to_string(i) + "." + zone +
               "\",\"recordType\":\"A\",\"targets\":[\"" + target(i) + "\"]}";
    }
    return out + "]}";
}

bool answers(const dns::ZoneCatalog& catalog, const std::string& name) {
    auto snap = catalog.find(name);
    if (!snap) return false;
    knot_dname_t* wire = knot_dname_from_str_alloc(name.c_str());
    if (!wire) return false;
    knot_dname_to_lower(wire);
    bool found = snap->contains(wire);
    free(wire);
    return found;
}

struct Bench {
    std::unique_ptr<store::Store> store;
    std::unique_ptr<dns::ZoneCatalog> catalog;
    std::unique_ptr<service::ZoneService> svc;
    service::Caller caller;

    core::Zone zone(const std::string& name) {
        service::ZoneCreate zc;
        zc.name = name;
        zc.email = "hostmaster@" + name;
        return svc->create_zone(caller, zc);
    }

    struct Timing {
        double decode = 0, plan = 0, apply = 0, apply_cpu = 0;
    };

    Timing webhook(const std::string& body, const std::string& last) {
        Timing t;
        auto t0 = Clock::now();
        auto changes = webhook::changes_from_json(boost::json::parse(body));
        auto t1 = Clock::now();
        auto zones = svc->visible_zones(caller);
        auto names = webhook::touched_names(changes, zones);
        auto current = svc->sets_at(caller, names);
        auto edit = webhook::plan_edit(changes, zones, current);
        auto t2 = Clock::now();
        double c2 = thread_cpu_ms();
        svc->apply(caller, edit);
        auto t3 = Clock::now();
        t.apply_cpu = thread_cpu_ms() - c2;
        if (!answers(*catalog, last)) {
            std::fprintf(stderr, "%s is not in the DNS snapshot after apply\n", last.c_str());
            std::exit(1);
        }
        t.decode = ms(t1 - t0);
        t.plan = ms(t2 - t1);
        t.apply = ms(t3 - t2);
        return t;
    }

    double plain(const core::Zone& z, std::size_t n, double* cpu) {
        service::ZoneEdit edit;
        edit.operations.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            service::EditOp op;
            op.kind = service::EditOpKind::CreateSet;
            op.target.zone_id = z.id;
            op.target.name = "c" + std::to_string(i) + "." + z.name;
            op.target.type = "A";
            op.records = std::vector<std::string>{target(i)};
            edit.operations.push_back(std::move(op));
        }
        auto t0 = Clock::now();
        double c0 = thread_cpu_ms();
        svc->apply(caller, edit);
        auto t1 = Clock::now();
        *cpu = thread_cpu_ms() - c0;
        if (!answers(*catalog, "c" + std::to_string(n - 1) + "." + z.name)) {
            std::fprintf(stderr, "plain apply: last name not in the DNS snapshot\n");
            std::exit(1);
        }
        return ms(t1 - t0);
    }
};

}  // namespace

int main(int argc, char** argv) {
    std::size_t seed = 90000, creates = 10000, runs = 3;
    std::string parent = "/tmp";
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--seed")
            seed = std::stoul(argv[i + 1]);
        else if (a == "--creates")
            creates = std::stoul(argv[i + 1]);
        else if (a == "--runs")
            runs = std::stoul(argv[i + 1]);
        else if (a == "--dir")
            parent = argv[i + 1];
        else {
            std::fprintf(stderr,
                         "usage: apply_bench [--seed N] [--creates N] [--runs N] [--dir D]\n");
            return 2;
        }
    }
    std::string tmpl = parent + "/dnsplane-apply-bench-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) {
        std::perror("mkdtemp");
        return 1;
    }
    const std::string dir = buf.data();

    Bench b;
    b.store = store::open_store("sqlite://" + dir + "/bench.db");
    service::ServiceSettings settings;
    settings.pool.id = "794ccc2c-d751-44fe-b57f-8894c9f5c842";
    settings.pool.name = "default";
    settings.pool.ns_records = {{"ns1.example.net.", 1}, {"ns2.example.net.", 2}};
    settings.quotas.recordsets_per_zone = 10000000;
    b.catalog = std::make_unique<dns::ZoneCatalog>(*b.store);
    b.svc = std::make_unique<service::ZoneService>(*b.store, settings);
    b.catalog->load_all();
    b.svc->add_sink(b.catalog.get());
    b.caller.project_id = "default";
    b.caller.role = service::Role::Member;

    auto seeded = b.zone("seed.bench.");
    auto t0 = Clock::now();
    for (std::size_t done = 0; done < seed; done += 10000) {
        std::size_t n = std::min<std::size_t>(10000, seed - done);
        std::string body = creates_body("seed.bench", "s" + std::to_string(done) + "-", n);
        b.webhook(body, "s" + std::to_string(done) + "-" + std::to_string(n - 1) + ".seed.bench.");
    }
    std::printf("seeded %zu sets in %.0f ms; %zu creates per run, %zu runs\n", seed,
                ms(Clock::now() - t0), creates, runs);
    std::printf("%-31s %8s %8s %8s %9s %8s\n", "run (ms)", "decode", "plan", "apply", "apply-cpu",
                "total");
    struct Best {
        double decode = 1e18, plan = 1e18, apply = 1e18, cpu = 1e18, total = 1e18;
        void keep(const Bench::Timing& t) {
            decode = std::min(decode, t.decode);
            plan = std::min(plan, t.plan);
            apply = std::min(apply, t.apply);
            cpu = std::min(cpu, t.apply_cpu);
            total = std::min(total, t.decode + t.plan + t.apply);
        }
    } fresh_best, seeded_best, plain_best;
    auto line = [](const char* what, const Bench::Timing& t) {
        std::printf("%-31s %8.1f %8.1f %8.1f %9.1f %8.1f\n", what, t.decode, t.plan, t.apply,
                    t.apply_cpu, t.decode + t.plan + t.apply);
    };
    for (std::size_t r = 0; r < runs; ++r) {
        const std::string fresh = "r" + std::to_string(r) + ".bench";
        b.zone(fresh + ".");
        auto t = b.webhook(creates_body(fresh, "p", creates),
                           "p" + std::to_string(creates - 1) + "." + fresh + ".");
        fresh_best.keep(t);
        line("webhook, fresh zone", t);
        const std::string prefix = "x" + std::to_string(r) + "-";
        t = b.webhook(creates_body("seed.bench", prefix, creates),
                      prefix + std::to_string(creates - 1) + ".seed.bench.");
        seeded_best.keep(t);
        line("webhook, into the seeded zone", t);
        auto pz = b.zone("plain" + std::to_string(r) + ".bench.");
        Bench::Timing p;
        p.apply = b.plain(pz, creates, &p.apply_cpu);
        plain_best.keep(p);
        line("plain CreateSet, fresh zone", p);
    }
    auto best = [](const char* what, const Best& x) {
        std::printf("best %-26s %8.1f %8.1f %8.1f %9.1f %8.1f\n", what, x.decode, x.plan, x.apply,
                    x.cpu, x.total);
    };
    best("webhook, fresh zone", fresh_best);
    best("webhook, seeded zone", seeded_best);
    best("plain CreateSet", plain_best);
    b.svc.reset();
    b.catalog.reset();
    b.store.reset();
    std::filesystem::remove_all(dir);
    return 0;
}
