// The number lists a reviewer hands to `tsq callers`: a whitelist of cleared numbers and labels
// (harassment or fraud, or legitimate) for evaluation and training. Parsed from text so that the
// fuzzer can feed them; every problem is an error naming the line, with numbers masked.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/result.h"

namespace tsq {

/// One number per line (a CSV's first column); blank lines, lines starting with '#' and a first
/// line `caller` or `number` are skipped. Returns the numbers' NumberKey()s.
Result<std::unordered_set<uint64_t>> ParseWhitelist(std::string_view text, std::string_view name);

struct CallerLabels {
  std::unordered_map<uint64_t, bool> positive;      // NumberKey → harassment or fraud
  std::unordered_map<uint64_t, std::string> names;  // NumberKey → the number as written
};

/// CSV with the columns `caller` and `label`; a label is 1, true, yes, harassment, fraud or spam
/// (positive), or 0, false, no, legitimate or normal (negative), in any case. Anything else, a
/// value that is not a phone number, or a number labelled twice is an error naming the line.
Result<CallerLabels> ParseCallerLabels(std::string_view text, std::string_view name);

}  // namespace tsq
