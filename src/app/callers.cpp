#include "app/callers.h"

#include <set>

#include <fmt/format.h>

#include "core/privacy.h"
#include "io/text_file.h"

namespace tsq {
namespace {

// A reviewer's file, read whole; a UTF-8 byte-order mark (Excel writes one) is dropped.
Result<std::string> ReadListFile(const std::string& path, std::string_view what) {
  auto text = ReadTextFile(path, what);
  if (text && text->starts_with("\xEF\xBB\xBF")) text->erase(0, 3);
  return text;
}

Status CheckCallers(const Analysis& analysis, const std::string& operator_name) {
  if (!analysis.report.callers) {
    return Error(ErrorCode::kNotFound,
                 "the data directory has no call records in the period (calls.csv or .jsonl)");
  }
  std::set<std::string> ops;
  for (const JudgedCaller& j : analysis.report.callers->listed) ops.insert(j.f.op);
  for (const FileQuality& f : analysis.report.data_quality.files) {
    if (f.read.type == RecordType::kCalls) ops.insert(f.operators.begin(), f.operators.end());
  }
  return CheckOperator(operator_name, ops);
}

}  // namespace

std::vector<std::string> CallerIdPatterns() { return {"callers.*"}; }

Result<std::unordered_set<uint64_t>> ReadWhitelist(const std::string& path) {
  auto text = ReadListFile(path, "the whitelist");
  if (!text) return std::move(text).error();
  return ParseWhitelist(*text, path);
}

Result<CallerLabels> ReadCallerLabels(const std::string& path) {
  auto text = ReadListFile(path, "the labels file");
  if (!text) return std::move(text).error();
  return ParseCallerLabels(*text, path);
}

Result<std::string> RenderCallers(const Analysis& analysis, FindingFormat format,
                                  const CallersView& view) {
  TSQ_TRY(CheckCallers(analysis, view.operator_name));
  switch (format) {
    case FindingFormat::kJson:
      return RenderCallersJson(analysis.report, view);
    case FindingFormat::kCsv:
      return RenderCallersCsv(analysis.report, view);
    case FindingFormat::kTable:
      break;
  }
  return RenderCallersTable(analysis.report, view);
}

Result<std::string> RenderCallerEvaluation(const Analysis& analysis, const CallerLabels& labels,
                                           const EvaluationRequest& request) {
  TSQ_TRY(CheckCallers(analysis, ""));
  const CallerFindings& f = *analysis.report.callers;
  const CallerEvaluation e = EvaluateCallers(f, labels.positive, request.ks, request.labelled_only);
  const bool show = analysis.report.show_numbers;
  if (request.format == FindingFormat::kJson) return RenderEvaluationJson(e, labels.names, show);
  if (request.format == FindingFormat::kCsv) {
    return Error(ErrorCode::kInvalidArgument,
                 "tsq callers eval writes a table or JSON (--format table|json)");
  }
  const Lang lang = request.lang;
  std::string out = lang == Lang::kZh
                        ? fmt::format("疑似骚扰诈骗号码评估 {}（评分：{}）\n", f.period,
                                      f.scorer == "rules" ? "规则" : f.scorer)
                        : fmt::format("Evaluation of the suspected callers {} (scored by {})\n",
                                      f.period, f.scorer);
  return out + RenderEvaluationTable(e, labels.names, show, lang);
}

Result<TrainedModel> TrainCallerModelOn(const Analysis& analysis, const CallerLabels& labels,
                                        bool labelled_only, const CallerTrainingOptions& options) {
  TSQ_TRY(CheckCallers(analysis, ""));
  TrainedModel out;
  std::vector<CallerExample> examples;
  for (const auto& [key, features] : analysis.report.callers->labelled_features) {
    auto it = labels.positive.find(key);
    if (it == labels.positive.end() && labelled_only) continue;
    const bool positive = it != labels.positive.end() && it->second;
    (positive ? out.positives : out.negatives) += 1;
    examples.push_back({features, positive});
  }
  auto text = TrainCallerModel(examples, options);
  if (!text) return std::move(text).error();
  out.text = std::move(*text);
  return out;
}

}  // namespace tsq
