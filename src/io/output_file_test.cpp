#include "io/output_file.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "io/csv_writer.h"

namespace tsq {
namespace {

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("tsq_output_test_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(OutputFile, PlainFileAppearsOnlyAfterCommit) {
  const std::string path = TempPath("plain.csv");
  auto out = OutputFile::Create(path);
  ASSERT_TRUE(out) << out.error().Debug();
  ASSERT_TRUE((*out)->Write("a,b\n1,2\n"));
  EXPECT_FALSE(std::filesystem::exists(path));
  ASSERT_TRUE((*out)->Commit());
  EXPECT_EQ(Slurp(path), "a,b\n1,2\n");
  std::filesystem::remove(path);
}

TEST(OutputFile, AbandonedFileLeavesNothing) {
  const std::string path = TempPath("abandoned.csv");
  {
    auto out = OutputFile::Create(path);
    ASSERT_TRUE(out);
    ASSERT_TRUE((*out)->Write("partial"));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  for (const auto& e :
       std::filesystem::directory_iterator(std::filesystem::temp_directory_path())) {
    EXPECT_EQ(e.path().string().find(path + ".tmp"), std::string::npos);
  }
}

TEST(OutputFile, CompressedFilesDecompressWithTheStandardTools) {
  std::string big;
  for (int i = 0; i < 200000; ++i) big += "2022-07-01 08:15:03,13800000000,answered\n";
  for (const char* ext : {".gz", ".zst"}) {
    const std::string path = TempPath(std::string("data.csv") + ext);
    auto out = OutputFile::Create(path);
    ASSERT_TRUE(out);
    ASSERT_TRUE((*out)->Write(big));
    ASSERT_TRUE((*out)->Commit());
    EXPECT_LT(std::filesystem::file_size(path), big.size() / 10);
    const std::string cmd = std::string(ext[1] == 'g' ? "gzip" : "zstd") + " -dc '" + path +
                            "' > '" + path + ".out' 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    EXPECT_EQ(Slurp(path + ".out"), big) << ext;
    std::filesystem::remove(path);
    std::filesystem::remove(path + ".out");
  }
}

TEST(CsvWriter, QuotesOnlyWhenNeeded) {
  std::string out;
  AppendCsvField(&out, "plain");
  out += ',';
  AppendCsvField(&out, "a,b");
  out += ',';
  AppendCsvField(&out, "say \"hi\"");
  out += ',';
  AppendCsvField(&out, "two\nlines");
  EXPECT_EQ(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"");
}

}  // namespace
}  // namespace tsq
