#include "model/presets.h"

#include <gtest/gtest.h>

#include "model/read.h"
#include "model/schema.h"

namespace tsq {
namespace {

TEST(MappingPresets, EveryShippedPresetLoadsAndNamesEveryRecordTypesColumns) {
  ASSERT_FALSE(MappingPresets().empty());
  for (const MappingPreset& p : MappingPresets()) {
    EXPECT_FALSE(p.description_zh.empty()) << p.name;
    EXPECT_FALSE(p.description_en.empty()) << p.name;
    ColumnMapping m;
    const Status added = m.AddPreset(p.name);
    ASSERT_TRUE(added) << added.error().message;
    // Every column of every record type has at least one header besides its contract name.
    for (RecordType type : AllRecordTypes()) {
      for (const ColumnSpec& c : SchemaOf(type).columns) {
        EXPECT_GT(m.CandidatesFor(type, c.name).size(), 1u) << p.name << " " << c.name;
      }
    }
  }
}

TEST(MappingPresets, AnExplicitMappingWinsAndTheContractNameStaysAccepted) {
  ColumnMapping m;
  ASSERT_TRUE(m.AddPreset("zh"));
  auto caller = m.CandidatesFor(RecordType::kCalls, "caller");
  ASSERT_GE(caller.size(), 2u);
  EXPECT_EQ(caller[0], "caller");
  EXPECT_EQ(caller[1], "主叫号码");
  ASSERT_TRUE(m.Add("calls.caller=CALLING_NBR"));
  EXPECT_EQ(m.CandidatesFor(RecordType::kCalls, "caller"),
            std::vector<std::string_view>{"CALLING_NBR"});
  auto unknown = FindMappingPreset("huawei");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("presets: zh"), std::string::npos);
}

}  // namespace
}  // namespace tsq
