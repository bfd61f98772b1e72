#include "model/batch.h"

namespace tsq {

void ColumnData::Clear() {
  i64.clear();
  f64.clear();
  ids.clear();
  u8.clear();
  text.Clear();
}

void ColumnData::Reserve(size_t rows) {
  switch (type) {
    case ColumnType::kTimestamp:
    case ColumnType::kMonth:
    case ColumnType::kInt:
      i64.reserve(rows);
      break;
    case ColumnType::kNumber:
      f64.reserve(rows);
      break;
    case ColumnType::kDict:
      ids.reserve(rows);
      break;
    case ColumnType::kEnum:
    case ColumnType::kBool:
      u8.reserve(rows);
      break;
    case ColumnType::kText:
      text.offsets.reserve(rows + 1);
      break;
  }
}

Batch Batch::ForSchema(const RecordSchema& schema) {
  Batch b;
  b.schema = &schema;
  b.columns.resize(schema.columns.size());
  for (size_t i = 0; i < schema.columns.size(); ++i) b.columns[i].type = schema.columns[i].type;
  return b;
}

void Batch::Clear() {
  rows = 0;
  line.clear();
  for (ColumnData& c : columns) c.Clear();
}

}  // namespace tsq
