#include "io/record_splitter.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "io/csv_tokenizer.h"
#include "io/io_test_util.h"
#include "io/jsonl_reader.h"

namespace tsq {
namespace {

using testing::TempDir;
using testing::ZstdFrame;

struct Split {
  std::vector<std::string> header;
  uint64_t header_line = 0;
  std::vector<std::string> records;  // "line|f1|f2" or "line|BAD|raw"
  size_t chunks = 0;
};

std::string Show(const CsvRecord& r) {
  std::string s = std::to_string(r.line);
  if (r.bad_quoting) return s + "|BAD|" + std::string(r.raw);
  for (std::string_view f : r.fields) s += "|" + std::string(f);
  return s;
}

Result<Split> SplitCsv(const std::string& path, size_t chunk_bytes) {
  auto src = ByteSource::Open(path);
  if (!src) return std::move(src).error();
  RecordSplitter splitter(src->get(), TextFormat::kCsv, chunk_bytes);
  Split out;
  auto has = splitter.ReadHeader(&out.header, &out.header_line);
  if (!has) return std::move(has).error();
  if (!*has) return out;
  splitter.set_expected_fields(out.header.size());
  Chunk chunk;
  uint64_t next_line = 0;
  for (uint64_t seq = 0;; ++seq) {
    auto more = splitter.Next(&chunk);
    if (!more) return std::move(more).error();
    if (!*more) break;
    EXPECT_EQ(chunk.seq, seq);
    if (next_line != 0) {
      EXPECT_EQ(chunk.first_line, next_line);
    }
    CsvTokenizer tok;
    tok.Reset(chunk.text.view(), chunk.first_line, out.header.size());
    CsvRecord r;
    while (tok.Next(&r)) out.records.push_back(Show(r));
    next_line = tok.line();
    ++out.chunks;
  }
  return out;
}

// Whole-text truth: the tokenizer over everything after the header.
std::vector<std::string> Truth(std::string_view text, size_t header_end, uint64_t line,
                               size_t fields) {
  CsvTokenizer tok;
  tok.Reset(text.substr(header_end), line, fields);
  std::vector<std::string> out;
  CsvRecord r;
  while (tok.Next(&r)) out.push_back(Show(r));
  return out;
}

const char kTricky[] =
    "\xEF\xBB\xBF"
    "h1,\"h,2\",h3\r\n"
    "1,2,3\n"
    "\n"
    "a,\"multi\nline\",c\r\n"
    "x,\"oops\n"
    "4,5,6\n"
    "q,\"\"\"\",\"\n\n\"\n"
    "ab\"c,d,e\n"
    "\"t\"x,1,2\n"
    "  \t \n"
    "7,8,9\n"
    "u,\"never closed\n"
    "10,11,12";

TEST(RecordSplitter, ChunksOfAnySizeGiveTheSameRecords) {
  TempDir dir;
  const std::string text = kTricky;
  const std::string path = dir.Write("calls.csv", text);
  auto whole = SplitCsv(path, 1 << 20);
  ASSERT_TRUE(whole) << whole.error().Debug();
  EXPECT_EQ(whole->header, (std::vector<std::string>{"h1", "h,2", "h3"}));
  EXPECT_EQ(whole->header_line, 1u);
  const std::vector<std::string> expected = {
      "2|1|2|3",           "4|a|multi\nline|c", "6|BAD|x,\"oops",
      "7|4|5|6",           "8|q|\"|\n\n",       "11|BAD|ab\"c,d,e",
      "12|BAD|\"t\"x,1,2", "14|7|8|9",          "15|BAD|u,\"never closed",
      "16|10|11|12"};
  EXPECT_EQ(whole->records, expected);
  EXPECT_EQ(Truth(text, text.find('\n') + 1, 2, 3), expected);
  for (size_t chunk : {1, 2, 3, 5, 8, 13, 64}) {
    auto got = SplitCsv(path, chunk);
    ASSERT_TRUE(got) << got.error().Debug();
    EXPECT_EQ(got->records, expected) << "chunk_bytes " << chunk;
    EXPECT_GT(got->chunks, 1u);
  }
}

TEST(RecordSplitter, EveryFieldQuoted) {
  TempDir dir;
  std::string text = "\"a\",\"b\",\"c\"\n";
  for (int i = 0; i < 400; ++i) {
    text += "\"" + std::to_string(i) + "\",\"x,y\",\"" +
            std::string(static_cast<size_t>(i % 70), 'z') + "\"";
    text += i % 50 == 7 ? ",\"multi\nline\"\n" : i % 50 == 9 ? "\n\"stray,1,2\n" : "\n";
  }
  const std::string path = dir.Write("calls.csv", text);
  auto whole = SplitCsv(path, 1 << 20);
  ASSERT_TRUE(whole) << whole.error().Debug();
  // 400 rows; each multi-line field makes its record too long, so its two lines are bad quoting
  // (+8), and each stray quote line is one more bad record (+8).
  EXPECT_EQ(whole->records.size(), 416u);
  for (size_t chunk : {1, 7, 64, 100, 1000}) {
    auto got = SplitCsv(path, chunk);
    ASSERT_TRUE(got) << got.error().Debug();
    EXPECT_EQ(got->records, whole->records) << "chunk_bytes " << chunk;
  }
}

TEST(RecordSplitter, CompressedAndQuoteFreeText) {
  TempDir dir;
  std::string text = "a,b\n";
  for (int i = 0; i < 5000; ++i) text += std::to_string(i) + ",x" + std::to_string(i % 10) + "\n";
  const std::string path = dir.Write("calls.csv.zst", ZstdFrame(text));
  auto small = SplitCsv(path, 100);
  auto big = SplitCsv(path, 1 << 20);
  ASSERT_TRUE(small && big);
  EXPECT_EQ(small->records, big->records);
  ASSERT_EQ(big->records.size(), 5000u);
  EXPECT_EQ(big->records[4999], "5001|4999|x9");
}

TEST(RecordSplitter, HeaderAfterBlankLinesAndEmptyFiles) {
  TempDir dir;
  auto got = SplitCsv(dir.Write("a.csv", "\n \r\nx,y\n1,2"), 4);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->header_line, 3u);
  EXPECT_EQ(got->records, (std::vector<std::string>{"4|1|2"}));
  for (const char* empty : {"", "\xEF\xBB\xBF", "\n\n  \n"}) {
    got = SplitCsv(dir.Write("e.csv", empty), 4);
    ASSERT_TRUE(got);
    EXPECT_TRUE(got->header.empty());
    EXPECT_TRUE(got->records.empty());
  }
  got = SplitCsv(dir.Write("bad.csv", "a,\"b\"c\n1,2\n"), 4);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kSchema);
}

