#include "engine/family.h"

#include <cmath>

#include <fmt/format.h>

#include "core/timestamp.h"

namespace tsq {

std::string CodeText(const KeyDim& dim, uint32_t code, const StringDictionary& dict) {
  if (code == kBlankCode) return "";
  switch (dim.coding) {
    case Coding::kDictId:
      return std::string(dict.Get(code));
    case Coding::kEnumCode:
      return code < dim.enum_names.size() ? std::string(dim.enum_names[code]) : "?";
    case Coding::kMonthKey:
      return MonthKeyToString(static_cast<int32_t>(code));
    case Coding::kCentis: {
      if (code % 100 == 0) return std::to_string(code / 100);
      std::string s = fmt::format("{:.2f}", code / 100.0);
      if (s.back() == '0') s.pop_back();
      return s;
    }
  }
  return "?";
}

std::vector<std::vector<int>> StandardBreakdowns(int op, int region, int month) {
  return {{}, {op}, {region}, {month}, {op, region}, {op, month}};
}

const Layout& OperatorRegionMonthLayout() {
  static const Layout layout = [] {
    Layout l;
    l.dims = {{Dim::kOperator, Coding::kDictId},
              {Dim::kRegion, Coding::kDictId},
              {Dim::kMonth, Coding::kMonthKey}};
    l.breakdowns = StandardBreakdowns(kOrmOperator, kOrmRegion, kOrmMonth);
    return l;
  }();
  return layout;
}

void PushCount(std::vector<IndicatorValue>* out, std::string id, const Group& g, uint64_t count,
               uint64_t n) {
  IndicatorValue v;
  v.id = std::move(id);
  v.group = g;
  v.value = static_cast<double>(count);
  v.n = n;
  out->push_back(std::move(v));
}

void PushRate(std::vector<IndicatorValue>* out, std::string id, const Group& g, uint64_t successes,
              uint64_t n) {
  IndicatorValue v;
  v.id = std::move(id);
  v.group = g;
  v.n = n;
  v.is_rate = true;
  v.successes = successes;
  if (n > 0) v.value = static_cast<double>(successes) / static_cast<double>(n);
  out->push_back(std::move(v));
}

void PushMean(std::vector<IndicatorValue>* out, std::string id, const Group& g, double sum,
              uint64_t n) {
  IndicatorValue v;
  v.id = std::move(id);
  v.group = g;
  v.n = n;
  if (n > 0) v.value = sum / static_cast<double>(n);
  out->push_back(std::move(v));
}

void PushNumber(std::vector<IndicatorValue>* out, std::string id, const Group& g,
                std::optional<double> value, uint64_t n) {
  IndicatorValue v;
  v.id = std::move(id);
  v.group = g;
  v.value = value;
  v.n = n;
  out->push_back(std::move(v));
}

}  // namespace tsq
