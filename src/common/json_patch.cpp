#include "common/json_patch.h"

#include <cmath>

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <optional>

namespace dnsplane::common {

namespace json = boost::json;
using Kind = JsonPatchError::Kind;

namespace {

// Where the operation being applied sits, so that every error can name it.
struct OpContext {
    std::size_t index;
    PatchOp op;
};

std::string describe(const OpContext& ctx, std::string_view what) {
    std::string s = "operation " + std::to_string(ctx.index) + " (" +
                    std::string(patch_op_name(ctx.op)) + "): ";
    s += what;
    return s;
}

[[noreturn]] void fail(Kind kind, const OpContext& ctx, std::string_view what,
                       const std::string& pointer) {
    throw JsonPatchError(kind, describe(ctx, what), ctx.index, pointer);
}

// RFC 6901 section 4: an array index is "0" or digits without a leading zero.
std::optional<std::size_t> array_index(std::string_view token) {
    if (token.empty() || (token.size() > 1 && token[0] == '0')) return std::nullopt;
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), n);
    if (ec != std::errc() || end != token.data() + token.size()) return std::nullopt;
    return n;
}

// The value at `tokens`, or nullptr when the document has none.
json::value* resolve(json::value& doc, const std::vector<std::string>& tokens, std::size_t count) {
    json::value* cur = &doc;
    for (std::size_t i = 0; i < count; ++i) {
        const std::string& t = tokens[i];
        if (auto* obj = cur->if_object()) {
            cur = obj->if_contains(t);
        } else if (auto* arr = cur->if_array()) {
            auto idx = array_index(t);
            cur = (idx && *idx < arr->size()) ? &(*arr)[*idx] : nullptr;
        } else {
            cur = nullptr;
        }
        if (!cur) return nullptr;
    }
    return cur;
}

json::value& existing(json::value& doc, const std::vector<std::string>& tokens,
                      const std::string& pointer, const OpContext& ctx, std::string_view role) {
    json::value* v = resolve(doc, tokens, tokens.size());
    if (!v)
        fail(Kind::PathNotFound, ctx, std::string(role) + " \"" + pointer + "\" does not exist",
             pointer);
    return *v;
}

// The container that will hold the last token of `tokens` (not the root).
json::value& parent_of(json::value& doc, const std::vector<std::string>& tokens,
                       const std::string& pointer, const OpContext& ctx) {
    json::value* p = resolve(doc, tokens, tokens.size() - 1);
    if (!p || !(p->is_object() || p->is_array()))
        fail(Kind::PathNotFound, ctx, "the parent of \"" + pointer + "\" is not an object or array",
             pointer);
    return *p;
}

// What a patch has spent so far against its PatchLimits. Every operation
// asks before it copies, inserts or shifts anything, so a patch that would
// cross a bound fails having spent at most the bound.
class Budget {
  public:
    Budget(const PatchLimits& limits, std::size_t initial_size)
        : limits_(limits),
          size_(initial_size),
          size_cap_(std::max(limits.max_document_bytes, initial_size)),
          work_cap_(saturating_mul(size_cap_, std::max<std::size_t>(limits.work_factor, 1))) {}

    // Serialized size of `v`, charged as work; fails before measuring more
    // than the work left.
    std::size_t measure(const json::value& v, const OpContext& ctx, const std::string& pointer) {
        const std::size_t left = work_cap_ - work_;
        const std::size_t n = serialized_size(v, left);
        if (n > left) over_work(ctx, pointer);
        work_ += n;
        return n;
    }

    // Work that is not measuring: copying `bytes`, shifting array elements.
    void charge(std::size_t units, const OpContext& ctx, const std::string& pointer) {
        if (units > work_cap_ - work_) over_work(ctx, pointer);
        work_ += units;
    }

    // The document loses `removed` bytes and gains `added`; growing past the
    // cap fails before anything is inserted.
    void resize(std::size_t removed, std::size_t added, const OpContext& ctx,
                const std::string& pointer) {
        const std::size_t base = size_ - std::min(removed, size_);
        const std::size_t next = added > static_cast<std::size_t>(-1) - base
                                     ? static_cast<std::size_t>(-1)
                                     : base + added;
        if (added > removed && next > size_cap_)
            fail(Kind::TooLarge, ctx,
                 "the patched document would exceed " + std::to_string(limits_.max_document_bytes) +
                     " bytes",
                 pointer);
        size_ = next;
    }

