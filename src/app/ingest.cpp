#include "app/ingest.h"

#include "core/timestamp.h"
#include "report/kpi_render.h"
#include "store/store.h"

namespace tsq {

Result<IngestSummary> IngestAnalysis(const Analysis& analysis, const std::string& store_path) {
  const ReportInput& in = analysis.report;
  StoredPeriod p;
  p.label = in.period.label;
  p.from = FormatTimestamp(in.period.from, in.local_offset_s);
  p.to = FormatTimestamp(in.period.to, in.local_offset_s);
  p.as_of = FormatTimestamp(in.as_of, in.local_offset_s);
  p.catalog_sha256 = in.catalog_hash;
  p.tsq_version = in.tsq_version;
  p.kpi_json = RenderKpiJson(in, KpiView{});
  for (const IndicatorValue& v : in.current) {
    StoredValue s;
    s.id = v.id;
    s.group = v.group.ToString();
    const std::string* op = v.group.Find(Dim::kOperator);
    if (op == nullptr) op = v.group.Find(Dim::kFromOperator);
    if (op != nullptr) s.op = *op;
    if (const std::string* r = v.group.Find(Dim::kRegion)) s.region = *r;
    if (const std::string* m = v.group.Find(Dim::kMonth)) s.month = *m;
    s.value = v.value;
    s.n = v.n;
    s.verdict = VerdictName(v.verdict);
    p.values.push_back(std::move(s));
  }
  auto store = OpenSqliteStore(store_path);
  if (!store) return std::move(store).error();
  auto before = (*store)->KpiJson(p.label);
  if (!before) return std::move(before).error();
  TSQ_TRY((*store)->Put(p));
  IngestSummary out;
  out.period = p.label;
  out.store_path = store_path;
  out.values = p.values.size();
  out.replaced = before->has_value();
  return out;
}

}  // namespace tsq
