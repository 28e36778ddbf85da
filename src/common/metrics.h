// Process-wide metrics in the Prometheus text exposition format (0.0.4).
// Any part of the process counts into the one registry (`metrics()`);
// parts that keep their own counters (DNS stats, group commit) register a
// collector that renders them at scrape time. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace dnsplane::common {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class MetricsRegistry {
  public:
    // Adds `n` to counter `name` with `labels` (created at 0 on first use).
    // `help` is kept from the first call that gives one.
    void inc(const std::string& name, const MetricLabels& labels, std::uint64_t n = 1,
             const std::string& help = {});
    std::uint64_t value(const std::string& name, const MetricLabels& labels) const;

    // A collector appends whole metric families (with # HELP / # TYPE lines).
    using Collector = std::function<void(std::string& out)>;
    void add_collector(std::string key, Collector c);  // same key replaces
    void remove_collector(const std::string& key);

    // Every counter family, then every collector's output.
    std::string render() const;

  private:
    struct Family {
        std::string help;
        std::map<MetricLabels, std::uint64_t> series;
    };
    mutable std::mutex mu_;
    std::map<std::string, Family> counters_;
    std::map<std::string, Collector> collectors_;
};

MetricsRegistry& metrics();

// Helpers for collectors: "# HELP"/"# TYPE" lines and one sample line.
void metric_header(std::string& out, const std::string& name, const char* type,
                   const std::string& help);
void metric_sample(std::string& out, const std::string& name, const MetricLabels& labels,
                   std::uint64_t value);
// Label value escaping (\\, \", \n).
std::string escape_label_value(const std::string& v);

}  // namespace dnsplane::common
