// The supported record types and the entry point that canonicalizes a value.
#include "core/rdata.h"

#include "core/error.h"
#include "core/name.h"
#include "core/rdata_types.h"

namespace dnsplane::core {

namespace detail {

const std::vector<RdataTypeInfo>& all_types() {
    // Order: the public list of supported_types(); SOA last (managed, not writable).
    static const std::vector<RdataTypeInfo> types = {
        {"A", 1, canonical_a, {{"address"}}},
        {"AAAA", 28, canonical_aaaa, {{"address"}}},
        {"CNAME", 5, canonical_cname, {{"cname"}}},
        {"MX", 15, canonical_mx, {{"preference", true}, {"exchange"}}},
        {"NS", 2, canonical_ns, {{"nsdname"}}},
        {"PTR", 12, canonical_ptr, {{"ptrdname"}}},
        {"SPF", 99, canonical_txt, {{"text"}}},
        {"SRV",
         33,
         canonical_srv,
         {{"priority", true}, {"weight", true}, {"port", true}, {"target"}}},
        {"SSHFP", 44, canonical_sshfp, {{"algorithm", true}, {"type", true}, {"fingerprint"}}},
        {"TXT", 16, canonical_txt, {{"text"}}},
        {"CAA", 257, canonical_caa, {{"flags", true}, {"tag"}, {"value"}}},
        {"NAPTR",
         35,
         canonical_naptr,
         {{"order", true},
          {"preference", true},
          {"flags"},
          {"service"},
          {"regexp"},
          {"replacement"}}},
        {"DS",
         43,
         canonical_ds,
         {{"key_tag", true}, {"algorithm", true}, {"digest_type", true}, {"digest"}}},
        {"SOA",
         6,
         canonical_soa,
         {{"mname"},
          {"rname"},
          {"serial", true},
          {"refresh", true},
          {"retry", true},
          {"expire", true},
          {"minimum", true}}},
    };
    return types;
}

const RdataTypeInfo* find_type(std::string_view name) {
    for (const auto& info : all_types())
        if (info.name == name) return &info;
    return nullptr;
}

}  // namespace detail

namespace {

std::string control_character_hint(std::string_view type) {
    if (type == "TXT" || type == "SPF" || type == "CAA" || type == "NAPTR")
        return "write such an octet as \\DDD inside a quoted string (\\000 for 0x00)";
    return std::string("a ") + std::string(type) + " value cannot hold it";
}

}  // namespace

bool is_supported_type(std::string_view type) {
    return detail::find_type(type) != nullptr;
}

bool is_user_writable_type(std::string_view type) {
    return is_supported_type(type) && type != "SOA";
}

std::vector<std::string> supported_types() {
    std::vector<std::string> names;
    for (const auto& info : detail::all_types()) names.emplace_back(info.name);
    return names;
}

std::optional<std::uint16_t> type_code(std::string_view type) {
    const auto* info = detail::find_type(type);
    if (!info) return std::nullopt;
    return info->code;
}

std::string canonical_rdata(std::string_view type, std::string_view text, std::string_view origin) {
    const auto* info = detail::find_type(type);
    if (!info) throw invalid("unsupported record type '" + std::string(type) + "'");
    // The origin completes relative names; it must itself be an absolute name.
    std::string canonical_origin = origin.empty() ? std::string() : canonical_name(origin);
    detail::RdataInput input(info->name, text, canonical_origin);
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        input.fail("the record value is empty");
    // Presentation text is printable (RFC 1035 5.1); an octet outside it is
    // written \DDD. A raw NUL would otherwise cut the value wherever it
    // reaches a C string (inet_pton read "10.0.0.1\0junk" as 10.0.0.1).
    auto control = detail::find_control_character(text, /*line_breaks_ok=*/true);
    if (control != std::string_view::npos)
        input.fail(detail::describe_control_character(text, control) + "; " +
                   control_character_hint(info->name));
    try {
        return info->canonicalize(input);
    } catch (const detail::SyntaxError& e) {
        input.fail(e.what());
    }
}

void validate_ttl(std::int64_t ttl, std::int64_t min_ttl, std::int64_t max_ttl) {
    if (ttl < min_ttl || ttl > max_ttl)
        throw invalid("TTL must be an integer " + std::to_string(min_ttl) + "-" +
                          std::to_string(max_ttl) + ", got " + std::to_string(ttl),
                      {"ttl"});
}

}  // namespace dnsplane::core
