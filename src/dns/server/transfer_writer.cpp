#include "dns/server/transfer_writer.h"

#include <cstring>
#include <new>

namespace dnsplane::dns {

TransferWriter::TransferWriter(std::uint16_t id, const knot_dname_t* qname, std::uint16_t qtype,
                               std::vector<std::vector<std::uint8_t>>& out, std::uint16_t max_size)
    : id_(id),
      qname_(qname, qname + knot_dname_size(qname)),
      qtype_(qtype),
      out_(out),
      buffer_(max_size) {
    begin_message();
}

TransferWriter::~TransferWriter() {
    knot_pkt_free(pkt_);
}

void TransferWriter::begin_message() {
    // A fresh packet per message: knot_pkt_clear() keeps the compression
    // suffix of the previous message, which then points at stale bytes.
    knot_pkt_free(pkt_);
    pkt_ = knot_pkt_new(buffer_.data(), static_cast<std::uint16_t>(buffer_.size()), nullptr);
    if (pkt_ == nullptr) throw std::bad_alloc();
    std::memset(pkt_->wire, 0, KNOT_WIRE_HEADER_SIZE);
    knot_wire_set_id(pkt_->wire, id_);
    knot_wire_set_qr(pkt_->wire);
    knot_wire_set_aa(pkt_->wire);
    knot_wire_set_opcode(pkt_->wire, KNOT_OPCODE_QUERY);
    // The question in every message, as Knot does (RFC 5936 2.2.1 allows
    // either); it also anchors name compression.
    knot_pkt_put_question(pkt_, qname_.data(), KNOT_CLASS_IN, qtype_);
    knot_pkt_begin(pkt_, KNOT_ANSWER);
    records_in_message_ = 0;
}

void TransferWriter::flush() {
    out_.emplace_back(pkt_->wire, pkt_->wire + pkt_->size);
    ++messages_;
    begin_message();
}

// libknot leaves traces of a failed put in the packet: the compression
// suffix may point at a name written past the end, so the next put can
// compress an owner into a pointer to itself (a loop). Restore the suffix,
// and clear the unfinished RRset's compression hints for good measure.
int TransferWriter::try_put(const knot_rrset_t& rrset) {
    const auto suffix = pkt_->compr.suffix;
    const int r = knot_pkt_put(pkt_, KNOT_COMPR_HINT_NONE, &rrset, KNOT_PF_NOTRUNC);
    if (r != KNOT_EOK) {
        pkt_->compr.suffix = suffix;
        if (pkt_->rrset_count < pkt_->rrset_allocd) {
            std::memset(&pkt_->rr_info[pkt_->rrset_count], 0, sizeof(knot_rrinfo_t));
        }
    }
    return r;
}

bool TransferWriter::put(const knot_rrset_t& rrset) {
    int r = try_put(rrset);
    if (r == KNOT_EOK) {
        records_in_message_ += rrset.rrs.count;
        return true;
    }
    if (r != KNOT_ESPACE) return false;
    if (records_in_message_ > 0) {
        flush();
        r = try_put(rrset);
        if (r == KNOT_EOK) {
            records_in_message_ += rrset.rrs.count;
            return true;
        }
        if (r != KNOT_ESPACE) return false;
    }
    return put_single_records(rrset);
}

// The whole set does not fit in an empty message: put it one record at a
// time. Each view points into the caller's rdata, which outlives the message.
bool TransferWriter::put_single_records(const knot_rrset_t& rrset) {
    knot_rdata_t* rd = rrset.rrs.rdata;
    for (std::uint16_t i = 0; i < rrset.rrs.count; ++i, rd = knot_rdataset_next(rd)) {
        knot_rrset_t one = rrset;
        one.rrs.count = 1;
        one.rrs.size = knot_rdata_size(rd->len);
        one.rrs.rdata = rd;
        int r = try_put(one);
        if (r == KNOT_ESPACE && records_in_message_ > 0) {
            flush();
            r = try_put(one);
        }
        if (r != KNOT_EOK) return false;
        ++records_in_message_;
    }
    return true;
}

std::size_t TransferWriter::finish() {
    if (records_in_message_ > 0 || messages_ == 0) flush();
    return messages_;
}

}  // namespace dnsplane::dns
