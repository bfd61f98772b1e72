#include "indicators/catalog.h"

#include <gtest/gtest.h>

namespace tsq {
namespace {

// A small catalog of its own, so these tests do not move when the defaults are tuned.
constexpr std::string_view kBase = R"TOML(
[sections.network]
order = 1
title_zh = "网络质量"
title_en = "Network quality"

[sections.mobile]
order = 0
title_zh = "移动电话业务"
title_en = "Mobile service"

[families.calls]
section = "network"
breakdowns = ["all", "operator", "operator × month"]

[families.orders]
section = "{1}"
breakdowns = ["all", "operator"]

[params]
"hotline.answer_within_s" = 15
"orders.mobile.repair.max_hours" = 48

[labels]
mobile = ["移动电话", "mobile"]
repair = ["障碍修复", "fault repair"]

[indicators."calls.drop_rate"]
name_zh = "掉话率"
name_en = "Call drop rate"
unit = "ratio"
polarity = "lower"
target = "<= 0.05"
basis = "regulation"
source_zh = "测试"
source_en = "test"

[indicators."calls.attempts"]
name_zh = "呼叫次数"
name_en = "Call attempts"
unit = "count"
polarity = "none"
breakdowns = ["all"]

[indicators."calls.busy_hour_attempts"]
name_zh = "忙时呼叫次数"
name_en = "Busy-hour attempts"
unit = "count"
polarity = "none"
additive = false

[indicators."orders.*.*.timely_rate"]
name_zh = "{1}{2}及时率"
name_en = "{1} {2} timeliness rate"
unit = "ratio"
polarity = "higher"
target = ">= 0.99"
basis = "regulation"
source_zh = "测试"
source_en = "test"

[indicators."orders.mobile.repair.timely_rate"]
name_zh = "{1}{2}及时率"
name_en = "{1} {2} timeliness rate"
unit = "ratio"
polarity = "higher"
target = ">= 0.95"
basis = "regulation"
source_zh = "测试"
source_en = "test"

[indicators."hotline.answered_within_15s_rate"]
name_zh = "{param:hotline.answer_within_s}秒人工应答率"
name_en = "Human answer within {param:hotline.answer_within_s} s rate"
unit = "ratio"
polarity = "higher"
section = "network"
breakdowns = ["all", "operator"]
)TOML";

const std::vector<std::string> kKnownIds = {"calls.drop_rate",
                                            "calls.attempts",
                                            "calls.busy_hour_attempts",
                                            "orders.mobile.repair.timely_rate",
                                            "orders.mobile.change.timely_rate",
                                            "orders.fixed.repair.timely_rate",
                                            "hotline.answered_within_15s_rate"};

Catalog Base() {
  auto c = Catalog::Parse(kBase, "base.toml");
  EXPECT_TRUE(c) << c.error().Debug();
  return std::move(*c);
}

// The error message of applying `text` as a user's file, or "" when it applies.
std::string OverrideError(std::string_view text) {
  Catalog c = Base();
  Status s = c.Override(text, "my.toml", &kKnownIds);
  return s ? "" : s.error().message;
}

TEST(Catalog, FamiliesGiveSectionsAndBreakdownsToTheirIds) {
  const Catalog c = Base();
  ASSERT_NE(c.Find("calls.drop_rate"), nullptr);
  EXPECT_EQ(c.Find("calls.drop_rate")->section, "network");
  ASSERT_EQ(c.Find("calls.drop_rate")->breakdowns.size(), 3u);
  EXPECT_EQ(BreakdownName(c.Find("calls.drop_rate")->breakdowns[2]), "operator × month");
  // An id's own list wins over its family's.
  EXPECT_EQ(c.Find("calls.attempts")->breakdowns, std::vector<Breakdown>{Breakdown{}});
  // "{1}": the section named by the id's first segment after the family.
  ASSERT_NE(c.SectionOf("orders.mobile.change.timely_rate"), nullptr);
  EXPECT_EQ(c.SectionOf("orders.mobile.change.timely_rate")->title_zh, "移动电话业务");
  EXPECT_EQ(c.SectionOf("orders.fixed.change.timely_rate"), nullptr);  // no such section
}

TEST(Catalog, CountsAreAdditiveUnlessMarked) {
  const Catalog c = Base();
  EXPECT_TRUE(c.Find("calls.attempts")->additive);
  EXPECT_FALSE(c.Find("calls.busy_hour_attempts")->additive);
  EXPECT_FALSE(c.Find("calls.drop_rate")->additive);
}

TEST(Catalog, ExactEntryBeatsPatternAndFewerWildcardsWin) {
  const Catalog c = Base();
  EXPECT_EQ(c.Find("orders.mobile.repair.timely_rate")->id, "orders.mobile.repair.timely_rate");
  EXPECT_EQ(c.Find("orders.fixed.repair.timely_rate")->id, "orders.*.*.timely_rate");
  EXPECT_EQ(c.Find("calls.nothing"), nullptr);
  EXPECT_EQ(c.TargetFor("orders.mobile.repair.timely_rate", "")->value, 0.95);
  EXPECT_EQ(c.TargetFor("orders.fixed.repair.timely_rate", "")->value, 0.99);
}

TEST(Catalog, OverridePrecedenceDefaultThenIndicatorThenOperator) {
  Catalog c = Base();
  ASSERT_TRUE(c.Override(R"TOML(
[indicators."calls.drop_rate"]
target = "<= 0.02"
min_sample = 100

[operators."联通".indicators."calls.drop_rate"]
target = "<= 0.01"
min_sample = 500

[operators."电信".indicators."orders.*.*.timely_rate"]
target = ">= 0.90"
[operators."电信".indicators."orders.mobile.repair.timely_rate"]
target = ">= 0.80"
min_sample = 7
)TOML",
                         "my.toml", &kKnownIds));
  // Default < per indicator.
  EXPECT_EQ(c.TargetFor("calls.drop_rate", "")->value, 0.02);
  EXPECT_EQ(c.TargetFor("calls.drop_rate", "移动")->value, 0.02);
  EXPECT_EQ(c.MinSampleFor("calls.drop_rate", "移动"), 100u);
  // < per operator.
  EXPECT_EQ(c.TargetFor("calls.drop_rate", "联通")->value, 0.01);
  EXPECT_EQ(c.MinSampleFor("calls.drop_rate", "联通"), 500u);
  // Per operator, an exact id beats a pattern, and a pattern beats the indicator's own target.
  EXPECT_EQ(c.TargetFor("orders.mobile.repair.timely_rate", "电信")->value, 0.80);
  EXPECT_EQ(c.MinSampleFor("orders.mobile.repair.timely_rate", "电信"), 7u);
  EXPECT_EQ(c.TargetFor("orders.fixed.repair.timely_rate", "电信")->value, 0.90);
  EXPECT_EQ(c.MinSampleFor("orders.fixed.repair.timely_rate", "电信"), 1u);
  EXPECT_EQ(c.OperatorNames(), (std::vector<std::string>{"电信", "联通"}));
}

