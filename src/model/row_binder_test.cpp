#include "model/row_binder.h"

#include <cctype>
#include <charconv>
#include <cstring>

#include <gtest/gtest.h>

namespace tsq {
namespace {

TEST(RowBinder, ValueParsers) {
  for (const char* t : {"1", "y", "Y", "true", "TRUE", "True"}) EXPECT_EQ(ParseBool(t), true) << t;
  for (const char* f : {"0", "n", "N", "false", "FALSE", "fAlSe"}) EXPECT_EQ(ParseBool(f), false);
  for (const char* bad : {"", "2", "yes", "no", "t", "f", "\x11", "truex"}) {
    EXPECT_FALSE(ParseBool(bad)) << bad;
  }
  EXPECT_EQ(ParseNumber("63.5"), 63.5);
  EXPECT_EQ(ParseNumber("-1e3"), -1000.0);
  for (const char* bad : {"", "1.2.3", "inf", "nan", "1e400", "+1", "0x10", "1,5", "12a"}) {
    EXPECT_FALSE(ParseNumber(bad)) << bad;
  }
  EXPECT_EQ(ParseInt("-65"), -65);
  EXPECT_EQ(ParseInt("9223372036854775807"), INT64_MAX);
  for (const char* bad : {"", "65.0", "9223372036854775808", "6x", "+1"}) {
    EXPECT_FALSE(ParseInt(bad)) << bad;
  }
  constexpr std::string_view kVocab[] = {"2G", "4G", "5G"};
  EXPECT_EQ(EnumCode(kVocab, "5G"), 2);
  EXPECT_EQ(EnumCode(kVocab, "5g"), -1);
}

TEST(RowBinder, FirstFailureInContractOrderAndBatchUntouched) {
  const RecordSchema& schema = SchemaOf(RecordType::kSms);
  RowBinder binder(schema, kChinaOffsetSeconds);
  StringDictionary dict;
  BindState state(schema, &dict);
  Batch batch = Batch::ForSchema(schema);
  // sent_at, sender, receiver, operator, region, delivered_at, status
  std::string_view good[] = {"2022-07-01 08:00:00", "138", "139", "移动", "", "", "failed"};
  BindFailure failure;
  ASSERT_TRUE(binder.Bind(good, 2, &batch, &state, &failure));
  // status unknown AND delivered before sent: the column check comes first.
  std::string_view bad[] = {"2022-07-01 08:00:00", "138", "139", "联通", "长春",
                            "2022-07-01 07:00:00", "lost"};
  ASSERT_FALSE(binder.Bind(bad, 3, &batch, &state, &failure));
  EXPECT_EQ(failure.reason, BadRowReason::kUnknownEnum);
  EXPECT_EQ(failure.column, col::sms::kStatus);
  bad[6] = "delivered";
  ASSERT_FALSE(binder.Bind(bad, 3, &batch, &state, &failure));
  EXPECT_EQ(failure.reason, BadRowReason::kEndBeforeStart);
  EXPECT_EQ(failure.column, col::sms::kDeliveredAt);
  // Nothing of the rejected rows is left behind.
  EXPECT_EQ(batch.rows, 1u);
  for (const ColumnData& c : batch.columns) {
    EXPECT_EQ(c.i64.size() + c.f64.size() + c.ids.size() + c.u8.size() + c.text.offsets.size() - 1,
              1u);
  }
  EXPECT_EQ(dict.Find("联通"), kMissingId);
  EXPECT_EQ(batch.line, std::vector<uint64_t>{2});
}

}  // namespace
}  // namespace tsq

namespace tsq {
namespace {

TEST(DictInterner, AgreesWithTheDictionaryForAllKeyLengths) {
  StringDictionary dict;
  DictInterner a(&dict);
  DictInterner b(&dict);
  std::vector<std::string> keys;
  for (int len = 1; len <= 40; ++len) {
    for (int v = 0; v < 300; ++v) {
      std::string k(static_cast<size_t>(len), 'a');
      for (int i = 0; i < len; ++i)
        k[static_cast<size_t>(i)] = static_cast<char>('a' + (v * 7 + i * 13) % 26);
      keys.push_back(k);
    }
  }
  keys.push_back("移动");
  keys.push_back(std::string("a\0b", 3));
  keys.push_back(std::string("a\0", 2));
  for (int round = 0; round < 2; ++round) {
    for (const std::string& k : keys) {
      const uint32_t id = a.Intern(k);
      EXPECT_EQ(dict.Get(id), k);
      EXPECT_EQ(b.Intern(k), id);
    }
  }
}

}  // namespace
}  // namespace tsq

