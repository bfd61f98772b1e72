// DictInterner: a worker's private front for the run's StringDictionary, one per kDict column.
// The core DictionaryCache is a node-based map keyed by std::string; on the reader's hot path
// (three lookups per calls row, tens of thousands of cells) its pointer chasing and modulo cost
// more than parsing the row. This is a flat open-addressing table whose slots hold short keys
// inline, so a lookup is one hash and usually one cache line.
// Not thread-safe: one interner per worker and column; the dictionary behind it is shared.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/string_dictionary.h"

namespace tsq {

class DictInterner {
 public:
  // Keys of up to 16 bytes are their own bytes (zero-padded); longer ones are (hash, length) and
  // are compared against the copy in `long_keys_`.
  struct Key {
    uint64_t a = 0;
    uint64_t b = 0;
    uint32_t len = 0;
  };
  /// A lookup begun by Prepare(): the key and its hash.
  struct Probe {
    Key key;
    uint64_t hash = 0;
  };

  explicit DictInterner(StringDictionary* dict) : dict_(dict) { slots_.resize(kInitialSlots); }

  /// Computes the key of `s` and prefetches its slot, so that Intern(s, probe) a little later
  /// finds it in cache; callers prepare a group of values, then intern the group, and so keep
  /// many cache misses in flight. Other calls may come in between (the slot is found again from
  /// the hash). REQUIRES: !s.empty().
  Probe Prepare(std::string_view s) const {
    Probe p;
    p.key = MakeKey(s);
    p.hash = Hash(p.key);
    __builtin_prefetch(&slots_[p.hash & (slots_.size() - 1)]);
    return p;
  }
  /// The dictionary id of `s` (interning it on first sight); `probe` = Prepare(s).
  uint32_t Intern(std::string_view s, const Probe& probe) {
    const size_t start = probe.hash & (slots_.size() - 1);
    const Slot& slot = slots_[start];
    const Key& k = probe.key;
    if (slot.a == k.a && slot.b == k.b && slot.len == k.len && k.len <= kInline) return slot.id;
    return Lookup(s, k, start);
  }
  /// Distinct values seen so far.
  size_t size() const { return used_; }

  /// The dictionary id of `s`; repeats of the previous value skip the table.
  uint32_t Intern(std::string_view s) {
    const Key k = MakeKey(s);
    if (k.a == last_.a && k.b == last_.b && k.len == last_.len && k.len <= kInline) {
      return last_id_;
    }
    last_ = k;
    last_id_ = Intern(s, Probe{k, Hash(k)});
    return last_id_;
  }

 private:
  static constexpr size_t kInitialSlots = 256;
  static constexpr uint32_t kInline = 16;  // keys up to this length live in the slot

  struct Slot {
    uint64_t a = 0;
    uint64_t b = 0;  // for long keys: offset of the key in long_keys_
    uint32_t len = 0;
    uint32_t id = kMissingId;  // kMissingId = empty slot
  };

  // Little-endian load of n < 8 bytes that never reads outside [p, p + n).
  static uint64_t LoadShort(const char* p, size_t n) {
    if (n >= 4) {
      uint32_t lo;
      uint32_t hi;
      std::memcpy(&lo, p, 4);
      std::memcpy(&hi, p + n - 4, 4);
      // hi overlaps lo by 8 - n bytes; shift its new bytes into place.
      return lo | ((static_cast<uint64_t>(hi) >> (8 * (8 - n))) << 32);
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i)
      v |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
    return v;
  }
  static uint64_t Load8(const char* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  }
  static Key MakeKey(std::string_view s) {
    Key k;
    const size_t n = s.size();
    const char* p = s.data();
    k.len = static_cast<uint32_t>(n);
    if (n <= 8) {
      k.a = n == 8 ? Load8(p) : LoadShort(p, n);
    } else if (n <= kInline) {
      k.a = Load8(p);
      // The last 8 bytes, shifted so that only those past the first 8 remain.
      k.b = Load8(p + n - 8) >> (8 * (16 - n));
    } else {
      k.a = HashLong(p, n);
    }
    return k;
  }
  static uint64_t HashLong(const char* p, size_t n);
  static uint64_t Hash(const Key& k) {
    uint64_t h = k.a * 0x9E3779B97F4A7C15ull ^ ((k.b * 0xC2B2AE3D27D4EB4Full) >> 7) ^ k.len;
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ull;
    return h ^ (h >> 32);
  }
  uint32_t Lookup(std::string_view s, const Key& k, size_t start);
  void Grow();

  StringDictionary* dict_;
  std::vector<Slot> slots_;
  size_t used_ = 0;
  std::string long_keys_;
  Key last_;
  uint32_t last_id_ = kMissingId;
};

}  // namespace tsq
