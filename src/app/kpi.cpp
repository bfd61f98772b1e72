#include "app/kpi.h"

#include <set>

#include <fmt/format.h>

#include "core/glob.h"

namespace tsq {

Result<KpiFormat> ParseKpiFormat(std::string_view name) {
  if (name == "table") return KpiFormat::kTable;
  if (name == "json") return KpiFormat::kJson;
  if (name == "csv") return KpiFormat::kCsv;
  return Error(ErrorCode::kInvalidArgument,
               fmt::format("--format {}: expected table, json or csv", name));
}

Result<std::string> RenderKpi(const Analysis& analysis, KpiFormat format, const KpiView& view) {
  const ReportInput& in = analysis.report;
  if (!view.operator_name.empty()) {
    std::set<std::string> operators;
    for (const IndicatorValue& v : in.current) {
      for (Dim d : {Dim::kOperator, Dim::kFromOperator}) {
        if (const std::string* op = v.group.Find(d)) operators.insert(*op);
      }
    }
    if (!operators.contains(view.operator_name)) {
      std::vector<std::string> names(operators.begin(), operators.end());
      std::string list;
      for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
      const std::vector<std::string> close = ClosestMatches(view.operator_name, names);
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("--operator {}: no such operator in the period's data ({}){}",
                               view.operator_name, list.empty() ? "none" : list,
                               close.empty() ? "" : "; did you mean " + close.front() + "?"));
    }
  }
  switch (format) {
    case KpiFormat::kJson:
      return RenderKpiJson(in, view);
    case KpiFormat::kCsv:
      return RenderKpiCsv(in, view);
    case KpiFormat::kTable:
      break;
  }
  return RenderKpiTable(in, view);
}

}  // namespace tsq