TEST(RecordSplitter, OverlongLineIsFatal) {
  TempDir dir;
  std::string text = "a,b\n1,";
  text.append(kMaxRecordBytes + 10, 'x');
  text += "\n";
  auto got = SplitCsv(dir.Write("long.csv", text), 1 << 20);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(got.error().message.find("line 2 is longer"), std::string::npos);
}

TEST(RecordSplitter, JsonLinesCutAtEveryLineBreak) {
  TempDir dir;
  const std::string text = "\xEF\xBB\xBF{\"a\":\"x\\\"y\"}\n\n{\"a\":\"\\n\"}\r\n{\"a\":1}";
  const std::string path = dir.Write("calls.jsonl", text);
  for (size_t chunk : {1, 4, 1 << 20}) {
    auto src = ByteSource::Open(path);
    ASSERT_TRUE(src);
    RecordSplitter splitter(src->get(), TextFormat::kJsonLines, chunk);
    Chunk c;
    std::vector<std::string> lines;
    for (;;) {
      auto more = splitter.Next(&c);
      ASSERT_TRUE(more);
      if (!*more) break;
      JsonLines jl;
      jl.Reset(c.text.view(), c.first_line);
      std::string_view line;
      uint64_t number = 0;
      while (jl.Next(&line, &number))
        lines.push_back(std::to_string(number) + ":" + std::string(line));
    }
    EXPECT_EQ(lines, (std::vector<std::string>{"1:{\"a\":\"x\\\"y\"}", "3:{\"a\":\"\\n\"}\r",
                                               "4:{\"a\":1}"}));
  }
}

}  // namespace
}  // namespace tsq
