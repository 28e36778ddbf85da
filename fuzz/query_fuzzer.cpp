// libFuzzer target for the query parser and answer builder: every input is
// answered over UDP (with a small and a large client size) and over TCP by a
// catalog holding the unit tests' example zone (wildcards, empty
// non-terminals, delegations, CNAME chains and loops, a long TXT). Besides
// the sanitizers, each response must be a well-formed DNS message that
// libknot parses back, echo the ID, carry QR and respect the size limit.
#include <cstdlib>
#include <span>

#include "dns/query_engine.h"
#include "dns/wire_libknot.h"
#include "dns_test_util.h"

namespace {

using namespace dnsplane::dns;

const ZoneCatalog& catalog() {
    static ZoneCatalog* c = [] {
        auto* cat = new ZoneCatalog();
        cat->publish(test::example_zone());
        cat->publish(build_snapshot(
            test::make_zone("sub.example.org."),
            test::sets_from_lines("sub.example.org.",
                                  {"@ NS ns.sub.example.org.", "ns A 192.0.2.61", "*.w CNAME @"})));
        return cat;
    }();
    return *c;
}

void check_response(std::span<const std::uint8_t> query, std::vector<std::uint8_t>& out,
                    std::size_t limit) {
    if (out.size() < KNOT_WIRE_HEADER_SIZE || out.size() > limit) std::abort();
    if (!knot_wire_get_qr(out.data())) std::abort();
    if (knot_wire_get_id(out.data()) != knot_wire_get_id(query.data())) std::abort();
    knot_pkt_t* pkt = knot_pkt_new(out.data(), out.size(), nullptr);
    int ret = knot_pkt_parse(pkt, 0);
    knot_pkt_free(pkt);
    if (ret != KNOT_EOK) std::abort();  // we produced a malformed message
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::span<const std::uint8_t> query(data, size);
    std::vector<std::uint8_t> out;
    (void)classify(query);

    QueryLimits udp{.transport = Transport::Udp, .max_udp_payload = 1232};
    if (answer_query(catalog(), query, udp, out)) check_response(query, out, 1232);

    QueryLimits small{
        .transport = Transport::Udp, .max_udp_payload = 512, .transfer_allowed = true};
    if (answer_query(catalog(), query, small, out)) check_response(query, out, 512);

    QueryLimits tcp{.transport = Transport::Tcp};
    if (answer_query(catalog(), query, tcp, out)) check_response(query, out, 65535);
    return 0;
}
