#include "io/text_encoding.h"

#include <gtest/gtest.h>

namespace tsq {
namespace {

// 移动,长春 in GB18030 (GBK code points): 移 D2C6, 动 B6AF, 长 B3A4, 春 B4BA.
const std::string kGbText = "\xD2\xC6\xB6\xAF,\xB3\xA4\xB4\xBA\n";

TEST(TextEncoding, ParsesTheChoicesAndRefusesOthers) {
  EXPECT_EQ(*ParseEncoding("UTF8"), TextEncoding::kUtf8);
  EXPECT_EQ(*ParseEncoding("gb2312"), TextEncoding::kGb18030);
  EXPECT_EQ(*ParseEncoding("GBK"), TextEncoding::kGbk);
  EXPECT_EQ(*ParseEncoding("auto"), TextEncoding::kAuto);
  auto bad = ParseEncoding("latin1");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("gb18030"), std::string::npos);
}

TEST(TextEncoding, DecodesGb18030AndGbkKeepingAsciiInPlace) {
  for (TextEncoding e : {TextEncoding::kGb18030, TextEncoding::kGbk}) {
    TextDecoder d(e);
    std::string out;
    EXPECT_EQ(d.Decode("id,\"" + kGbText + "\"\r\n", &out), 0u);
    EXPECT_EQ(out, "id,\"移动,长春\n\"\r\n");
  }
  // A four-byte GB18030 sequence (U+1F600 is 0x9439FC36) decodes too; GBK has none.
  TextDecoder d(TextEncoding::kGb18030);
  std::string out;
  EXPECT_EQ(d.Decode("\x94\x39\xFC\x36", &out), 0u);
  EXPECT_EQ(out, "\xF0\x9F\x98\x80");
}

TEST(TextEncoding, OneByteCharactersThatGrowThreefoldKeepEveryLineBreak) {
  // The fuzzer found it: GBK's 0x80 (€) is 3 bytes of UTF-8, more than a 1.5x buffer held, and
  // the text after the overflow, line breaks included, was lost.
  TextDecoder d(TextEncoding::kGbk);
  std::string in(300, '\x80');
  in += "\n";
  std::string out;
  d.Decode(in, &out);
  EXPECT_EQ(out.size(), 3 * 300 + 1);
  EXPECT_EQ(out.back(), '\n');
}

TEST(TextEncoding, UndecodableBytesBecome0xFFAndAreCounted) {
  TextDecoder d(TextEncoding::kGb18030);
  std::string out;
  // 0xFF is never a GB18030 lead byte; a lead byte cut by the end is not a character either.
  EXPECT_EQ(d.Decode("a\xFF"
                     "b\n\xD2",
                     &out),
            2u);
  EXPECT_EQ(out,
            "a\xFF"
            "b\n\xFF");
  // The decoder starts afresh for the next chunk.
  EXPECT_EQ(d.Decode(kGbText, &out), 0u);
  EXPECT_EQ(out, "移动,长春\n");
}

TEST(TextEncoding, DetectsUtf8ElseGb18030) {
  EXPECT_EQ(DetectEncoding("caller,callee\n移动,长春\n", true), TextEncoding::kUtf8);
  EXPECT_EQ(DetectEncoding("ascii only\n", true), TextEncoding::kUtf8);
  EXPECT_EQ(DetectEncoding(kGbText, true), TextEncoding::kGb18030);
  // A UTF-8 character cut by the end of a sample is still UTF-8; in a whole file it is not.
  const std::string cut = std::string("移动") + "\xE9\x95";
  EXPECT_EQ(DetectEncoding(cut, false), TextEncoding::kUtf8);
  EXPECT_EQ(DetectEncoding(cut, true), TextEncoding::kGb18030);
}

}  // namespace
}  // namespace tsq