    // A value placed at `tokens` must keep the document within max_depth.
    void check_depth(const std::vector<std::string>& tokens, const json::value& v,
                     const OpContext& ctx, const std::string& pointer) const {
        const std::size_t max = limits_.max_depth;
        if (tokens.size() > max || !depth_within(v, max - tokens.size()))
            fail(Kind::TooLarge, ctx,
                 "the patched document would nest deeper than " + std::to_string(max) + " levels",
                 pointer);
    }

  private:
    static std::size_t saturating_mul(std::size_t a, std::size_t b) {
        return a > static_cast<std::size_t>(-1) / b ? static_cast<std::size_t>(-1) : a * b;
    }

    // True when `v` nests at most `levels` arrays/objects deep; recursion
    // stops at levels + 1.
    static bool depth_within(const json::value& v, std::size_t levels) {
        if (const auto* arr = v.if_array()) {
            if (levels == 0) return false;
            for (const auto& e : *arr)
                if (!depth_within(e, levels - 1)) return false;
        } else if (const auto* obj = v.if_object()) {
            if (levels == 0) return false;
            for (const auto& kv : *obj)
                if (!depth_within(kv.value(), levels - 1)) return false;
        }
        return true;
    }

    [[noreturn]] void over_work(const OpContext& ctx, const std::string& pointer) const {
        fail(Kind::TooLarge, ctx,
             "the patch copies, measures or shifts more than " + std::to_string(work_cap_) +
                 " bytes (" + std::to_string(limits_.work_factor) + " times the " +
                 std::to_string(size_cap_) + "-byte document limit)",
             pointer);
    }

    const PatchLimits& limits_;
    std::size_t size_;
    std::size_t size_cap_;
    std::size_t work_cap_;
    std::size_t work_ = 0;
};

// Bytes a member name takes in its object: "name" and the colon, plus the
// comma that may separate it from a neighbour. Adding counts the comma and
// removing does not, so the running size never falls below the real one.
std::size_t member_name_size(std::string_view key) {
    return json::serialize(json::string_view(key.data(), key.size())).size() + 1;
}

// Adds `v` (whose serialized size is `bytes`) at `tokens`.
void add_at(json::value& doc, const std::vector<std::string>& tokens, const std::string& pointer,
            json::value v, std::size_t bytes, const OpContext& ctx, Budget& budget) {
    budget.check_depth(tokens, v, ctx, pointer);
    if (tokens.empty()) {
        budget.resize(budget.measure(doc, ctx, pointer), bytes, ctx, pointer);
        doc = std::move(v);
        return;
    }
    json::value& parent = parent_of(doc, tokens, pointer, ctx);
    const std::string& last = tokens.back();
    if (auto* obj = parent.if_object()) {
        const json::value* old = obj->if_contains(last);
        std::size_t removed = old ? budget.measure(*old, ctx, pointer) : 0;
        budget.resize(removed, bytes + (old ? 0 : member_name_size(last) + 1), ctx, pointer);
        (*obj)[last] = std::move(v);
        return;
    }
    json::array& arr = parent.as_array();
    if (last == "-") {
        budget.resize(0, bytes + 1, ctx, pointer);
        arr.push_back(std::move(v));
        return;
    }
    auto idx = array_index(last);
    if (!idx || *idx > arr.size())
        fail(Kind::PathNotFound, ctx, "array index in \"" + pointer + "\" is out of range",
             pointer);
    // Inserting shifts the elements after it; each is at least two bytes
    // ("0,") of the document, so shifting is charged that much.
    budget.charge(2 * (arr.size() - *idx), ctx, pointer);
    budget.resize(0, bytes + 1, ctx, pointer);
    arr.insert(arr.begin() + static_cast<std::ptrdiff_t>(*idx), std::move(v));
}

