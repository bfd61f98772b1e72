#include "app/quarantine_writer.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace tsq {
namespace {

TEST(QuarantineWriter, EscapesOnlyInvalidUtf8) {
  EXPECT_EQ(EscapeInvalidUtf8("plain,移动"), "plain,移动");
  EXPECT_EQ(EscapeInvalidUtf8("a\xd2z"), "a\\xd2z");
  EXPECT_EQ(EscapeInvalidUtf8("\xe7\xa7"), "\\xe7\\xa7");           // truncated sequence
  EXPECT_EQ(EscapeInvalidUtf8("\xc0\xaf"), "\\xc0\\xaf");           // overlong '/'
  EXPECT_EQ(EscapeInvalidUtf8("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
}

// Ranks keep their rows in memory and send them to rank 0 in rank order, which is not file order
// when a file is shared by byte ranges: the file comes out in file order, then line order.
TEST(QuarantineWriter, RowsFromRanksComeOutInFileAndLineOrder) {
  const std::vector<InputFile> files = {{"data/billing.csv"}, {"data/calls.csv"}};
  const auto row = [](uint32_t file, uint64_t line, const char* raw) {
    BadRow r;
    r.file_index = file;
    r.line = line;
    r.column = "x";
    r.reason = BadRowReason::kColumnCount;
    r.raw = raw;
    return r;
  };
  auto rank0 = QuarantineWriter::InMemory();
  rank0->Add(files, row(1, 3, "calls, range 1"));
  rank0->Add(files, row(1, 9, "a \"quoted\"\nvalue"));
  auto rank1 = QuarantineWriter::InMemory();
  rank1->Add(files, row(0, 7, "billing"));
  rank1->Add(files, row(1, 12, "calls, range 2"));
  ASSERT_TRUE(rank0->Commit());
  ASSERT_TRUE(rank1->Commit());
  const std::string path = ::testing::TempDir() + "/quarantine-order.csv";
  ASSERT_TRUE(QuarantineWriter::WriteFile(
      path, rank0->TakeRows() + rank1->TakeRows(),
      [](std::string_view name) -> size_t { return name == "data/billing.csv" ? 0 : 1; }));
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(),
            "file,line,column,reason,raw\n"
            "data/billing.csv,7,x,column_count,billing\n"
            "data/calls.csv,3,x,column_count,\"calls, range 1\"\n"
            "data/calls.csv,9,x,column_count,\"a \"\"quoted\"\"\nvalue\"\n"
            "data/calls.csv,12,x,column_count,\"calls, range 2\"\n");
  std::filesystem::remove(path);
  // A message cut short is refused, not half written.
  auto cut = QuarantineWriter::InMemory();
  cut->Add(files, row(0, 1, "x"));
  const std::string rows = cut->TakeRows();
  EXPECT_FALSE(QuarantineWriter::WriteFile(path, rows.substr(0, rows.size() - 1),
                                           [](std::string_view) -> size_t { return 0; }));
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace tsq
