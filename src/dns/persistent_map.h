// A persistent hash array mapped trie (HAMT): an immutable hash map whose
// versions share every subtree they have in common. Changing one key copies
// only the path from the root to its leaf (at most ~13 small branches, about
// log32(n) in practice), so publishing a change costs O(change x log n), not
// O(n). Leaves are caller-owned objects with an intrusive reference count.
//
// Leaf requirements: `std::atomic<std::uint32_t> refs`, `std::uint64_t hash`,
// `std::string_view key() const`, and a static `void destroy(Leaf*)` called
// when the last reference goes.
//
// Thread safety: a published map is never modified; any number of threads
// may read it. One writer edits its own (unpublished) copy; branches it
// created itself (reference count 1 along a path it already copied) are
// edited in place, everything else is copied first.
#pragma once

#include <atomic>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>

namespace dnsplane::dns {

template <class Leaf>
class PersistentHashMap {
  public:
    PersistentHashMap() = default;
    PersistentHashMap(const PersistentHashMap& other) : root_(other.root_), size_(other.size_) {
        retain(root_);
    }
    PersistentHashMap& operator=(const PersistentHashMap& other) {
        if (this != &other) {
            retain(other.root_);
            release(root_);
            root_ = other.root_;
            size_ = other.size_;
        }
        return *this;
    }
    PersistentHashMap(PersistentHashMap&& other) noexcept : root_(other.root_), size_(other.size_) {
        other.root_ = 0;
        other.size_ = 0;
    }
    ~PersistentHashMap() { release(root_); }

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    const Leaf* find(std::uint64_t hash, std::string_view key) const {
        std::uintptr_t e = root_;
        unsigned shift = 0;
        while (e != 0) {
            if (is_leaf(e)) {
                const Leaf* l = as_leaf(e);
                return l->hash == hash && l->key() == key ? l : nullptr;
            }
            const Branch* b = as_branch(e);
            if (b->collision) {
                for (unsigned i = 0; i < b->count; ++i) {
                    const Leaf* l = as_leaf(b->entries[i]);
                    if (l->hash == hash && l->key() == key) return l;
                }
                return nullptr;
            }
            std::uint32_t bit = 1u << ((hash >> shift) & 31);
            if ((b->bitmap & bit) == 0) return nullptr;
            e = b->entries[std::popcount(b->bitmap & (bit - 1))];
            shift += 5;
        }
        return nullptr;
    }

    // Inserts or replaces (same key). Takes over one reference of `leaf`.
    void set(Leaf* leaf) {
        bool added = false;
        root_ = insert(root_, 0, leaf, added);
        if (added) ++size_;
    }

    // Removes the key if present; true when it was.
    bool erase(std::uint64_t hash, std::string_view key) {
        if (!find(hash, key)) return false;
        root_ = remove(root_, 0, hash, key);
        --size_;
        return true;
    }

    template <class Fn>
    void for_each(Fn&& fn) const {
        visit(root_, fn);
    }

    static void retain_leaf(const Leaf* l) {
        const_cast<Leaf*>(l)->refs.fetch_add(1, std::memory_order_relaxed);
    }
    static void release_leaf(const Leaf* l) {
        if (const_cast<Leaf*>(l)->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            Leaf::destroy(const_cast<Leaf*>(l));
        }
    }

  private:
    // Tagged entry: low bit 1 = Branch*, 0 = Leaf* (never null in a branch).
    struct Branch {
        std::atomic<std::uint32_t> refs;
        std::uint32_t bitmap;  // unused in a collision branch
        std::uint8_t count;    // entries (<= 32; collision lists may exceed: uint8 is enough
                               // for any realistic number of equal 64-bit hashes)
        bool collision;        // every entry is a leaf with the same full hash
        std::uintptr_t entries[1];
    };

