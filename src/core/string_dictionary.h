// StringDictionary: interns low-cardinality strings (operators, regions, cells...) into dense
// 32-bit ids shared by every batch of a run, so grouping compares integers.
// Thread safety: Intern() and Get() may be called from any thread. Readers on hot paths should
// keep a DictionaryCache to avoid the lock.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tsq {

inline constexpr uint32_t kMissingId = UINT32_MAX;

class StringDictionary {
 public:
  StringDictionary() = default;
  StringDictionary(const StringDictionary&) = delete;
  StringDictionary& operator=(const StringDictionary&) = delete;

  /// Returns the id of `s`, adding it if new. Ids are dense, starting at 0, in first-seen order.
  uint32_t Intern(std::string_view s);
  /// The id of `s`, or kMissingId when it was never interned.
  uint32_t Find(std::string_view s) const;
  /// REQUIRES: id < size().
  std::string_view Get(uint32_t id) const;
  size_t size() const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  mutable std::shared_mutex mutex_;
  std::deque<std::string> strings_;  // deque: stable addresses for the views below
  std::unordered_map<std::string_view, uint32_t, Hash, std::equal_to<>> ids_;
};

/// A per-thread front for a StringDictionary: remembers recent lookups without locking.
class DictionaryCache {
 public:
  explicit DictionaryCache(StringDictionary* dict) : dict_(dict) {}
  uint32_t Intern(std::string_view s) {
    if (s == last_) return last_id_;
    auto it = cache_.find(s);
    if (it != cache_.end()) {
      last_ = it->first;
      last_id_ = it->second;
      return it->second;
    }
    const uint32_t id = dict_->Intern(s);
    auto [pos, inserted] = cache_.emplace(std::string(s), id);
    last_ = pos->first;
    last_id_ = id;
    return id;
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  StringDictionary* dict_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> cache_;
  std::string_view last_;
  uint32_t last_id_ = kMissingId;
};

}  // namespace tsq
