#include "engine/spill.h"

#include <filesystem>

#include <gtest/gtest.h>

namespace tsq {
namespace {

struct Rec {
  uint64_t key;
  uint32_t value;
};

std::vector<uint64_t> Keys(const std::vector<Rec>& v) {
  std::vector<uint64_t> k;
  for (const Rec& r : v) k.push_back(r.key * 1000 + r.value);
  std::sort(k.begin(), k.end());
  return k;
}

TEST(SpillBuffer, KeepsEveryRecordThroughSpillsAndMerges) {
  const std::string parent = ::testing::TempDir();
  // A budget of 4 records: most records go to disk.
  SpillBuffer<Rec> a(3, 4 * sizeof(Rec), parent), b(3, 4 * sizeof(Rec), parent);
  std::vector<uint64_t> want[3];
  for (uint32_t i = 0; i < 50; ++i) {
    SpillBuffer<Rec>& buf = i % 2 == 0 ? a : b;
    const uint64_t key = i * 7;
    buf.Add(key % 3, Rec{key, i});
    want[key % 3].push_back(key * 1000 + i);
  }
  EXPECT_GT(a.spilled_bytes(), 0u);
  a.MergeFrom(std::move(b));
  EXPECT_EQ(a.records(), 50u);
  for (size_t p = 0; p < 3; ++p) {
    auto got = a.Take(p);
    ASSERT_TRUE(got) << got.error().message;
    std::sort(want[p].begin(), want[p].end());
    EXPECT_EQ(Keys(*got), want[p]) << "partition " << p;
    auto again = a.Take(p);
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->empty());
  }
}

TEST(SpillBuffer, ReadKeepsTheRecordsTakeRemovesThem) {
  SpillBuffer<Rec> a(1, 2 * sizeof(Rec), ::testing::TempDir());
  for (uint32_t i = 0; i < 5; ++i) a.Add(0, Rec{i, i});  // spills three, keeps two in memory
  EXPECT_GT(a.spilled_bytes(), 0u);
  auto read = a.Read(0);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->size(), 5u);
  auto again = a.Read(0);
  ASSERT_TRUE(again);
  EXPECT_EQ(Keys(*again), Keys(*read));
  auto taken = a.Take(0);
  ASSERT_TRUE(taken);
  EXPECT_EQ(Keys(*taken), Keys(*read));
  auto empty = a.Take(0);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(SpillBuffer, RemovesItsDirectoryWhenDone) {
  const std::filesystem::path parent =
      std::filesystem::path(::testing::TempDir()) / "tsq-spill-test-parent";
  std::filesystem::create_directories(parent);
  {
    SpillBuffer<Rec> a(2, sizeof(Rec), parent.string());
    for (uint32_t i = 0; i < 10; ++i) a.Add(i % 2, Rec{i, i});
    EXPECT_FALSE(std::filesystem::is_empty(parent));
  }
  EXPECT_TRUE(std::filesystem::is_empty(parent));
  std::filesystem::remove(parent);
}

TEST(SpillBuffer, AFailedSpillIsAnErrorNamingThePlace) {
  SpillBuffer<Rec> a(2, sizeof(Rec), "/nonexistent-tsq-dir");
  a.Add(0, Rec{1, 1});  // within the budget: no spill yet
  try {
    a.Add(1, Rec{2, 2});
    FAIL() << "expected a spill failure";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::kIo);
    EXPECT_NE(e.error().message.find("/nonexistent-tsq-dir"), std::string::npos)
        << e.error().message;
  }
}

TEST(SpillBuffer, ACutShortFileIsRefused) {
  const std::string path = ::testing::TempDir() + "/tsq-cut-short.bin";
  const char bytes[5] = {1, 2, 3, 4, 5};
  ASSERT_TRUE(AppendToFile(path, bytes, sizeof(bytes)));
  auto size = RecordFileBytes(path, sizeof(Rec));
  ASSERT_FALSE(size);
  EXPECT_EQ(size.error().code, ErrorCode::kCorrupt);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace tsq
