#include "dns/server/xfr_changes.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <sstream>

#include "core/error.h"
#include "core/name.h"
#include "core/rdata.h"
#include "service/soa.h"

namespace dnsplane::dns {

namespace {

std::vector<std::string> fields(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string f; in >> f;) out.push_back(std::move(f));
    return out;
}

std::optional<std::uint32_t> to_u32(const std::string& s) {
    std::uint32_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

bool same_name(const std::string& a, const std::string& zone) {
    auto c = core::try_canonical_name(a);
    return c && *c == zone;
}

}  // namespace

std::optional<std::uint32_t> soa_serial(const std::string& soa_rdata) {
    auto f = fields(soa_rdata);
    if (f.size() != 7) return std::nullopt;
    return to_u32(f[2]);
}

XfrStream::XfrStream(std::string zone, std::optional<std::uint32_t> ixfr_serial)
    : zone_(std::move(zone)), ixfr_serial_(ixfr_serial) {}

bool XfrStream::fail(std::string why) {
    error_ = std::move(why);
    return false;
}

bool XfrStream::add(const core::ResourceRecord& rr) {
    if (!error_.empty()) return false;
    if (complete_) return fail("records after the end of the transfer");
    const bool is_soa = rr.type == "SOA";
    std::optional<std::uint32_t> serial;
    if (is_soa) {
        if (!same_name(rr.name, zone_)) return fail("an SOA record outside the zone apex");
        serial = soa_serial(rr.data);
        if (!serial) return fail("a malformed SOA record");
    }
    switch (state_) {
        case State::First:
            if (!is_soa) return fail("the transfer does not start with the zone's SOA");
            soa_ = rr;
            serial_ = *serial;
            // RFC 1995 2: a serial not newer than ours is answered by the SOA alone.
            if (ixfr_serial_ && !service::serial_before(*ixfr_serial_, serial_)) {
                kind_ = Kind::UpToDate;
                complete_ = true;
                return true;
            }
            state_ = State::Second;
            return true;
        case State::Second:
            if (is_soa && *serial == serial_) {  // a zone with nothing but its SOA
                kind_ = Kind::Full;
                complete_ = true;
                return true;
            }
            if (is_soa && ixfr_serial_) {  // RFC 1995 4: the first difference begins
                kind_ = Kind::Incremental;
                diffs_.push_back({*serial, 0, {}, {}});
                state_ = State::Removing;
                return true;
            }
            if (is_soa) return fail("an AXFR with two different SOA serials");
            kind_ = Kind::Full;  // an AXFR, or an IXFR answered in AXFR form
            state_ = State::FullBody;
            records_.push_back(rr);
            return true;
        case State::FullBody:
            if (!is_soa) {
                records_.push_back(rr);
                return true;
            }
            if (*serial != serial_) return fail("the closing SOA has another serial");
            complete_ = true;
            return true;
        case State::Removing:
            if (!is_soa) {
                diffs_.back().removed.push_back(rr);
                return true;
            }
            diffs_.back().to_serial = *serial;
            state_ = State::Adding;
            return true;
        case State::Adding:
            if (!is_soa) {
                diffs_.back().added.push_back(rr);
                return true;
            }
            if (*serial == serial_ && diffs_.back().to_serial == serial_) {
                complete_ = true;
                return true;
            }
            if (*serial != diffs_.back().to_serial)
                return fail("IXFR differences that do not follow each other");
            diffs_.push_back({*serial, 0, {}, {}});
            state_ = State::Removing;
            return true;
    }
    return fail("unreachable");
}

namespace {

using Key = std::pair<std::string, std::string>;  // canonical owner, type
struct SetData {
    std::uint32_t ttl = 0;
    std::vector<std::string> values;  // canonical, in the order received
};

struct Canonical {
    Key key;
    std::string data;
};

class Planner {
  public:
    explicit Planner(const core::Zone& zone) : zone_(zone) {}

    // The record in dnsplane's canonical form, or nullopt (skipped, noted).
    std::optional<Canonical> canonical(const core::ResourceRecord& rr) {
        auto name = core::try_canonical_name(rr.name);
        if (!name || !core::is_subdomain(*name, zone_.name)) return skip(rr, "outside the zone");
        if (rr.type == "SOA" || !core::is_supported_type(rr.type))
            return skip(rr, "type not served by dnsplane");
        try {
            return Canonical{{*name, rr.type}, core::canonical_rdata(rr.type, rr.data)};
        } catch (const core::Error& e) {
            return skip(rr, e.what());
        }
    }

    std::size_t skipped = 0;
    std::vector<std::string> notes;

