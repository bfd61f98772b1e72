#include "report/html_report.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "report/report_format.h"
#include "report/report_test_input.h"

namespace tsq {
namespace {

size_t Count(const std::string& s, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = s.find(needle); pos != std::string::npos; pos = s.find(needle, pos + 1)) ++n;
  return n;
}

// Every opened element of these kinds is closed, in order (a light structural check; the
// browser end-to-end test loads the page for real).
void ExpectBalanced(const std::string& html) {
  static const std::regex kTag(R"(<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>)");
  static const std::set<std::string> kChecked = {
      "html",   "head",  "body", "main",   "header",     "nav",  "section", "table",
      "thead",  "tbody", "tr",   "td",     "th",         "ul",   "ol",      "li",
      "p",      "span",  "div",  "figure", "figcaption", "svg",  "title",   "caption",
      "footer", "dl",    "h1",   "h2",     "h3",         "text", "circle",  "rect"};
  std::vector<std::string> stack;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), kTag); it != std::sregex_iterator();
       ++it) {
    const std::string name = (*it)[2];
    if (!kChecked.count(name) || (*it)[3] == "/") continue;
    if ((*it)[1] == "/") {
      ASSERT_FALSE(stack.empty()) << "</" << name << "> without an open element";
      ASSERT_EQ(stack.back(), name) << "</" << name << "> closes <" << stack.back() << ">";
      stack.pop_back();
    } else {
      stack.push_back(name);
    }
  }
  EXPECT_TRUE(stack.empty()) << "unclosed <" << (stack.empty() ? "" : stack.back()) << ">";
}

