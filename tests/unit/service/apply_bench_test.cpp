// Micro benchmark (disabled: not part of the test run): the cost of one
// single-record apply in a zone of 10,000 and of 100,000 record sets.
//   build/service_tests --gtest_also_run_disabled_tests --gtest_filter='*ApplyBench*'
#include <chrono>
#include <cstdio>

#include "common/util.h"
#include "edit_fixture.h"

namespace dnsplane::service::testing {
namespace {

class ApplyBench : public ServiceTest {
  protected:
    void measure(std::size_t zone_sets) {
        settings_.quotas.recordsets_per_zone = 10000000;
        restart();
        auto z = make_zone("bench.example.", owner_);
        {
            // Filled straight through the store (fast), in one transaction.
            auto txn = store_->write();
            for (std::size_t i = 0; i < zone_sets; ++i) {
                core::RecordSet rs;
                rs.id = common::new_uuid();
                rs.project_id = z.project_id;
                rs.zone_id = z.id;
                rs.zone_name = z.name;
                rs.name = "h" + std::to_string(i) + ".bench.example.";
                rs.type = "A";
                rs.records.push_back({common::new_uuid(), "192.0.2.1"});
                rs.created_at = common::now_timestamp();
                txn->insert_recordset(rs);
            }
            txn->commit();
        }
        constexpr int kEdits = 2000;
        auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < kEdits; ++i)
            svc().apply(
                owner_,
                edit_of({add("n" + std::to_string(i) + ".bench.example.", "A", {"192.0.2.7"})}));
        auto t1 = std::chrono::steady_clock::now();
        for (int i = 0; i < kEdits; ++i)
            svc().apply(owner_,
                        edit_of({add("h" + std::to_string(i * 7 % zone_sets) + ".bench.example.",
                                     "A", {"192.0.2." + std::to_string(2 + i % 200)})}));
        auto t2 = std::chrono::steady_clock::now();
        auto us = [](auto d) { return std::chrono::duration<double, std::micro>(d).count(); };
        std::printf(
            "[ bench ] zone of %zu sets: create one set %.1f us/apply, add a value to an "
            "existing set %.1f us/apply (%d each, one thread, synchronous=normal)\n",
            zone_sets, us(t1 - t0) / kEdits, us(t2 - t1) / kEdits, kEdits);
    }
};

TEST_F(ApplyBench, DISABLED_ZoneOf10000) {
    measure(10000);
}
TEST_F(ApplyBench, DISABLED_ZoneOf100000) {
    measure(100000);
}

}  // namespace
}  // namespace dnsplane::service::testing
