#include "report/markdown_report.h"

#include <sstream>

#include <gtest/gtest.h>

#include "report/report_test_input.h"

namespace tsq {
namespace {

// Cells of a Markdown table row: splits on '|' that are not escaped.
size_t CountCells(const std::string& line) {
  size_t pipes = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\') {
      ++i;
    } else if (line[i] == '|') {
      ++pipes;
    }
  }
  return pipes - 1;
}

TEST(MarkdownReport, TablesAreWellFormed) {
  const ReportInput in = ComputedReport(Lang::kZh);
  const std::string md = RenderMarkdownReport(in);
  EXPECT_TRUE(md.starts_with("# 吉林省2022年下半年电信服务质量分析报告\n"));
  EXPECT_NE(md.find("## 三、中国移动2022年下半年服务质量状况"), std::string::npos);
  EXPECT_NE(md.find("### 主要服务指标完成情况"), std::string::npos);
  EXPECT_NE(md.find("| 指标 | 限值/目标 | 完成值 | 95% 置信区间 | 判定 | 环比 | 同比 | 样本量 |"),
            std::string::npos);
  EXPECT_NE(md.find("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |"), std::string::npos);
  EXPECT_NE(md.find("**未达标**"), std::string::npos);
  EXPECT_NE(md.find("（不确定）"), std::string::npos);
  EXPECT_NE(md.find("## 附录三 可追溯信息"), std::string::npos);
  EXPECT_NE(md.find(in.data_quality.files[0].read.sha256), std::string::npos);
  // Every row of a table has as many cells as its header.
  std::istringstream lines(md);
  std::string line;
  size_t columns = 0;
  int tables = 0;
  while (std::getline(lines, line)) {
    if (!line.starts_with("|")) {
      columns = 0;
      continue;
    }
    if (columns == 0) {
      columns = CountCells(line);
      ++tables;
      continue;
    }
    EXPECT_EQ(CountCells(line), columns) << line;
  }
  EXPECT_GT(tables, 15);
  // Charts become their data.
  EXPECT_NE(md.find("| 运营商 | 7月 | 8月 | 9月 | 10月 | 11月 | 12月 |"), std::string::npos);
  EXPECT_EQ(md.find("<svg"), std::string::npos);
}

TEST(MarkdownReport, NoticeAndEnglish) {
  const ReportInput in = ComputedReport(Lang::kEn);
  ReportOptions options;
  options.kind = DocumentKind::kNotice;
  const std::string md = RenderMarkdownReport(in, options);
  EXPECT_TRUE(md.starts_with("# 吉林省: Telecom Service Quality Notice, 2022 H2\n"));
  EXPECT_NE(
      md.find("| Indicator | Limit / target | All | China Mobile | China Unicom | China Telecom |"),
      std::string::npos);
  EXPECT_NE(md.find("| Operator | Accepted | Share | Settled | Settlement rate | Year on year |"),
            std::string::npos);
}

TEST(MarkdownReport, EscapesMarkup) {
  ReportInput in = ComputedReport(Lang::kZh);
  in.province = "A|B*";
  const std::string md = RenderMarkdownReport(in);
  EXPECT_TRUE(md.starts_with("# A\\|B\\*2022年下半年"));
}

}  // namespace
}  // namespace tsq
