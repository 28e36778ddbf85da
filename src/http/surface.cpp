#include "http/surface.h"

namespace dnsplane::http {

std::size_t mount_length(const Mount& m) {
    return m.prefix == "/" ? 0 : m.prefix.size();
}

const Mount* select_mount(const std::vector<Mount>& mounts, std::string_view raw_path) {
    const Mount* best = nullptr;
    for (const auto& m : mounts) {
        const std::size_t n = mount_length(m);
        const bool matches =
            n == 0 || (raw_path.substr(0, n) == m.prefix &&
                       (raw_path.size() == n || raw_path[n] == '/' || raw_path[n] == '?'));
        if (matches && (!best || n > mount_length(*best))) best = &m;
    }
    return best;
}

}  // namespace dnsplane::http
