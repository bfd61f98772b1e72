#include "io/xlsx_source.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "io/io_test_util.h"

namespace tsq {
namespace {

namespace fs = std::filesystem;

const char* kWorkbook =
    R"(<workbook xmlns:r="r"><sheets><sheet name="x" sheetId="1" r:id="rId3"/></sheets></workbook>)";
const char* kRels =
    R"(<Relationships><Relationship Id="rId3" Target="worksheets/data.xml"/></Relationships>)";

// A workbook written part by part, as tests need odd ones.
std::string WriteWorkbook(const std::string& name,
                          const std::map<std::string, std::string>& parts) {
  const fs::path path = fs::path(::testing::TempDir()) / name;
  EXPECT_TRUE(testing::WriteZip(path.string(), parts));
  return path.string();
}

std::string ReadAll(const std::string& path, std::string_view sheet = {}) {
  auto source = ByteSource::Open(path, /*digest=*/false, sheet);
  EXPECT_TRUE(source) << source.error().message;
  if (!source) return {};
  std::string out(1 << 16, '\0');
  std::string all;
  for (;;) {
    auto n = (*source)->Read(out.data(), out.size());
    EXPECT_TRUE(n);
    if (!n || *n == 0) break;
    all.append(out.data(), *n);
  }
  return all;
}

TEST(XlsxSource, WritesTheFirstSheetAsCsvText) {
  const std::string path = WriteWorkbook(
      "cells.xlsx",
      {{"xl/workbook.xml", kWorkbook},
       {"xl/_rels/workbook.xml.rels", kRels},
       {"xl/sharedStrings.xml",
        // A plain string, rich-text runs with a phonetic guide, text needing CSV quotes.
        R"(<sst><si><t>caller</t></si><si><r><t>移</t></r><r><t>动</t></r><rPh><t>yi</t></rPh></si>)"
        R"(<si><t>a,"b"
c</t></si><si><t>when</t></si><si><t>n</t></si></sst>)"},
       {"xl/styles.xml",
        R"(<styleSheet><numFmts><numFmt numFmtId="170" formatCode="0.00&quot;元&quot;"/></numFmts>)"
        R"(<cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="170"/></cellXfs></styleSheet>)"},
       {"xl/worksheets/data.xml",
        R"(<worksheet><sheetData>)"
        R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>3</v></c>)"
        R"(<c r="C1" t="s"><v>4</v></c><c r="D1" t="inlineStr"><is><t>ok</t></is></c></row>)"
        // Row 2 skips B and its trailing cells; row 4 comes after an absent row 3.
        R"(<row r="2"><c r="A2" t="s"><v>1</v></c><c r="C2" s="2"><v>12.5</v></c></row>)"
        R"(<row r="4"><c r="A4" t="s"><v>2</v></c><c r="B4" s="1"><v>44743.33684027778</v></c>)"
        R"(<c r="C4"><v>1.3512828388E10</v></c><c r="D4" t="b"><v>1</v></c></row>)"
        R"(</sheetData></worksheet>)"}});
  EXPECT_EQ(ReadAll(path),
            "caller,when,n,ok\n"
            "移动,,12.5,\n"
            "\n"
            "\"a,\"\"b\"\"\nc\",2022-07-01 08:05:03,13512828388,1\n");
}

TEST(XlsxSource, CountsTheWorkbooksBytesForProgress) {
  std::string sheet = "<worksheet><sheetData>";
  for (int r = 1; r <= 20000; ++r) {
    sheet += "<row r=\"" + std::to_string(r) + "\"><c r=\"A" + std::to_string(r) + "\"><v>" +
             std::to_string(r * 7919 % 100003) + "</v></c></row>";
  }
  sheet += "</sheetData></worksheet>";
  const std::string path = WriteWorkbook("progress.xlsx", {{"xl/workbook.xml", kWorkbook},
                                                           {"xl/_rels/workbook.xml.rels", kRels},
                                                           {"xl/worksheets/data.xml", sheet}});
  auto source = ByteSource::Open(path);
  ASSERT_TRUE(source);
  std::string buf(1 << 12, '\0');
  uint64_t rows = 0;
  for (;;) {
    auto n = (*source)->Read(buf.data(), buf.size());
    ASSERT_TRUE(n);
    if (*n == 0) break;
    rows += static_cast<uint64_t>(std::count(buf.begin(), buf.begin() + *n, '\n'));
  }
  EXPECT_EQ(rows, 20000u);
  EXPECT_GT((*source)->consumed_bytes(), (*source)->size_bytes() / 2);
  EXPECT_LE((*source)->consumed_bytes(), (*source)->size_bytes());
}

TEST(XlsxSource, ANonWorkbookIsAnErrorNamingTheFile) {
  const fs::path text = fs::path(::testing::TempDir()) / "calls.xlsx";
  { std::ofstream(text) << "caller,callee\n"; }
  auto not_zip = ByteSource::Open(text.string());
  ASSERT_FALSE(not_zip);
  EXPECT_NE(not_zip.error().message.find("not a zip archive"), std::string::npos);
  const std::string no_sheet = WriteWorkbook(
      "empty.xlsx", {{"xl/workbook.xml", "<workbook/>"}, {"xl/_rels/workbook.xml.rels", kRels}});
  auto empty = ByteSource::Open(no_sheet);
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("has no sheet"), std::string::npos);
  const std::string bad_xml = WriteWorkbook(
      "bad.xlsx", {{"xl/workbook.xml", kWorkbook},
                   {"xl/_rels/workbook.xml.rels", kRels},
                   {"xl/worksheets/data.xml", "<worksheet><sheetData><row></sheetData>"}});
  auto bad = ByteSource::Open(bad_xml);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("sheet XML"), std::string::npos) << bad.error().message;
}

