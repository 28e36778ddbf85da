#include "common/metrics.h"

namespace dnsplane::common {

void MetricsRegistry::inc(const std::string& name, const MetricLabels& labels, std::uint64_t n,
                          const std::string& help) {
    std::lock_guard lock(mu_);
    Family& f = counters_[name];
    if (f.help.empty()) f.help = help;
    f.series[labels] += n;
}

std::uint64_t MetricsRegistry::value(const std::string& name, const MetricLabels& labels) const {
    std::lock_guard lock(mu_);
    auto it = counters_.find(name);
    if (it == counters_.end()) return 0;
    auto s = it->second.series.find(labels);
    return s == it->second.series.end() ? 0 : s->second;
}

void MetricsRegistry::add_collector(std::string key, Collector c) {
    std::lock_guard lock(mu_);
    collectors_[std::move(key)] = std::move(c);
}

void MetricsRegistry::remove_collector(const std::string& key) {
    std::lock_guard lock(mu_);
    collectors_.erase(key);
}

std::string MetricsRegistry::render() const {
    std::lock_guard lock(mu_);
    std::string out;
    for (const auto& [name, f] : counters_) {
        metric_header(out, name, "counter", f.help.empty() ? name : f.help);
        for (const auto& [labels, v] : f.series) metric_sample(out, name, labels, v);
    }
    for (const auto& [key, c] : collectors_) c(out);
    return out;
}

MetricsRegistry& metrics() {
    static MetricsRegistry registry;
    return registry;
}

std::string escape_label_value(const std::string& v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

void metric_header(std::string& out, const std::string& name, const char* type,
                   const std::string& help) {
    out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void metric_sample(std::string& out, const std::string& name, const MetricLabels& labels,
                   std::uint64_t value) {
    out += name;
    if (!labels.empty()) {
        out += '{';
        bool first = true;
        for (const auto& [k, v] : labels) {
            if (!first) out += ',';
            first = false;
            out += k + "=\"" + escape_label_value(v) + "\"";
        }
        out += '}';
    }
    out += ' ' + std::to_string(value) + '\n';
}

}  // namespace dnsplane::common
