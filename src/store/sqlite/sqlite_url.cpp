// Database URL parsing for the SQLite store (see sqlite_store.h for the forms).
#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/error.h"
#include "store/sqlite/sqlite_store.h"

namespace dnsplane::store::sqlite {
namespace {

[[noreturn]] void bad_url(const std::string& url, const std::string& why) {
    throw core::Error(core::ErrorKind::Unavailable, "database_unavailable",
                      "invalid database URL '" + url + "': " + why);
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::string percent_decode(const std::string& url, std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        int hi = i + 2 < s.size() ? hex_digit(s[i + 1]) : -1;
        int lo = i + 2 < s.size() ? hex_digit(s[i + 2]) : -1;
        if (hi < 0 || lo < 0) bad_url(url, "bad percent escape");
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

void apply_parameter(const std::string& url, std::string_view key, std::string_view value,
                     SqliteOptions& out) {
    if (key == "synchronous") {
        std::string mode = upper(std::string(value));
        if (mode != "FULL" && mode != "NORMAL" && mode != "EXTRA")
            bad_url(url, "synchronous must be full, normal or extra");
        out.synchronous = mode;
    } else if (key == "busy_timeout") {
        int ms = -1;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
        if (ec != std::errc() || end != value.data() + value.size() || ms < 0)
            bad_url(url, "busy_timeout must be a number of milliseconds");
        out.busy_timeout_ms = ms;
    } else {
        bad_url(url, "unknown parameter '" + std::string(key) + "'");
    }
}

}  // namespace

SqliteOptions sqlite_options_from_url(const std::string& url) {
    constexpr std::string_view kScheme = "sqlite:";
    if (!url.starts_with(kScheme)) bad_url(url, "expected a sqlite: URL");
    std::string_view rest = std::string_view(url).substr(kScheme.size());

    SqliteOptions out;
    if (auto q = rest.find('?'); q != std::string_view::npos) {
        std::string_view query = rest.substr(q + 1);
        rest = rest.substr(0, q);
        while (!query.empty()) {
            auto amp = query.find('&');
            std::string_view pair = query.substr(0, amp);
            query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
            if (pair.empty()) continue;
            auto eq = pair.find('=');
            if (eq == std::string_view::npos) bad_url(url, "parameter without a value");
            apply_parameter(url, pair.substr(0, eq), pair.substr(eq + 1), out);
        }
    }
    // "sqlite:///abs" and "sqlite://rel" drop the "//"; "sqlite:rel" keeps all.
    if (rest.starts_with("//")) rest.remove_prefix(2);
    out.path = percent_decode(url, rest);
    if (out.path.empty()) bad_url(url, "no file path");
    if (out.path == ":memory:" || out.path.starts_with("file:"))
        bad_url(url, "only a file path is supported (the store needs WAL on a real file)");
    return out;
}

}  // namespace dnsplane::store::sqlite
