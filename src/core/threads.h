// Threads that fail speak: an exception in a worker thread (an allocation failure included) must
// end the run with a clear message and a non-zero exit, never std::terminate. These helpers turn a
// caught exception into an Error and run a group of threads that reports its first failure.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace tsq {

/// Carries an Error out of code that cannot return one (a family's Update() spilling to disk):
/// ErrorFromException reports it as "<context>: <its message>" with its code.
class ErrorException : public std::exception {
 public:
  explicit ErrorException(Error e) : error_(std::move(e)) {}
  const char* what() const noexcept override { return error_.message.c_str(); }
  const Error& error() const { return error_; }

 private:
  Error error_;
};

/// The Error for a caught exception: "<context>: out of memory (…)" for std::bad_alloc, else
/// "<context>: internal error: <what>".
Error ErrorFromException(std::exception_ptr e, std::string_view context);

/// The first failure among threads that share a task.
class FirstError {
 public:
  /// Keeps `e` if it is the first; later ones are dropped (they are usually its consequence).
  void Set(Error e);
  bool failed() const;
  /// Ok, or the first failure.
  Status status() const;

 private:
  mutable std::mutex mu_;
  Status status_;
};

/// Runs fn(0) … fn(n − 1) on n threads and joins them. An exception escaping fn(i) is caught:
/// `on_failure` (optional) is called once so the others can stop, and the first failure is
/// returned as an Error whose message starts with `context`.
Status RunThreads(int n, const std::function<void(int)>& fn, std::string_view context,
                  const std::function<void()>& on_failure = nullptr);

/// Runs fn(begin, end) over [0, n) in blocks of `block` items on `threads` threads, each taking
/// the next block when done with one, so that they stay busy however uneven the items are. A
/// failure is reported as RunThreads() does (the remaining blocks still run).
Status ParallelFor(int threads, size_t n, size_t block,
                   const std::function<void(size_t begin, size_t end)>& fn,
                   std::string_view context);

}  // namespace tsq
