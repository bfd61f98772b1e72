#include "report/callers_render.h"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/privacy.h"
#include "core/timestamp.h"
#include "io/csv_writer.h"
#include "report/findings_render.h"
#include "report/report_format.h"
#include "report/text_table.h"

namespace tsq {
namespace {

using nlohmann::ordered_json;
using report::Percent;

// A feature value for CSV and JSON: integers without decimals, the rest with up to 6
// significant digits; NaN (no value) as empty / null.
std::string FeatureText(double v) {
  if (std::isnan(v)) return "";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{:.0f}", v);
  return fmt::format("{:.6g}", v);
}

ordered_json FeatureJson(double v) {
  if (std::isnan(v)) return nullptr;
  if (v == std::floor(v) && std::fabs(v) < 1e15) return static_cast<int64_t>(v);
  return std::stod(fmt::format("{:.6g}", v));
}

std::string RulesText(const std::vector<std::string>& rules, Lang lang) {
  std::string out;
  for (const std::string& r : rules) {
    if (!out.empty()) out += lang == Lang::kZh ? "、" : ", ";
    out += CallerRuleText(r, lang);
  }
  return out.empty() ? "—" : out;
}

std::string VerdictText(const JudgedCaller& j, Lang lang) {
  if (j.cleared) return T(lang, "已核实放行", "cleared");
  return j.suspected ? T(lang, "疑似", "suspected") : T(lang, "未达判定", "not suspected");
}

}  // namespace

std::string CallerRuleText(std::string_view rule, Lang lang) {
  if (rule == "volume") return T(lang, "呼叫量大", "volume");
  if (rule == "fan_out") return T(lang, "广撒网", "fan-out");
  if (rule == "no_call_back") return T(lang, "无回拨", "no call-back");
  if (rule == "low_answer") return T(lang, "接通率低", "low answer rate");
  if (rule == "short_calls") return T(lang, "短通话多", "short calls");
  if (rule == "many_devices") return T(lang, "多终端", "many devices");
  return std::string(rule);
}

std::string CallerRulesSentence(const CallerRule& r, Lang lang) {
  const auto n = [](double v) { return fmt::format("{:g}", v); };
  if (lang == Lang::kZh) {
    return fmt::format(
        "判定：统计期内呼叫不少于 {} 次的号码参与判定；日均呼叫不少于 {} 次（呼叫量大）、"
        "呼叫不同号码不少于 {} 个且每个被叫平均不超过 {} 次（广撒网）、被叫回拨号码占比不超过 "
        "{}（无回拨）三条均成立，并且应答率不超过 {}（接通率低）、短于 {} 秒的应答通话占比不低于 "
        "{}（短通话多）、使用终端不少于 {} 部（多终端）至少一条成立，列为疑似。",
        r.min_calls, n(r.min_calls_per_day), r.min_distinct_callees, n(r.max_calls_per_callee),
        report::ShortPercent(r.max_callback_ratio), report::ShortPercent(r.max_answer_rate),
        n(r.short_call_s), report::ShortPercent(r.min_short_share), r.min_imeis);
  }
  return fmt::format(
      "Rule: numbers with at least {} calls in the period are judged; a number is suspected when "
      "it places at least {} calls per active day (volume), calls at least {} distinct numbers "
      "at no more than {} calls each (fan-out) and at most {} of them call it back (no "
      "call-back), and at least one of: answer rate at most {} (low answer rate), at least {} of "
      "its answered calls shorter than {} s (short calls), {} or more devices (many devices).",
      r.min_calls, n(r.min_calls_per_day), r.min_distinct_callees, n(r.max_calls_per_callee),
      report::ShortPercent(r.max_callback_ratio), report::ShortPercent(r.max_answer_rate),
      report::ShortPercent(r.min_short_share), n(r.short_call_s), r.min_imeis);
}

std::string CallerNumberText(const std::string& number, bool show) {
  return show ? number : MaskNumber(number);
}

std::vector<const JudgedCaller*> SelectCallers(const CallerFindings& f, const CallersView& view) {
  std::vector<const JudgedCaller*> out;
  for (const JudgedCaller& j : f.listed) {
    if (!view.operator_name.empty() && j.f.op != view.operator_name) continue;
    if (!view.all && !j.suspected) continue;
    if (view.top > 0 && out.size() >= view.top) break;
    out.push_back(&j);
  }
  return out;
}

std::string RenderCallersTable(const ReportInput& in, const CallersView& view) {
  const Lang lang = view.lang;
  if (!in.callers) return T(lang, "没有通话记录（calls）。\n", "No call records (calls).\n");
  const CallerFindings& f = *in.callers;
  using A = TextTable::Align;
  std::string out =
      lang == Lang::kZh
          ? fmt::format("疑似骚扰诈骗号码 {}\n{}\n", f.period, CallerRulesSentence(f.rule, lang))
          : fmt::format("Suspected harassment and fraud callers {}\n{}\n", f.period,
                        CallerRulesSentence(f.rule, lang));
  if (f.scorer != "rules") {
    out += lang == Lang::kZh
               ? fmt::format("评分：模型 {}（按模型概率判定；规则列仅作证据）。\n", f.scorer)
               : fmt::format(
                     "Scored by the model {} (its probability decides; the rules are "
                     "evidence).\n",
                     f.scorer);
  }
  out += lang == Lang::kZh
             ? fmt::format("主叫号码 {} 个，参与判定 {} 个，疑似 {} 个{}。\n\n",
                           GroupThousands(f.callers), GroupThousands(f.judged),
                           GroupThousands(f.suspected),
                           f.cleared > 0 ? fmt::format("（另有 {} 个已核实放行）", f.cleared) : "")
             : fmt::format(
                   "{} calling numbers, {} judged, {} suspected{}.\n\n", GroupThousands(f.callers),
                   GroupThousands(f.judged), GroupThousands(f.suspected),
                   f.cleared > 0 ? fmt::format(" ({} cleared by a reviewer)", f.cleared) : "");
  TextTable t;
  t.SetHeader(
      {T(lang, "序号", "#"), T(lang, "号码", "Number"), T(lang, "运营商", "Operator"),
       T(lang, "地区", "Region"), T(lang, "得分", "Score"), T(lang, "呼叫", "Calls"),
       T(lang, "日均", "Per day"), T(lang, "被叫数", "Callees"), T(lang, "应答率", "Answered"),
       T(lang, "回拨", "Called back"), T(lang, "终端", "Devices"), T(lang, "判定", "Verdict"),
       T(lang, "触发规则", "Rules fired")},
      {A::kRight, A::kLeft, A::kLeft, A::kLeft, A::kRight, A::kRight, A::kRight, A::kRight,
       A::kRight, A::kRight, A::kRight, A::kLeft, A::kLeft});
  const std::vector<const JudgedCaller*> shown = SelectCallers(f, view);
  size_t rank = 0;
  for (const JudgedCaller* j : shown) {
    t.AddRow({std::to_string(++rank), CallerNumberText(j->f.number, in.show_numbers),
              OperatorLabel(in, j->f.op, lang), j->f.region.empty() ? "—" : j->f.region,
              fmt::format("{:.2f}", j->score), GroupThousands(j->f.calls),
              fmt::format("{:.1f}", j->f.calls_per_active_day),
              GroupThousands(j->f.distinct_callees), Percent(j->f.answer_rate),
              Percent(j->f.callback_ratio), std::to_string(j->f.imeis), VerdictText(*j, lang),
              RulesText(j->rules, lang)});
  }
  out += view.all
             ? T(lang, "全部触发规则的号码（按得分排序）\n",
                 "Every number a rule fired for (highest score first)\n")
             : T(lang, "疑似号码（按得分排序）\n", "Suspected numbers (highest score first)\n");
  out += shown.empty() ? T(lang, "（无）\n", "(none)\n") : t.Render();
  if (!in.show_numbers && !shown.empty()) {
    out += T(lang, "号码已脱敏；--show-numbers 显示完整号码。\n",
             "Numbers are masked; --show-numbers shows them in full.\n");
  }
  return out;
}

std::string RenderCallersCsv(const ReportInput& in, const CallersView& view) {
  std::string out = "rank,caller,operator,region,score,suspected,cleared,rules";
  for (const std::string& name : CallerFeatureNames()) out += "," + name;
  out += ",first_day,last_day\n";
  if (!in.callers) return out;
  size_t rank = 0;
  for (const JudgedCaller* j : SelectCallers(*in.callers, view)) {
    std::string rules;
    for (const std::string& r : j->rules) rules += (rules.empty() ? "" : ";") + r;
    std::vector<std::string> fields = {std::to_string(++rank),
                                       CallerNumberText(j->f.number, in.show_numbers),
                                       j->f.op,
                                       j->f.region,
                                       fmt::format("{:.6g}", j->score),
                                       j->suspected ? "true" : "false",
                                       j->cleared ? "true" : "false",
                                       rules};
    for (double v : CallerFeatureValues(j->f)) fields.push_back(FeatureText(v));
    fields.push_back(FormatDay(j->f.first_day));
    fields.push_back(FormatDay(j->f.last_day));
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      AppendCsvField(&out, fields[i]);
    }
    out += '\n';
  }
  return out;
}

