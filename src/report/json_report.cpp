#include "report/json_report.h"

#include <set>

#include "io/output_file.h"
#include "model/schema.h"
#include "report/data_quality_render.h"
#include "report/report_format.h"
#include "report/report_view.h"

namespace tsq {
namespace {

using Json = nlohmann::ordered_json;

Json Optional(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json GroupJson(const Group& g) {
  Json j = Json::object();
  for (const auto& [dim, value] : g.dims) j[DimName(dim)] = value;
  return j;
}

Json TargetJson(const std::optional<Target>& t, TargetBasis basis) {
  if (!t) return nullptr;
  return Json{{"op", t->OpText()}, {"value", t->value}, {"basis", TargetBasisName(basis)}};
}

Json PeriodJson(const Period& p, int32_t offset) {
  return Json{{"period", p.label},
              {"from", FormatTimestamp(p.from, offset)},
              {"to", FormatTimestamp(p.to, offset)}};
}

Json ValuesJson(const std::vector<IndicatorValue>& values) {
  Json a = Json::array();
  for (const IndicatorValue& v : values) a.push_back(IndicatorValueJson(v));
  return a;
}

Json ComparisonsJson(const report::ReportView& view) {
  Json a = Json::array();
  if (!view.has_previous() && !view.has_year_earlier()) return a;
  for (const IndicatorValue& v : view.input().current) {
    const IndicatorValue* prev = view.Previous(v);
    const IndicatorValue* ye = view.YearEarlier(v);
    if (prev == nullptr && ye == nullptr) continue;
    Json j;
    j["id"] = v.id;
    j["group"] = GroupJson(v.group);
    j["value"] = Optional(v.value);
    const auto add = [&](const char* key, const IndicatorValue* other) {
      if (other == nullptr) return;
      j[key] = Optional(other->value);
      // The plain difference: for rates a difference of fractions (0.0012 = 0.12 points).
      j[std::string(key) + "_delta"] =
          v.value && other->value ? Json(*v.value - *other->value) : Json(nullptr);
    };
    add("previous", prev);
    add("year_earlier", ye);
    a.push_back(std::move(j));
  }
  return a;
}

Json SummaryJson(const report::ReportView& view) {
  Json a = Json::array();
  for (const std::string& op : view.operators()) {
    const std::vector<const IndicatorValue*> rows = view.OperatorRows(op);
    const report::VerdictCounts c = report::ReportView::Count(rows);
    Json missed = Json::array();
    for (const IndicatorValue* v : rows) {
      if (v->verdict == Verdict::kMissed) missed.push_back(v->id);
    }
    a.push_back(Json{{"operator", op},
                     {"judged", c.judged},
                     {"met", c.met},
                     {"missed", c.missed},
                     {"insufficient", c.insufficient},
                     {"inconclusive", c.inconclusive},
                     {"missed_ids", std::move(missed)}});
  }
  return a;
}

Json DefinitionsJson(const report::ReportView& view) {
  Json a = Json::array();
  std::set<const IndicatorDef*> seen;
  for (const std::string& id : view.ids()) {
    const IndicatorDef* d = view.Def(id);
    if (d == nullptr || !seen.insert(d).second) continue;
    a.push_back(Json{{"id", d->id},
                     {"name_zh", d->name_zh},
                     {"name_en", d->name_en},
                     {"formula_zh", d->formula_zh},
                     {"formula_en", d->formula_en},
                     {"unit", d->unit},
                     {"polarity", d->polarity},
                     {"target", TargetJson(d->target, d->basis)},
                     {"min_sample", d->min_sample},
                     {"source_zh", d->source_zh},
                     {"source_en", d->source_en}});
  }
  return a;
}

}  // namespace

Json IndicatorValueJson(const IndicatorValue& v) {
  Json j;
  j["id"] = v.id;
  j["group"] = GroupJson(v.group);
  j["value"] = Optional(v.value);
  j["n"] = v.n;
  j["target"] = TargetJson(v.target, v.target_basis);
  j["verdict"] = v.verdict == Verdict::kNone ? Json(nullptr) : Json(VerdictName(v.verdict));
  if (v.ci) {
    j["ci"] = Json{{"low", v.ci->low}, {"high", v.ci->high}, {"inconclusive", v.ci->inconclusive}};
  } else {
    j["ci"] = nullptr;
  }
  return j;
}

Json ComparisonPeriodJson(const std::optional<Period>& period,
                          const std::vector<IndicatorValue>& values, int32_t local_offset_s) {
  if (!period) return nullptr;
  Json p = PeriodJson(*period, local_offset_s);
  p["indicators"] = ValuesJson(values);
  return p;
}

Json ReportJson(const ReportInput& in, const ReportOptions& options) {
  const report::ReportView view(in);
  const int32_t off = in.local_offset_s;
  Json j;
  j["kind"] = options.notice()           ? "notice"
              : options.company_report() ? "company_report"
                                         : "analysis";
  j["province"] = in.province;
  j["lang"] = in.lang == Lang::kZh ? "zh" : "en";
  j["period"] = in.period.label;
  j["from"] = FormatTimestamp(in.period.from, off);
  j["to"] = FormatTimestamp(in.period.to, off);
  j["as_of"] = FormatTimestamp(in.as_of, off);
  j["operators"] = view.operators();
  j["indicators"] = ValuesJson(in.current);
  j["previous"] = ComparisonPeriodJson(in.previous, in.previous_values, off);
  j["year_earlier"] = ComparisonPeriodJson(in.year_earlier, in.year_earlier_values, off);
  if (options.company_report()) {
    j["operator"] = options.operator_name;
    j["company"] = options.company;
  }
  j["comparisons"] = ComparisonsJson(view);
  j["summary"] = SummaryJson(view);
  // Every missed verdict at every breakdown, the furthest from its target first.
  Json failures = Json::array();
  for (const IndicatorValue* v : view.Misses()) {
    Json f = IndicatorValueJson(*v);
    f["shortfall"] = report::ReportView::Shortfall(*v);
    failures.push_back(std::move(f));
  }
  j["failures"] = std::move(failures);
  j["data_quality"] = DataQualityJson(in.data_quality);
  j["definitions"] = DefinitionsJson(view);
  Json inputs = Json::array();
  for (const FileQuality& f : in.data_quality.files) {
    inputs.push_back(Json{{"path", f.read.path},
                          {"sheet", f.read.sheet.empty() ? Json(nullptr) : Json(f.read.sheet)},
                          {"size_bytes", f.read.size_bytes},
                          {"sha256", f.read.sha256.empty() ? Json(nullptr) : Json(f.read.sha256)}});
  }
  j["traceability"] = Json{{"tsq_version", in.tsq_version},
                           {"catalog_hash", in.catalog_hash},
                           {"as_of", FormatTimestamp(in.as_of, off)},
                           {"utc_offset_s", off},
                           {"inputs", std::move(inputs)}};
  return j;
}

std::string RenderJsonReport(const ReportInput& in, const ReportOptions& options) {
  // Invalid UTF-8 in a path or a province name must not abort the report: replace it.
  return ReportJson(in, options).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Status WriteJsonReport(const ReportInput& in, const std::string& path,
                       const ReportOptions& options) {
  const std::string text = RenderJsonReport(in, options);
  auto file = OutputFile::Create(path);
  if (!file) return std::move(file).error();
  TSQ_TRY((*file)->Write(text));
  return (*file)->Commit();
}

}  // namespace tsq
