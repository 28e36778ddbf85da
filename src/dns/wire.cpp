#include "dns/wire.h"

#include <cstring>
#include <utility>

namespace dnsplane::dns::wire {

std::optional<std::string> name_to_wire(std::string_view text) {
    // knot_dname_from_str takes a name without the final dot as absolute.
    if (text.empty() || text.size() > 4 * KNOT_DNAME_MAXLEN) return std::nullopt;
    std::string copy(text);
    knot_dname_storage_t buf;
    if (knot_dname_from_str(buf, copy.c_str(), sizeof(buf)) == nullptr) return std::nullopt;
    knot_dname_to_lower(buf);
    return std::string(name_bytes(buf));
}

std::string name_to_text(const knot_dname_t* name) {
    knot_dname_txt_storage_t buf;
    if (knot_dname_to_str(buf, name, sizeof(buf)) == nullptr) return {};
    return buf;
}

std::optional<std::uint16_t> type_from_text(std::string_view mnemonic) {
    if (mnemonic.empty() || mnemonic.size() > 32) return std::nullopt;
    std::string text(mnemonic);
    std::uint16_t code = 0;
    if (knot_rrtype_from_string(text.c_str(), &code) != 0) return std::nullopt;
    return code;
}

std::string type_to_text(std::uint16_t type) {
    char buf[32];
    if (knot_rrtype_to_string(type, buf, sizeof(buf)) < 0) return "TYPE" + std::to_string(type);
    return buf;
}

// ---------------------------------------------------------------- RdataParser

RdataParser::RdataParser() : scanner_(new zs_scanner_t) {
    reset();
}

RdataParser& RdataParser::of_this_thread() {
    thread_local RdataParser parser;
    return parser;
}

RdataParser::~RdataParser() {
    zs_deinit(scanner_);
    delete scanner_;
}

void RdataParser::reset() {
    // Origin "." so that a stray relative name cannot silently get a suffix
    // other than the root; canonical store data is absolute anyway.
    zs_init(scanner_, ".", KNOT_CLASS_IN, 0);
    dirty_ = false;
}

bool RdataParser::parse(std::uint16_t type, std::string_view text, std::vector<std::uint8_t>& out,
                        std::string* error) {
    if (dirty_) {
        zs_deinit(scanner_);
        reset();
    }
    // The owner is irrelevant for rdata; "@" is the origin ("."). Newlines
    // inside the text would start a new record: reject them.
    if (text.find_first_of("\r\n") != std::string_view::npos) {
        if (error) *error = "line break in rdata";
        return false;
    }
    line_.assign("@ 0 IN ");
    line_ += type_to_text(type);
    line_ += ' ';
    line_.append(text);
    line_ += '\n';
    if (zs_set_input_string(scanner_, line_.data(), line_.size()) != 0 ||
        zs_parse_record(scanner_) != 0 || scanner_->state != ZS_STATE_DATA ||
        scanner_->r_type != type) {
        if (error) {
            *error = scanner_->state == ZS_STATE_ERROR ? zs_strerror(scanner_->error.code)
                                                       : "no record parsed";
        }
        dirty_ = true;
        return false;
    }
    out.assign(scanner_->r_data, scanner_->r_data + scanner_->r_data_length);
    return true;
}

// ----------------------------------------------------------------- OwnedRRset

OwnedRRset::OwnedRRset(const knot_dname_t* owner, std::uint16_t type, std::uint32_t ttl) {
    std::size_t size = knot_dname_size(owner);
    owner_ = std::make_unique<std::uint8_t[]>(size);
    std::memcpy(owner_.get(), owner, size);
    knot_rrset_init(&rr_, owner_.get(), type, KNOT_CLASS_IN, ttl);
}

OwnedRRset::~OwnedRRset() {
    knot_rdataset_clear(&rr_.rrs, nullptr);
}

OwnedRRset::OwnedRRset(OwnedRRset&& other) noexcept
    : owner_(std::move(other.owner_)), rr_(other.rr_) {
    knot_rdataset_init(&other.rr_.rrs);
    other.rr_.owner = nullptr;
}

OwnedRRset& OwnedRRset::operator=(OwnedRRset&& other) noexcept {
    if (this != &other) {
        knot_rdataset_clear(&rr_.rrs, nullptr);
        owner_ = std::move(other.owner_);
        rr_ = other.rr_;
        knot_rdataset_init(&other.rr_.rrs);
        other.rr_.owner = nullptr;
    }
    return *this;
}

bool OwnedRRset::add(std::span<const std::uint8_t> rdata) {
    if (rdata.size() > KNOT_WIRE_MAX_PKTSIZE) return false;
    return knot_rrset_add_rdata(&rr_, rdata.data(), static_cast<std::uint16_t>(rdata.size()),
                                nullptr) == KNOT_EOK;
}

knot_rdataset_t OwnedRRset::release_rdata() {
    knot_rdataset_t out = rr_.rrs;
    knot_rdataset_init(&rr_.rrs);
    return out;
}

std::optional<OwnedRRset> make_rrset(std::string_view owner, std::string_view type,
                                     std::uint32_t ttl, std::span<const std::string> rdata,
                                     std::string* error) {
    auto owner_wire = name_to_wire(owner);
    if (!owner_wire) {
        if (error) *error = "invalid owner name";
        return std::nullopt;
    }
    auto code = type_from_text(type);
    if (!code) {
        if (error) *error = "unknown type";
        return std::nullopt;
    }
    RdataParser& parser = RdataParser::of_this_thread();
    OwnedRRset set(reinterpret_cast<const knot_dname_t*>(owner_wire->data()), *code, ttl);
    std::vector<std::uint8_t> buf;
    for (const std::string& text : rdata) {
        if (!parser.parse(*code, text, buf, error) || !set.add(buf)) return std::nullopt;
    }
    return set;
}

std::optional<OwnedRRset> make_rrset(const core::ResourceRecord& rr, std::string* error) {
    const std::string one[] = {rr.data};
    return make_rrset(rr.name, rr.type, rr.ttl, one, error);
}

}  // namespace dnsplane::dns::wire
