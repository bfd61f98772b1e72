// Batch: a few thousand accepted records of one type, stored column by column (struct of arrays).
// Each column uses the one vector its ColumnType needs; missing values are sentinels, so hot loops
// read plain arrays. A batch owns its text bytes; dictionary ids refer to the run's
// StringDictionary.
#pragma once

#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/string_dictionary.h"
#include "core/timestamp.h"
#include "model/schema.h"

namespace tsq {

inline constexpr int64_t kMissingInt = std::numeric_limits<int64_t>::min();  // timestamps, ints
inline constexpr uint8_t kMissingCode = 0xFF;                                // enums, bools

inline bool IsMissing(double v) { return std::isnan(v); }

/// Text values of one column: value i is bytes[offsets[i], offsets[i+1]); empty = missing.
struct TextColumn {
  std::vector<uint32_t> offsets{0};
  std::string bytes;

  std::string_view Get(size_t row) const {
    return std::string_view(bytes).substr(offsets[row], offsets[row + 1] - offsets[row]);
  }
  void Append(std::string_view v) {
    bytes.append(v);
    offsets.push_back(static_cast<uint32_t>(bytes.size()));
  }
  void Clear() {
    offsets.assign(1, 0);
    bytes.clear();
  }
};

struct ColumnData {
  ColumnType type = ColumnType::kText;
  std::vector<int64_t> i64;   // kTimestamp (Micros), kInt; kMissingInt when missing
  std::vector<double> f64;    // kNumber; NaN when missing
  std::vector<uint32_t> ids;  // kDict; kMissingId when missing
  std::vector<uint8_t> u8;    // kEnum (index into enum_values), kBool (0/1); kMissingCode
  TextColumn text;            // kText
  bool present = true;        // false when the file has no such (optional) column

  void Clear();
  void Reserve(size_t rows);
};

struct Batch {
  const RecordSchema* schema = nullptr;
  uint32_t file_index = 0;  // index into the run's list of input files
  size_t rows = 0;
  std::vector<ColumnData> columns;  // one per schema column, in contract order
  std::vector<uint64_t> line;       // physical line (1 = header) where each row starts

  /// An empty batch with one typed column per schema column.
  static Batch ForSchema(const RecordSchema& schema);
  void Clear();

  // Typed accessors; `c` is a col:: constant of the batch's record type.
  Micros Time(int c, size_t row) const { return columns[c].i64[row]; }
  int64_t Int(int c, size_t row) const { return columns[c].i64[row]; }
  double Number(int c, size_t row) const { return columns[c].f64[row]; }
  // A text or dictionary column that no family of the run declared it reads is checked but not
  // kept (ReadOptions::unkept_columns); reading it is a bug the assertions catch in debug builds.
  uint32_t Id(int c, size_t row) const {
    assert(row < columns[c].ids.size());
    return columns[c].ids[row];
  }
  uint8_t Code(int c, size_t row) const { return columns[c].u8[row]; }
  std::string_view Text(int c, size_t row) const {
    assert(row + 1 < columns[c].text.offsets.size());
    return columns[c].text.Get(row);
  }
  /// Bool column as 1/0, with missing read as `missing_as`.
  bool Flag(int c, size_t row, bool missing_as = false) const {
    const uint8_t v = columns[c].u8[row];
    return v == kMissingCode ? missing_as : v != 0;
  }
};

}  // namespace tsq