// Removes the value at `tokens` and returns it.
json::value remove_at(json::value& doc, const std::vector<std::string>& tokens,
                      const std::string& pointer, const OpContext& ctx, Budget& budget) {
    if (tokens.empty()) fail(Kind::Malformed, ctx, "cannot remove the whole document", pointer);
    json::value& parent = parent_of(doc, tokens, pointer, ctx);
    const std::string& last = tokens.back();
    if (auto* obj = parent.if_object()) {
        auto it = obj->find(last);
        if (it == obj->end())
            fail(Kind::PathNotFound, ctx, "path \"" + pointer + "\" does not exist", pointer);
        budget.charge(2 * static_cast<std::size_t>(obj->end() - it), ctx, pointer);
        budget.resize(budget.measure(it->value(), ctx, pointer) + member_name_size(last), 0, ctx,
                      pointer);
        json::value out = std::move(it->value());
        obj->erase(it);
        return out;
    }
    json::array& arr = parent.as_array();
    auto idx = array_index(last);
    if (!idx || *idx >= arr.size())
        fail(Kind::PathNotFound, ctx, "path \"" + pointer + "\" does not exist", pointer);
    budget.charge(2 * (arr.size() - *idx), ctx, pointer);
    budget.resize(budget.measure(arr[*idx], ctx, pointer), 0, ctx, pointer);
    json::value out = std::move(arr[*idx]);
    arr.erase(arr.begin() + static_cast<std::ptrdiff_t>(*idx));
    return out;
}

bool is_proper_prefix(const std::vector<std::string>& prefix, const std::vector<std::string>& of) {
    if (prefix.size() >= of.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (prefix[i] != of[i]) return false;
    return true;
}

// A copy of `v` whose size is measured (and the copy charged) first, so that
// nothing over the budget is ever allocated.
json::value charged_copy(const json::value& v, std::size_t& bytes, const OpContext& ctx,
                         const std::string& pointer, Budget& budget) {
    bytes = budget.measure(v, ctx, pointer);
    budget.charge(bytes, ctx, pointer);
    return v;
}

// Short enough to quote in an error message.
std::string quoted_json(const json::value& v) {
    constexpr std::size_t kMax = 200;
    std::string text = json::serialize(v);
    if (text.size() > kMax) text = text.substr(0, kMax - 3) + "...";
    return text;
}

void apply_one(json::value& doc, const PatchOperation& op, std::size_t index, Budget& budget) {
    const OpContext ctx{index, op.op};
    std::size_t bytes = 0;
    switch (op.op) {
        case PatchOp::Add: {
            json::value v = charged_copy(op.value, bytes, ctx, op.path, budget);
            add_at(doc, op.path_tokens, op.path, std::move(v), bytes, ctx, budget);
            break;
        }
        case PatchOp::Remove:
            remove_at(doc, op.path_tokens, op.path, ctx, budget);
            break;
        case PatchOp::Replace: {
            json::value& target = existing(doc, op.path_tokens, op.path, ctx, "path");
            json::value v = charged_copy(op.value, bytes, ctx, op.path, budget);
            budget.check_depth(op.path_tokens, v, ctx, op.path);
            budget.resize(budget.measure(target, ctx, op.path), bytes, ctx, op.path);
            target = std::move(v);
            break;
        }
        case PatchOp::Move: {
            existing(doc, op.from_tokens, op.from, ctx, "from");
            if (op.from_tokens == op.path_tokens) break;
            if (is_proper_prefix(op.from_tokens, op.path_tokens))
                fail(Kind::Malformed, ctx, "cannot move a value into one of its own children",
                     op.from);
            // The value itself moves (no copy); it is measured for the size
            // and depth accounting only.
            json::value moved = remove_at(doc, op.from_tokens, op.from, ctx, budget);
            bytes = budget.measure(moved, ctx, op.from);
            add_at(doc, op.path_tokens, op.path, std::move(moved), bytes, ctx, budget);
            break;
        }
        case PatchOp::Copy: {
            const json::value& source = existing(doc, op.from_tokens, op.from, ctx, "from");
            json::value copied = charged_copy(source, bytes, ctx, op.from, budget);
            add_at(doc, op.path_tokens, op.path, std::move(copied), bytes, ctx, budget);
            break;
        }
        case PatchOp::Test: {
            const json::value& actual = existing(doc, op.path_tokens, op.path, ctx, "path");
            if (!json_equal(actual, op.value))
                fail(Kind::TestFailed, ctx,
                     "\"" + op.path + "\" is " + quoted_json(actual) + ", not " +
                         quoted_json(op.value),
                     op.path);
            break;
        }
    }
}

std::optional<PatchOp> op_from_name(std::string_view name) {
    if (name == "add") return PatchOp::Add;
    if (name == "remove") return PatchOp::Remove;
    if (name == "replace") return PatchOp::Replace;
    if (name == "move") return PatchOp::Move;
    if (name == "copy") return PatchOp::Copy;
    if (name == "test") return PatchOp::Test;
    return std::nullopt;
}

// Reads the pointer-valued member `key` of operation `index`.
std::string pointer_member(const json::object& obj, std::string_view key, std::size_t index,
                           std::vector<std::string>& tokens) {
    const json::value* v = obj.if_contains(key);
    auto where = "operation " + std::to_string(index) + ": ";
    if (!v)
        throw JsonPatchError(Kind::Malformed, where + "\"" + std::string(key) + "\" is missing",
                             index);
    if (!v->is_string())
        throw JsonPatchError(Kind::Malformed,
                             where + "\"" + std::string(key) + "\" must be a string", index);
    std::string text(v->as_string());
    try {
        tokens = parse_json_pointer(text);
    } catch (const JsonPatchError& e) {
        throw JsonPatchError(Kind::Malformed, where + e.what(), index, text);
    }
    return text;
}

}  // namespace