    static bool is_leaf(std::uintptr_t e) { return (e & 1) == 0; }
    static Leaf* as_leaf(std::uintptr_t e) { return reinterpret_cast<Leaf*>(e); }
    static Branch* as_branch(std::uintptr_t e) {
        return reinterpret_cast<Branch*>(e & ~std::uintptr_t{1});
    }
    static std::uintptr_t tag(Leaf* l) { return reinterpret_cast<std::uintptr_t>(l); }
    static std::uintptr_t tag(Branch* b) { return reinterpret_cast<std::uintptr_t>(b) | 1; }

    static Branch* alloc_branch(unsigned count) {
        std::size_t bytes =
            offsetof(Branch, entries) + sizeof(std::uintptr_t) * (count ? count : 1);
        void* mem = std::malloc(bytes);
        if (!mem) throw std::bad_alloc();
        auto* b = static_cast<Branch*>(mem);
        new (&b->refs) std::atomic<std::uint32_t>(1);
        b->bitmap = 0;
        b->count = static_cast<std::uint8_t>(count);
        b->collision = false;
        return b;
    }

    static void retain(std::uintptr_t e) {
        if (e == 0) return;
        if (is_leaf(e)) {
            retain_leaf(as_leaf(e));
        } else {
            as_branch(e)->refs.fetch_add(1, std::memory_order_relaxed);
        }
    }

