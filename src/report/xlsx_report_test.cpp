#include "report/xlsx_report.h"

#include <cstdio>
#include <filesystem>
#include <regex>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "report/report_test_input.h"

namespace tsq {
namespace {

namespace fs = std::filesystem;

// Output of a command, or nullopt when it cannot run.
std::optional<std::string> Capture(const std::string& command) {
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return std::nullopt;
  std::string out;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  if (::pclose(p) != 0) return std::nullopt;
  return out;
}

class XlsxReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Capture("unzip -v >/dev/null 2>&1")) GTEST_SKIP() << "unzip is not installed";
    dir_ = fs::temp_directory_path() / ("tsq_xlsx_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  std::string Member(const std::string& xlsx, const std::string& member) {
    return Capture("unzip -p '" + xlsx + "' '" + member + "'").value_or("");
  }
  fs::path dir_;
};

TEST_F(XlsxReportTest, OneSheetPerSectionWithNumbersAsNumbers) {
  const ReportInput in = ComputedReport(Lang::kZh);
  const std::string path = (dir_ / "report.xlsx").string();
  ASSERT_TRUE(WriteXlsxReport(in, path));
  // Only the workbook: the temporary file was renamed into place.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), {}), 1);
  const std::string listing = Capture("unzip -l '" + path + "'").value_or("");
  EXPECT_NE(listing.find("xl/workbook.xml"), std::string::npos);
  EXPECT_NE(listing.find("xl/worksheets/sheet1.xml"), std::string::npos);
  EXPECT_NE(listing.find("xl/charts/chart1.xml"), std::string::npos);
  const std::string workbook = Member(path, "xl/workbook.xml");
  std::vector<std::string> sheets;
  static const std::regex kSheet(R"re(<sheet name="([^"]+)")re");
  for (auto it = std::sregex_iterator(workbook.begin(), workbook.end(), kSheet);
       it != std::sregex_iterator(); ++it) {
    sheets.push_back((*it)[1]);
  }
  const std::vector<std::string> expected = {"概要",     "未达标",       "中国移动", "中国联通",
                                             "中国电信", "申诉",         "专项情况", "质差小区",
                                             "宽带速率", "疑似骚扰号码", "月度趋势", "分地区",
                                             "全部数值", "数据质量",     "指标定义", "可追溯性"};
  EXPECT_EQ(sheets, expected);

  // The summary sheet: frozen header row and an autofilter over its table.
  const std::string summary = Member(path, "xl/worksheets/sheet1.xml");
  EXPECT_NE(summary.find(R"(state="frozen")"), std::string::npos);
  EXPECT_NE(summary.find("<autoFilter"), std::string::npos);

  // "All values" (sheet 13): the province's settled appeals are a number cell, not text.
  double settled = -1;
  for (const IndicatorValue& v : in.current) {
    if (v.id == "appeals.settled" && v.group.empty()) settled = *v.value;
  }
  ASSERT_GT(settled, 0);
  const std::string values = Member(path, "xl/worksheets/sheet13.xml");
  const std::regex number_cell(
      fmt::format(R"(<c r="[A-Z]+[0-9]+" s="[0-9]+"><v>{}</v></c>)", settled));
  EXPECT_TRUE(std::regex_search(values, number_cell));
  EXPECT_NE(values.find("<autoFilter"), std::string::npos);
  // Rates carry a percent format with two decimals.
  const std::string styles = Member(path, "xl/styles.xml");
  EXPECT_NE(styles.find(R"(formatCode="0.00%")"), std::string::npos);
  EXPECT_NE(styles.find("小时"), std::string::npos);
  // Properties: the creation time is the as-of time, so the same input gives the same workbook.
  const std::string core = Member(path, "docProps/core.xml");
  EXPECT_NE(core.find("2022-12-31T16:00:00Z"), std::string::npos);
}

TEST_F(XlsxReportTest, SameInputSameBytes) {
  const ReportInput in = ComputedReport(Lang::kZh);
  const std::string a = (dir_ / "a.xlsx").string();
  const std::string b = (dir_ / "b.xlsx").string();
  ASSERT_TRUE(WriteXlsxReport(in, a));
  ASSERT_TRUE(WriteXlsxReport(in, b));
  EXPECT_EQ(Capture("cmp '" + a + "' '" + b + "' && echo same"), "same\n");
}

TEST_F(XlsxReportTest, NoticeAndFailures) {
  const ReportInput in = ComputedReport(Lang::kEn);
  ReportOptions options;
  options.kind = DocumentKind::kNotice;
  const std::string path = (dir_ / "notice.xlsx").string();
  ASSERT_TRUE(WriteXlsxReport(in, path, options));
  const std::string workbook = Member(path, "xl/workbook.xml");
  EXPECT_NE(workbook.find(R"(<sheet name="Overview")"), std::string::npos);
  EXPECT_NE(workbook.find(R"(<sheet name="Operators")"), std::string::npos);
  EXPECT_NE(workbook.find(R"(<sheet name="All values")"), std::string::npos);
  // A directory that does not exist: an error and nothing left behind.
  const Status s = WriteXlsxReport(in, (dir_ / "missing" / "x.xlsx").string());
  EXPECT_FALSE(s);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), {}), 1);
}

}  // namespace
}  // namespace tsq