TEST(Catalog, ParametersPerOperator) {
  Catalog c = Base();
  ASSERT_TRUE(c.Override(R"TOML(
[params]
"orders.mobile.repair.max_hours" = 36
[operators."移动".params]
"orders.mobile.repair.max_hours" = 24
"hotline.answer_within_s" = 20
)TOML",
                         "my.toml", &kKnownIds));
  EXPECT_EQ(c.Param("orders.mobile.repair.max_hours"), 36);
  EXPECT_EQ(c.Param("orders.mobile.repair.max_hours", "联通"), 36);
  EXPECT_EQ(c.Param("orders.mobile.repair.max_hours", "移动"), 24);
  EXPECT_EQ(c.Param("nothing"), std::nullopt);
}

TEST(Catalog, NamesFollowSegmentsAndParameters) {
  Catalog c = Base();
  EXPECT_EQ(c.DisplayName("orders.mobile.repair.timely_rate", "zh"), "移动电话障碍修复及时率");
  EXPECT_EQ(c.DisplayName("orders.mobile.repair.timely_rate", "en"),
            "mobile fault repair timeliness rate");
  EXPECT_EQ(c.DisplayName("hotline.answered_within_15s_rate", "zh"), "15秒人工应答率");
  ASSERT_TRUE(c.Override("[operators.\"联通\".params]\n\"hotline.answer_within_s\" = 20\n",
                         "my.toml", &kKnownIds));
  // The label follows the limit: the operator's own, and every limit in use across operators.
  EXPECT_EQ(c.DisplayName("hotline.answered_within_15s_rate", "zh", "联通"), "20秒人工应答率");
  EXPECT_EQ(c.DisplayName("hotline.answered_within_15s_rate", "zh", "移动"), "15秒人工应答率");
  EXPECT_EQ(c.DisplayName("hotline.answered_within_15s_rate", "en"),
            "Human answer within 15/20 s rate");
  EXPECT_EQ(c.DisplayName("calls.unknown", "zh"), "calls.unknown");
}

TEST(Catalog, UnknownIdsParametersAndKeysAreErrorsWithFileLineAndKey) {
  EXPECT_EQ(OverrideError("\n[indicators.\"calls.drop_rat\"]\ntarget = \"<= 0.01\"\n"),
            "my.toml:2: indicators.\"calls.drop_rat\": no such indicator; did you mean "
            "calls.drop_rate?");
  // A specific id under a pattern must be one tsq can produce.
  EXPECT_NE(
      OverrideError("[indicators.\"orders.mobile.repiar.timely_rate\"]\ntarget = \">= 0.9\"\n")
          .find("my.toml:1: indicators.\"orders.mobile.repiar.timely_rate\": no such "
                "indicator; did you mean orders.mobile.repair.timely_rate"),
      std::string::npos);
  EXPECT_EQ(OverrideError("[params]\n\"orders.mobile.repair.max_hour\" = 24\n"),
            "my.toml:2: params.\"orders.mobile.repair.max_hour\": no such parameter; did you "
            "mean orders.mobile.repair.max_hours?");
  EXPECT_EQ(OverrideError("[indicators.\"calls.drop_rate\"]\ntraget = \"<= 0.01\"\n"),
            "my.toml:2: indicators.\"calls.drop_rate\".traget: unknown key (keys here: name_zh, "
            "name_en, formula_zh, formula_en, target, source_zh, source_en, min_sample, section, "
            "headline); did you mean target?");
  EXPECT_EQ(
      OverrideError("[operators.\"移动\".indicator.\"calls.drop_rate\"]\ntarget = \"<= 1\"\n"),
      "my.toml:1: operators.\"移动\".indicator: unknown key (keys here: params, "
      "indicators); did you mean indicators?");
  EXPECT_EQ(OverrideError("[parms]\nx = 1\n"),
            "my.toml:1: parms: unknown section [parms]; a catalog has [params], [labels], "
            "[sections.KEY], [indicators.\"ID\"] and [operators.\"NAME\"]");
  EXPECT_EQ(OverrideError("[operators.\"移动\".indicators.\"calls.drop\"]\ntarget = \"<= 1\"\n"),
            "my.toml:1: operators.\"移动\".indicators.\"calls.drop\": no such indicator; did you "
            "mean calls.drop_rate?");
}