    static void release(std::uintptr_t e) {
        if (e == 0) return;
        if (is_leaf(e)) return release_leaf(as_leaf(e));
        Branch* b = as_branch(e);
        if (b->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
        for (unsigned i = 0; i < b->count; ++i) release(b->entries[i]);
        std::free(b);
    }

    // A branch this writer may edit: itself when only the writer's path holds
    // it, else a copy (children retained) and the original released.
    static Branch* unique(Branch* b, unsigned extra = 0) {
        if (b->refs.load(std::memory_order_acquire) == 1 && extra == 0) return b;
        Branch* copy = alloc_branch(b->count + extra);
        copy->bitmap = b->bitmap;
        copy->count = b->count;
        copy->collision = b->collision;
        std::memcpy(copy->entries, b->entries, sizeof(std::uintptr_t) * b->count);
        for (unsigned i = 0; i < b->count; ++i) retain(b->entries[i]);
        release(tag(b));
        return copy;
    }

    // `b` (editable) with one more entry at `idx`.
    static Branch* grow(Branch* b, unsigned idx, std::uintptr_t entry) {
        Branch* out = alloc_branch(b->count + 1);
        out->bitmap = b->bitmap;
        out->collision = b->collision;
        std::memcpy(out->entries, b->entries, sizeof(std::uintptr_t) * idx);
        out->entries[idx] = entry;
        std::memcpy(out->entries + idx + 1, b->entries + idx,
                    sizeof(std::uintptr_t) * (b->count - idx));
        std::free(b);  // entries moved, not released
        return out;
    }

    static std::uintptr_t pair(Leaf* a, Leaf* b, unsigned shift) {
        if (shift >= 64) {
            Branch* c = alloc_branch(2);
            c->collision = true;
            c->entries[0] = tag(a);
            c->entries[1] = tag(b);
            return tag(c);
        }
        unsigned ia = (a->hash >> shift) & 31, ib = (b->hash >> shift) & 31;
        if (ia == ib) {
            Branch* n = alloc_branch(1);
            n->bitmap = 1u << ia;
            n->entries[0] = pair(a, b, shift + 5);
            return tag(n);
        }
        Branch* n = alloc_branch(2);
        n->bitmap = (1u << ia) | (1u << ib);
        n->entries[ia < ib ? 0 : 1] = tag(a);
        n->entries[ia < ib ? 1 : 0] = tag(b);
        return tag(n);
    }

    // Consumes the reference held by `e`, returns the new entry (one reference).
    static std::uintptr_t insert(std::uintptr_t e, unsigned shift, Leaf* leaf, bool& added) {
        if (e == 0) {
            added = true;
            return tag(leaf);
        }
        if (is_leaf(e)) {
            Leaf* old = as_leaf(e);
            if (old->hash == leaf->hash && old->key() == leaf->key()) {
                release_leaf(old);
                return tag(leaf);
            }
            added = true;
            return pair(old, leaf, shift);
        }
        Branch* b = unique(as_branch(e));
        if (b->collision) {
            for (unsigned i = 0; i < b->count; ++i) {
                Leaf* l = as_leaf(b->entries[i]);
                if (l->key() == leaf->key()) {
                    release_leaf(l);
                    b->entries[i] = tag(leaf);
                    return tag(b);
                }
            }
            added = true;
            return tag(grow(b, b->count, tag(leaf)));
        }
        std::uint32_t bit = 1u << ((leaf->hash >> shift) & 31);
        unsigned idx = std::popcount(b->bitmap & (bit - 1));
        if (b->bitmap & bit) {
            b->entries[idx] = insert(b->entries[idx], shift + 5, leaf, added);
            return tag(b);
        }
        added = true;
        Branch* out = grow(b, idx, tag(leaf));
        out->bitmap |= bit;
        return tag(out);
    }

    // The key is known to be present. Consumes the reference held by `e`.
    static std::uintptr_t remove(std::uintptr_t e, unsigned shift, std::uint64_t hash,
                                 std::string_view key) {
        if (is_leaf(e)) {
            release_leaf(as_leaf(e));
            return 0;
        }
        Branch* b = unique(as_branch(e));
        unsigned idx = 0;
        std::uint32_t bit = 0;
        if (b->collision) {
            while (as_leaf(b->entries[idx])->key() != key) ++idx;
            release_leaf(as_leaf(b->entries[idx]));
            b->entries[idx] = 0;
        } else {
            bit = 1u << ((hash >> shift) & 31);
            idx = std::popcount(b->bitmap & (bit - 1));
            b->entries[idx] = remove(b->entries[idx], shift + 5, hash, key);
        }
        if (b->entries[idx] != 0) {
            // A branch left with one leaf collapses into the leaf.
            if (b->count == 1 && is_leaf(b->entries[0])) {
                std::uintptr_t only = b->entries[0];
                std::free(b);
                return only;
            }
            return tag(b);
        }
        std::memmove(b->entries + idx, b->entries + idx + 1,
                     sizeof(std::uintptr_t) * (b->count - idx - 1));
        b->count--;
        b->bitmap &= ~bit;
        if (b->count == 0) {
            std::free(b);
            return 0;
        }
        if (b->count == 1 && is_leaf(b->entries[0])) {
            std::uintptr_t only = b->entries[0];
            std::free(b);
            return only;
        }
        return tag(b);
    }

    template <class Fn>
    static void visit(std::uintptr_t e, Fn& fn) {
        if (e == 0) return;
        if (is_leaf(e)) {
            fn(static_cast<const Leaf*>(as_leaf(e)));
            return;
        }
        const Branch* b = as_branch(e);
        for (unsigned i = 0; i < b->count; ++i) visit(b->entries[i], fn);
    }

    std::uintptr_t root_ = 0;
    std::size_t size_ = 0;
};

// 64-bit hash of a short byte string (owner names): 8 bytes at a time, then
// a full avalanche so that every 5-bit slice of the result is usable.
inline std::uint64_t hash_bytes(const std::uint8_t* p, std::size_t len) {
    std::uint64_t h = 0x9e3779b97f4a7c15ull ^ (len * 0xff51afd7ed558ccdull);
    while (len >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * 0x87c37b91114253d5ull;
        h ^= h >> 31;
        p += 8;
        len -= 8;
    }
    if (len > 0) {
        std::uint64_t w = 0;
        std::memcpy(&w, p, len);
        h = (h ^ w) * 0x4cf5ad432745937full;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

}  // namespace dnsplane::dns
