#include "detectors/work_orders.h"

#include <array>

#include <fmt/format.h>

#include "core/period.h"
#include "core/timestamp.h"
#include "io/csv_tokenizer.h"
#include "io/text_file.h"

namespace tsq {

Result<std::map<std::string, WorkOrder>> ParseWorkOrders(std::string_view text,
                                                         std::string_view origin,
                                                         int32_t local_offset_s) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  CsvTokenizer tok;
  tok.Reset(text, 1, 0);
  CsvRecord rec;
  if (!tok.Next(&rec) || rec.bad_quoting) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}: no header; expected cell_id,order_id,fixed_at", origin));
  }
  constexpr std::array<std::string_view, 3> kColumns = {"cell_id", "order_id", "fixed_at"};
  std::array<int, 3> at = {-1, -1, -1};
  for (size_t i = 0; i < rec.fields.size(); ++i) {
    for (size_t c = 0; c < kColumns.size(); ++c) {
      if (rec.fields[i] == kColumns[c]) at[c] = static_cast<int>(i);
    }
  }
  for (size_t c = 0; c < kColumns.size(); ++c) {
    if (at[c] < 0) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}:1: no column {}; the header needs cell_id, order_id and "
                               "fixed_at",
                               origin, kColumns[c]));
    }
  }
  const size_t width = rec.fields.size();
  std::map<std::string, WorkOrder> out;
  while (tok.Next(&rec)) {
    const auto fail = [&](const std::string& what) {
      return Error(ErrorCode::kInvalidArgument, fmt::format("{}:{}: {}", origin, rec.line, what));
    };
    if (rec.bad_quoting) return fail("bad quoting");
    if (rec.fields.size() != width) {
      return fail(fmt::format("{} fields where the header has {}", rec.fields.size(), width));
    }
    const std::string cell(rec.fields[static_cast<size_t>(at[0])]);
    const std::string_view fixed = rec.fields[static_cast<size_t>(at[2])];
    if (cell.empty()) return fail("cell_id is empty");
    std::optional<int64_t> day;
    if (auto date = ParseDate(fixed)) {
      day = DaysFromCivil(date->year, date->month, date->day);
    } else if (auto t = ParseTimestamp(fixed, local_offset_s)) {
      day = LocalDay(*t, local_offset_s);
    }
    if (!day) {
      return fail(
          fmt::format("fixed_at '{}': expected a date such as 2022-09-15 or a timestamp", fixed));
    }
    WorkOrder order{std::string(rec.fields[static_cast<size_t>(at[1])]),
                    static_cast<int32_t>(*day)};
    if (!out.emplace(cell, std::move(order)).second) {
      return fail(fmt::format("cell {} has a second work order; give one fix per cell", cell));
    }
  }
  return out;
}

Result<std::map<std::string, WorkOrder>> ReadWorkOrders(const std::string& path,
                                                        int32_t local_offset_s) {
  auto text = ReadTextFile(path, "the work-order file");
  if (!text) return std::move(text).error();
  return ParseWorkOrders(*text, path, local_offset_s);
}

}  // namespace tsq