std::vector<std::string> parse_json_pointer(std::string_view pointer) {
    std::vector<std::string> tokens;
    if (pointer.empty()) return tokens;
    if (pointer[0] != '/')
        throw JsonPatchError(
            Kind::Malformed,
            "JSON pointer \"" + std::string(pointer) + "\" must be empty or start with \"/\"",
            JsonPatchError::kNoOperation, std::string(pointer));
    std::string cur;
    for (std::size_t i = 1; i <= pointer.size(); ++i) {
        if (i == pointer.size() || pointer[i] == '/') {
            tokens.push_back(std::move(cur));
            cur.clear();
            continue;
        }
        char c = pointer[i];
        if (c != '~') {
            cur += c;
            continue;
        }
        // "~0" is "~" and "~1" is "/"; any other "~" is not a pointer.
        char next = i + 1 < pointer.size() ? pointer[i + 1] : '\0';
        if (next != '0' && next != '1')
            throw JsonPatchError(
                Kind::Malformed,
                "JSON pointer \"" + std::string(pointer) + "\" has a \"~\" not followed by 0 or 1",
                JsonPatchError::kNoOperation, std::string(pointer));
        cur += next == '0' ? '~' : '/';
        ++i;
    }
    return tokens;
}

std::string format_json_pointer(const std::vector<std::string>& tokens) {
    std::string out;
    for (const auto& t : tokens) {
        out += '/';
        for (char c : t) {
            if (c == '~')
                out += "~0";
            else if (c == '/')
                out += "~1";
            else
                out += c;
        }
    }
    return out;
}

const json::value* find_pointer(const json::value& doc, std::string_view pointer) {
    auto tokens = parse_json_pointer(pointer);
    // resolve() never writes; the cast lets one walker serve both constnesses.
    return resolve(const_cast<json::value&>(doc), tokens, tokens.size());
}

std::string_view patch_op_name(PatchOp op) {
    switch (op) {
        case PatchOp::Add:
            return "add";
        case PatchOp::Remove:
            return "remove";
        case PatchOp::Replace:
            return "replace";
        case PatchOp::Move:
            return "move";
        case PatchOp::Copy:
            return "copy";
        case PatchOp::Test:
            return "test";
    }
    return "?";
}

