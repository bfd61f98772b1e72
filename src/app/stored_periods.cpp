#include "app/stored_periods.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/timestamp.h"
#include "indicators/judge.h"

namespace tsq {
namespace {

// A cell's figures in one window as cells.json writes them (findings_render.cpp, WindowJson).
std::optional<CellFigures> FiguresOf(const nlohmann::json& w) {
  if (!w.is_object()) return std::nullopt;
  const auto number = [&](const char* k) -> std::optional<double> {
    return w.contains(k) && w[k].is_number() ? std::optional<double>(w[k].get<double>())
                                             : std::nullopt;
  };
  CellFigures f;
  f.tests = w.value("tests", uint64_t{0});
  f.samples = w.value("samples", uint64_t{0});
  f.devices = w.value("devices", uint64_t{0});
  f.bad = w.value("bad", uint64_t{0});
  f.bad_share = number("bad_share");
  if (auto low = number("lower"), high = number("upper"); low && high) {
    f.bounds = Interval{*low, *high, false};
  }
  f.median_down_mbps = number("median_down_mbps");
  f.p10_down_mbps = number("p10_down_mbps");
  f.lat = number("lat").value_or(0);
  f.lon = number("lon").value_or(0);
  const std::string verdict = w.value("verdict", "");
  f.poor = verdict == "poor";
  f.measured = f.poor || verdict == "not_poor";
  return f;
}

}  // namespace

Result<std::shared_ptr<const StoredBaseline>> ReadStoredBaseline(Store& store,
                                                                 const std::string& label) {
  using Out = std::shared_ptr<const StoredBaseline>;
  auto doc = store.Document(label, "cells.json");
  if (!doc) return std::move(doc).error();
  if (!doc->has_value()) return Out();
  const auto j = nlohmann::json::parse((*doc)->body, nullptr, false);
  if (!j.is_object() || !j.contains("rule") || !j.contains("cells")) {
    return Error(ErrorCode::kCorrupt, fmt::format("{}: the cells of {} are not tsq's cells JSON; "
                                                  "ingest the period again",
                                                  store.Where(), label));
  }
  auto out = std::make_shared<StoredBaseline>();
  out->label = label;
  const auto& r = j["rule"];
  CellRule& rule = out->rule;
  rule.by_signal = r.value("basis", "rate") == "signal";
  rule.bad_down_mbps_5g = r.value("bad_down_mbps_5g", rule.bad_down_mbps_5g);
  rule.bad_down_mbps_4g = r.value("bad_down_mbps_4g", rule.bad_down_mbps_4g);
  rule.bad_rsrp_dbm = r.value("bad_rsrp_dbm", rule.bad_rsrp_dbm);
  rule.bad_sinr_db = r.value("bad_sinr_db", rule.bad_sinr_db);
  rule.min_tests = r.value("min_tests", rule.min_tests);
  rule.poor_share = r.value("poor_share", rule.poor_share);
  rule.z = r.value("z", rule.z);
  rule.one_per_device_day = r.value("one_per_device_day", rule.one_per_device_day);
  rule.control_min_bad_share = r.value("control_min_bad_share", rule.control_min_bad_share);
  for (const auto& c : j["cells"]) {
    // The baseline period's own figures are its "now" (not the window before it).
    std::optional<CellFigures> figures = FiguresOf(c.value("now", nlohmann::json()));
    if (!figures) continue;
    CellKey key;
    key.op = c.value("operator", "");
    key.rat = c.value("rat", "");
    key.id = c.value("id", "");
    key.tile = c.value("kind", "cell") == "tile";
    out->cells.emplace(std::move(key), *figures);
  }
  return Out(std::move(out));
}

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
    const std::optional<Dim> dim = DimFromName(name);
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
