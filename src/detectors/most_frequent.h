// The most frequent of a few dictionary codes — the region of a number's calls, of a broadband
// line's tests — with a tie going to the first by name, so that the choice is the same whatever
// the order the records came in.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "core/string_dictionary.h"

namespace tsq {

class MostFrequentCode {
 public:
  /// Counts one more `code`; kMissingId is not counted.
  void Add(uint32_t code) {
    if (code == kMissingId) return;
    auto it = std::find_if(counts_.begin(), counts_.end(),
                           [&](const auto& c) { return c.first == code; });
    if (it == counts_.end()) {
      counts_.emplace_back(code, 1);
    } else {
      ++it->second;
    }
  }

  /// The most frequent code (on a tie the first by its text in `dict`), or kMissingId when none
  /// was counted.
  uint32_t Get(const StringDictionary& dict) const {
    uint32_t best = kMissingId;
    uint64_t best_n = 0;
    std::string_view best_name;
    for (const auto& [code, n] : counts_) {
      const std::string_view name = dict.Get(code);
      if (n > best_n || (n == best_n && name < best_name)) {
        best = code;
        best_n = n;
        best_name = name;
      }
    }
    return best;
  }

 private:
  std::vector<std::pair<uint32_t, uint64_t>> counts_;  // a record's few codes: a list will do
};

}  // namespace tsq
