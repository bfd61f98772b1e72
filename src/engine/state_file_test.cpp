#include "engine/state_file.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "engine/keyed_family_io.h"
#include "io/zstd_stream.h"

namespace tsq {
namespace {

namespace fs = std::filesystem;

// Rows per operator (a dictionary code) and month, with a vector to show that sizes survive.
struct Tally {
  uint64_t rows = 0;
  std::vector<int64_t> seen;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(rows, seen);
  }
  void Merge(const Tally& o) {
    rows += o.rows;
    seen.insert(seen.end(), o.seen.begin(), o.seen.end());
  }
};

constexpr KeyDim kDims[] = {{Dim::kOperator, Coding::kDictId}, {Dim::kMonth, Coding::kMonthKey}};

class TallyFamily final : public KeyedFamily<Tally> {
 public:
  TallyFamily() : KeyedFamily(kChinaOffsetSeconds) {}
  std::span<const KeyDim> KeyDims() const override { return kDims; }
  void Update(const Batch&, const uint8_t*) override {}
  void Finalize(const EvalContext&, int, std::vector<IndicatorValue>*) const override {}

  void Add(uint32_t op, uint32_t month, uint8_t slot, int64_t value) {
    BaseKey k;
    k.dims[0] = op;
    k.dims[1] = month;
    k.slot = slot;
    Tally& t = Touch(k);
    ++t.rows;
    t.seen.push_back(value);
  }
  // Rows of operator `name` in `slot`, by the run's dictionary.
  uint64_t Rows(const StringDictionary& dict, std::string_view name, uint8_t slot) const {
    uint64_t n = 0;
    for (size_t i = 0; i < states_.size(); ++i) {
      const BaseKey& k = states_.key(i);
      if (k.slot == slot && k.dims[0] != kMissingId && dict.Get(k.dims[0]) == name) {
        n += states_.state(i).rows;
      }
    }
    return n;
  }
};

class StateFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tsq_state_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    path_ = (dir_ / "m.state").string();
    StringDictionary dict;
    const uint32_t cm = dict.Intern("移动");
    const uint32_t cu = dict.Intern("联通");
    TallyFamily family;
    family.Add(cm, 1, kCurrentSlot, 10);
    family.Add(cm, 1, kCurrentSlot, 11);
    family.Add(cu, 1, kCurrentSlot, 12);
    family.Add(kMissingId, 1, kCurrentSlot, 13);
    family.Add(cu, 1, kPreviousSlot, 99);  // not the period: not saved
    StateMeta meta;
    meta.tsq_version = "test";
    meta.period = "2022-07";
    meta.from = 1;
    meta.to = 2;
    meta.config = "catalog x";
    meta.families = {"tally"};
    ASSERT_TRUE(WriteStateFile(path_, meta, dict, {{"tally", &family}}));
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Bytes() const {
    std::ifstream in(path_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void Write(const std::string& bytes) const {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << bytes;
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(StateFileTest, LoadsIntoAnotherDictionaryAndSlot) {
  auto reader = StateFileReader::Open(path_);
  ASSERT_TRUE(reader) << reader.error().Debug();
  EXPECT_EQ((*reader)->meta().period, "2022-07");
  EXPECT_EQ((*reader)->meta().config, "catalog x");
  StringDictionary dict;
  dict.Intern("电信");
  dict.Intern("联通");  // the run's codes differ from the file's
  TallyFamily family;
  family.Add(dict.Intern("联通"), 1, kPreviousSlot, 1);
  ASSERT_TRUE((*reader)->LoadInto(
      [&](std::string_view name) -> FamilyState* { return name == "tally" ? &family : nullptr; },
      &dict, kPreviousSlot, false));
  EXPECT_EQ(family.Rows(dict, "移动", kPreviousSlot), 2u);
  EXPECT_EQ(family.Rows(dict, "联通", kPreviousSlot), 2u);  // its own and the file's
  EXPECT_EQ(family.Rows(dict, "联通", kCurrentSlot), 0u);
  EXPECT_TRUE(family.HasRows(kPreviousSlot));
  EXPECT_FALSE(family.HasRows(kCurrentSlot));
}

TEST_F(StateFileTest, RefusesAnotherFormatNamingBothVersions) {
  std::string bytes = Bytes();
  bytes[8] = 9;  // the format version's low byte
  Write(bytes);
  auto reader = StateFileReader::Open(path_);
  ASSERT_FALSE(reader);
  EXPECT_NE(reader.error().message.find("format 9 (written by tsq test)"), std::string::npos)
      << reader.error().message;
  EXPECT_NE(reader.error().message.find(fmt::format("reads format {}", kStateFormatVersion)),
            std::string::npos);
}

TEST_F(StateFileTest, RefusesADamagedOrCutFile) {
  const std::string good = Bytes();
  std::string flipped = good;
  flipped[flipped.size() - 6] ^= 0x5A;
  Write(flipped);
  auto damaged = StateFileReader::Open(path_);
  ASSERT_FALSE(damaged);
  EXPECT_EQ(damaged.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(damaged.error().message.find("damaged state file"), std::string::npos)
      << damaged.error().message;

  Write(good.substr(0, good.size() - 10));
  auto cut = StateFileReader::Open(path_);
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message.find("truncated"), std::string::npos) << cut.error().message;

  Write(good.substr(0, 20));
  EXPECT_FALSE(StateFileReader::Open(path_));
}

TEST_F(StateFileTest, RefusesAFileThatIsNoState) {
  Write("operator,region\n移动,长春\n");
  auto reader = StateFileReader::Open(path_);
  ASSERT_FALSE(reader);
  EXPECT_NE(reader.error().message.find("not a tsq state file"), std::string::npos);
  EXPECT_EQ(StateFileReader::Open((dir_ / "none.state").string()).error().code,
            ErrorCode::kNotFound);
}

TEST_F(StateFileTest, RefusesACountBeyondItsBytesPastValidChecksums) {
  // A crafted state whose frames check out but whose first string claims 2^40 bytes: the reader
  // must refuse it, not try to allocate them.
  StateMeta meta;
  meta.tsq_version = "x";
  StringDictionary dict;
  auto empty = StateBytes(meta, dict, {}, false);
  ASSERT_TRUE(empty);
  std::string bytes = empty->substr(0, 20 + meta.tsq_version.size());
  {
    ZstdOutBuf out(&bytes, "crafted");
    const uint64_t huge = uint64_t{1} << 40;
    out.sputn(reinterpret_cast<const char*>(&huge), sizeof(huge));
    ASSERT_TRUE(out.EndFrame());
  }
  auto reader = StateFileReader::FromBytes(std::move(bytes), "crafted.state");
  ASSERT_FALSE(reader);
  EXPECT_NE(reader.error().message.find("crafted.state: damaged state file (a count of "
                                        "1099511627776 where 0 bytes are left"),
            std::string::npos)
      << reader.error().message;
}

}  // namespace
}  // namespace tsq