  private:
    std::nullopt_t skip(const core::ResourceRecord& rr, const std::string& why) {
        ++skipped;
        if (notes.size() < 10) notes.push_back(rr.name + " " + rr.type + ": " + why);
        return std::nullopt;
    }
    const core::Zone& zone_;
};

void add_value(SetData& set, std::string value) {
    if (std::find(set.values.begin(), set.values.end(), value) == set.values.end())
        set.values.push_back(std::move(value));
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

}  // namespace

std::optional<TransferPlan> plan_transfer(const core::Zone& zone,
                                          const std::vector<core::RecordSet>& current,
                                          const XfrStream& xfr, std::string* error) {
    auto refuse = [&](std::string why) -> std::optional<TransferPlan> {
        if (error) *error = std::move(why);
        return std::nullopt;
    };
    if (!xfr.complete()) return refuse("the transfer is incomplete");
    if (xfr.kind() == XfrStream::Kind::UpToDate) return refuse("the zone is up to date");

    std::map<Key, SetData> ours;
    for (const auto& rs : current) {
        if (rs.type == "SOA") continue;
        SetData& d = ours[{rs.name, rs.type}];
        d.ttl = rs.ttl.value_or(zone.ttl);
        for (const auto& r : rs.records) d.values.push_back(r.data);
    }

    Planner planner(zone);
    std::map<Key, SetData> theirs;
    if (xfr.kind() == XfrStream::Kind::Full) {
        for (const auto& rr : xfr.records()) {
            auto c = planner.canonical(rr);
            if (!c) continue;
            auto [it, fresh] = theirs.try_emplace(c->key);
            // RFC 2181 5.2: one TTL per RRset; differing ones take the lowest.
            it->second.ttl = fresh ? rr.ttl : std::min(it->second.ttl, rr.ttl);
            add_value(it->second, std::move(c->data));
        }
    } else {
        if (xfr.diffs().empty() || xfr.diffs().front().from_serial != zone.serial)
            return refuse("the IXFR does not start at the zone's serial " +
                          std::to_string(zone.serial));
        theirs = ours;
        for (const auto& diff : xfr.diffs()) {
            for (const auto& rr : diff.removed) {
                auto c = planner.canonical(rr);
                if (!c) continue;
                auto it = theirs.find(c->key);
                auto* values = it == theirs.end() ? nullptr : &it->second.values;
                auto pos = values ? std::find(values->begin(), values->end(), c->data)
                                  : std::vector<std::string>::iterator{};
                if (!values || pos == values->end())
                    return refuse("the IXFR removes " + rr.name + " " + rr.type + " " + rr.data +
                                  ", which the zone does not hold");
                values->erase(pos);
                if (values->empty()) theirs.erase(it);
            }
            for (const auto& rr : diff.added) {
                auto c = planner.canonical(rr);
                if (!c) continue;
                SetData& d = theirs[c->key];
                d.ttl = rr.ttl;
                add_value(d, std::move(c->data));
            }
        }
    }

    TransferPlan plan;
    plan.skipped = planner.skipped;
    plan.notes = std::move(planner.notes);
    service::ZoneEdit& edit = plan.edit;
    edit.want_operation_results = false;
    for (const auto& [key, set] : theirs) {
        auto it = ours.find(key);
        if (it != ours.end() && it->second.ttl == set.ttl &&
            sorted(it->second.values) == sorted(set.values))
            continue;
        service::EditOp op;
        op.kind = service::EditOpKind::ReplaceSet;
        op.target.zone_id = zone.id;
        op.target.name = key.first;
        op.target.type = key.second;
        op.records = set.values;
        op.ttl = std::optional<std::int64_t>(set.ttl);
        edit.operations.push_back(std::move(op));
    }
    for (const auto& [key, set] : ours) {
        if (theirs.count(key)) continue;
        service::EditOp op;
        op.kind = service::EditOpKind::DeleteSet;
        op.target.zone_id = zone.id;
        op.target.name = key.first;
        op.target.type = key.second;
        op.missing_ok = true;
        edit.operations.push_back(std::move(op));
    }

    std::vector<std::string> soa;
    try {
        soa = fields(core::canonical_rdata("SOA", xfr.soa().data));
    } catch (const core::Error& e) {
        return refuse(std::string("the master's SOA does not parse: ") + e.what());
    }
    if (soa.size() != 7) return refuse("the master's SOA does not parse");
    service::TransferredSoa t;
    t.zone_id = zone.id;
    t.mname = soa[0];
    t.rname = soa[1];
    auto num = [&](int i) { return to_u32(soa[static_cast<std::size_t>(i)]).value_or(0); };
    t.serial = num(2);
    t.refresh = num(3);
    t.retry = num(4);
    t.expire = num(5);
    t.minimum = num(6);
    t.ttl = xfr.soa().ttl;
    edit.transfer = t;

    service::Prerequisite p;
    p.kind = service::PrerequisiteKind::ZoneVersion;
    p.target.zone_id = zone.id;
    p.version = zone.version;
    edit.prerequisites.push_back(std::move(p));
    return plan;
}

}  // namespace dnsplane::dns
