// KeyedStates<State>: partial aggregation states keyed by a fine-grained base key, in an
// open-addressing hash table (one probe sequence per row, no allocation per row). Partial states
// of threads, files and machines merge by key with State::Merge.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace tsq {

inline constexpr int kKeyDims = 6;

/// The base key of a row: up to kKeyDims dimension codes (dictionary ids, enum codes, month keys;
/// kMissingId when the row has no value), a time bucket a family may need below the breakdowns
/// (an hour for the busy hour, a month for monthly averages), and the period slot.
struct BaseKey {
  uint32_t dims[kKeyDims] = {0, 0, 0, 0, 0, 0};
  int32_t bucket = 0;
  uint32_t slot = 0;

  bool operator==(const BaseKey& o) const { return std::memcmp(this, &o, sizeof(BaseKey)) == 0; }
  uint64_t Hash() const {
    // Multiply-xorshift over the eight 32-bit words: cheap and good enough for small codes.
    uint64_t h = 0x9E3779B97F4A7C15ull;
    const auto* w = reinterpret_cast<const uint32_t*>(this);
    for (size_t i = 0; i < sizeof(BaseKey) / 4; ++i) {
      h = (h ^ w[i]) * 0xBF58476D1CE4E5B9ull;
      h ^= h >> 29;
    }
    return h;
  }
};
static_assert(sizeof(BaseKey) == 32);

template <typename State>
class KeyedStates {
 public:
  KeyedStates() { Rehash(64); }

  /// The state of `key`, created (default-constructed) on first use.
  State& At(const BaseKey& key) { return states_[IndexOf(key)]; }

  /// The index of `key`'s state, created on first use. A state keeps its index for good.
  uint32_t IndexOf(const BaseKey& key) {
    size_t i = key.Hash() & mask_;
    for (;;) {
      const uint32_t slot = table_[i];
      if (slot == kEmpty) break;
      if (keys_[slot] == key) return slot;
      i = (i + 1) & mask_;
    }
    if ((keys_.size() + 1) * 2 > table_.size()) {
      Rehash(table_.size() * 2);
      return IndexOf(key);
    }
    table_[i] = static_cast<uint32_t>(keys_.size());
    keys_.push_back(key);
    states_.emplace_back();
    return table_[i];
  }
  State& state_at(uint32_t index) { return states_[index]; }

  /// Adds every state of `other` into this one.
  void Merge(const KeyedStates& other) {
    for (size_t i = 0; i < other.keys_.size(); ++i) At(other.keys_[i]).Merge(other.states_[i]);
  }

  size_t size() const { return keys_.size(); }
  const BaseKey& key(size_t i) const { return keys_[i]; }
  const State& state(size_t i) const { return states_[i]; }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;

  void Rehash(size_t capacity) {
    table_.assign(capacity, kEmpty);
    mask_ = capacity - 1;
    for (size_t s = 0; s < keys_.size(); ++s) {
      size_t i = keys_[s].Hash() & mask_;
      while (table_[i] != kEmpty) i = (i + 1) & mask_;
      table_[i] = static_cast<uint32_t>(s);
    }
  }

  std::vector<uint32_t> table_;
  size_t mask_ = 0;
  std::vector<BaseKey> keys_;
  std::vector<State> states_;
};

}  // namespace tsq
