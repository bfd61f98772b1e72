#include "core/string_dictionary.h"

#include <thread>

#include <gtest/gtest.h>

namespace tsq {
namespace {

TEST(StringDictionary, DenseIdsInFirstSeenOrder) {
  StringDictionary dict;
  EXPECT_EQ(dict.Intern("移动"), 0u);
  EXPECT_EQ(dict.Intern("联通"), 1u);
  EXPECT_EQ(dict.Intern("移动"), 0u);
  EXPECT_EQ(dict.Get(1), "联通");
  EXPECT_EQ(dict.Find("电信"), kMissingId);
  EXPECT_EQ(dict.size(), 2u);
}

TEST(StringDictionary, ConcurrentInternAgrees) {
  StringDictionary dict;
  std::vector<std::vector<uint32_t>> seen(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      DictionaryCache cache(&dict);
      for (int i = 0; i < 1000; ++i) seen[t].push_back(cache.Intern(std::to_string(i % 97)));
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(dict.size(), 97u);
  for (int t = 1; t < 4; ++t) EXPECT_EQ(seen[t], seen[0]);
  for (int i = 0; i < 97; ++i) EXPECT_EQ(dict.Get(seen[0][i]), std::to_string(i));
}

}  // namespace
}  // namespace tsq
