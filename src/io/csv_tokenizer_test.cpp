#include "io/csv_tokenizer.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace tsq {
namespace {

// A record as text for comparisons: "line|f1|f2|..." or "line|BAD|raw".
std::vector<std::string> Tokenize(std::string_view text, size_t expected, bool scalar = false) {
  CsvTokenizer tok;
  tok.set_scalar_only(scalar);
  tok.Reset(text, 1, expected);
  std::vector<std::string> out;
  CsvRecord r;
  while (tok.Next(&r)) {
    std::string s = std::to_string(r.line);
    if (r.bad_quoting) {
      s += "|BAD|" + std::string(r.raw);
    } else {
      for (std::string_view f : r.fields) s += "|" + std::string(f);
    }
    out.push_back(s);
  }
  EXPECT_EQ(tok.position(), text.size());
  return out;
}

// Both paths (SIMD and scalar) must agree; returns the SIMD result.
std::vector<std::string> Both(std::string_view text, size_t expected) {
  auto simd = Tokenize(text, expected, false);
  EXPECT_EQ(simd, Tokenize(text, expected, true)) << text;
  return simd;
}

using V = std::vector<std::string>;

TEST(CsvTokenizer, PlainRecords) {
  EXPECT_EQ(Both("a,b,c\n1,2,3\n", 3), (V{"1|a|b|c", "2|1|2|3"}));
  EXPECT_EQ(Both("a,,\n", 3), (V{"1|a||"}));
  EXPECT_EQ(Both("", 3), V{});
}

TEST(CsvTokenizer, LongRecordsCrossSimdBlocks) {
  std::string row;
  for (int i = 0; i < 40; ++i) row += (i ? "," : "") + std::string(i % 7, 'x') + std::to_string(i);
  std::string text;
  for (int i = 0; i < 50; ++i) text += row + (i % 3 == 0 ? "\r\n" : "\n");
  auto recs = Both(text, 40);
  ASSERT_EQ(recs.size(), 50u);
  EXPECT_EQ(recs[49].substr(0, 10), "50|0|x1|xx");
}

// Found by fuzzing the labels file: a record with a comma in nearly every byte, then a quoted
// field that carries the scan into later blocks, then more commas. The room for fields was only
// made when a block was entered by the comma loop, so the fields after the quoted field ran past
// it (ASan: heap-buffer-overflow). Every field must come out, on both paths.
TEST(CsvTokenizer, ManyFieldsAroundAQuotedFieldThatSpansBlocks) {
  for (size_t before : {30u, 63u, 64u, 100u, 200u}) {
    for (size_t quoted : {1u, 70u, 130u, 300u}) {
      std::string text(before, ',');
      text += '"' + std::string(quoted, 'q') + '"';
      text += std::string(200, ',');
      text += "\n1,2\n";
      const auto recs = Both(text, 0);
      ASSERT_EQ(recs.size(), 2u) << before << " " << quoted;
      // `before` empty fields, the quoted one, then 200 more empty ones.
      const std::string want =
          "1|" + std::string(before, '|') + std::string(quoted, 'q') + std::string(200, '|');
      EXPECT_EQ(recs[0], want) << before << " " << quoted;
      EXPECT_EQ(recs[1], "2|1|2");
    }
  }
}

TEST(CsvTokenizer, QuotesAndDoubledQuotes) {
  EXPECT_EQ(Both("\"a,b\",\"c\"\"d\",e\n", 3), (V{"1|a,b|c\"d|e"}));
  EXPECT_EQ(Both("\"\",\"\"\"\"\n", 2), (V{"1||\""}));
  EXPECT_EQ(Both("x,\"\"\"quoted\"\" start\"\n", 2), (V{"1|x|\"quoted\" start"}));
}

TEST(CsvTokenizer, QuotedFieldsOfEveryLengthAcrossBlocks) {
  // Every field quoted (as many exports do), with lengths that put opening quotes, closing
  // quotes and delimiters on every side of the 64-byte blocks of the SIMD path.
  std::string text;
  for (int row = 0; row < 60; ++row) {
    for (int f = 0; f < 5; ++f) {
      if (f > 0) text += (row + f) % 4 == 0 ? " , " : ",";
      const int len = (row * 7 + f * 13) % 90;
      std::string v(static_cast<size_t>(len), static_cast<char>('a' + f));
      if (len > 3) v[static_cast<size_t>(len / 2)] = ',';
      if ((row + f) % 11 == 0) v += "\"\"";
      text += "\"" + v + "\"";
    }
    text += row % 3 == 0 ? "\r\n" : "\n";
  }
  auto recs = Both(text, 5);
  ASSERT_EQ(recs.size(), 60u);
  EXPECT_EQ(recs[0],
            "1|\"|bbbbbb,bbbbbb|ccccccccccccc,cccccccccccc|ddddddddddddddddddd,ddddddddddddddddddd|"
            "eeeeeeeeeeeeeeeeeeeeeeeeee,eeeeeeeeeeeeeeeeeeeeeeeee");
  EXPECT_EQ(recs[59].substr(0, 3), "60|");
}

TEST(CsvTokenizer, LineBreakInsideQuotesBelongsToTheField) {
  EXPECT_EQ(Both("1,\"x\ny\",3\n4,5,6\n", 3), (V{"1|1|x\ny|3", "3|4|5|6"}));
  EXPECT_EQ(Both("1,\"x\r\ny\",3\r\n4,5,6", 3), (V{"1|1|x\r\ny|3", "3|4|5|6"}));
  // Two line breaks in one field, with doubled quotes around them.
  EXPECT_EQ(Both("a,\"\"\"\n\n\"\"\",b\nc,d,e\n", 3), (V{"1|a|\"\n\n\"|b", "4|c|d|e"}));
}

TEST(CsvTokenizer, LineEndsMixedAndMissingAtTheEnd) {
  EXPECT_EQ(Both("a,b\r\nc,d\ne,f", 2), (V{"1|a|b", "2|c|d", "3|e|f"}));
  EXPECT_EQ(Both("a,b\r", 2), (V{"1|a|b"}));
  EXPECT_EQ(Both("a,\"b\"\r", 2), (V{"1|a|b"}));
  EXPECT_EQ(Both("a,\"b\"", 2), (V{"1|a|b"}));
}

TEST(CsvTokenizer, BlankLinesAreNotRowsButCount) {
  EXPECT_EQ(Both("a,b\n\n  \n\r\n\t\r\nc,d\n\n", 2), (V{"1|a|b", "6|c|d"}));
  EXPECT_EQ(Both("\n\na,b\n   ", 2), (V{"3|a|b"}));
  // A line of commas is not blank: it is a row of empty fields.
  EXPECT_EQ(Both(",\n", 2), (V{"1||"}));
}

TEST(CsvTokenizer, ValuesAreTrimmedOutsideAndInsideQuotes) {
  // indicators.md, Reading 2: every value is trimmed, so a quoted blank is missing too.
  EXPECT_EQ(Both(" a ,\tb\t, \" c \" ,d \r\n", 4), (V{"1|a|b|c|d"}));
  EXPECT_EQ(Both("  \"x\"\t\n", 1), (V{"1|x"}));
  EXPECT_EQ(Both("\"  \",\" \"\"q\"\" \"\n", 2), (V{"1||\"q\""}));
}

TEST(CsvTokenizer, BadQuotingForms) {
  // A quote inside an unquoted field.
  EXPECT_EQ(Both("ab\"c,d\ne,f\n", 2), (V{"1|BAD|ab\"c,d", "2|e|f"}));
  // Text after a closing quote.
  EXPECT_EQ(Both("\"ab\"c,d\ne,f\n", 2), (V{"1|BAD|\"ab\"c,d", "2|e|f"}));
  EXPECT_EQ(Both("x,\"ab\" c\r\ne,f\n", 2), (V{"1|BAD|x,\"ab\" c", "2|e|f"}));
  // An unclosed quote at the end of the text.
  EXPECT_EQ(Both("e,f\nx,\"abc", 2), (V{"1|e|f", "2|BAD|x,\"abc"}));
}

TEST(CsvTokenizer, UnclosedQuoteDoesNotSwallowTheFile) {
  // The quote would run to the end: only its own line is bad.
  EXPECT_EQ(Both("x,\"oops\n1,2\n3,4\n", 2), (V{"1|BAD|x,\"oops", "2|1|2", "3|3|4"}));
  // The quote closes two lines later but the record has the wrong column count.
  EXPECT_EQ(Both("x,\"oops\n1,2\n3,\"4\n5,6\n", 2),
            (V{"1|BAD|x,\"oops", "2|1|2", "3|BAD|3,\"4", "4|5|6"}));
}

TEST(CsvTokenizer, MultiLineRecordNeedsTheHeaderColumnCount) {
  const std::string text = "a,\"b\nc\",d\n";
  EXPECT_EQ(Both(text, 3), (V{"1|a|b\nc|d"}));
  // With two columns the record is bad: its first line is quarantined, reading resumes on line 2
  // (where the quote now sits inside an unquoted field).
  EXPECT_EQ(Both(text, 2), (V{"1|BAD|a,\"b", "2|BAD|c\",d"}));
  // 0 = any column count (the header itself).
  EXPECT_EQ(Both(text, 0), (V{"1|a|b\nc|d"}));
}

TEST(CsvTokenizer, OverlongMultiLineRecordIsBadQuoting) {
  std::string text = "a,\"" + std::string(kMaxMultilineRecordBytes, 'x') + "\nz\",b\nc,d,e\n";
  auto recs = Both(text, 3);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].substr(0, 6), "1|BAD|");
  EXPECT_EQ(recs[1], "2|BAD|z\",b");
  EXPECT_EQ(recs[2], "3|c|d|e");
}

