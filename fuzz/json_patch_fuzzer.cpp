// libFuzzer target for JSON Patch application (common/json_patch). An input
// that parses as [document, patch] is applied as such; any other input is a
// patch applied to a record set as the Designate API shows it. Besides the
// sanitizers, every run checks the bounds of issue 17: the input document is
// never modified, a patch that applies yields a document within the size and
// depth limits (or no larger than the input, if that was larger already), and
// failures are JsonPatchError only (never bad_alloc, never another type).
#include <boost/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/json_patch.h"

namespace {

namespace json = boost::json;
using dnsplane::common::JsonPatchError;
using dnsplane::common::PatchLimits;

const json::value& recordset_document() {
    static const json::value doc = json::parse(R"({"recordset": {
        "id": "3f9f28bf-67f3-491b-8680-31654f04282d", "name": "www.example.org.",
        "type": "TXT", "records": ["\"v=spf1 -all\"", "\"a\" \"b\""], "ttl": 300,
        "description": null, "version": 3, "links": {"self": "http://x/y"}}})");
    return doc;
}

std::size_t depth(const json::value& v) {
    std::size_t d = 0;
    if (const auto* a = v.if_array())
        for (const auto& e : *a) d = std::max(d, depth(e));
    else if (const auto* o = v.if_object())
        for (const auto& kv : *o) d = std::max(d, depth(kv.value()));
    else
        return 0;
    return d + 1;
}

[[noreturn]] void finding(const char* what) {
    std::fprintf(stderr, "json_patch_fuzzer: %s\n", what);
    std::abort();
}

void run(const json::value& doc, const json::value& patch, const PatchLimits& limits) {
    const std::string before = json::serialize(doc);
    try {
        json::value out = dnsplane::common::apply_patch(doc, patch, limits);
        const std::size_t size = json::serialize(out).size();
        if (size > std::max(limits.max_document_bytes, before.size()))
            finding("a patched document is larger than the limit");
        if (depth(out) > std::max(limits.max_depth, depth(doc)))
            finding("a patched document nests deeper than the limit");
        // Applying the same patch again to the input gives the same result.
        if (!dnsplane::common::json_equal(out, dnsplane::common::apply_patch(doc, patch, limits)))
            finding("a patch applied twice gave two results");
    } catch (const JsonPatchError& e) {
        if (std::string_view(e.what()).empty()) finding("an error without a message");
    }
    if (json::serialize(doc) != before) finding("the input document was modified");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    boost::system::error_code ec;
    json::value input =
        json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec);
    if (ec) return 0;

    // Small limits so that the bounds are reached often and runs stay fast.
    PatchLimits limits;
    limits.max_document_bytes = 4096;
    limits.max_operations = 64;
    limits.max_depth = 16;

    const json::array* pair = input.if_array();
    if (pair && pair->size() == 2 && (*pair)[1].is_array())
        run((*pair)[0], (*pair)[1], limits);
    else
        run(recordset_document(), input, limits);
    return 0;
}
