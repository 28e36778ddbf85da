#include "dns/zone_file.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "core/error.h"
#include "core/name.h"
#include "core/rdata.h"
#include "dns/wire.h"

namespace dnsplane::dns {

namespace {

core::Error file_error(std::uint64_t line, const std::string& message) {
    std::string text = line ? "line " + std::to_string(line) + ": " + message : message;
    return core::Error(core::ErrorKind::Invalid, "invalid_zone_file", text);
}

struct Scanner {
    zs_scanner_t s{};
    Scanner() { zs_init(&s, ".", KNOT_CLASS_IN, 3600); }
    ~Scanner() { zs_deinit(&s); }
    Scanner(const Scanner&) = delete;
    Scanner& operator=(const Scanner&) = delete;
};

struct FileRecord {
    std::string name;
    std::string type;
    std::uint32_t ttl = 0;
    std::string text;  // presentation as Knot prints it
    std::uint64_t line = 0;
};

// The record the scanner holds, as text.
FileRecord current_record(zs_scanner_t& s) {
    FileRecord r;
    r.line = s.line_counter;
    knot_dname_to_lower(s.r_owner);
    r.name = wire::name_to_text(s.r_owner);
    r.type = wire::type_to_text(s.r_type);
    r.ttl = s.r_ttl;
    knot_rrset_t rrset;
    knot_rrset_init(&rrset, s.r_owner, s.r_type, s.r_class, s.r_ttl);
    if (knot_rrset_add_rdata(&rrset, s.r_data, static_cast<std::uint16_t>(s.r_data_length),
                             nullptr) != KNOT_EOK)
        throw file_error(r.line, "cannot hold the record's data");
    std::string buf(s.r_data_length * 4 + 1024, '\0');
    int n = knot_rrset_txt_dump_data(&rrset, 0, buf.data(), buf.size(), &KNOT_DUMP_STYLE_DEFAULT);
    knot_rdataset_clear(&rrset.rrs, nullptr);
    if (n < 0) throw file_error(r.line, "cannot print the " + r.type + " record's data");
    buf.resize(static_cast<std::size_t>(n));
    r.text = std::move(buf);
    return r;
}

// RNAME "first\.last.example.org." -> "first.last@example.org".
std::string email_of(const std::uint8_t* rname) {
    const std::size_t len = rname[0];
    std::string local(reinterpret_cast<const char*>(rname + 1), len);
    std::string domain = wire::name_to_text(rname + 1 + len);
    if (!domain.empty() && domain.back() == '.') domain.pop_back();
    return local + "@" + domain;
}

std::uint32_t read_u32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

std::vector<FileRecord> scan(std::string_view text, service::ZoneImport& zone,
                             std::uint64_t& soa_line) {
    auto scanner = std::make_unique<Scanner>();
    zs_scanner_t& s = scanner->s;
    if (zs_set_input_string(&s, text.data(), text.size()) != 0)
        throw file_error(0, "cannot read the zone file");
    std::vector<FileRecord> out;
    while (true) {
        int rc = zs_parse_record(&s);
        if (s.state == ZS_STATE_ERROR || rc != 0)
            throw file_error(s.line_counter, zs_strerror(s.error.code));
        if (s.state == ZS_STATE_INCLUDE)
            throw file_error(s.line_counter, "$INCLUDE is not allowed in an imported zone file");
        if (s.state != ZS_STATE_DATA) break;
        if (s.r_class != KNOT_CLASS_IN)
            throw file_error(s.line_counter, "only class IN records can be imported");
        if (s.r_type == KNOT_RRTYPE_SOA) {
            if (soa_line)
                throw file_error(s.line_counter, "a second SOA record (the first is on line " +
                                                     std::to_string(soa_line) + ")");
            soa_line = s.line_counter;
            zone.name = wire::name_to_text(s.r_owner);  // as spelled: the zone keeps it
            zone.ttl = s.r_ttl;
            const std::uint8_t* p = s.r_data;
            p += knot_dname_size(p);
            const std::uint8_t* rname = p;
            p += knot_dname_size(p);
            zone.email = email_of(rname);
            zone.refresh = read_u32(p + 4);
            zone.retry = read_u32(p + 8);
            zone.expire = read_u32(p + 12);
            zone.minimum = read_u32(p + 16);
            continue;
        }
        out.push_back(current_record(s));
    }
    if (!soa_line) throw file_error(0, "The zone file has no SOA record");
    return out;
}

}  // namespace

service::ZoneImport parse_zone_file(std::string_view text) {
    service::ZoneImport zone;
    std::uint64_t soa_line = 0;
    std::vector<FileRecord> records = scan(text, zone, soa_line);
    const std::string apex = core::canonical_name(zone.name);  // owners are lower-cased

    std::map<std::pair<std::string, std::string>, std::size_t> index;
    std::vector<std::set<std::string>> seen;
    for (auto& r : records) {
        if (!core::is_subdomain(r.name, apex))
            throw file_error(r.line, "'" + r.name + "' is not inside the zone '" + zone.name + "'");
        if (r.name == apex && r.type == "NS") continue;  // the pool's, managed
        if (!core::is_supported_type(r.type))
            throw file_error(r.line, "record type " + r.type + " is not supported");
        std::string data;
        try {
            data = core::canonical_rdata(r.type, r.text);
        } catch (const core::Error& e) {
            throw file_error(r.line, e.what());
        }
        auto key = std::make_pair(r.name, r.type);
        auto it = index.find(key);
        if (it == index.end()) {
            it = index.emplace(key, zone.sets.size()).first;
            service::ImportedSet set;
            set.name = r.name;
            set.type = r.type;
            if (r.ttl != zone.ttl) set.ttl = r.ttl;
            set.line = r.line;
            zone.sets.push_back(std::move(set));
            seen.emplace_back();
        }
        if (seen[it->second].insert(data).second)
            zone.sets[it->second].records.push_back(std::move(data));
    }
    return zone;
}

namespace {

// Labels from the root down: DNS order of names (RFC 4034 6.1) compares these.
std::vector<std::string> reversed_labels(const std::string& name) {
    std::vector<std::string> labels;
    std::string label;
    for (std::size_t i = 0; i < name.size(); ++i) {
        char ch = name[i];
        if (ch == '\\' && i + 1 < name.size()) {
            label += ch;
            label += name[++i];
            continue;
        }
        if (ch == '.') {
            labels.push_back(std::move(label));
            label.clear();
            continue;
        }
        label += ch;
    }
    if (!label.empty()) labels.push_back(std::move(label));
    std::reverse(labels.begin(), labels.end());
    return labels;
}

// "owner TTL IN TYPE data", or "owner  IN TYPE data" (an empty TTL field, as
// Designate writes it) for a set that has no TTL of its own: $TTL applies, so
// the set re-imports as "the zone's TTL" and Designate's parsers, which split
// a line into owner, TTL, class, type and the rest, read it alike.
void append_record(std::string& out, const std::string& name,
                   const std::optional<std::uint32_t>& ttl, const std::string& type,
                   const std::string& data) {
    out += name;
    out += ' ';
    if (ttl) out += std::to_string(*ttl);
    out += " IN ";
    out += type;
    out += ' ';
    out += data;
    out += '\n';
}

}  // namespace

std::string render_zone_file(const core::Zone& zone, const std::vector<core::RecordSet>& sets) {
    struct Entry {
        std::vector<std::string> key;
        const core::RecordSet* set;
    };
    std::vector<Entry> entries;
    entries.reserve(sets.size());
    for (const auto& rs : sets) entries.push_back({reversed_labels(rs.name), &rs});
    auto rank = [](const core::RecordSet* rs) { return rs->type == "SOA" ? 0 : 1; };
    std::sort(entries.begin(), entries.end(), [&](const Entry& a, const Entry& b) {
        if (a.key != b.key) return a.key < b.key;
        if (rank(a.set) != rank(b.set)) return rank(a.set) < rank(b.set);
        return a.set->type < b.set->type;
    });

    std::string out;
    out.reserve(sets.size() * 64 + 256);
    // The apex as shown (so that a re-import keeps the zone's spelling, taken
    // from the SOA owner); every other owner canonical.
    out += "$ORIGIN " + zone.shown_name() + "\n";
    out += "$TTL " + std::to_string(zone.ttl) + "\n";
    for (const auto& e : entries) {
        const core::RecordSet& rs = *e.set;
        const std::string& owner = rs.name == zone.name ? zone.shown_name() : rs.name;
        for (const auto& r : rs.records) append_record(out, owner, rs.ttl, rs.type, r.data);
    }
    return out;
}

}  // namespace dnsplane::dns
