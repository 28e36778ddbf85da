#include "hooks/journal.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "common/util.h"
#include "core/error.h"
#include "hooks/http_post.h"

namespace dnsplane::hooks {

namespace json = boost::json;

json::array rrsets_json(const std::vector<core::ResourceRecord>& rrs) {
    std::map<std::tuple<std::string, std::string, std::uint32_t>, json::array> sets;
    std::vector<std::tuple<std::string, std::string, std::uint32_t>> order;
    for (const auto& rr : rrs) {
        auto key = std::make_tuple(rr.name, rr.type, rr.ttl);
        auto [it, fresh] = sets.try_emplace(key);
        if (fresh) order.push_back(key);
        it->second.emplace_back(rr.data);
    }
    json::array out;
    for (const auto& key : order) {
        json::object o;
        o["name"] = std::get<0>(key);
        o["type"] = std::get<1>(key);
        o["ttl"] = std::get<2>(key);
        o["records"] = sets[key];
        out.push_back(std::move(o));
    }
    return out;
}

namespace {

json::object zone_json(const core::ZoneChange& c) {
    return json::object{{"id", c.zone_id}, {"name", c.zone_name}};
}

}  // namespace

Journal::Journal(const Registry& registry, HookOptions options)
    : registry_(registry), options_(options) {}

void Journal::validate(const store::HookBinding& b, const core::ZoneChange& c) const {
    json::object body{{"addons_point", kValidateChange},
                      {"zone", zone_json(c)},
                      {"added", rrsets_json(c.added)},
                      {"removed", rrsets_json(c.removed)}};
    if (c.zone_created) body["zone_created"] = true;
    if (c.zone_deleted) body["zone_deleted"] = true;
    auto res = http_post(b.endpoint, json::serialize(body), options_.timeout);
    if (!res.answered || res.status >= 500) {
        spdlog::warn("validate_change hook {} did not answer: {}", b.plugin_id,
                     res.answered ? "status " + std::to_string(res.status) : res.error);
        if (options_.validate_fail_open) return;
        throw core::Error(core::ErrorKind::Unavailable, "validate_change_unavailable",
                          "the validate_change hook of " + b.plugin_id + " did not answer (" +
                              (res.answered ? "status " + std::to_string(res.status) : res.error) +
                              ")");
    }
    std::int64_t ret = -1;
    std::string msg;
    boost::system::error_code ec;
    auto v = json::parse(res.body, ec);
    if (!ec && v.is_object()) {
        const auto& o = v.as_object();
        if (auto* r = o.if_contains("ret"); r && r->is_int64()) ret = r->as_int64();
        if (auto* m = o.if_contains("msg"); m && m->is_string()) msg = m->as_string().c_str();
    } else {
        msg = "the validate_change hook answered without a JSON {\"ret\"} object";
    }
    if (ret == 0 && res.status < 300) return;
    if (msg.empty()) msg = "rejected (ret " + std::to_string(ret) + ")";
    throw core::Error(core::ErrorKind::Forbidden, "change_vetoed",
                      "change to zone " + c.zone_name + " rejected by " + b.plugin_id + ": " + msg);
}

bool Journal::validates() const {
    return registry_.binding(kValidateChange).has_value();
}

void Journal::validate(const std::vector<core::ZoneChange>& planned) {
    if (auto v = registry_.binding(kValidateChange))
        for (const auto& c : planned) validate(*v, c);
}

void Journal::before_batch_commit(store::WriteTxn& txn,
                                  const std::vector<core::ZoneChange>& changes) {
    // Asked of the transaction, not of this process's registry: a binding
    // another node sharing the database made counts from its commit on.
    const auto bindings = txn.hook_bindings();
    if (std::none_of(bindings.begin(), bindings.end(),
                     [](const auto& b) { return b.addons_point == kChangeCommitted; }))
        return;
    for (const auto& c : changes) {
        store::OutboxEvent e;
        e.id = common::new_uuid();
        e.zone_id = c.zone_id;
        e.sequence = txn.next_event_sequence(c.zone_id);
        json::object body{{"id", e.id},
                          {"addons_point", kChangeCommitted},
                          {"sequence", e.sequence},
                          {"zone", zone_json(c)},
                          {"serial", c.new_serial},
                          {"previous_serial", c.old_serial},
                          {"added", rrsets_json(c.added)},
                          {"removed", rrsets_json(c.removed)},
                          {"zone_created", c.zone_created},
                          {"zone_deleted", c.zone_deleted},
                          {"committed_at", c.committed_at}};
        e.payload = json::serialize(body);
        txn.append_outbox(e);
    }
}

}  // namespace dnsplane::hooks
