#include "core/threads.h"

#include <atomic>
#include <new>
#include <stdexcept>

#include <gtest/gtest.h>

namespace tsq {
namespace {

TEST(RunThreads, AllRunAndNothingFails) {
  std::atomic<int> sum{0};
  ASSERT_TRUE(RunThreads(
      4, [&](int i) { sum += i + 1; }, "work"));
  EXPECT_EQ(sum, 10);
}

TEST(RunThreads, AnAllocationFailureInAWorkerIsAnErrorNotTerminate) {
  std::atomic<bool> stopped{false};
  const Status s = RunThreads(
      3,
      [&](int i) {
        if (i == 2) throw std::bad_alloc();
        while (!stopped) std::this_thread::yield();  // the others wait to be told to stop
      },
      "reading calls.csv", [&] { stopped = true; });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kResources);
  EXPECT_EQ(s.error().message,
            "reading calls.csv: out of memory (try fewer --threads, or free memory)");
}

TEST(RunThreads, OtherExceptionsAreInternalErrorsWithTheirText) {
  const Status s = RunThreads(
      2,
      [](int i) {
        if (i == 0) throw std::runtime_error("index out of range");
      },
      "computing");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInternal);
  EXPECT_EQ(s.error().message, "computing: internal error: index out of range");
}

TEST(FirstError, KeepsTheFirst) {
  FirstError f;
  EXPECT_FALSE(f.failed());
  f.Set(Error(ErrorCode::kIo, "first"));
  f.Set(Error(ErrorCode::kIo, "second"));
  EXPECT_TRUE(f.failed());
  EXPECT_EQ(f.status().error().message, "first");
}

}  // namespace
}  // namespace tsq
