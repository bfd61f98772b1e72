// Progress of long work, reported by the app layer to whoever drives it (a terminal bar in the CLI,
// nothing in tests, events in a server). Called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace tsq {

struct ProgressEvent {
  std::string stage;   // "reading calls-0001.csv.zst", "generating calls"
  uint64_t done = 0;   // units of work done in this stage
  uint64_t total = 0;  // 0 when unknown
};

using ProgressFn = std::function<void(const ProgressEvent&)>;

}  // namespace tsq
