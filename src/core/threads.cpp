#include "core/threads.h"

#include <algorithm>
#include <atomic>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

namespace tsq {

Error ErrorFromException(std::exception_ptr e, std::string_view context) {
  try {
    std::rethrow_exception(e);
  } catch (const ErrorException& ex) {
    return Error(ex.error().code, fmt::format("{}: {}", context, ex.error().message));
  } catch (const std::bad_alloc&) {
    return Error(ErrorCode::kResources,
                 fmt::format("{}: out of memory (try fewer --threads, or free memory)", context));
  } catch (const std::exception& ex) {
    return Error(ErrorCode::kInternal, fmt::format("{}: internal error: {}", context, ex.what()));
  } catch (...) {
    return Error(ErrorCode::kInternal, fmt::format("{}: internal error", context));
  }
}

void FirstError::Set(Error e) {
  std::lock_guard lock(mu_);
  if (status_) status_ = std::move(e);
}

bool FirstError::failed() const {
  std::lock_guard lock(mu_);
  return !status_;
}

Status FirstError::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

Status RunThreads(int n, const std::function<void(int)>& fn, std::string_view context,
                  const std::function<void()>& on_failure) {
  FirstError first;
  std::once_flag stop_once;
  const auto body = [&](int i) {
    try {
      fn(i);
    } catch (...) {
      first.Set(ErrorFromException(std::current_exception(), context));
      if (on_failure) std::call_once(stop_once, on_failure);
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(n));
  try {
    for (int i = 1; i < n; ++i) threads.emplace_back(body, i);
  } catch (...) {
    // Not even a thread could start: stop what did start, then report.
    first.Set(ErrorFromException(std::current_exception(), context));
    if (on_failure) std::call_once(stop_once, on_failure);
  }
  if (n > 0) body(0);
  for (std::thread& t : threads) t.join();
  return first.status();
}

Status ParallelFor(int threads, size_t n, size_t block,
                   const std::function<void(size_t begin, size_t end)>& fn,
                   std::string_view context) {
  block = std::max<size_t>(block, 1);
  std::atomic<size_t> next{0};
  return RunThreads(
      std::max(1, std::min<int>(threads, static_cast<int>((n + block - 1) / block))),
      [&](int) {
        for (size_t b = next.fetch_add(block); b < n; b = next.fetch_add(block)) {
          fn(b, std::min(b + block, n));
        }
      },
      context);
}

}  // namespace tsq
