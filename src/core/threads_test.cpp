#include "core/threads.h"

#include <atomic>
#include <new>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace tsq {
namespace {

TEST(RunThreads, AllRunAndNothingFails) {
  std::atomic<int> sum{0};
  ASSERT_TRUE(RunThreads(
      4, [&](int i) { sum += i + 1; }, "work"));
  EXPECT_EQ(sum, 10);
}

TEST(ParallelFor, EveryItemOnceInBlocks) {
  for (size_t n : {0, 1, 7, 1000}) {
    std::vector<std::atomic<int>> seen(n);
    ASSERT_TRUE(ParallelFor(
        3, n, 16,
        [&](size_t begin, size_t end) {
          EXPECT_LE(end - begin, 16u);
          for (size_t i = begin; i < end; ++i) ++seen[i];
        },
        "work"));
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(seen[i], 1) << i;
  }
  const Status s = ParallelFor(
      2, 100, 10,
      [](size_t begin, size_t) {
        if (begin == 50) throw std::runtime_error("bad block");
      },
      "judging");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "judging: internal error: bad block");
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
