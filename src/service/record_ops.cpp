// Lexicon record semantics on top of change sets (record_ops.h).
#include "service/record_ops.h"

#include <algorithm>
#include <cctype>

#include "core/error.h"
#include "core/rdata.h"
#include "service/tenancy.h"

namespace dnsplane::service {

namespace {

std::string lower(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

std::string upper(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Types whose whole value is one domain name (Lexicon gives it without the dot).
bool is_name_type(const std::string& type) {
    return type == "CNAME" || type == "NS" || type == "PTR";
}

std::string absolute_target(std::string name) {
    if (!name.empty() && name.back() != '.') name += '.';
    return name;
}

std::string without_dot(std::string name) {
    if (name.size() > 1 && name.back() == '.') name.pop_back();
    return name;
}

std::string checked_type(const std::string& type) {
    std::string t = upper(type);
    if (t.empty()) throw core::invalid("A record type is needed", {"type"});
    if (!core::is_supported_type(t))
        throw core::invalid("Record type '" + type + "' is not supported", {"type"});
    return t;
}

// Lexicon: TTL absent -> unchanged (outer nullopt); 0 -> the zone's default.
std::optional<std::optional<std::int64_t>> edit_ttl(std::optional<std::int64_t> ttl) {
    if (!ttl) return std::nullopt;
    if (*ttl == 0) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(*ttl);
}

const core::Record* value_with_data(const core::RecordSet& rs, const std::string& data) {
    for (const auto& r : rs.records)
        if (r.data == data) return &r;
    return nullptr;
}

const core::Record* value_with_id(const core::RecordSet& rs, const std::string& id) {
    for (const auto& r : rs.records)
        if (r.id == id) return &r;
    return nullptr;
}

// Whether one value of `rs` matches a content filter given in Lexicon form.
bool content_matches(const core::RecordSet& rs, const core::Record& value, const LexRecord& rec,
                     const std::string& wanted, const std::string& zone_name) {
    if (rec.content == wanted) return true;
    if (is_name_type(rs.type) || rs.type == "MX")
        return lower(without_dot(rec.content)) == lower(without_dot(wanted));
    try {
        return lexicon_to_rdata(rs.type, wanted, rec.mx_priority, zone_name) == value.data;
    } catch (const core::Error&) {
        return false;
    }
}

void require_type_and_name(const RecordFilter& f) {
    std::vector<core::FieldError> errors;
    if (!f.type || f.type->empty())
        errors.push_back({{"type"}, "A filter needs the record type", "required"});
    if (!f.name) errors.push_back({{"name"}, "A filter needs the record name", "required"});
    if (!errors.empty())
        throw core::Error(core::ErrorKind::Invalid, "invalid_object",
                          "Update and delete by filter need type and name", std::move(errors));
}

}  // namespace

std::string lexicon_absolute_name(const std::string& name, const std::string& zone_name) {
    std::string n = lower(name);
    if (n.empty() || n == "@") return zone_name;
    if (n.back() == '.') return n;
    const std::string bare = zone_name.substr(0, zone_name.size() - 1);
    if (n == bare || ends_with(n, "." + bare)) return n + ".";
    return n + "." + zone_name;
}

std::string lexicon_to_rdata(const std::string& type_in, const std::string& content,
                             std::optional<std::int64_t> mx_priority,
                             const std::string& zone_name) {
    const std::string type = checked_type(type_in);
    try {
        if (type == "TXT" || type == "SPF")
            return core::rdata_from_fields(type, {{"text", content}});
        if (type == "MX") {
            std::string host = content;
            if (!mx_priority) {
                auto space = content.find(' ');
                if (space != std::string::npos && space > 0 &&
                    std::all_of(content.begin(), content.begin() + space, [](char ch) {
                        return std::isdigit(static_cast<unsigned char>(ch));
                    }))
                    return core::canonical_rdata("MX",
                                                 content.substr(0, space) + " " +
                                                     absolute_target(content.substr(space + 1)));
            }
            return core::canonical_rdata(
                "MX", std::to_string(mx_priority.value_or(10)) + " " + absolute_target(host));
        }
        if (is_name_type(type)) return core::canonical_rdata(type, absolute_target(content));
        return core::canonical_rdata(type, content, zone_name);
    } catch (const core::Error& e) {
        if (e.kind() != core::ErrorKind::Invalid && e.kind() != core::ErrorKind::BadRequest) throw;
        throw core::invalid(e.what(), {"content"});
    }
}

LexRecord lexicon_record(const core::RecordSet& rs, const core::Record& value,
                         std::uint32_t zone_ttl) {
    LexRecord out;
    out.id = value.id;
    out.type = rs.type;
    out.name = rs.name;
    out.ttl = rs.ttl.value_or(zone_ttl);
    if (rs.type == "TXT" || rs.type == "SPF") {
        auto fields = core::rdata_to_fields(rs.type, value.data);
        out.content = fields.empty() ? std::string() : fields.front().second;
    } else if (rs.type == "MX") {
        auto fields = core::rdata_to_fields("MX", value.data);
        out.mx_priority = std::stoll(fields.at(0).second);
        out.content = without_dot(fields.at(1).second);
    } else if (is_name_type(rs.type)) {
        out.content = without_dot(value.data);
    } else {
        out.content = value.data;
    }
    return out;
}

core::Zone RecordOps::domain(const Caller& c, const std::string& domain) {
    std::string name = lower(domain);
    if (name.empty()) throw zone_not_found();
    if (name.back() != '.') name += '.';
    auto zone = zones_.zone_for_name(c, name);
    if (!zone || zone->name != name) throw zone_not_found();
    return *zone;
}

std::vector<LexRecord> RecordOps::list(const Caller& c, const core::Zone& zone,
                                       const RecordFilter& f) {
    std::optional<std::string> type, name;
    if (f.type && !f.type->empty()) type = upper(*f.type);
    if (f.name) name = lexicon_absolute_name(*f.name, zone.name);
    // A name filter reads only that name's sets, not the whole zone.
    auto sets = name ? zones_.sets_at(c, {{zone.id, *name}}) : zones_.zone_recordsets(c, zone.id);
    std::sort(sets.begin(), sets.end(), [](const core::RecordSet& a, const core::RecordSet& b) {
        return a.name != b.name ? a.name < b.name : a.type < b.type;
    });
    std::vector<LexRecord> out;
    for (const auto& rs : sets) {
        if ((type && rs.type != *type) || (name && rs.name != *name)) continue;
        for (const auto& value : rs.records) {
            LexRecord rec = lexicon_record(rs, value, zone.ttl);
            if (f.content && !content_matches(rs, value, rec, *f.content, zone.name)) continue;
            out.push_back(std::move(rec));
        }
    }
    return out;
}

CreateResult RecordOps::create(const Caller& c, const core::Zone& zone, const RecordCreate& in) {
    const std::string type = checked_type(in.type);
    const std::string name = lexicon_absolute_name(in.name, zone.name);
    const std::string data = lexicon_to_rdata(type, in.content, in.mx_priority, zone.name);
    EditOp op;
    op.kind = EditOpKind::AddValues;
    op.target.zone_id = zone.id;
    op.target.name = name;
    op.target.type = type;
    op.records = std::vector<std::string>{data};
    op.only_if_added = true;
    // Lexicon: TTL absent or 0 -> the zone's default.
    op.ttl = (in.ttl && *in.ttl != 0)
                 ? std::optional<std::optional<std::int64_t>>(in.ttl)
                 : std::optional<std::optional<std::int64_t>>(std::optional<std::int64_t>());
    ZoneEdit edit;
    edit.operations.push_back(std::move(op));
    EditResult res = zones_.apply(c, edit);
    const auto& r = res.operations.front();
    CreateResult out;
    out.existed = r.previous && value_with_data(*r.previous, data);
    const core::Record* value = r.set ? value_with_data(*r.set, data) : nullptr;
    if (!value) throw core::Error(core::ErrorKind::Internal, "internal", "Created value missing");
    out.record = lexicon_record(*r.set, *value, zone.ttl);
    return out;
}

std::optional<RecordOps::Located> RecordOps::find_id(const Caller& c, const core::Zone& zone,
                                                     const std::string& id) {
    auto rs = zones_.recordset_of_record(c, zone.id, id);
    if (!rs) return std::nullopt;
    const core::Record* v = value_with_id(*rs, id);
    if (!v) return std::nullopt;
    core::Record value = *v;
    return Located{std::move(*rs), std::move(value)};
}

LexRecord RecordOps::change_value(const Caller& c, const core::Zone& zone, const Located& at,
                                  const RecordChange& change) {
    const std::string type = change.type ? checked_type(*change.type) : at.set.type;
    const std::string name =
        change.name ? lexicon_absolute_name(*change.name, zone.name) : at.set.name;
    const LexRecord old = lexicon_record(at.set, at.value, zone.ttl);
    const std::string content = change.content ? *change.content : old.content;
    std::optional<std::int64_t> priority = change.mx_priority;
    if (!priority && type == "MX" && at.set.type == "MX") priority = old.mx_priority;
    const std::string data = lexicon_to_rdata(type, content, priority, zone.name);

    ZoneEdit edit;
    if (type == at.set.type && name == at.set.name) {
        EditOp op;
        op.kind = EditOpKind::ReplaceValue;
        op.target.zone_id = zone.id;
        op.target.recordset_id = at.set.id;
        op.record_id = at.value.id;
        op.records = std::vector<std::string>{data};
        op.ttl = edit_ttl(change.ttl);
        edit.operations.push_back(std::move(op));
        EditResult res = zones_.apply(c, edit);
        const auto& set = res.operations.front().set;
        const core::Record* value = set ? value_with_id(*set, at.value.id) : nullptr;
        if (!value) throw record_not_found();
        return lexicon_record(*set, *value, zone.ttl);
    }
    // A rename or retype moves only this member.
    EditOp remove;
    remove.kind = EditOpKind::RemoveValues;
    remove.target.zone_id = zone.id;
    remove.target.recordset_id = at.set.id;
    remove.record_id = at.value.id;
    EditOp add;
    add.kind = EditOpKind::AddValues;
    add.target.zone_id = zone.id;
    add.target.name = name;
    add.target.type = type;
    add.records = std::vector<std::string>{data};
    if (change.ttl)
        add.ttl = edit_ttl(change.ttl);
    else  // unchanged: the member keeps the TTL it had
        add.ttl = at.set.ttl ? std::optional<std::int64_t>(*at.set.ttl) : std::nullopt;
    edit.operations.push_back(std::move(remove));
    edit.operations.push_back(std::move(add));
    EditResult res = zones_.apply(c, edit);
    const auto& set = res.operations.back().set;
    const core::Record* value = set ? value_with_data(*set, data) : nullptr;
    if (!value) throw core::Error(core::ErrorKind::Internal, "internal", "Moved value missing");
    return lexicon_record(*set, *value, zone.ttl);
}

LexRecord RecordOps::get(const Caller& c, const core::Zone& zone, const std::string& id) {
    auto at = find_id(c, zone, id);
    if (!at) throw record_not_found();
    return lexicon_record(at->set, at->value, zone.ttl);
}

LexRecord RecordOps::update(const Caller& c, const core::Zone& zone, const std::string& id,
                            const RecordChange& change) {
    auto at = find_id(c, zone, id);
    if (!at) throw record_not_found();
    return change_value(c, zone, *at, change);
}

LexRecord RecordOps::update(const Caller& c, const core::Zone& zone, const RecordFilter& f,
                            const RecordChange& change) {
    require_type_and_name(f);
    const std::string type = checked_type(*f.type);
    const std::string name = lexicon_absolute_name(*f.name, zone.name);
    std::vector<Located> matches;
    for (auto& rs : zones_.sets_at(c, {{zone.id, name}})) {
        if (rs.type != type) continue;
        for (const auto& value : rs.records)
            if (!f.content || content_matches(rs, value, lexicon_record(rs, value, zone.ttl),
                                              *f.content, zone.name))
                matches.push_back({rs, value});
    }
    if (matches.empty()) throw record_not_found();
    if (matches.size() > 1)
        throw core::Error(core::ErrorKind::Conflict, "ambiguous_filter",
                          "The filter matches " + std::to_string(matches.size()) +
                              " values of the " + type + " record set at '" + name +
                              "'; give the content or the record id");
    return change_value(c, zone, matches.front(), change);
}

std::size_t RecordOps::remove(const Caller& c, const core::Zone& zone, const std::string& id) {
    auto at = find_id(c, zone, id);
    if (!at) return 0;
    EditOp op;
    op.kind = EditOpKind::RemoveValues;
    op.target.zone_id = zone.id;
    op.target.recordset_id = at->set.id;
    op.record_id = id;
    op.missing_ok = true;
    ZoneEdit edit;
    edit.operations.push_back(std::move(op));
    try {
        EditResult res = zones_.apply(c, edit);
        const auto& r = res.operations.front();
        std::size_t before = r.previous ? r.previous->records.size() : 0;
        std::size_t after = r.set ? r.set->records.size() : 0;
        return before - after;
    } catch (const core::Error& e) {
        if (e.type() == "recordset_not_found") return 0;  // gone meanwhile
        throw;
    }
}

std::size_t RecordOps::remove(const Caller& c, const core::Zone& zone, const RecordFilter& f) {
    require_type_and_name(f);
    const std::string type = checked_type(*f.type);
    const std::string name = lexicon_absolute_name(*f.name, zone.name);
    ZoneEdit edit;
    if (!f.content) {
        EditOp op;
        op.kind = EditOpKind::DeleteSet;
        op.target = {zone.id, name, type, {}};
        op.missing_ok = true;
        edit.operations.push_back(std::move(op));
    } else if (type == "MX" || is_name_type(type)) {
        // Matched on the name alone (any MX priority): the members by id.
        for (const auto& rec : list(c, zone, {type, name, f.content})) {
            EditOp op;
            op.kind = EditOpKind::RemoveValues;
            op.target = {zone.id, name, type, {}};
            op.record_id = rec.id;
            op.missing_ok = true;
            edit.operations.push_back(std::move(op));
        }
        if (edit.operations.empty()) return 0;
    } else {
        EditOp op;
        op.kind = EditOpKind::RemoveValues;
        op.target = {zone.id, name, type, {}};
        op.records = std::vector<std::string>{lexicon_to_rdata(type, *f.content, {}, zone.name)};
        op.missing_ok = true;
        edit.operations.push_back(std::move(op));
    }
    EditResult res = zones_.apply(c, edit);
    const auto& first = res.operations.front();
    const auto& last = res.operations.back();
    std::size_t before = first.previous ? first.previous->records.size() : 0;
    std::size_t after = last.set ? last.set->records.size() : 0;
    return before > after ? before - after : 0;
}

}  // namespace dnsplane::service
