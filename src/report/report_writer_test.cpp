#include "report/report_writer.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "report/pdf_report.h"
#include "report/report_test_input.h"

namespace tsq {
namespace {

namespace fs = std::filesystem;

class ReportWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tsq_writer_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST(ReportFormatForPath, ByExtension) {
  EXPECT_EQ(ReportFormatForPath("a/report.html"), ReportFormat::kHtml);
  EXPECT_EQ(ReportFormatForPath("REPORT.HTM"), ReportFormat::kHtml);
  EXPECT_EQ(ReportFormatForPath("r.pdf"), ReportFormat::kPdf);
  EXPECT_EQ(ReportFormatForPath("r.xlsx"), ReportFormat::kXlsx);
  EXPECT_EQ(ReportFormatForPath("r.md"), ReportFormat::kMarkdown);
  EXPECT_EQ(ReportFormatForPath("r.json"), ReportFormat::kJson);
  EXPECT_EQ(ReportFormatForPath("r.txt"), std::nullopt);
  EXPECT_EQ(ReportFormatForPath("report"), std::nullopt);
}

TEST_F(ReportWriterTest, WritesEachFormatByName) {
  const ReportInput in = ComputedReport(Lang::kZh);
  for (const char* name : {"r.html", "r.md", "r.json", "r.xlsx"}) {
    const fs::path path = dir_ / name;
    const Status s = WriteReport(in, path.string());
    ASSERT_TRUE(s) << name << ": " << s.error().ToString();
    EXPECT_GT(fs::file_size(path), 1000u) << name;
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), {}), 4);
}

TEST_F(ReportWriterTest, UnknownExtensionIsAClearError) {
  const ReportInput in = ComputedReport(Lang::kZh);
  const Status s = WriteReport(in, (dir_ / "report.docx").string());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(s.error().message.find(".html, .pdf, .xlsx, .md or .json"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(ReportWriterTest, PdfWithoutBrowserSaysHowToInstallIt) {
  const char* old_path = std::getenv("PATH");
  const std::string saved = old_path ? old_path : "";
  const char* old_env = std::getenv("TSQ_CHROMIUM");
  const std::string saved_env = old_env ? old_env : "";
  ::setenv("PATH", dir_.c_str(), 1);
  ::unsetenv("TSQ_CHROMIUM");
  const ReportInput in = ComputedReport(Lang::kZh);
  const Status s = WriteReport(in, (dir_ / "report.pdf").string());
  ::setenv("PATH", saved.c_str(), 1);
  if (old_env) ::setenv("TSQ_CHROMIUM", saved_env.c_str(), 1);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("install chromium: sudo apt-get install chromium"),
            std::string::npos)
      << s.error().message;
  EXPECT_TRUE(fs::is_empty(dir_));

  ReportOptions options;
  options.chromium = (dir_ / "no-such-browser").string();
  const Status named = WriteReport(in, (dir_ / "report.pdf").string(), options);
  ASSERT_FALSE(named);
  EXPECT_NE(named.error().message.find("no-such-browser"), std::string::npos);
}

TEST_F(ReportWriterTest, PdfFromABrowserThatFailsLeavesNothing) {
  // A stand-in browser that exits with an error without printing.
  const fs::path fake = dir_ / "fake-chromium";
  {
    std::ofstream out(fake);
    out << "#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n";
  }
  fs::permissions(fake, fs::perms::owner_all);
  const ReportInput in = ComputedReport(Lang::kZh);
  ReportOptions options;
  options.chromium = fake.string();
  const Status s = WriteReport(in, (dir_ / "report.pdf").string(), options);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("exit status 3"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("cannot open display"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "report.pdf"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), {}), 1);  // only the fake browser
}

}  // namespace
}  // namespace tsq
