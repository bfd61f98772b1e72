#include "app/quarantine_writer.h"

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

}  // namespace
}  // namespace tsq
