#include "io/jsonl_reader.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "io/text_scan.h"

namespace tsq {
namespace {

// Parses `line` from a padded copy; returns "key=value:kind;..." or "BAD".
std::string ParseLine(const std::string& line) {
  std::string padded = line;
  padded.append(kTextPadding, ' ');
  JsonlParser parser;
  if (!parser.Parse(std::string_view(padded.data(), line.size()), padded.size())) return "BAD";
  std::string out;
  for (const JsonMember& m : parser.members()) {
    out += std::string(m.key) + "=" + std::string(m.value) + ":" +
           std::to_string(static_cast<int>(m.kind)) + ";";
  }
  return out;
}

TEST(JsonlParser, MembersKeepTheirText) {
  EXPECT_EQ(ParseLine(R"({"caller":"138 0000","n":13800000000,"d":63.50,"b":true,"z":null})"),
            "caller=138 0000:0;n=13800000000:1;d=63.50:1;b=true:2;z=:3;");
  EXPECT_EQ(ParseLine(R"(  {"a" : -1.5e+3 , "b":false}  )"), "a=-1.5e+3:1;b=false:2;");
  EXPECT_EQ(ParseLine(R"({"esc":"a\"b\\c\n\u957f\u6625"})"), "esc=a\"b\\c\n长春:0;");
  EXPECT_EQ(ParseLine(R"({"o":{"x":[1,{"y":null}]},"a":[]})"), "o=:4;a=:5;");
  EXPECT_EQ(ParseLine("{}"), "");
  EXPECT_EQ(ParseLine("{\"a\":\"b\"}\r"), "a=b:0;");
}

TEST(JsonlParser, AnythingButOneValidObjectIsBad) {
  for (const char* bad : {"[1,2]",
                          "\"str\"",
                          "42",
                          "null",
                          "{",
                          "{\"a\":1",
                          "{\"a\":1}}",
                          "{\"a\":1} {\"b\":2}",
                          "{\"a\":1}x",
                          "{\"a\":01}",
                          "{\"a\":1.}",
                          "{\"a\":-}",
                          "{\"a\":1e}",
                          "{\"a\":tru}",
                          "{\"a\":nul}",
                          "{\"a\":1,}",
                          "{\"a\" 1}",
                          "{a:1}",
                          "{\"a\":\"\\q\"}",
                          "{\"x\":[1,2,}",
                          "{\"x\":{\"y\":tru}}",
                          "{\"x\":[1 2]}",
                          "{\"a\":\"tab\there\"}",
                          "{\"a\":1 2}",
                          "{'a':1}"}) {
    EXPECT_EQ(ParseLine(bad), "BAD") << bad;
  }
}

TEST(JsonLines, SkipsBlankLinesAndCountsThem) {
  JsonLines lines;
  lines.Reset("\n{\"a\":1}\n \t\r\n{\"b\":2}", 5);
  std::string_view line;
  uint64_t n = 0;
  ASSERT_TRUE(lines.Next(&line, &n));
  EXPECT_EQ(line, "{\"a\":1}");
  EXPECT_EQ(n, 6u);
  ASSERT_TRUE(lines.Next(&line, &n));
  EXPECT_EQ(line, "{\"b\":2}");
  EXPECT_EQ(n, 8u);
  EXPECT_FALSE(lines.Next(&line, &n));
}

TEST(JsonNumber, Grammar) {
  for (const char* ok : {"0", "-0", "12", "1.5", "1e5", "1E+5", "-2.5e-3"}) {
    EXPECT_TRUE(IsJsonNumber(ok)) << ok;
  }
  for (const char* bad : {"", "-", "01", "1.", ".5", "1e", "+1", "1x", "0x10", "Infinity"}) {
    EXPECT_FALSE(IsJsonNumber(bad)) << bad;
  }
}

TEST(TextScan, CountsAndValidates) {
  std::string s;
  for (int i = 0; i < 10000; ++i) s += (i % 3 == 0) ? "\n" : "ab";
  EXPECT_EQ(CountNewlines(s.data(), s.size()), 3334u);
  EXPECT_EQ(CountNewlines(s.data() + 1, 0), 0u);
  EXPECT_TRUE(IsValidUtf8("移动,长春", 13));
  EXPECT_FALSE(IsValidUtf8("\xff", 1));
  EXPECT_FALSE(IsValidUtf8("\xe7\xa7", 2));  // cut inside a character
  EXPECT_TRUE(IsAscii("plain", 5));
  EXPECT_FALSE(IsAscii("移", 3));
}

}  // namespace
}  // namespace tsq