std::vector<PatchOperation> parse_patch(const json::value& patch, const PatchLimits& limits) {
    const json::array* arr = patch.if_array();
    if (!arr) throw JsonPatchError(Kind::Malformed, "a JSON patch must be an array of operations");
    if (arr->size() > limits.max_operations)
        throw JsonPatchError(Kind::TooLarge, "a JSON patch may hold at most " +
                                                 std::to_string(limits.max_operations) +
                                                 " operations, this one has " +
                                                 std::to_string(arr->size()));
    std::vector<PatchOperation> ops;
    ops.reserve(arr->size());
    for (std::size_t i = 0; i < arr->size(); ++i) {
        auto where = "operation " + std::to_string(i) + ": ";
        const json::object* obj = (*arr)[i].if_object();
        if (!obj) throw JsonPatchError(Kind::Malformed, where + "must be an object", i);
        const json::value* name = obj->if_contains("op");
        if (!name || !name->is_string())
            throw JsonPatchError(Kind::Malformed, where + "\"op\" must be a string", i);
        auto op = op_from_name(name->as_string());
        if (!op)
            throw JsonPatchError(Kind::Malformed,
                                 where + "unknown op \"" + std::string(name->as_string()) + "\"",
                                 i);
        PatchOperation out{*op, {}, {}, {}, {}, {}};
        out.path = pointer_member(*obj, "path", i, out.path_tokens);
        if (*op == PatchOp::Move || *op == PatchOp::Copy)
            out.from = pointer_member(*obj, "from", i, out.from_tokens);
        if (*op == PatchOp::Add || *op == PatchOp::Replace || *op == PatchOp::Test) {
            const json::value* v = obj->if_contains("value");
            if (!v) throw JsonPatchError(Kind::Malformed, where + "\"value\" is missing", i);
            out.value = *v;
        }
        ops.push_back(std::move(out));
    }
    return ops;
}

json::value apply_patch(const json::value& doc, const std::vector<PatchOperation>& patch,
                        const PatchLimits& limits) {
    if (patch.size() > limits.max_operations)
        throw JsonPatchError(Kind::TooLarge, "a JSON patch may hold at most " +
                                                 std::to_string(limits.max_operations) +
                                                 " operations, this one has " +
                                                 std::to_string(patch.size()));
    Budget budget(limits, serialized_size(doc, static_cast<std::size_t>(-1)));
    json::value result = doc;
    for (std::size_t i = 0; i < patch.size(); ++i) apply_one(result, patch[i], i, budget);
    return result;
}

json::value apply_patch(const json::value& doc, const json::value& patch,
                        const PatchLimits& limits) {
    return apply_patch(doc, parse_patch(patch, limits), limits);
}

std::size_t serialized_size(const json::value& v, std::size_t cap) {
    // The serializer keeps its own stack (no recursion) and writes in
    // chunks, so it can stop as soon as the cap is passed.
    json::serializer sr;
    sr.reset(&v);
    char buf[4096];
    std::size_t total = 0;
    while (!sr.done()) {
        total += sr.read(buf, sizeof buf).size();
        if (total > cap) return total;
    }
    return total;
}

bool json_equal(const json::value& a, const json::value& b) {
    if (a.is_number() && b.is_number()) {
        if (a.is_double() || b.is_double()) {
            // Reflexive even for NaN, which Boost.JSON's parser can produce
            // from extreme literals (found by fuzz_json_patch).
            const double x = a.to_number<double>(), y = b.to_number<double>();
            return x == y || (std::isnan(x) && std::isnan(y));
        }
        if (a.is_int64() && b.is_int64()) return a.get_int64() == b.get_int64();
        if (a.is_uint64() && b.is_uint64()) return a.get_uint64() == b.get_uint64();
        // One signed, one unsigned: equal only when the signed one is >= 0.
        std::int64_t s = a.is_int64() ? a.get_int64() : b.get_int64();
        std::uint64_t u = a.is_uint64() ? a.get_uint64() : b.get_uint64();
        return s >= 0 && static_cast<std::uint64_t>(s) == u;
    }
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
        case json::kind::null:
            return true;
        case json::kind::bool_:
            return a.get_bool() == b.get_bool();
        case json::kind::string:
            return a.get_string() == b.get_string();
        case json::kind::array: {
            const auto& x = a.get_array();
            const auto& y = b.get_array();
            if (x.size() != y.size()) return false;
            for (std::size_t i = 0; i < x.size(); ++i)
                if (!json_equal(x[i], y[i])) return false;
            return true;
        }
        case json::kind::object: {
            const auto& x = a.get_object();
            const auto& y = b.get_object();
            if (x.size() != y.size()) return false;
            for (const auto& kv : x) {
                const json::value* other = y.if_contains(kv.key());
                if (!other || !json_equal(kv.value(), *other)) return false;
            }
            return true;
        }
        default:
            return false;
    }
}

}  // namespace dnsplane::common
