#include "report/json_report.h"

#include <gtest/gtest.h>

#include "report/report_fixture.h"

namespace tsq {
namespace {

using Json = nlohmann::json;

TEST(JsonReport, ParsesAndHoldsTheWholeInput) {
  const auto sample = MakeSampleReport(Lang::kZh);
  const Json j = Json::parse(RenderJsonReport(sample->input));
  EXPECT_EQ(j["kind"], "report");
  EXPECT_EQ(j["period"], "2022H2");
  EXPECT_EQ(j["from"], "2022-07-01T00:00:00+08:00");
  EXPECT_EQ(j["to"], "2023-01-01T00:00:00+08:00");
  EXPECT_EQ(j["as_of"], "2023-01-01T00:00:00+08:00");
  EXPECT_EQ(j["operators"], Json::array({"移动", "联通", "电信"}));
  ASSERT_EQ(j["indicators"].size(), sample->input.current.size());
  // A judged rate per operator: raw fraction, target, verdict and interval.
  bool found = false;
  for (const Json& v : j["indicators"]) {
    if (v["id"] != "calls.congestion_rate" || v["group"] != Json{{"operator", "电信"}}) continue;
    found = true;
    EXPECT_GT(v["value"].get<double>(), 0.02);
    EXPECT_LT(v["value"].get<double>(), 0.03);
    EXPECT_EQ(v["target"]["op"], "<=");
    EXPECT_DOUBLE_EQ(v["target"]["value"].get<double>(), 0.02);
    EXPECT_EQ(v["verdict"], "missed");
    EXPECT_LT(v["ci"]["low"].get<double>(), v["value"].get<double>());
    EXPECT_GT(v["ci"]["high"].get<double>(), v["value"].get<double>());
    EXPECT_TRUE(v["ci"].contains("inconclusive"));
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(j["previous"]["period"], "2022H1");
  EXPECT_EQ(j["year_earlier"]["period"], "2021H2");
  EXPECT_FALSE(j["comparisons"].empty());
  EXPECT_TRUE(j["comparisons"][0].contains("previous_delta"));
  EXPECT_EQ(j["summary"].size(), 3u);
  EXPECT_EQ(j["summary"][2]["operator"], "电信");
  EXPECT_GT(j["summary"][2]["missed"].get<int>(), 0);
  EXPECT_EQ(j["data_quality"]["files"][0]["quarantined_by_reason"]["column_count"], 200);
  EXPECT_EQ(j["data_quality"]["totals"]["rows_quarantined"], 285);
  EXPECT_FALSE(j["definitions"].empty());
  EXPECT_EQ(j["traceability"]["catalog_hash"], sample->input.catalog_hash);
  EXPECT_EQ(j["traceability"]["inputs"].size(), 7u);
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
