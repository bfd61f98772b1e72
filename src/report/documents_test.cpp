// The three documents on what tsq computes from a generated province: every failure named in the
// analysis report, the operator's own report with its narrative slots, the public notice without
// internal material, and the sources of every target.
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "report/html_report.h"
#include "report/json_report.h"
#include "report/report_test_input.h"
#include "report/report_view.h"

namespace tsq {
namespace {

size_t Count(const std::string& s, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = s.find(needle); pos != std::string::npos; pos = s.find(needle, pos + 1)) ++n;
  return n;
}

// The HTML of one section, by its anchor.
std::string SectionHtml(const std::string& html, const std::string& anchor) {
  const size_t start = html.find("id=\"" + anchor + "\"");
  if (start == std::string::npos) return "";
  const size_t end = html.find("<section", start + 1);
  return html.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

IndicatorValue Missed(double value, TargetOp op, double target, bool is_rate) {
  IndicatorValue v;
  v.value = value;
  v.target = Target{op, target};
  v.is_rate = is_rate;
  v.verdict = Verdict::kMissed;
  return v;
}

TEST(Shortfall, RanksFiguresOfDifferentScalesTogether) {
  using report::ReportView;
  // A rate with a minimum: the share that failed against the share allowed to fail.
  // 94 % against >= 99 %: (0.99 - 0.94) / 0.01 = 5.
  EXPECT_NEAR(ReportView::Shortfall(Missed(0.94, TargetOp::kAtLeast, 0.99, true)), 5, 1e-9);
  // A rate with a maximum: relative to the maximum. 0.06 % against <= 0.01 %: 5.
  EXPECT_NEAR(ReportView::Shortfall(Missed(0.0006, TargetOp::kAtMost, 0.0001, true)), 5, 1e-9);
  // 2.71 % congestion against <= 2 %: 0.355.
  EXPECT_NEAR(ReportView::Shortfall(Missed(0.0271, TargetOp::kAtMost, 0.02, true)), 0.355, 1e-9);
  // A duration: relative to the limit. 37.5 s against <= 30 s: 0.25.
  EXPECT_NEAR(ReportView::Shortfall(Missed(37.5, TargetOp::kAtMost, 30, false)), 0.25, 1e-9);
  // A target of 0: the absolute distance.
  EXPECT_NEAR(ReportView::Shortfall(Missed(3, TargetOp::kAtMost, 0, false)), 3, 1e-9);
}

TEST(AnalysisReport, NamesEveryMissedVerdictAtEveryBreakdown) {
  const ReportInput in = ComputedReport(Lang::kZh);
  std::set<std::pair<std::string, std::string>> missed;
  std::set<Dim> dims;
  for (const IndicatorValue& v : in.current) {
    if (v.verdict != Verdict::kMissed) continue;
    missed.insert({v.id, v.group.ToString()});
    for (const auto& [d, value] : v.group.dims) dims.insert(d);
  }
  ASSERT_GT(missed.size(), 5u);
  EXPECT_TRUE(dims.contains(Dim::kRegion) && dims.contains(Dim::kMonth)) << "a richer province";
  // The JSON lists exactly the missed verdicts, furthest first.
  const nlohmann::json j = nlohmann::json::parse(RenderJsonReport(in));
  std::set<std::pair<std::string, std::string>> listed;
  double last = 1e300;
  for (const auto& f : j["failures"]) {
    Group g;
    for (int d = 0; d < kDimCount; ++d) {
      const char* name = DimName(static_cast<Dim>(d));
      if (f["group"].contains(name)) {
        g.dims.emplace_back(static_cast<Dim>(d), f["group"][name].get<std::string>());
      }
    }
    listed.insert({f["id"].get<std::string>(), g.ToString()});
    EXPECT_LE(f["shortfall"].get<double>(), last);
    last = f["shortfall"].get<double>();
  }
  EXPECT_EQ(listed, missed);
  // The HTML chapter has one row per missed verdict (plus the header row).
  const std::string html = RenderHtmlReport(in);
  const std::string failures = SectionHtml(html, "failures");
  ASSERT_FALSE(failures.empty());
  EXPECT_EQ(Count(failures, "<tr"), missed.size() + 1);
  EXPECT_NE(failures.find(std::to_string(missed.size()) + "项判定未达标"), std::string::npos);
  // The summary's count agrees with the chapter.
  EXPECT_NE(SectionHtml(html, "summary").find(std::to_string(missed.size()) + "项判定未达标"),
            std::string::npos);
}

TEST(AnalysisReport, SummaryListsProvinceWideMissesToo) {
  ReportInput in = ComputedReport(Lang::kZh);
  // Make a province-wide figure miss its target, as billing's error rate does in the demo.
  for (IndicatorValue& v : in.current) {
    if (v.id == "billing.error_rate" && v.group.empty()) v.verdict = Verdict::kMissed;
  }
  const std::string summary = SectionHtml(RenderHtmlReport(in), "summary");
  EXPECT_NE(summary.find("全省 · 计费差错率"), std::string::npos);
}

TEST(AnalysisReport, SaysOnceWhyAComparisonIsMissing) {
  const ReportInput in = ComputedReport(Lang::kZh);
  const std::string html = RenderHtmlReport(in);
  // The generated province has no calls of the previous half-year and no year-earlier data but
  // the appeals: the notes say so rather than leaving "—" unexplained.
  EXPECT_NE(html.find("同比栏“—”表示2021年下半年无该项数据"), std::string::npos);
  EXPECT_NE(html.find("环比栏“—”表示2022年上半年无该项数据"), std::string::npos);
}

TEST(AnalysisReport, ShowsFiguresWithoutTargetsThatOfficesPublish) {
  const std::string html = RenderHtmlReport(ComputedReport(Lang::kZh));
  const std::string topics = SectionHtml(html, "topics");
  ASSERT_FALSE(topics.empty());
  EXPECT_NE(topics.find("网络质量（分制式）"), std::string::npos);
  EXPECT_NE(topics.find("中国移动 · 5G"), std::string::npos);
  EXPECT_NE(topics.find("老年人一键呼入量"), std::string::npos);
  EXPECT_NE(topics.find("携号转网办理及时率"), std::string::npos);
  EXPECT_NE(topics.find("携号转网拒绝原因"), std::string::npos);
  // The porting timeliness rate is a headline figure of every operator table too.
  EXPECT_NE(SectionHtml(html, "operator-0").find("携号转网办理及时率"), std::string::npos);
}

TEST(AnalysisReport, TargetsSayWhereTheyComeFrom) {
  const std::string html = RenderHtmlReport(ComputedReport(Lang::kZh));
  // A regulatory limit plain, a tool default marked, and the mark explained.
  EXPECT_NE(html.find(">≥ 90%<"), std::string::npos);
  EXPECT_NE(html.find("≥ 99%（默认）"), std::string::npos);
  EXPECT_NE(html.find("限值/目标注“默认”的为本工具默认值"), std::string::npos);
  // The definitions cite the rule or say it is a default; no figure of another year's document.
  const std::string definitions = SectionHtml(html, "definitions");
  EXPECT_NE(definitions.find("监管规定：《第三代移动通信业务服务规范（试行）》"),
            std::string::npos);
  EXPECT_NE(definitions.find("本工具默认值：未查到"), std::string::npos);
  EXPECT_EQ(definitions.find("本工具默认值：本工具默认值"), std::string::npos);  // said once
  // Every parameter in its own unit: hours, a share, a rate.
  EXPECT_NE(definitions.find("时限与判定参数"), std::string::npos);
  EXPECT_NE(definitions.find("24.00 小时"), std::string::npos);
  EXPECT_NE(definitions.find(">90%<"), std::string::npos);
  EXPECT_NE(definitions.find(">100 Mbps<"), std::string::npos);
  EXPECT_EQ(definitions.find("0.90 小时"), std::string::npos);
  EXPECT_EQ(html.find("5567"), std::string::npos);
  EXPECT_EQ(html.find("project default"), std::string::npos);
}

ReportOptions Company(Narrative narrative = {}) {
  ReportOptions o;
  o.kind = DocumentKind::kCompany;
  o.operator_name = "移动";
  o.company = "中国移动通信集团吉林有限公司";
  o.narrative = std::move(narrative);
  return o;
}

TEST(CompanyReport, NarrativeSlotsInPlaceAndComputedFigures) {
  auto narrative = ParseNarrative(
      "## 公司简介\n中国移动吉林公司是中国移动在吉林省设立的全资子公司。\n"
      "## 电信服务质量状况\n### （一）做优做强网络质量\n持续提升5G网络覆盖。\n"
      "## 资费调整\n- 下调家庭宽带资费\n",
      "n.md", false);
  ASSERT_TRUE(narrative) << narrative.error().Debug();
  const ReportInput in = ComputedReport(Lang::kZh);
  const std::string html = RenderHtmlReport(in, Company(*narrative));
  EXPECT_NE(
      html.find("<title>中国移动通信集团吉林有限公司2022年下半年电信服务质量状况报告</title>"),
      std::string::npos);
  const size_t profile = html.find("一、公司简介");
  const size_t quality = html.find("二、电信服务质量状况");
  const size_t indicators = html.find("三、主要服务指标完成情况");
  const size_t tariffs = html.find("四、资费调整");
  const size_t statement = html.find("企业声明：本报告内容客观、真实、准确。");
  ASSERT_NE(profile, std::string::npos);
  EXPECT_LT(profile, quality);
  EXPECT_LT(quality, indicators);
  EXPECT_LT(indicators, tariffs);
  EXPECT_LT(tariffs, statement);
  EXPECT_NE(html.find("（一）做优做强网络质量"), std::string::npos);
  EXPECT_NE(html.find("下调家庭宽带资费"), std::string::npos);
  // Slots the narrative leaves empty are left out, never filled in.
  EXPECT_EQ(html.find("重要事项"), std::string::npos);
  EXPECT_EQ(html.find("应急通信保障"), std::string::npos);
  // Only this operator's figures, limit beside achieved; no internal material.
  EXPECT_NE(html.find("<td>5G</td>"), std::string::npos);
  EXPECT_EQ(html.find("中国联通"), std::string::npos);
  EXPECT_EQ(html.find("置信区间"), std::string::npos);
  EXPECT_EQ(html.find("附录"), std::string::npos);
  EXPECT_EQ(html.find(in.catalog_hash), std::string::npos);
  EXPECT_NE(html.find(">限值/目标</th>"), std::string::npos);
}

TEST(CompanyReport, WithoutNarrativeTheFiguresComeFirst) {
  const std::string html = RenderHtmlReport(ComputedReport(Lang::kZh), Company());
  EXPECT_NE(html.find("一、主要服务指标完成情况"), std::string::npos);
  EXPECT_EQ(html.find("公司简介"), std::string::npos);
  EXPECT_NE(html.find("中国移动通信集团吉林有限公司</p>"), std::string::npos);
}

TEST(CompanyReport, AppendixAddsTheInternalMaterial) {
  ReportOptions o = Company();
  o.appendix = true;
  const ReportInput in = ComputedReport(Lang::kZh);
  const std::string html = RenderHtmlReport(in, o);
  EXPECT_NE(html.find("附录一 数据质量"), std::string::npos);
  EXPECT_NE(html.find("95% 置信区间"), std::string::npos);
  EXPECT_NE(html.find(in.catalog_hash), std::string::npos);
}

TEST(Notice, ReadsLikeTheRegulatorsNotice) {
  ReportOptions o;
  o.kind = DocumentKind::kNotice;
  const ReportInput in = ComputedReport(Lang::kZh);
  const std::string html = RenderHtmlReport(in, o);
  EXPECT_NE(html.find("一、全省电信服务总体情况概要"), std::string::npos);
  EXPECT_NE(html.find("（一）服务质量总体稳定"), std::string::npos);
  // The generated province has subscriber counts: the user base comes before the appeals.
  EXPECT_NE(html.find("（二）用户规模"), std::string::npos);
  EXPECT_NE(html.find("截至2022年12月末，吉林省电话用户总数"), std::string::npos);
  EXPECT_NE(html.find("（三）申诉渠道畅通，电信用户合法权益切实得到保障"), std::string::npos);
  EXPECT_NE(html.find("基础电信企业用户申诉分类统计表"), std::string::npos);
  EXPECT_NE(html.find("比上半年增减"), std::string::npos);
  EXPECT_NE(html.find("（四）各企业服务质量比较"), std::string::npos);
  EXPECT_NE(html.find("二、各电信企业服务质量状况"), std::string::npos);
  // Chinese number style in running text: no thousands separators, large counts in 万.
  double accepted = 0;
  for (const IndicatorValue& v : in.current) {
    if (v.id == "appeals.accepted" && v.group.empty()) accepted = *v.value;
  }
  EXPECT_NE(html.find(fmt::format("受理用户申诉{}件", accepted)), std::string::npos);
  // No internal material without --appendix.
  EXPECT_EQ(html.find("附录"), std::string::npos);
  EXPECT_EQ(html.find("不确定"), std::string::npos);
  EXPECT_EQ(html.find(in.catalog_hash), std::string::npos);
  o.appendix = true;
  EXPECT_NE(RenderHtmlReport(in, o).find("附录三 可追溯信息"), std::string::npos);
}

}  // namespace
}  // namespace tsq