std::string RenderCallersJson(const ReportInput& in, const CallersView& view) {
  ordered_json j;
  ordered_json list = ordered_json::array();
  if (in.callers) {
    const CallerFindings& f = *in.callers;
    j["period"] = f.period;
    j["scorer"] = f.scorer;
    const CallerRule& r = f.rule;
    j["rule"] = {{"min_calls", r.min_calls},
                 {"min_calls_per_day", r.min_calls_per_day},
                 {"min_distinct_callees", r.min_distinct_callees},
                 {"max_calls_per_callee", r.max_calls_per_callee},
                 {"max_callback_share", r.max_callback_ratio},
                 {"max_answer_share", r.max_answer_rate},
                 {"min_short_share", r.min_short_share},
                 {"short_call_s", r.short_call_s},
                 {"min_imeis", r.min_imeis}};
    j["callers"] = f.callers;
    j["judged"] = f.judged;
    j["suspected"] = f.suspected;
    j["cleared"] = f.cleared;
    j["spilled_bytes"] = f.spilled_bytes;  // call records written to disk to stay within memory
    j["numbers_shown"] = in.show_numbers;
    size_t rank = 0;
    for (const JudgedCaller* c : SelectCallers(f, view)) {
      ordered_json features;
      const std::vector<double> values = CallerFeatureValues(c->f);
      for (size_t i = 0; i < values.size(); ++i) {
        features[CallerFeatureNames()[i]] = FeatureJson(values[i]);
      }
      list.push_back({{"rank", ++rank},
                      {"caller", CallerNumberText(c->f.number, in.show_numbers)},
                      {"operator", c->f.op},
                      {"region", c->f.region},
                      {"score", FeatureJson(c->score)},
                      {"suspected", c->suspected},
                      {"cleared", c->cleared},
                      {"rules", c->rules},
                      {"features", features},
                      {"calls_by_hour", c->f.by_hour},
                      {"first_day", FormatDay(c->f.first_day)},
                      {"last_day", FormatDay(c->f.last_day)}});
    }
  }
  j["list"] = list;
  return j.dump(2) + "\n";
}

