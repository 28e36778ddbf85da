// JSON Patch (RFC 6902) over Boost.JSON, with JSON Pointers (RFC 6901).
// Pure functions: the input document is never modified, so a patch applies
// completely or not at all.
#pragma once

#include <boost/json/value.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dnsplane::common {

// Why a patch could not be applied. Callers map the kinds to different
// answers (a failed "test" is a conflict, the others are bad input).
class JsonPatchError : public std::runtime_error {
  public:
    enum class Kind {
        Malformed,     // not a patch: wrong shape, unknown op, bad pointer syntax, ...
        PathNotFound,  // a "path" or "from" that the document does not hold
        TestFailed,    // a "test" whose value differs from the document's
        TooLarge,      // over a PatchLimits bound (operations, size, depth or work)
    };
    static constexpr std::size_t kNoOperation = static_cast<std::size_t>(-1);

    JsonPatchError(Kind kind, std::string message, std::size_t operation = kNoOperation,
                   std::string pointer = {})
        : std::runtime_error(std::move(message)),
          kind_(kind),
          operation_(operation),
          pointer_(std::move(pointer)) {}

    Kind kind() const noexcept { return kind_; }
    // Index of the failing operation in the patch array, or kNoOperation.
    std::size_t operation() const noexcept { return operation_; }
    // The pointer ("path" or "from") the error is about; may be empty.
    const std::string& pointer() const noexcept { return pointer_; }

  private:
    Kind kind_;
    std::size_t operation_;
    std::string pointer_;
};

// RFC 6901: "" is the whole document; "/a~1b/~0c" is ["a/b", "~c"].
// Throws JsonPatchError(Malformed) for text that is not a pointer.
std::vector<std::string> parse_json_pointer(std::string_view pointer);
std::string format_json_pointer(const std::vector<std::string>& tokens);

// The value a pointer designates, or nullptr when the document has none
// ("-" designates nothing). Throws JsonPatchError(Malformed) for bad syntax.
const boost::json::value* find_pointer(const boost::json::value& doc, std::string_view pointer);

// Bounds that make a patch cost no more than a plain write of its result.
// Without them 23 "copy a member onto itself" operations (a 2 KB patch) grow
// a document 2^23-fold before anything looks at it. Each bound is checked
// before the operation that would cross it does its work, so memory and time
// stay O(max_document_bytes) whatever the patch says.
struct PatchLimits {
    // Operations in one patch. 1000 = the default records-per-recordset
    // quota: a patch adding values one by one can still reach it, and a
    // patch of more operations than the resource can hold values is not a
    // real client's.
    std::size_t max_operations = 1000;
    // Serialized size (JSON bytes) the document may grow to; callers pass
    // the request body limit, the size a plain write of the result could
    // have. A document that starts larger may still shrink or stay equal.
    std::size_t max_document_bytes = 1 << 20;
    // Nesting depth of the document (Boost.JSON parses at most 32 levels).
    std::size_t max_depth = 64;
    // Bytes copied, measured or shifted over the whole patch, as a multiple
    // of the larger of max_document_bytes and the input document's size.
    std::size_t work_factor = 4;
};

enum class PatchOp { Add, Remove, Replace, Move, Copy, Test };
std::string_view patch_op_name(PatchOp op);

struct PatchOperation {
    PatchOp op;
    std::string path;  // as written, for messages
    std::vector<std::string> path_tokens;
    std::string from;  // move and copy only
    std::vector<std::string> from_tokens;
    boost::json::value value;  // add, replace and test only
};

// Checks the shape of a patch document (an array of operation objects with
// a known "op", a pointer "path", "from" / "value" where required; other
// members are ignored as RFC 6902 section 4 says). Throws JsonPatchError(Malformed),
// or JsonPatchError(TooLarge) for more than limits.max_operations operations.
std::vector<PatchOperation> parse_patch(const boost::json::value& patch,
                                        const PatchLimits& limits = {});

// Applies the operations in order to a copy of `doc` and returns it.
// Throws JsonPatchError (TooLarge when an operation would cross `limits`);
// `doc` is left as it was in every case.
boost::json::value apply_patch(const boost::json::value& doc,
                               const std::vector<PatchOperation>& patch,
                               const PatchLimits& limits = {});
boost::json::value apply_patch(const boost::json::value& doc, const boost::json::value& patch,
                               const PatchLimits& limits = {});

// Serialized size of `v` in bytes (json::serialize(v).size()), or any value
// above `cap` once it exceeds `cap`: costs O(min(size, cap)).
std::size_t serialized_size(const boost::json::value& v, std::size_t cap);

// RFC 6902 4.6 equality: numbers by value (1 == 1.0), objects regardless of
// member order, arrays element by element.
bool json_equal(const boost::json::value& a, const boost::json::value& b);

}  // namespace dnsplane::common
