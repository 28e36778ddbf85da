// Internal registry of the supported rdata types (not part of the public API):
// each type's IANA code, its draft dict fields and its canonicalizer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/rdata.h"
#include "core/rdata_syntax.h"

namespace dnsplane::core::detail {

using Canonicalizer = std::string (*)(const RdataInput&);

struct RdataTypeInfo {
    std::string_view name;
    std::uint16_t code;
    Canonicalizer canonicalize;
    std::vector<RdataField> fields;  // the 2013 draft's dict keys, in presentation order
};

// nullptr when the type is not supported (names are upper-case mnemonics).
const RdataTypeInfo* find_type(std::string_view name);
const std::vector<RdataTypeInfo>& all_types();

// rdata_types_basic.cpp
std::string canonical_a(const RdataInput& in);
std::string canonical_aaaa(const RdataInput& in);
std::string canonical_cname(const RdataInput& in);
std::string canonical_ns(const RdataInput& in);
std::string canonical_ptr(const RdataInput& in);
std::string canonical_mx(const RdataInput& in);
std::string canonical_srv(const RdataInput& in);
std::string canonical_soa(const RdataInput& in);

// rdata_types_text.cpp
std::string canonical_txt(const RdataInput& in);  // TXT and SPF
std::string canonical_caa(const RdataInput& in);
std::string canonical_naptr(const RdataInput& in);

// rdata_types_digest.cpp
std::string canonical_sshfp(const RdataInput& in);
std::string canonical_ds(const RdataInput& in);

}  // namespace dnsplane::core::detail
