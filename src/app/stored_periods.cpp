#include "app/stored_periods.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/timestamp.h"
#include "indicators/judge.h"

namespace tsq {
namespace {

std::optional<Dim> DimNamed(std::string_view name) {
  for (int d = 0; d < kDimCount; ++d) {
    if (name == DimName(static_cast<Dim>(d))) return static_cast<Dim>(d);
  }
  return std::nullopt;
}

}  // namespace

Result<IndicatorValue> ToIndicatorValue(const StoredValue& stored) {
  IndicatorValue v;
  v.id = stored.id;
  const auto group = nlohmann::json::parse(stored.group_json, nullptr, false);
  if (!group.is_object()) {
    return Error(
        ErrorCode::kCorrupt,
        fmt::format("stored {} {{{}}}: its group is not a JSON object", stored.id, stored.group));
  }
  for (const auto& [name, value] : group.items()) {
    const std::optional<Dim> dim = DimNamed(name);
    if (!dim || !value.is_string()) {
      return Error(ErrorCode::kCorrupt, fmt::format("stored {} {{{}}}: unknown dimension {}",
                                                    stored.id, stored.group, name));
    }
    v.group.dims.emplace_back(*dim, value.get<std::string>());
  }
  std::sort(v.group.dims.begin(), v.group.dims.end());
  if (v.group.ToString() != stored.group) {
    // A store written before groups were kept exactly (schema 1) has "{}" for every group.
    return Error(ErrorCode::kCorrupt,
                 fmt::format("stored {} {{{}}}: the store has no exact group for it; ingest the "
                             "period again",
                             stored.id, stored.group));
  }
  v.value = stored.value;
  v.n = stored.n;
  v.is_rate = stored.is_rate;
  v.successes = stored.successes;
  return v;
}

Result<std::optional<std::vector<IndicatorValue>>> ReadStoredPeriod(Store& store,
                                                                    const std::string& label,
                                                                    const Catalog& catalog) {
  using Out = std::optional<std::vector<IndicatorValue>>;
  auto stored = store.Values({.period = label});
  if (!stored) return std::move(stored).error();
  if (stored->empty()) return Out();
  std::vector<IndicatorValue> values;
  values.reserve(stored->size());
  for (const StoredValue& s : *stored) {
    auto v = ToIndicatorValue(s);
    if (!v) {
      return Error(v.error().code, fmt::format("{}: {}", store.Where(), v.error().message));
    }
    values.push_back(std::move(*v));
  }
  Judge(catalog, &values);
  return Out(std::move(values));
}

Result<std::vector<std::string>> AddStoredComparisons(Store& store, const Catalog& catalog,
                                                      ReportInput* report) {
  std::vector<std::string> read;
  auto periods = store.Periods();
  if (!periods) return std::move(periods).error();
  const int32_t off = report->local_offset_s;
  const auto fill = [&](const Period& want, const char* what, std::optional<Period>* slot,
                        std::vector<IndicatorValue>* values) -> Status {
    for (const PeriodInfo& p : *periods) {
      if (p.label != want.label) continue;
      if (p.from != FormatTimestamp(want.from, off) || p.to != FormatTimestamp(want.to, off)) {
        continue;  // stored under the same label with other bounds (another time zone)
      }
      auto stored = ReadStoredPeriod(store, p.label, catalog);
      if (!stored) return std::move(stored).error();
      if (!stored->has_value()) return {};
      // The data wins where it has records; the store fills the values it has none for (a
      // family whose records of that period were not given).
      std::map<std::pair<std::string, std::string>, size_t> at;
      for (size_t i = 0; i < values->size(); ++i) {
        at[{(*values)[i].id, (*values)[i].group.ToString()}] = i;
      }
      size_t filled = 0;
      for (IndicatorValue& v : **stored) {
        auto it = at.find({v.id, v.group.ToString()});
        if (it == at.end()) {
          values->push_back(std::move(v));
        } else if (IndicatorValue& mine = (*values)[it->second]; mine.n == 0 && !mine.value) {
          mine = std::move(v);
        } else {
          continue;
        }
        ++filled;
      }
      if (filled == 0) return {};
      *slot = want;
      read.push_back(
          fmt::format("{}: {} from the store {} (stored {}), {} values the data has "
                      "no records for",
                      what, p.label, store.Where(), p.stored_at, filled));
      break;
    }
    return {};
  };
  const Period previous = report->period.Previous(off);
  const Period year_earlier = report->period.YearEarlier(off);
  TSQ_TRY(fill(previous, "环比 (previous period)", &report->previous, &report->previous_values));
  TSQ_TRY(fill(year_earlier, "同比 (a year earlier)", &report->year_earlier,
               &report->year_earlier_values));
  return read;
}

}  // namespace tsq