namespace tsq {
namespace {

TEST(RowBinder, TimestampFastPathAgreesWithParseTimestamp) {
  const RecordSchema& schema = SchemaOf(RecordType::kCalls);
  StringDictionary dict;
  for (int32_t offset : {kChinaOffsetSeconds, 0, -5 * 3600}) {
    RowBinder binder(schema, offset);
    BindState state(schema, &dict);
    for (const char* t :
         {"2022-07-01 08:15:03", "2022-07-01 23:59:59", "2022-07-01T00:00:00",
          "2022-07-01 24:00:00", "2022-07-01 08:60:00", "2022-07-01 08:00:60",
          "2022-07-01x08:00:00", "2022-07-01 08-00:00", "2022-07-01 0a:00:00",
          "2022-07-01 08:00:00.25", "2022-07-01T08:00:00+09:00", "2022-07-01 08:00:0",
          "2022-07-02 00:00:00", "2022-02-30 00:00:00", "2022-07-02 12:00:00",
          "2024-02-29 12:00:00", "2024-02-29 13:00:00", "2022-07-01 8:00:00 "}) {
      EXPECT_EQ(binder.Timestamp(t, &state), ParseTimestamp(t, offset)) << t << " " << offset;
    }
  }
}

TEST(RowBinder, NumberFastPathAgreesWithFromChars) {
  uint64_t x = 88172645463325252ull;
  for (int i = 0; i < 200000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    std::string s = (x & 1) ? "-" : "";
    const int int_digits = static_cast<int>((x >> 1) % 12);
    const int frac_digits = static_cast<int>((x >> 5) % 9);
    for (int d = 0; d < int_digits; ++d) s += static_cast<char>('0' + (x >> (9 + d * 3)) % 10);
    if ((x >> 50) % 4 != 0) s += ".";
    for (int d = 0; d < frac_digits; ++d) s += static_cast<char>('0' + (x >> (20 + d * 4)) % 10);
    double expected = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), expected);
    const bool ok = ec == std::errc() && end == s.data() + s.size();
    const std::optional<double> got = ParseNumber(s);
    ASSERT_EQ(got.has_value(), ok) << s;
    if (ok) {
      EXPECT_EQ(std::memcmp(&*got, &expected, sizeof(double)), 0) << s;
    }
  }
}

}  // namespace
}  // namespace tsq

namespace tsq {
namespace {

TEST(RowBinder, EnumTableAgreesWithEnumCode) {
  for (RecordType type : AllRecordTypes()) {
    const RecordSchema& schema = SchemaOf(type);
    RowBinder binder(schema, kChinaOffsetSeconds);
    for (size_t c = 0; c < schema.columns.size(); ++c) {
      const auto vocab = schema.columns[c].enum_values;
      if (vocab.empty()) continue;
      for (size_t code = 0; code < vocab.size(); ++code) {
        const std::string w(vocab[code]);
        EXPECT_EQ(binder.Enum(c, w), static_cast<int>(code)) << w;
        std::string upper = w;
        upper[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[0])));
        for (const std::string& near : {w + "x", w.substr(0, w.size() - 1) + "x", upper,
                                        std::string(1, w[0]), "x" + w.substr(1)}) {
          if (near.empty()) continue;
          EXPECT_EQ(binder.Enum(c, near), EnumCode(vocab, near)) << near;
        }
      }
    }
  }
}

TEST(RowBinder, UnkeptColumnsAreCheckedButNotKept) {
  namespace c = col::calls;
  const RecordSchema& schema = SchemaOf(RecordType::kCalls);
  const uint32_t unkept =
      1u << c::kCaller | 1u << c::kCallee | 1u << c::kCellId | 1u << c::kCallerImei;
  RowBinder binder(schema, kChinaOffsetSeconds, {}, unkept);
  StringDictionary dict;
  BindState state(schema, &dict);
  Batch batch = Batch::ForSchema(schema);
  std::string_view row[] = {"2022-07-01 08:00:00", "13800000001", "13900000002", "移动", "长春",
                            "460-00-1-1",          "5G",          "answered",    "61",   "0",
                            "860000000000001"};
  BindFailure failure;
  ASSERT_TRUE(binder.Bind(row, 2, &batch, &state, &failure));
  binder.ResolveIds(&batch, &state);
  EXPECT_EQ(batch.rows, 1u);
  EXPECT_EQ(batch.Id(c::kOperator, 0), dict.Find("移动"));
  EXPECT_EQ(batch.Code(c::kRat, 0), 2);
  EXPECT_TRUE(batch.columns[c::kCaller].text.bytes.empty());
  EXPECT_TRUE(batch.columns[c::kCellId].ids.empty());
  EXPECT_EQ(dict.Find("460-00-1-1"), kMissingId);  // never interned
  // A required column is still required when it is not kept.
  row[c::kCallee] = "";
  ASSERT_FALSE(binder.Bind(row, 3, &batch, &state, &failure));
  EXPECT_EQ(failure.reason, BadRowReason::kMissingRequired);
  EXPECT_EQ(failure.column, c::kCallee);
  EXPECT_EQ(batch.rows, 1u);
}

}  // namespace
}  // namespace tsq