TEST(XlsxSource, RowsAndCellsOutOfOrderOrBeyondExcelsSheetAreRefused) {
  // The fuzzer found it: a row numbered 12344555...5 had tsq write blank lines until memory ran
  // out. Rows and cells come in order within 1,048,576 rows and columns A to XFD.
  for (const char* rows :
       {R"(<row r="123445555555555555555"><c r="A1"><v>1</v></c></row>)",
        R"(<row r="1048577"><c r="A1"><v>1</v></c></row>)",
        R"(<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>)",
        R"(<row r="1"><c r="C1"><v>1</v></c><c r="A1"><v>2</v></c></row>)",
        R"(<row r="1"><c r="AAAAAAAAAAAAAAAAAAAAAAAAA1"><v>1</v></c></row>)"}) {
    SCOPED_TRACE(rows);
    const std::string path = WriteWorkbook(
        "disorder.xlsx", {{"xl/workbook.xml", kWorkbook},
                          {"xl/_rels/workbook.xml.rels", kRels},
                          {"xl/worksheets/data.xml", std::string("<worksheet><sheetData>") + rows +
                                                         "</sheetData></worksheet>"}});
    auto source = ByteSource::Open(path);
    ASSERT_FALSE(source);
    EXPECT_NE(source.error().message.find("come in order"), std::string::npos)
        << source.error().message;
  }
}

TEST(XlsxSource, ListsTheSheetsInTheWorkbooksOrder) {
  // Tabs 说明, calls, orders: parts sheet3, sheet2, sheet1, relations listed the other way round,
  // targets relative to xl/ and absolute.
  const std::string path = WriteWorkbook(
      "province.xlsx", testing::WorkbookParts({{"说明", ""}, {"calls", ""}, {"orders", ""}}));
  auto sheets = ListXlsxSheets(path);
  ASSERT_TRUE(sheets) << sheets.error().message;
  ASSERT_EQ(sheets->size(), 3u);
  EXPECT_EQ((*sheets)[0].name, "说明");
  EXPECT_EQ((*sheets)[0].part, "xl/worksheets/sheet3.xml");
  EXPECT_EQ((*sheets)[1].name, "calls");
  EXPECT_EQ((*sheets)[1].part, "xl/worksheets/sheet2.xml");
  EXPECT_EQ((*sheets)[2].name, "orders");
  EXPECT_EQ((*sheets)[2].part, "xl/worksheets/sheet1.xml");

  const std::string odd = WriteWorkbook(
      "odd.xlsx",
      {{"xl/workbook.xml",
        R"(<workbook xmlns:r="r"><sheets><sheet name="a" r:id="rId1"/><sheet name="b"/>)"
        R"(<sheet name="c &amp; d" r:id="rId2"/></sheets></workbook>)"},
       {"xl/_rels/workbook.xml.rels",
        R"(<Relationships><Relationship Id="rId2" Target="./worksheets/../worksheets/x.xml"/>)"
        R"(</Relationships>)"}});
  auto listed = ListXlsxSheets(odd);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].part, "");  // rId1 is not in the relations
  EXPECT_EQ((*listed)[1].part, "");  // no r:id
  EXPECT_EQ((*listed)[2].name, "c & d");
  EXPECT_EQ((*listed)[2].part, "xl/worksheets/x.xml");

  const fs::path text = fs::path(::testing::TempDir()) / "notes.xlsx";
  { std::ofstream(text) << "a,b\n"; }
  auto not_zip = ListXlsxSheets(text.string());
  ASSERT_FALSE(not_zip);
  EXPECT_NE(not_zip.error().message.find("notes.xlsx: not a zip archive"), std::string::npos);
}

TEST(XlsxSource, ReadsTheSheetOfTheGivenName) {
  const std::string path = WriteWorkbook(
      "sheets.xlsx",
      testing::WorkbookParts(
          {{"说明", R"(<row r="1"><c r="A1" t="inlineStr"><is><t>notes</t></is></c></row>)"},
           {"calls", R"(<row r="1"><c r="A1" t="inlineStr"><is><t>caller</t></is></c></row>)"
                     R"(<row r="3"><c r="A3"><v>13800000000</v></c></row>)"},
           {"orders",
            R"(<row r="1"><c r="A1" t="inlineStr"><is><t>order_id</t></is></c></row>)"}}));
  EXPECT_EQ(ReadAll(path, "calls"), "caller\n\n13800000000\n");
  EXPECT_EQ(ReadAll(path, "orders"), "order_id\n");
  EXPECT_EQ(ReadAll(path), "notes\n");  // no sheet named: the first, as for calls.xlsx

  auto missing = ByteSource::Open(path, false, "sms");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("sheets.xlsx[sms]: the workbook has no such sheet (its "
                                         "sheets: 说明, calls, orders)"),
            std::string::npos)
      << missing.error().message;
  // A broken sheet is named with its workbook.
  const std::string broken = WriteWorkbook(
      "broken.xlsx", testing::WorkbookParts({{"说明", ""}, {"calls", "<row><c></row>"}}));
  auto bad = ByteSource::Open(broken, false, "calls");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("broken.xlsx[calls]: truncated or corrupt xlsx stream"),
            std::string::npos)
      << bad.error().message;
}

}  // namespace
}  // namespace tsq
