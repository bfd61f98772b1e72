#include "report/narrative.h"

#include <gtest/gtest.h>

namespace tsq {
namespace {

using Kind = NarrativeBlock::Kind;

TEST(Narrative, MarkdownSectionsByChineseOrEnglishHeading) {
  auto n = ParseNarrative(R"(# 中国移动吉林公司 2022 年下半年
## 公司简介
中国移动吉林公司是中国移动在吉林省设立的全资子公司，
下辖9个市（州）分公司。

Second paragraph.

## quality
### （一）做优做强网络质量
以用户投诉为抓手，快速发现网络问题。
- 5G 基站 11860 站
- 城区连续覆盖
## 业务公告
关于家庭宽带产品速率的说明。
)",
                          "m.md", false);
  ASSERT_TRUE(n) << n.error().Debug();
  ASSERT_EQ(n->sections.size(), 3u);
  const NarrativeSection* profile = n->Find(NarrativeSlot::kProfile);
  ASSERT_NE(profile, nullptr);
  ASSERT_EQ(profile->blocks.size(), 2u);
  // Chinese lines join without a space, words with one.
  EXPECT_EQ(profile->blocks[0].text,
            "中国移动吉林公司是中国移动在吉林省设立的全资子公司，下辖9个市（州）分公司。");
  EXPECT_EQ(profile->blocks[1].text, "Second paragraph.");
  const NarrativeSection* quality = n->Find(NarrativeSlot::kQuality);
  ASSERT_NE(quality, nullptr);
  ASSERT_EQ(quality->blocks.size(), 4u);
  EXPECT_EQ(quality->blocks[0].kind, Kind::kSubheading);
  EXPECT_EQ(quality->blocks[0].text, "（一）做优做强网络质量");
  EXPECT_EQ(quality->blocks[1].kind, Kind::kParagraph);
  EXPECT_EQ(quality->blocks[2].kind, Kind::kItem);
  EXPECT_EQ(quality->blocks[3].text, "城区连续覆盖");
  EXPECT_NE(n->Find(NarrativeSlot::kAnnouncements), nullptr);
  EXPECT_EQ(n->Find(NarrativeSlot::kTariffs), nullptr);  // not given: the slot stays empty
}

TEST(Narrative, TomlOneStringPerSlot) {
  auto n = ParseNarrative(
      "profile = \"\"\"\n简介第一段。\n\n简介第二段。\n\"\"\"\n"
      "emergency = \"- 汛期保障\\n- 重大活动保障\"\n",
      "m.toml", true);
  ASSERT_TRUE(n) << n.error().Debug();
  ASSERT_EQ(n->sections.size(), 2u);
  EXPECT_EQ(n->sections[0].slot, NarrativeSlot::kProfile);
  EXPECT_EQ(n->sections[0].blocks.size(), 2u);
  EXPECT_EQ(n->sections[1].slot, NarrativeSlot::kEmergency);
  EXPECT_EQ(n->sections[1].blocks[1].kind, Kind::kItem);
}

TEST(Narrative, MistakesAreErrorsWithTheirLine) {
  auto unknown = ParseNarrative("## 公司简介\n文字\n\n## 资费调正\n文字\n", "m.md", false);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("m.md:4: '资费调正' is no section"), std::string::npos)
      << unknown.error().message;
  EXPECT_NE(unknown.error().message.find("did you mean 资费调整?"), std::string::npos);

  auto before = ParseNarrative("intro text\n## 公司简介\n文字\n", "m.md", false);
  ASSERT_FALSE(before);
  EXPECT_NE(before.error().message.find("m.md:1: text before the first section"),
            std::string::npos);

  auto twice = ParseNarrative("## 公司简介\na\n## profile\nb\n", "m.md", false);
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("given twice"), std::string::npos);

  auto key = ParseNarrative("profil = \"x\"\n", "m.toml", true);
  ASSERT_FALSE(key);
  EXPECT_NE(key.error().message.find("m.toml:1: 'profil' is no section"), std::string::npos);
  EXPECT_NE(key.error().message.find("did you mean profile?"), std::string::npos);

  auto type = ParseNarrative("profile = 3\n", "m.toml", true);
  ASSERT_FALSE(type);
  EXPECT_NE(type.error().message.find("must be a string"), std::string::npos);
}

TEST(Narrative, AnEmptySectionFillsNoSlot) {
  auto n = ParseNarrative("## 公司简介\n\n## 重要事项\n一件事。\n", "m.md", false);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->Find(NarrativeSlot::kProfile), nullptr);
  EXPECT_NE(n->Find(NarrativeSlot::kEvents), nullptr);
}

}  // namespace
}  // namespace tsq
