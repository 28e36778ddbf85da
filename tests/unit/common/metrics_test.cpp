// common::MetricsRegistry: counters by name and labels, collectors, and the
// Prometheus text exposition format.
#include <gtest/gtest.h>

#include "common/metrics.h"

namespace dnsplane::common {
namespace {

TEST(Metrics, CountersRenderWithHelpTypeAndEscapedLabels) {
    MetricsRegistry r;
    r.inc("x_total", {{"a", "1"}, {"b", "q\"\\\n"}}, 2, "help text");
    r.inc("x_total", {{"a", "1"}, {"b", "q\"\\\n"}});
    r.inc("x_total", {{"a", "2"}, {"b", ""}});
    EXPECT_EQ(r.value("x_total", {{"a", "1"}, {"b", "q\"\\\n"}}), 3u);
    EXPECT_EQ(r.value("missing", {}), 0u);
    EXPECT_EQ(r.render(),
              "# HELP x_total help text\n# TYPE x_total counter\n"
              "x_total{a=\"1\",b=\"q\\\"\\\\\\n\"} 3\n"
              "x_total{a=\"2\",b=\"\"} 1\n");
}

TEST(Metrics, CollectorsAppendAndCanBeRemoved) {
    MetricsRegistry r;
    r.add_collector("k", [](std::string& out) {
        metric_header(out, "g", "gauge", "a gauge");
        metric_sample(out, "g", {}, 7);
    });
    EXPECT_EQ(r.render(), "# HELP g a gauge\n# TYPE g gauge\ng 7\n");
    r.remove_collector("k");
    EXPECT_EQ(r.render(), "");
}

}  // namespace
}  // namespace dnsplane::common