TEST(Catalog, WrongTypesAndValuesOutOfRangeAreErrors) {
  EXPECT_EQ(OverrideError("[indicators.\"calls.drop_rate\"]\nmin_sample = -5\n"),
            "my.toml:2: indicators.\"calls.drop_rate\".min_sample: must be a non-negative "
            "integer");
  EXPECT_EQ(OverrideError("[operators.\"移动\".indicators.\"calls.drop_rate\"]\nmin_sample = -1\n"),
            "my.toml:2: operators.\"移动\".indicators.\"calls.drop_rate\".min_sample: must be a "
            "non-negative integer");
  EXPECT_EQ(OverrideError("[indicators.\"calls.drop_rate\"]\ntarget = 0.01\n"),
            "my.toml:2: indicators.\"calls.drop_rate\".target: must be a string");
  EXPECT_EQ(OverrideError("[indicators.\"calls.drop_rate\"]\ntarget = \"< 0.01\"\n"),
            "my.toml:2: indicators.\"calls.drop_rate\".target: target '< 0.01' must look like "
            "\">= 0.99\" or \"<= 30\"");
  EXPECT_EQ(OverrideError("[indicators.\"calls.drop_rate\"]\ntarget = \"<= 5\"\n"),
            "my.toml:2: indicators.\"calls.drop_rate\".target: a rate's target is a fraction "
            "between 0 and 1 (write 0.99, not 99)");
  EXPECT_EQ(OverrideError("[params]\n\"hotline.answer_within_s\" = -3\n"),
            "my.toml:2: params.\"hotline.answer_within_s\": must not be negative");
  EXPECT_EQ(OverrideError("[params]\n\"hotline.answer_within_s\" = \"15\"\n"),
            "my.toml:2: params.\"hotline.answer_within_s\": must be a number");
  EXPECT_EQ(OverrideError("[indicators.\"calls.drop_rate\"]\nunit = \"count\"\n"),
            "my.toml:2: indicators.\"calls.drop_rate\".unit: unknown key (keys here: name_zh, "
            "name_en, formula_zh, formula_en, target, source_zh, source_en, min_sample, section, "
            "headline)");
  EXPECT_EQ(OverrideError("[families.calls]\nsection = \"network\"\n"),
            "my.toml:1: families.calls: families describe what tsq computes (sections, "
            "breakdowns) and cannot be overridden");
  EXPECT_EQ(OverrideError("[labels]\nmobile = \"移动\"\n"),
            "my.toml:2: labels.mobile: must be [\"中文\", \"English\"]");
  EXPECT_NE(OverrideError("[indicators.\"calls.drop_rate\"\n").find("my.toml:1:"),
            std::string::npos);
  // A negative time limit is allowed: it removes the limit.
  EXPECT_EQ(OverrideError("[params]\n\"orders.mobile.repair.max_hours\" = -1\n"), "");
}

TEST(Catalog, AFileWithAnErrorChangesNothing) {
  Catalog c = Base();
  const std::string hash = c.Hash();
  EXPECT_FALSE(
      c.Override("[indicators.\"calls.drop_rate\"]\ntarget = \"<= 0.01\"\n"
                 "[indicators.\"calls.nope\"]\ntarget = \"<= 0.01\"\n",
                 "my.toml", &kKnownIds));
  EXPECT_EQ(c.TargetFor("calls.drop_rate", "")->value, 0.05);
  EXPECT_EQ(c.Hash(), hash);
}

TEST(Catalog, BaseEntriesMustBeComplete) {
  auto c = Catalog::Parse("[indicators.\"x.y\"]\nname_zh = \"y\"\nname_en = \"y\"\n", "t.toml");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, "t.toml: indicators.\"x.y\" has no unit");
}

TEST(Catalog, TheBuiltInCatalogParses) {
  auto c = Catalog::Default();
  ASSERT_TRUE(c) << c.error().Debug();
  EXPECT_FALSE(c->defs().empty());
  EXPECT_EQ(c->Label("", "zh"), "未注明");
}

}  // namespace
}  // namespace tsq
