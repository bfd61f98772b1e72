#include "engine/family.h"

#include <gtest/gtest.h>

namespace tsq {
namespace {

struct Count {
  uint64_t n = 0;
  void Merge(const Count& o) { n += o.n; }
};

TEST(KeyedStates, GrowsAndMergesByKey) {
  KeyedStates<Count> a, b;
  for (uint32_t i = 0; i < 1000; ++i) {
    BaseKey k;
    k.dims[0] = i % 7;
    k.bucket = static_cast<int32_t>(i % 3);
    ++a.At(k).n;
    ++b.At(k).n;
  }
  EXPECT_EQ(a.size(), 21u);
  a.Merge(b);
  uint64_t total = 0;
  for (size_t i = 0; i < a.size(); ++i) total += a.state(i).n;
  EXPECT_EQ(total, 2000u);
}

TEST(RollUp, EveryBreakdownLeavesMissingCodesOutOfThatBreakdownOnly) {
  StringDictionary dict;
  const uint32_t cm = dict.Intern("移动");
  const uint32_t cu = dict.Intern("联通");
  const uint32_t cc = dict.Intern("长春");
  Layout layout;
  layout.dims = {{Dim::kOperator, Coding::kDictId},
                 {Dim::kRegion, Coding::kDictId},
                 {Dim::kMonth, Coding::kMonthKey}};
  layout.breakdowns = {{}, {0}, {1}, {0, 2}};
  KeyedStates<Count> base;
  const auto add = [&](uint32_t op, uint32_t region, int32_t month, uint32_t slot, uint64_t n) {
    BaseKey k;
    k.dims[0] = op;
    k.dims[1] = region;
    k.dims[2] = static_cast<uint32_t>(month);
    k.bucket = month;
    k.slot = slot;
    base.At(k).n += n;
  };
  const int32_t nov = 2022 * 12 + 10, dec = 2022 * 12 + 11;
  add(cm, cc, nov, 0, 2);
  add(cm, kMissingId, dec, 0, 3);
  add(cu, cc, dec, 0, 5);
  add(cu, cc, dec, 1, 100);  // another period slot: never mixed in
  auto groups = RollUp(base, layout, 0, dict);
  std::map<std::string, std::pair<uint64_t, size_t>> by;
  for (const auto& g : groups) by[g.group.ToString()] = {g.Total().n, g.buckets.size()};
  EXPECT_EQ(by[""], (std::pair<uint64_t, size_t>{10, 2}));  // buckets: Nov, Dec
  EXPECT_EQ(by["operator=移动"].first, 5u);
  EXPECT_EQ(by["operator=联通"].first, 5u);
  EXPECT_EQ(by["region=长春"].first, 7u);  // the row without a region is left out here only
  EXPECT_EQ(by["operator=移动,month=2022-12"].first, 3u);
  EXPECT_EQ(by.count("region=?"), 0u);
  EXPECT_EQ(groups.size(), 1u + 2 + 1 + 3);
}

TEST(CodeText, FormatsEachCoding) {
  StringDictionary dict;
  EXPECT_EQ(CodeText({Dim::kPlan, Coding::kCentis}, 30000, dict), "300");
  EXPECT_EQ(CodeText({Dim::kPlan, Coding::kCentis}, 12550, dict), "125.5");
  EXPECT_EQ(CodeText({Dim::kMonth, Coding::kMonthKey}, 2022 * 12 + 6, dict), "2022-07");
}

}  // namespace
}  // namespace tsq
