#include "service/servable.h"

#include "core/error.h"
#include "core/name.h"
#include "core/rdata.h"

namespace dnsplane::service {

std::size_t rrset_wire_size(const std::string& owner, const std::string& type,
                            const std::vector<std::string>& canonical_records) {
    constexpr std::size_t kFixed = 10;   // type, class, TTL, RDLENGTH
    constexpr std::size_t kPointer = 2;  // an owner compressed to the first one
    std::size_t total = 0;
    for (std::size_t i = 0; i < canonical_records.size(); ++i) {
        total += i == 0 ? core::name_wire_length(owner) : kPointer;
        total += kFixed + core::rdata_wire_length(type, canonical_records[i]);
    }
    return total;
}

void check_servable(const std::string& owner, const std::string& type,
                    const std::vector<std::string>& canonical_records) {
    const std::size_t wire = rrset_wire_size(owner, type, canonical_records);
    if (wire <= kMaxRRsetWire) return;
    throw core::invalid("The " + type + " record set '" + owner + "' would take " +
                            std::to_string(wire) +
                            " bytes in a DNS answer; a record set must fit in one DNS message "
                            "over TCP, at most " +
                            std::to_string(kMaxRRsetWire) + " bytes (65535 minus header, " +
                            "question and OPT record): remove values or shorten them",
                        {"records"});
}

}  // namespace dnsplane::service
