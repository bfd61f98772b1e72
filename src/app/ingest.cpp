#include "app/ingest.h"

#include <filesystem>

#include <fmt/format.h>
#include <unistd.h>

#include "core/timestamp.h"
#include "io/text_file.h"
#include "report/callers_render.h"
#include "report/findings_render.h"
#include "report/html_report.h"
#include "report/json_report.h"
#include "report/kpi_render.h"
#include "report/xlsx_report.h"

namespace tsq {
namespace {

using Json = nlohmann::ordered_json;
constexpr const char* kJson = "application/json";

StoredValue ToStoredValue(const IndicatorValue& v) {
  StoredValue s;
  s.id = v.id;
  s.group = v.group.ToString();
  s.group_json = IndicatorValueJson(v)["group"].dump();
  const std::string* op = v.group.Find(Dim::kOperator);
  if (op == nullptr) op = v.group.Find(Dim::kFromOperator);
  if (op != nullptr) s.op = *op;
  if (const std::string* r = v.group.Find(Dim::kRegion)) s.region = *r;
  if (const std::string* m = v.group.Find(Dim::kMonth)) s.month = *m;
  s.value = v.value;
  s.n = v.n;
  s.is_rate = v.is_rate;
  s.successes = v.successes;
  s.verdict = VerdictName(v.verdict);
  return s;
}

// The workbook through a private temporary file (libxlsxwriter writes files).
Result<std::string> XlsxBytes(const ReportInput& in) {
  namespace fs = std::filesystem;
  const fs::path path = fs::temp_directory_path() / fmt::format("tsq-ingest-{}-{}.xlsx", getpid(),
                                                                in.lang == Lang::kZh ? "zh" : "en");
  TSQ_TRY(WriteXlsxReport(in, path.string()));
  auto bytes = ReadTextFile(path.string(), "the workbook");
  std::error_code ec;
  fs::remove(path, ec);
  return bytes;
}

}  // namespace

Result<StoredPeriod> StoredPeriodOf(const Analysis& analysis, bool reports) {
  const ReportInput& in = analysis.report;
  StoredPeriod p;
  p.label = in.period.label;
  p.from = FormatTimestamp(in.period.from, in.local_offset_s);
  p.to = FormatTimestamp(in.period.to, in.local_offset_s);
  p.as_of = FormatTimestamp(in.as_of, in.local_offset_s);
  p.catalog_sha256 = in.catalog_hash;
  p.tsq_version = in.tsq_version;
  p.kpi_json = RenderKpiJson(in, KpiView{});
  for (const IndicatorValue& v : in.current) p.values.push_back(ToStoredValue(v));

  // Documents are rendered as a person would read them: numbers masked whatever the run's
  // options said, so nothing the server hands out can show one.
  ReportInput masked = in;
  masked.show_numbers = false;
  if (in.cells) {
    CellsView view;
    view.all = true;
    p.documents.push_back({"cells.json", kJson, RenderCellsJson(masked, view)});
    p.documents.push_back(
        {"cells.geojson", "application/geo+json", CellsGeoJson(masked, view).dump() + "\n"});
  }
  if (in.broadband) {
    BroadbandView view;
    view.all = true;
    p.documents.push_back({"broadband.json", kJson, RenderBroadbandJson(masked, view)});
  }
  if (in.callers) {
    CallersView view;
    p.documents.push_back({"callers.json", kJson, RenderCallersJson(masked, view)});
  }
  // The comparison periods as the run saw them (from the data or the store), so the dashboard
  // shows 环比 and 同比 even when those periods are not stored themselves.
  {
    const int32_t off = in.local_offset_s;
    const Json doc{
        {"previous", ComparisonPeriodJson(in.previous, in.previous_values, off)},
        {"year_earlier", ComparisonPeriodJson(in.year_earlier, in.year_earlier_values, off)}};
    p.documents.push_back({"earlier.json", kJson, doc.dump() + "\n"});
  }
  for (const Lang lang : {Lang::kZh, Lang::kEn}) {
    if (!reports) break;
    masked.lang = lang;
    const std::string suffix = lang == Lang::kZh ? "zh" : "en";
    p.documents.push_back(
        {"report." + suffix + ".html", "text/html; charset=utf-8", RenderHtmlReport(masked)});
    auto xlsx = XlsxBytes(masked);
    if (!xlsx) return std::move(xlsx).error();
    p.documents.push_back({"report." + suffix + ".xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           std::move(*xlsx)});
  }
  return p;
}

Result<IngestSummary> IngestAnalysis(const Analysis& analysis, const std::string& store_spec,
                                     bool reports, std::string state) {
  auto p = StoredPeriodOf(analysis, reports);
  if (!p) return std::move(p).error();
  p->state = std::move(state);
  auto store = OpenStore(store_spec);
  if (!store) return std::move(store).error();
  auto before = (*store)->KpiJson(p->label);
  if (!before) return std::move(before).error();
  TSQ_TRY((*store)->Put(*p));
  IngestSummary out;
  out.period = p->label;
  out.store = (*store)->Where();
  out.values = p->values.size();
  out.documents = p->documents.size();
  out.state_bytes = p->state.size();
  out.replaced = before->has_value();
  return out;
}

}  // namespace tsq