namespace {

std::string Optional(const std::optional<double>& v) { return v ? fmt::format("{:.4f}", *v) : "—"; }

std::vector<std::string> Names(const std::vector<uint64_t>& keys, const NumberNames& names,
                               bool show) {
  std::vector<std::string> out;
  for (uint64_t k : keys) {
    auto it = names.find(k);
    out.push_back(it == names.end() ? "?" : CallerNumberText(it->second, show));
  }
  return out;
}

ordered_json OptionalJson(const std::optional<double>& v) {
  return v ? ordered_json(*v) : ordered_json(nullptr);
}

}  // namespace

std::string RenderEvaluationTable(const CallerEvaluation& e, const NumberNames& names,
                                  bool show_numbers, Lang lang) {
  using A = TextTable::Align;
  std::string out;
  out += lang == Lang::kZh
             ? fmt::format(
                   "评估号码 {} 个，其中标注为骚扰/诈骗 {} 个（{} 个未达判定所需呼叫次数）。\n\n",
                   GroupThousands(e.population), e.positives, e.positives_unjudged)
             : fmt::format(
                   "{} numbers evaluated, {} labelled harassment or fraud ({} with too few "
                   "calls to be judged).\n\n",
                   GroupThousands(e.population), e.positives, e.positives_unjudged);
  TextTable m;
  m.SetHeader({"", T(lang, "标注为是", "Labelled yes"), T(lang, "标注为否", "Labelled no")},
              {A::kLeft, A::kRight, A::kRight});
  m.AddRow({T(lang, "判为疑似", "Suspected"), GroupThousands(e.m.tp), GroupThousands(e.m.fp)});
  m.AddRow({T(lang, "未判疑似", "Not suspected"), GroupThousands(e.m.fn), GroupThousands(e.m.tn)});
  out += m.Render() + "\n";
  TextTable s;
  s.SetHeader({T(lang, "指标", "Measure"), T(lang, "值", "Value")}, {A::kLeft, A::kRight});
  s.AddRow({T(lang, "精确率 precision", "precision"), Optional(e.precision)});
  s.AddRow({T(lang, "召回率 recall", "recall"), Optional(e.recall)});
  s.AddRow({"F1", Optional(e.f1)});
  s.AddRow({T(lang, "PR 曲线下面积 PR-AUC", "PR-AUC (average precision)"), Optional(e.pr_auc)});
  for (const auto& [k, p] : e.precision_at) {
    s.AddRow({fmt::format("P@{}", k), fmt::format("{:.4f}", p)});
  }
  out += s.Render();
  const auto list = [&](const std::vector<uint64_t>& keys, std::string_view zh,
                        std::string_view en) {
    if (keys.empty()) return;
    out += "\n" + T(lang, zh, en) + "\n";
    for (const std::string& n : Names(keys, names, show_numbers)) out += "  " + n + "\n";
  };
  list(e.false_positives, "误报（判为疑似、标注为否）：",
       "False positives (suspected, labelled no):");
  list(e.false_negatives, "漏报（标注为是、未判疑似）：", "Missed (labelled yes, not suspected):");
  return out;
}

std::string RenderEvaluationJson(const CallerEvaluation& e, const NumberNames& names,
                                 bool show_numbers) {
  ordered_json j;
  j["population"] = e.population;
  j["positives"] = e.positives;
  j["positives_unjudged"] = e.positives_unjudged;
  j["confusion"] = {{"tp", e.m.tp}, {"fp", e.m.fp}, {"fn", e.m.fn}, {"tn", e.m.tn}};
  j["precision"] = OptionalJson(e.precision);
  j["recall"] = OptionalJson(e.recall);
  j["f1"] = OptionalJson(e.f1);
  j["pr_auc"] = OptionalJson(e.pr_auc);
  ordered_json at = ordered_json::object();
  for (const auto& [k, p] : e.precision_at) at[std::to_string(k)] = p;
  j["precision_at"] = at;
  j["false_positives"] = Names(e.false_positives, names, show_numbers);
  j["false_negatives"] = Names(e.false_negatives, names, show_numbers);
  j["numbers_shown"] = show_numbers;
  return j.dump(2) + "\n";
}

}  // namespace tsq
