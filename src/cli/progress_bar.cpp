#include "cli/progress_bar.h"

#include <cstdio>

#include <fmt/format.h>
#include <unistd.h>

namespace tsq {

ProgressBar::ProgressBar(bool enabled) : active_(enabled && ::isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() { Clear(); }

void ProgressBar::Update(const ProgressEvent& e) {
  if (!active_) return;
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (e.stage != stage_) {
    stage_ = e.stage;
    stage_start_ = now;
  } else if (now - last_draw_ < std::chrono::milliseconds(100) && e.done != e.total) {
    return;
  }
  last_draw_ = now;
  constexpr int kWidth = 30;
  std::string line;
  if (e.total > 0) {
    const double frac = std::min(1.0, static_cast<double>(e.done) / static_cast<double>(e.total));
    const int filled = static_cast<int>(frac * kWidth);
    const double secs = std::chrono::duration<double>(now - stage_start_).count();
    const double mbps = secs > 0 ? static_cast<double>(e.done) / 1e6 / secs : 0;
    line = fmt::format("\r{} [{}{}] {:3.0f}% {:.0f} MB/s", stage_, std::string(filled, '#'),
                       std::string(kWidth - filled, '.'), frac * 100, mbps);
  } else {
    line = fmt::format("\r{} ...", stage_);
  }
  line += "\033[K";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::Clear() {
  if (!active_) return;
  std::lock_guard lock(mutex_);
  if (drawn_) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
  }
}

ProgressFn ProgressBar::Callback() {
  if (!active_) return nullptr;
  return [this](const ProgressEvent& e) { Update(e); };
}

}  // namespace tsq
