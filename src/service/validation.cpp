#include "service/validation.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>

#include "core/error.h"
#include "core/name.h"
#include "core/rdata.h"
#include "service/soa.h"

namespace dnsplane::service {

namespace {

// True when the text ends in a dot that is not itself escaped ("a\.").
bool is_fully_qualified(const std::string& text) {
    if (text.empty() || text.back() != '.') return false;
    std::size_t backslashes = 0;
    for (auto i = text.size() - 1; i > 0 && text[i - 1] == '\\'; --i) ++backslashes;
    return backslashes % 2 == 0;
}

std::string canonical_or_invalid(const std::string& text, const char* what, const char* field) {
    std::string why;
    auto name = core::try_canonical_name(text, &why);
    if (!name)
        throw core::invalid(std::string("Invalid ") + what + " '" + text + "': " + why, {field});
    return *name;
}

bool is_atext(char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || std::strchr("!#$%&'*+-/=?^_`{|}~", ch);
}

std::string upper(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
}

}  // namespace

std::string validate_zone_name(const std::string& text, bool allow_tld) {
    if (!is_fully_qualified(text))
        throw core::invalid("Zone name '" + text +
                                "' must be fully qualified: it must end with a dot, e.g. "
                                "'example.org.'",
                            {"name"});
    auto name = canonical_or_invalid(text, "zone name", "name");
    auto labels = core::split_labels(name);
    if (labels.empty()) throw core::invalid("The root zone cannot be created", {"name"});
    if (labels.size() < 2 && !allow_tld)
        throw core::invalid("Zone name '" + name +
                                "' must have at least two labels: top-level domain zones are "
                                "not allowed",
                            {"name"});
    if (!core::is_valid_hostname(name))
        throw core::invalid("Zone name '" + name +
                                "' is not a valid domain name (letters, digits, '-' and '_' "
                                "only, no label may start or end with '-')",
                            {"name"});
    return name;
}

std::string validate_email(const std::string& text) {
    auto bad = [&](const std::string& why) {
        return core::invalid("Invalid email address '" + text + "': " + why, {"email"});
    };
    auto at = text.find('@');
    if (at == std::string::npos || text.find('@', at + 1) != std::string::npos)
        throw bad("it must have the form local@domain");
    std::string local = text.substr(0, at);
    std::string domain = text.substr(at + 1);
    if (local.empty() || local.size() > 64) throw bad("the local part must be 1 to 64 characters");
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos)
        throw bad("dots in the local part must separate words");
    for (char ch : local)
        if (ch != '.' && !is_atext(ch))
            throw bad(std::string("character '") + ch + "' is not allowed");

    for (auto& ch : domain) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string fqdn = domain.empty() || domain.back() != '.' ? domain + "." : domain;
    auto name = core::try_canonical_name(fqdn);
    if (domain.empty() || !name || *name == "." || !core::is_valid_hostname(*name))
        throw bad("the domain is not a valid host name");
    std::string email = local + "@" + domain;
    mailbox_to_rname(email);  // the SOA RNAME must be a valid name too
    return email;
}

std::uint32_t validate_ttl(std::int64_t ttl, const ServiceSettings& s) {
    std::int64_t lo = std::max<std::int64_t>(0, s.min_ttl);
    std::int64_t hi = std::min<std::int64_t>(2147483647, s.max_ttl);
    if (ttl < lo || ttl > hi)
        throw core::invalid("TTL " + std::to_string(ttl) + " is out of range: it must be between " +
                                std::to_string(lo) + " and " + std::to_string(hi),
                            {"ttl"});
    return static_cast<std::uint32_t>(ttl);
}

void validate_description(const std::string& text) {
    if (text.size() > 160)
        throw core::invalid("Description is longer than 160 characters", {"description"});
}

std::string validate_recordset_type(const std::string& text) {
    std::string type = upper(text);
    if (type == "SOA")
        throw core::invalid("SOA record sets are managed by the server and cannot be created",
                            {"type"});
    if (!core::is_supported_type(type) || !core::is_user_writable_type(type))
        throw core::invalid("Record type '" + text + "' is not supported", {"type"});
    return type;
}

