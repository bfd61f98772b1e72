#include "report/json_report.h"

#include <gtest/gtest.h>

#include "report/report_test_input.h"

namespace tsq {
namespace {

using Json = nlohmann::json;

TEST(JsonReport, ParsesAndHoldsTheWholeInput) {
  const ReportInput in = ComputedReport(Lang::kZh);
  const Json j = Json::parse(RenderJsonReport(in));
  EXPECT_EQ(j["kind"], "analysis");
  EXPECT_EQ(j["period"], "2022H2");
  EXPECT_EQ(j["from"], "2022-07-01T00:00:00+08:00");
  EXPECT_EQ(j["to"], "2023-01-01T00:00:00+08:00");
  EXPECT_EQ(j["as_of"], "2023-01-01T00:00:00+08:00");
  EXPECT_EQ(j["operators"], Json::array({"移动", "联通", "电信"}));
  ASSERT_EQ(j["indicators"].size(), in.current.size());
  // A judged rate per operator that missed: raw fraction, target, verdict and interval.
  const IndicatorValue* missed = nullptr;
  for (const IndicatorValue& v : in.current) {
    if (v.is_rate && v.verdict == Verdict::kMissed && v.group.dims.size() == 1 &&
        v.group.Find(Dim::kOperator)) {
      missed = &v;
      break;
    }
  }
  ASSERT_NE(missed, nullptr);
  bool found = false;
  for (const Json& v : j["indicators"]) {
    if (v["id"] != missed->id ||
        v["group"] != Json{{"operator", *missed->group.Find(Dim::kOperator)}}) {
      continue;
    }
    found = true;
    EXPECT_DOUBLE_EQ(v["value"].get<double>(), *missed->value);
    EXPECT_EQ(v["target"]["op"], missed->target->OpText());
    EXPECT_DOUBLE_EQ(v["target"]["value"].get<double>(), missed->target->value);
    EXPECT_EQ(v["verdict"], "missed");
    EXPECT_LE(v["ci"]["low"].get<double>(), v["value"].get<double>());
    EXPECT_GE(v["ci"]["high"].get<double>(), v["value"].get<double>());
    EXPECT_TRUE(v["ci"].contains("inconclusive"));
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(j["previous"]["period"], "2022H1");
  EXPECT_EQ(j["year_earlier"]["period"], "2021H2");
  EXPECT_FALSE(j["comparisons"].empty());
  EXPECT_TRUE(j["comparisons"][0].contains("previous_delta"));
  EXPECT_EQ(j["summary"].size(), 3u);
  EXPECT_EQ(j["summary"][2]["operator"], "电信");
  // Data quality: the planted bad rows, counted by reason per file; totals add up.
  const Json& dq = j["data_quality"];
  uint64_t quarantined = 0;
  for (const Json& f : dq["files"]) {
    quarantined += f["rows_quarantined"].get<uint64_t>();
    EXPECT_EQ(f["rows_read"].get<uint64_t>(),
              f["rows_accepted"].get<uint64_t>() + f["rows_quarantined"].get<uint64_t>());
  }
  EXPECT_GT(quarantined, 0u);
  EXPECT_EQ(dq["rows_quarantined"].get<uint64_t>(), quarantined);
  EXPECT_GT(dq["files"][0]["quarantined_by_reason"]["column_count"].get<int>(), 0);
  EXPECT_FALSE(j["definitions"].empty());
  EXPECT_EQ(j["traceability"]["catalog_hash"], in.catalog_hash);
  EXPECT_EQ(j["traceability"]["inputs"].size(), in.data_quality.files.size());
  EXPECT_EQ(j["traceability"]["inputs"][0]["sha256"].get<std::string>().size(), 64u);
}

TEST(JsonReport, ValueWithoutTargetOrInterval) {
  IndicatorValue v;
  v.id = "calls.attempts";
  v.value = 12;
  v.n = 12;
  const nlohmann::ordered_json j = IndicatorValueJson(v);
  EXPECT_EQ(j.dump(), R"({"id":"calls.attempts","group":{},"value":12.0,"n":12,"target":null,)"
                      R"("verdict":null,"ci":null})");
  v.value.reset();
  EXPECT_TRUE(IndicatorValueJson(v)["value"].is_null());
}

}  // namespace
}  // namespace tsq
