// A progress bar on stderr for long work, drawn only when stderr is a terminal. Thread-safe;
// redraws at most ten times a second.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "app/progress.h"

namespace tsq {

class ProgressBar {
 public:
  /// Draws only if `enabled` and stderr is a terminal.
  explicit ProgressBar(bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void Update(const ProgressEvent& event);
  /// Erases the bar so that normal output starts on a clean line.
  void Clear();
  /// A ProgressFn that feeds this bar (or nothing when the bar is disabled).
  ProgressFn Callback();
  bool active() const { return active_; }

 private:
  bool active_ = false;
  bool drawn_ = false;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_draw_{};
  std::chrono::steady_clock::time_point stage_start_{};
  std::string stage_;
};

}  // namespace tsq