std::string validate_recordset_name(const std::string& text, const std::string& zone_name,
                                    core::OwnerNames rule) {
    if (!is_fully_qualified(text))
        throw core::invalid("Record set name '" + text +
                                "' must be fully qualified: give the whole name ending with a "
                                "dot, e.g. 'www." +
                                zone_name + "'",
                            {"name"});
    auto name = canonical_or_invalid(text, "record set name", "name");
    if (!core::is_subdomain(name, zone_name))
        throw core::invalid(
            "Record set name '" + name + "' is not inside the zone '" + zone_name + "'", {"name"});
    if (!core::is_valid_owner_name(name, rule))
        throw core::invalid("Record set name '" + name +
                                (rule == core::OwnerNames::Rfc4592
                                     ? "' is not a valid domain name (letters, digits, '-', '_' "
                                       "and '*')"
                                     : "' is not a valid domain name (letters, digits, '-' and "
                                       "'_', a '*' only as the whole first label)"),
                            {"name"});
    return name;
}

void validate_owner_for_type(const std::string& type, const std::string& name,
                             const std::string& zone_name) {
    if (type == "CNAME" && name == zone_name)
        throw core::invalid("A CNAME record set cannot be created at the zone apex '" + name +
                                "': the apex holds SOA and NS records",
                            {"name"});
    if (type == "NS" && core::is_wildcard(name))
        throw core::invalid("NS record sets cannot have a wildcard owner name", {"name"});
    if (type == "SRV") {
        auto labels = core::split_labels(name);
        bool shaped = labels.size() >= 3 && labels[0].size() > 1 && labels[0][0] == '_' &&
                      labels[1].size() > 1 && labels[1][0] == '_';
        if (!shaped)
            throw core::invalid("SRV record set name '" + name +
                                    "' must have the form _service._proto.name (RFC 2782), "
                                    "e.g. '_sip._tcp." +
                                    zone_name + "'",
                                {"name"});
    }
}

std::vector<std::string> canonical_records(const std::string& type,
                                           const std::vector<std::string>& texts,
                                           std::size_t max_records) {
    if (texts.empty()) throw core::invalid("A record set needs at least one record", {"records"});
    if (texts.size() > max_records)
        throw core::Error(core::ErrorKind::TooLarge, "over_quota",
                          "Quota exceeded: a record set may hold at most " +
                              std::to_string(max_records) + " records");
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        std::string data;
        try {
            data = core::canonical_rdata(type, texts[i]);
        } catch (const core::Error& e) {
            throw core::invalid(e.what(), {"records", std::to_string(i)});
        }
        // A set holds each value once (RFC 2181 5): a repeated value is the
        // same record, merged as Designate does, not an error.
        if (seen.insert(data).second) out.push_back(std::move(data));
    }
    if (type == "CNAME" && out.size() > 1)
        throw core::invalid("A CNAME record set can hold only one record", {"records"});
    return out;
}

void check_cname_exclusive(const std::string& type, const std::string& name,
                           const std::vector<core::RecordSet>& existing) {
    for (const auto& rs : existing) {
        if (rs.type == type) continue;
        if (type == "CNAME")
            throw core::invalid("A CNAME cannot be added at '" + name + "': a " + rs.type +
                                    " record set already exists there (RFC 1034 3.6.2)",
                                {"type"});
        if (rs.type == "CNAME")
            throw core::invalid("A " + type + " record set cannot be added at '" + name +
                                    "': a CNAME already exists there (RFC 1034 3.6.2)",
                                {"type"});
    }
}

void check_if_match(std::optional<std::int64_t> if_match, std::int64_t version) {
    if (if_match && *if_match != version)
        throw core::Error(core::ErrorKind::PreconditionFailed, "precondition_failed",
                          "The resource has changed: its version is " + std::to_string(version) +
                              ", If-Match expected " + std::to_string(*if_match));
}

}  // namespace dnsplane::service