void ExpectSelfContained(const std::string& html) {
  static const std::regex kExternal(R"((src|href)\s*=\s*["']?\s*(https?:|//))", std::regex::icase);
  EXPECT_FALSE(std::regex_search(html, kExternal));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
}

TEST(HtmlReport, ChineseReportHasTheSeedsSections) {
  const ReportInput in = ComputedReport(Lang::kZh);
  const std::string html = RenderHtmlReport(in);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(html.find(R"(<html lang="zh-CN">)"), std::string::npos);
  EXPECT_NE(html.find("<title>吉林省2022年下半年电信服务质量分析报告</title>"), std::string::npos);
  EXPECT_NE(html.find("一、总体情况"), std::string::npos);
  // One chapter per operator, each with its table of main indicators.
  EXPECT_NE(html.find("二、未达标情况"), std::string::npos);
  EXPECT_NE(html.find("三、中国移动2022年下半年服务质量状况"), std::string::npos);
  EXPECT_NE(html.find("四、中国联通2022年下半年服务质量状况"), std::string::npos);
  EXPECT_NE(html.find("五、中国电信2022年下半年服务质量状况"), std::string::npos);
  EXPECT_GE(Count(html, "主要服务指标完成情况"), 4u);
  EXPECT_NE(html.find("<th>指标</th>"), std::string::npos);
  EXPECT_NE(html.find(">限值/目标</th>"), std::string::npos);
  EXPECT_NE(html.find(">95% 置信区间</th>"), std::string::npos);
  EXPECT_NE(html.find(">环比</th>"), std::string::npos);
  EXPECT_NE(html.find(">同比</th>"), std::string::npos);  // the appeals of a year earlier
  // Verdicts as coloured badges, the inconclusive mark, and a missed figure named in the summary
  // with its operator.
  EXPECT_NE(html.find(R"(<span class="v met">达标</span>)"), std::string::npos);
  EXPECT_NE(html.find(R"(<span class="v missed">未达标</span>)"), std::string::npos);
  EXPECT_NE(html.find(R"(class="inc")"), std::string::npos);
  const IndicatorValue* missed = FindValue(in, Verdict::kMissed, {Dim::kOperator});
  ASSERT_NE(missed, nullptr);
  const std::string op = *missed->group.Find(Dim::kOperator);
  EXPECT_NE(html.find(in.catalog->Label(op, "zh") + " · " +
                      in.catalog->DisplayName(missed->id, "zh", op)),
            std::string::npos);
  // Chapter rows come from the catalog's sections.
  EXPECT_NE(html.find("（一）移动电话业务"), std::string::npos);
  EXPECT_NE(html.find("网络质量"), std::string::npos);
  // Units and formats.
  EXPECT_NE(html.find("≥ 99%"), std::string::npos);
  EXPECT_NE(html.find(" 小时"), std::string::npos);
  EXPECT_NE(html.find("个百分点"), std::string::npos);
  // Appeals with the settlement rate the engine computed; charts.
  EXPECT_NE(html.find("用户申诉情况"), std::string::npos);
  const IndicatorValue* rate = nullptr;
  for (const IndicatorValue& v : in.current) {
    if (v.id == "appeals.settlement_rate" && v.group.empty()) rate = &v;
  }
  ASSERT_TRUE(rate != nullptr && rate->value);
  EXPECT_NE(html.find(fmt::format("和解率{:.2f}%", *rate->value * 100)), std::string::npos);
  EXPECT_NE(html.find("月度趋势"), std::string::npos);
  EXPECT_NE(html.find("分地区情况"), std::string::npos);
  EXPECT_GE(Count(html, "<svg"), 10u);
  EXPECT_NE(html.find("<polyline"), std::string::npos);
  // Appendices: data quality by reason, definitions with the conventions, traceability.
  EXPECT_NE(html.find("附录一 数据质量"), std::string::npos);
  EXPECT_NE(html.find("列数不符"), std::string::npos);
  EXPECT_NE(html.find("truth.json"), std::string::npos);  // an ignored file
  EXPECT_NE(html.find("附录二 指标定义与口径"), std::string::npos);
  EXPECT_NE(html.find("计为超时"), std::string::npos);
  EXPECT_NE(html.find("忙时"), std::string::npos);
  EXPECT_NE(html.find(report::HtmlEscape(in.catalog->DisplayFormula("calls.connect_rate", "zh"))),
            std::string::npos);
  EXPECT_NE(html.find("附录三 可追溯信息"), std::string::npos);
  EXPECT_NE(html.find(in.catalog_hash), std::string::npos);
  ASSERT_FALSE(in.data_quality.files.empty());
  for (const FileQuality& f : in.data_quality.files) {
    ASSERT_EQ(f.read.sha256.size(), 64u) << f.read.path;
    EXPECT_NE(html.find(f.read.sha256), std::string::npos) << f.read.path;
  }
  EXPECT_NE(html.find("2023-01-01T00:00:00+08:00"), std::string::npos);
  ExpectSelfContained(html);
  ExpectBalanced(html);
  EXPECT_NE(html.find("@page"), std::string::npos);
  EXPECT_NE(html.find("Noto Sans CJK SC"), std::string::npos);
}

TEST(HtmlReport, EnglishUsesEnglishLabelsAndCatalogNames) {
  const ReportInput in = ComputedReport(Lang::kEn);
  const std::string html = RenderHtmlReport(in);
  EXPECT_NE(html.find(R"(<html lang="en">)"), std::string::npos);
  EXPECT_NE(html.find("Telecom Service Quality Analysis, 2022 H2"), std::string::npos);
  EXPECT_NE(html.find("China Mobile: service quality, 2022 H2"), std::string::npos);
  EXPECT_NE(html.find("Main service indicators"), std::string::npos);
  EXPECT_NE(html.find("Network connection rate"), std::string::npos);
  EXPECT_NE(html.find(R"(<span class="v missed">missed</span>)"), std::string::npos);
  EXPECT_NE(html.find("Appendix A. Data quality"), std::string::npos);
  EXPECT_NE(html.find("wrong column count"), std::string::npos);
  EXPECT_EQ(html.find("达标"), std::string::npos);
  EXPECT_EQ(html.find("个百分点"), std::string::npos);
  ExpectSelfContained(html);
  ExpectBalanced(html);
}

TEST(HtmlReport, NoticePutsOperatorsSideBySide) {
  const ReportInput in = ComputedReport(Lang::kZh);
  ReportOptions options;
  options.kind = DocumentKind::kNotice;
  const std::string html = RenderHtmlReport(in, options);
  EXPECT_NE(html.find("<h1>2022年下半年吉林省电信服务质量通告</h1>"), std::string::npos);
  EXPECT_NE(html.find("《电信服务质量通告制度》"), std::string::npos);
  // One header row with a column per operator (and the province).
  const size_t header = html.find("<th>指标</th><th class=\"num\">限值/目标</th>");
  ASSERT_NE(header, std::string::npos);
  const std::string row = html.substr(header, html.find("</tr>", header) - header);
  for (const char* col : {"全省", "中国移动", "中国联通", "中国电信"}) {
    EXPECT_NE(row.find(std::string(">") + col + "</th>"), std::string::npos) << col;
  }
  EXPECT_NE(html.find("cell-missed"), std::string::npos);
  EXPECT_NE(html.find("cell-met"), std::string::npos);
  // Appeals per operator: accepted, settled, settlement rate, year on year, per category.
  EXPECT_NE(html.find(">受理（件）</th>"), std::string::npos);
  EXPECT_NE(html.find(">和解率</th>"), std::string::npos);
  EXPECT_NE(html.find(">各类别受理申诉件数<"), std::string::npos);
  EXPECT_NE(html.find("<td>携号转网</td>"), std::string::npos);
  for (const IndicatorValue& v : in.current) {
    if (v.id == "appeals.accepted_change_yoy" && v.group.empty() && v.value) {
      EXPECT_NE(html.find(fmt::format("{:+.2f}%", *v.value * 100)), std::string::npos);
    }
  }
  EXPECT_NE(html.find("按指标达标率由高到低："), std::string::npos);
  EXPECT_NE(html.find("受理申诉件数由少到多："), std::string::npos);
  // No per-operator chapters in a notice.
  EXPECT_EQ(html.find("二、中国移动2022年下半年服务质量状况"), std::string::npos);
  EXPECT_NE(html.find("二、各电信企业服务质量状况"), std::string::npos);
  EXPECT_NE(html.find("（一）中国移动2022年下半年服务质量状况"), std::string::npos);
  // A public notice carries no internal material: no intervals, hashes or appendices.
  EXPECT_EQ(html.find("置信区间"), std::string::npos);
  EXPECT_EQ(html.find(in.catalog_hash), std::string::npos);
  EXPECT_EQ(html.find("附录"), std::string::npos);
  ExpectSelfContained(html);
  ExpectBalanced(html);
}

TEST(HtmlReport, SectionsShowOnlyWhatWasComputed) {
  ReportInput in = ComputedReport(Lang::kZh);
  EXPECT_NE(RenderHtmlReport(in).find("用户申诉情况"), std::string::npos);
  // The findings of the generated speed tests, broadband tests and calls have their chapters.
  // Without the findings, their chapters go.
  EXPECT_NE(RenderHtmlReport(in).find(R"(id="cells")"), std::string::npos);
  EXPECT_NE(RenderHtmlReport(in).find(R"(id="broadband")"), std::string::npos);
  EXPECT_NE(RenderHtmlReport(in).find(R"(id="callers")"), std::string::npos);
  {
    ReportInput without = in;
    without.cells.reset();
    without.broadband.reset();
    without.callers.reset();
    const std::string html = RenderHtmlReport(without);
    EXPECT_EQ(html.find(R"(id="cells")"), std::string::npos);
    EXPECT_EQ(html.find(R"(id="broadband")"), std::string::npos);
    EXPECT_EQ(html.find(R"(id="callers")"), std::string::npos);
    EXPECT_EQ(html.find(R"(<svg class="map")"), std::string::npos);
  }
  std::erase_if(in.current, [](const IndicatorValue& v) { return v.id.starts_with("appeals."); });
  const std::string html = RenderHtmlReport(in);
  EXPECT_EQ(html.find("用户申诉情况"), std::string::npos);
  EXPECT_EQ(html.find("和解率"), std::string::npos);
}

TEST(HtmlReport, EmptyInputStillRendersTheAppendices) {
  auto catalog = Catalog::Default();
  ASSERT_TRUE(catalog);
  ReportInput in;
  auto period = ParsePeriod("2022-11", kChinaOffsetSeconds);
  ASSERT_TRUE(period);
  in.period = *period;
  in.as_of = period->to;
  in.catalog = &*catalog;
  in.province = "<b>省</b>";
  in.tsq_version = "0.1.0";
  const std::string html = RenderHtmlReport(in);
  EXPECT_NE(html.find("&lt;b&gt;省&lt;/b&gt;2022年11月电信服务质量分析报告"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("本期没有可判定的指标"), std::string::npos);
  EXPECT_EQ(html.find("月度趋势"), std::string::npos);
  EXPECT_NE(html.find("附录三 可追溯信息"), std::string::npos);
  ExpectBalanced(html);
}

TEST(HtmlReport, WritesAtomically) {
  const ReportInput in = ComputedReport(Lang::kZh);
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("tsq_html_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "report.html").string();
  ASSERT_TRUE(WriteHtmlReport(in, path));
  std::ifstream file(path);
  std::stringstream ss;
  ss << file.rdbuf();
  EXPECT_EQ(ss.str(), RenderHtmlReport(in));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
  EXPECT_FALSE(WriteHtmlReport(in, (dir / "missing" / "report.html").string()));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tsq