TEST(CsvTokenizer, RawTextIsTheRecordWithoutItsLineEnd) {
  CsvTokenizer tok;
  tok.Reset("a,\"b\r\nc\",d\r\n", 7, 3);
  CsvRecord r;
  ASSERT_TRUE(tok.Next(&r));
  EXPECT_EQ(r.line, 7u);
  EXPECT_EQ(r.raw, "a,\"b\r\nc\",d");
  EXPECT_FALSE(tok.Next(&r));
  EXPECT_EQ(tok.line(), 9u);
}

TEST(ScanCsvRecord, AsksForMoreOnlyWhileUndecided) {
  const std::string t = "a,\"b\nc";
  EXPECT_EQ(ScanCsvRecord(t.data(), t.size(), 0, false, 2).status, CsvScan::kNeedMore);
  EXPECT_EQ(ScanCsvRecord(t.data(), t.size(), 0, true, 2).status, CsvScan::kBadQuoting);
  const std::string u = "a,b";
  EXPECT_EQ(ScanCsvRecord(u.data(), u.size(), 0, false, 2).status, CsvScan::kNeedMore);
  const std::string v = "a,b\"x\n";
  const CsvExtent e = ScanCsvRecord(v.data(), v.size(), 0, false, 2);
  EXPECT_EQ(e.status, CsvScan::kBadQuoting);
  EXPECT_EQ(e.next, v.size());
  // A closing quote at the very end may still turn out to be a doubled quote.
  const std::string w = "a,\"b\"";
  EXPECT_EQ(ScanCsvRecord(w.data(), w.size(), 0, false, 2).status, CsvScan::kNeedMore);
}

}  // namespace
}  // namespace tsq
