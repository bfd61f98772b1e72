#include "indicators/judge.h"

#include <gtest/gtest.h>

namespace tsq {
namespace {

constexpr std::string_view kCatalog = R"TOML(
[sections.network]
title_zh = "网络质量"
title_en = "Network quality"

[families.calls]
section = "network"
breakdowns = ["all", "operator"]

[families.porting]
section = "network"
breakdowns = ["all", "from_operator"]

[indicators."calls.connect_rate"]
name_zh = "网络接通率"
name_en = "Connection rate"
unit = "ratio"
polarity = "higher"
target = ">= 0.90"
basis = "regulation"
source_zh = "测试"
source_en = "test"
min_sample = 5

[indicators."calls.drop_rate"]
name_zh = "掉话率"
name_en = "Drop rate"
unit = "ratio"
polarity = "lower"
target = "<= 0.05"
basis = "regulation"
source_zh = "测试"
source_en = "test"

[indicators."calls.attempts"]
name_zh = "呼叫次数"
name_en = "Attempts"
unit = "count"
polarity = "none"

[indicators."porting.timely_rate"]
name_zh = "携号转网办理及时率"
name_en = "Porting timeliness"
unit = "ratio"
polarity = "higher"
target = ">= 0.95"
basis = "regulation"
source_zh = "测试"
source_en = "test"
)TOML";

IndicatorValue Rate(std::string id, uint64_t successes, uint64_t n, Group g = {}) {
  IndicatorValue v;
  v.id = std::move(id);
  v.group = std::move(g);
  v.is_rate = true;
  v.successes = successes;
  v.n = n;
  if (n > 0) v.value = static_cast<double>(successes) / static_cast<double>(n);
  return v;
}

Group Op(Dim d, std::string name) {
  Group g;
  g.dims.emplace_back(d, std::move(name));
  return g;
}

std::vector<IndicatorValue> Judged(std::vector<IndicatorValue> values,
                                   std::string_view override_text = {}) {
  auto c = Catalog::Parse(kCatalog, "test.toml");
  EXPECT_TRUE(c) << c.error().Debug();
  if (!override_text.empty()) {
    EXPECT_TRUE(c->Override(override_text, "my.toml"));
  }
  Judge(*c, &values);
  return values;
}

TEST(Judge, AtTheTargetIsMetAndTheIntervalStraddlingItIsInconclusive) {
  const auto v = Judged({Rate("calls.connect_rate", 90, 100),    // exactly 0.90: met
                         Rate("calls.connect_rate", 950, 1000),  // [0.9347, 0.9619]: clear
                         Rate("calls.connect_rate", 850, 1000),  // [0.8268, 0.8707]: clear miss
                         Rate("calls.connect_rate", 88, 100)});  // [0.8019, 0.9300]: unsure miss
  EXPECT_EQ(v[0].verdict, Verdict::kMet);
  EXPECT_TRUE(v[0].ci->inconclusive);  // 0.8256 < 0.90 < 0.9448
  EXPECT_EQ(v[1].verdict, Verdict::kMet);
  EXPECT_FALSE(v[1].ci->inconclusive);
  EXPECT_EQ(v[2].verdict, Verdict::kMissed);
  EXPECT_FALSE(v[2].ci->inconclusive);
  EXPECT_EQ(v[3].verdict, Verdict::kMissed);
  EXPECT_TRUE(v[3].ci->inconclusive);
}

TEST(Judge, ABoundThatTouchesTheTargetIsNotInconclusive) {
  // 0 of 10 dropped: the interval [0, 0.2775] has the target 0.05 strictly inside it, while a
  // target of 0 (a bound equal to the target) is not straddled.
  auto v = Judged({Rate("calls.drop_rate", 0, 10)});
  EXPECT_EQ(v[0].verdict, Verdict::kMet);
  EXPECT_TRUE(v[0].ci->inconclusive);
  v = Judged({Rate("calls.drop_rate", 0, 10)},
             "[indicators.\"calls.drop_rate\"]\ntarget = \"<= 0\"\n");
  EXPECT_EQ(v[0].verdict, Verdict::kMet);
  EXPECT_FALSE(v[0].ci->inconclusive);
}

TEST(Judge, InsufficientDataBelowTheMinimumSampleOrWithoutAValue) {
  const auto v = Judged({Rate("calls.connect_rate", 4, 4),    // n 4 < min_sample 5
                         Rate("calls.connect_rate", 5, 5),    // n 5 = min_sample
                         Rate("calls.connect_rate", 0, 0)});  // no value
  EXPECT_EQ(v[0].verdict, Verdict::kInsufficient);
  EXPECT_TRUE(v[0].ci.has_value());  // the interval is shown all the same
  EXPECT_EQ(v[1].verdict, Verdict::kMet);
  EXPECT_EQ(v[2].verdict, Verdict::kInsufficient);
  EXPECT_FALSE(v[2].ci.has_value());
}

TEST(Judge, FiguresWithoutATargetHaveNoVerdict) {
  IndicatorValue count;
  count.id = "calls.attempts";
  count.value = 12;
  count.n = 12;
  const auto v = Judged({count});
  EXPECT_EQ(v[0].verdict, Verdict::kNone);
  EXPECT_FALSE(v[0].target.has_value());
  EXPECT_FALSE(v[0].ci.has_value());
}

TEST(Judge, EachGroupGetsItsOperatorsTarget) {
  const auto v =
      Judged({Rate("calls.connect_rate", 93, 100),
              Rate("calls.connect_rate", 93, 100, Op(Dim::kOperator, "移动")),
              Rate("calls.connect_rate", 93, 100, Op(Dim::kOperator, "联通")),
              Rate("porting.timely_rate", 96, 100, Op(Dim::kFromOperator, "移动"))},
             "[operators.\"移动\".indicators.\"calls.connect_rate\"]\ntarget = \">= 0.95\"\n"
             "[operators.\"移动\".indicators.\"porting.timely_rate\"]\ntarget = \">= 0.99\"\n");
  EXPECT_EQ(v[0].target->value, 0.90);  // across operators: the indicator's own
  EXPECT_EQ(v[0].verdict, Verdict::kMet);
  EXPECT_EQ(v[1].target->value, 0.95);  // 移动's own, stricter: missed
  EXPECT_EQ(v[1].verdict, Verdict::kMissed);
  EXPECT_EQ(v[2].target->value, 0.90);
  EXPECT_EQ(v[2].verdict, Verdict::kMet);
  EXPECT_EQ(v[3].target->value, 0.99);  // porting is judged by the operator the number leaves
  EXPECT_EQ(v[3].verdict, Verdict::kMissed);
}

}  // namespace
}  // namespace tsq
