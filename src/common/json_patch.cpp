#include "common/json_patch.h"

#include <boost/json.hpp>

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

void add_at(json::value& doc, const std::vector<std::string>& tokens, const std::string& pointer,
            json::value v, const OpContext& ctx) {
    if (tokens.empty()) {
        doc = std::move(v);
        return;
    }
    json::value& parent = parent_of(doc, tokens, pointer, ctx);
    const std::string& last = tokens.back();
    if (auto* obj = parent.if_object()) {
        (*obj)[last] = std::move(v);
        return;
    }
    json::array& arr = parent.as_array();
    if (last == "-") {
        arr.push_back(std::move(v));
        return;
    }
    auto idx = array_index(last);
    if (!idx || *idx > arr.size())
        fail(Kind::PathNotFound, ctx, "array index in \"" + pointer + "\" is out of range",
             pointer);
    arr.insert(arr.begin() + static_cast<std::ptrdiff_t>(*idx), std::move(v));
}

void remove_at(json::value& doc, const std::vector<std::string>& tokens, const std::string& pointer,
               const OpContext& ctx) {
    if (tokens.empty()) fail(Kind::Malformed, ctx, "cannot remove the whole document", pointer);
    json::value& parent = parent_of(doc, tokens, pointer, ctx);
    const std::string& last = tokens.back();
    if (auto* obj = parent.if_object()) {
        if (obj->erase(last) == 0)
            fail(Kind::PathNotFound, ctx, "path \"" + pointer + "\" does not exist", pointer);
        return;
    }
    json::array& arr = parent.as_array();
    auto idx = array_index(last);
    if (!idx || *idx >= arr.size())
        fail(Kind::PathNotFound, ctx, "path \"" + pointer + "\" does not exist", pointer);
    arr.erase(arr.begin() + static_cast<std::ptrdiff_t>(*idx));
}

bool is_proper_prefix(const std::vector<std::string>& prefix, const std::vector<std::string>& of) {
    if (prefix.size() >= of.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (prefix[i] != of[i]) return false;
    return true;
}

void apply_one(json::value& doc, const PatchOperation& op, std::size_t index) {
    const OpContext ctx{index, op.op};
    switch (op.op) {
        case PatchOp::Add:
            add_at(doc, op.path_tokens, op.path, op.value, ctx);
            break;
        case PatchOp::Remove:
            remove_at(doc, op.path_tokens, op.path, ctx);
            break;
        case PatchOp::Replace:
            existing(doc, op.path_tokens, op.path, ctx, "path") = op.value;
            break;
        case PatchOp::Move: {
            json::value moved = existing(doc, op.from_tokens, op.from, ctx, "from");
            if (op.from_tokens == op.path_tokens) break;
            if (is_proper_prefix(op.from_tokens, op.path_tokens))
                fail(Kind::Malformed, ctx, "cannot move a value into one of its own children",
                     op.from);
            remove_at(doc, op.from_tokens, op.from, ctx);
            add_at(doc, op.path_tokens, op.path, std::move(moved), ctx);
            break;
        }
        case PatchOp::Copy: {
            json::value copied = existing(doc, op.from_tokens, op.from, ctx, "from");
            add_at(doc, op.path_tokens, op.path, std::move(copied), ctx);
            break;
        }
        case PatchOp::Test: {
            const json::value& actual = existing(doc, op.path_tokens, op.path, ctx, "path");
            if (!json_equal(actual, op.value))
                fail(Kind::TestFailed, ctx,
                     "\"" + op.path + "\" is " + json::serialize(actual) + ", not " +
                         json::serialize(op.value),
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

std::vector<PatchOperation> parse_patch(const json::value& patch) {
    const json::array* arr = patch.if_array();
    if (!arr) throw JsonPatchError(Kind::Malformed, "a JSON patch must be an array of operations");
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

json::value apply_patch(const json::value& doc, const std::vector<PatchOperation>& patch) {
    json::value result = doc;
    for (std::size_t i = 0; i < patch.size(); ++i) apply_one(result, patch[i], i);
    return result;
}

json::value apply_patch(const json::value& doc, const json::value& patch) {
    return apply_patch(doc, parse_patch(patch));
}

bool json_equal(const json::value& a, const json::value& b) {
    if (a.is_number() && b.is_number()) {
        if (a.is_double() || b.is_double()) return a.to_number<double>() == b.to_number<double>();
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
