#include "report/kpi_render.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/glob.h"
#include "io/csv_writer.h"
#include "report/data_quality_render.h"
#include "report/format.h"
#include "report/json_report.h"
#include "report/text_table.h"

namespace tsq {
namespace {

bool Selected(const IndicatorValue& v, const KpiView& view) {
  if (!view.id_patterns.empty()) {
    bool any = false;
    for (const std::string& p : view.id_patterns) any = any || GlobMatch(p, v.id);
    if (!any) return false;
  }
  if (!view.operator_name.empty()) {
    const std::string* op = v.group.Find(Dim::kOperator);
    if (op == nullptr) op = v.group.Find(Dim::kFromOperator);
    if (op != nullptr && *op != view.operator_name) return false;
  }
  return true;
}

std::string Unit(const ReportInput& in, const std::string& id) {
  const IndicatorDef* d = in.catalog != nullptr ? in.catalog->Find(id) : nullptr;
  return d != nullptr ? d->unit : "";
}

// The catalog section an id is shown under ("网络质量"); the id's record type when it has none.
std::string SectionTitle(const ReportInput& in, std::string_view id, Lang lang) {
  const SectionDef* s = in.catalog != nullptr ? in.catalog->SectionOf(id) : nullptr;
  if (s == nullptr) return std::string(id.substr(0, id.find('.')));
  return lang == Lang::kEn ? s->title_en : s->title_zh;
}

// The target with a mark when it is not a regulatory limit: "≥ 99.00%*" (tool default),
// "≥ 95.00%†" (the user's catalog).
std::string TargetMark(const IndicatorValue& v, std::string_view unit, bool* tool_default,
                       bool* own) {
  std::string text = FormatTarget(v.target, unit);
  if (v.target_basis == TargetBasis::kToolDefault) {
    *tool_default = true;
    text += "*";
  } else if (v.target_basis == TargetBasis::kCatalogFile) {
    *own = true;
    text += "†";
  }
  return text;
}

}  // namespace

std::string RenderKpiJson(const ReportInput& in, const KpiView& view) {
  nlohmann::ordered_json j;
  j["period"] = in.period.label;
  j["from"] = FormatTimestamp(in.period.from, in.local_offset_s);
  j["to"] = FormatTimestamp(in.period.to, in.local_offset_s);
  j["as_of"] = FormatTimestamp(in.as_of, in.local_offset_s);
  j["tsq_version"] = in.tsq_version;
  j["catalog_sha256"] = in.catalog_hash;
  // What the figures rest on, and what was left out of them.
  j["data_quality"] = DataQualityJson(in.data_quality);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const IndicatorValue& v : in.current) {
    if (Selected(v, view)) list.push_back(IndicatorValueJson(v));
  }
  j["indicators"] = std::move(list);
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string RenderKpiCsv(const ReportInput& in, const KpiView& view) {
  std::string out = "period,id";
  for (int d = 0; d < kDimCount; ++d) out += fmt::format(",{}", DimName(static_cast<Dim>(d)));
  out += ",value,n,target_op,target_value,verdict,ci_low,ci_high,inconclusive\n";
  for (const IndicatorValue& v : in.current) {
    if (!Selected(v, view)) continue;
    AppendCsvField(&out, in.period.label);
    out += ',';
    AppendCsvField(&out, v.id);
    for (int d = 0; d < kDimCount; ++d) {
      out += ',';
      if (const std::string* s = v.group.Find(static_cast<Dim>(d))) AppendCsvField(&out, *s);
    }
    out += ',';
    if (v.value) out += fmt::format("{}", *v.value);
    out += fmt::format(",{},", v.n);
    if (v.target)
      out += fmt::format("{},{}", v.target->OpText(), v.target->value);
    else
      out += ',';
    out += fmt::format(",{},", VerdictName(v.verdict));
    if (v.ci)
      out += fmt::format("{},{},{}", v.ci->low, v.ci->high, v.ci->inconclusive ? 1 : 0);
    else
      out += ",,";
    out += '\n';
  }
  return out;
}

std::string RenderKpiTable(const ReportInput& in, const KpiView& view) {
  const Lang lang = view.lang;
  const std::string lang_code = lang == Lang::kEn ? "en" : "zh";
  TextTable t;
  using A = TextTable::Align;
  t.SetHeader({std::string(L(lang, "指标", "indicator")), std::string(L(lang, "分组", "group")),
               std::string(L(lang, "目标", "target")), std::string(L(lang, "完成值", "achieved")),
               std::string(L(lang, "样本", "n")), std::string(L(lang, "结论", "verdict")),
               std::string(L(lang, "95% 区间", "95% interval"))},
              {A::kLeft, A::kLeft, A::kRight, A::kRight, A::kRight, A::kLeft, A::kLeft});
  // People read one indicator at a time: its overall figure, then each group, in the order the
  // families print their ids.
  std::map<std::string_view, size_t> id_order;
  for (const IndicatorValue& v : in.current) id_order.emplace(v.id, id_order.size());
  std::vector<const IndicatorValue*> rows;
  for (const IndicatorValue& v : in.current) rows.push_back(&v);
  std::stable_sort(rows.begin(), rows.end(), [&](const IndicatorValue* a, const IndicatorValue* b) {
    return id_order[a->id] < id_order[b->id];
  });
  std::string section;
  size_t shown = 0;
  bool tool_default = false;
  bool own = false;
  for (const IndicatorValue* row : rows) {
    const IndicatorValue& v = *row;
    if (!Selected(v, view)) continue;
    if (!view.all_groups) {
      // The headline view: judged figures, overall and per operator.
      const bool overall_or_operator =
          v.group.empty() ||
          (v.group.dims.size() == 1 && (v.group.dims[0].first == Dim::kOperator ||
                                        v.group.dims[0].first == Dim::kFromOperator));
      if (!overall_or_operator || !v.target) continue;
    }
    if (std::string title = SectionTitle(in, v.id, lang); title != section) {
      section = std::move(title);
      t.AddNote(fmt::format("【{}】", section));
    }
    const std::string unit = Unit(in, v.id);
    std::string verdict = FormatVerdict(v.verdict, lang);
    if (v.ci && v.ci->inconclusive && v.verdict != Verdict::kInsufficient) {
      verdict += std::string(L(lang, "(不确定)", " (inconclusive)"));
    }
    const std::string* op = v.group.Find(Dim::kOperator);
    if (op == nullptr) op = v.group.Find(Dim::kFromOperator);
    t.AddRow({in.catalog != nullptr
                  ? in.catalog->DisplayName(v.id, lang_code, op != nullptr ? *op : "")
                  : v.id,
              FormatGroup(v.group, lang), TargetMark(v, unit, &tool_default, &own),
              FormatValue(v.value, unit), GroupThousands(v.n), verdict, FormatInterval(v.ci)});
    ++shown;
  }
  std::string out = fmt::format(
      "{} {}  ({} {} — {}, {} {})\n\n", L(lang, "期间", "period"), in.period.label,
      L(lang, "从", "from"), FormatLocal(in.period.from, in.local_offset_s).substr(0, 10),
      FormatLocal(in.period.to - 1, in.local_offset_s).substr(0, 10), L(lang, "统计截止", "as of"),
      FormatLocal(in.as_of, in.local_offset_s).substr(0, 16));
  out += t.Render();
  size_t met = 0, missed = 0, insufficient = 0;
  for (const IndicatorValue& v : in.current) {
    if (!Selected(v, view)) continue;
    met += v.verdict == Verdict::kMet;
    missed += v.verdict == Verdict::kMissed;
    insufficient += v.verdict == Verdict::kInsufficient;
  }
  out += fmt::format(
      "{} {} {}; {}: {} {}, {} {}, {} {}\n", L(lang, "显示", "shown"), shown, L(lang, "行", "rows"),
      L(lang, "全部分组的结论", "verdicts over every breakdown"), met, L(lang, "达标", "met"),
      missed, L(lang, "未达标", "missed"), insufficient, L(lang, "数据不足", "insufficient"));
  if (tool_default || own) {
    out += std::string(
        L(lang, "* 本工具默认值（无相应监管限值）", "* tool default (no regulation sets it)"));
    if (own) out += std::string(L(lang, "；† 指标目录文件设定", "; † set by a catalog file"));
    out += "\n";
  }
  if (!view.all_groups) {
    out += std::string(
        L(lang,
          "(仅显示全部与分运营商的考核指标;--all 显示全部分组,--format json|csv 导出全部数值)\n",
          "(judged figures overall and per operator; --all shows every breakdown, "
          "--format json|csv exports every value)\n"));
  }
  return out;
}

}  // namespace tsq
