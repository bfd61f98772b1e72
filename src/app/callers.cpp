#include "app/callers.h"

#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "core/privacy.h"
#include "io/csv_tokenizer.h"

namespace tsq {
namespace {

Result<std::string> Slurp(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kNotFound, fmt::format("{}: cannot open the {}", path, what));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  return text;
}

// A phone number as files write it: digits, optionally after one '+'.
bool LooksLikeNumber(std::string_view s) {
  if (s.starts_with('+')) s.remove_prefix(1);
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
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
  auto text = Slurp(path, "whitelist");
  if (!text) return std::move(text).error();
  std::unordered_set<uint64_t> out;
  std::istringstream lines(*text);
  std::string line;
  for (int n = 1; std::getline(lines, line); ++n) {
    std::string_view v = Trim(line);
    if (const size_t comma = v.find(','); comma != std::string_view::npos)
      v = Trim(v.substr(0, comma));
    if (v.empty() || v.starts_with('#')) continue;
    if (n == 1 && (v == "caller" || v == "number")) continue;
    if (!LooksLikeNumber(v)) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}:{}: '{}' is not a phone number", path, n, MaskDigitRuns(v)));
    }
    out.insert(NumberKey(v));
  }
  return out;
}

Result<CallerLabels> ReadCallerLabels(const std::string& path) {
  auto text = Slurp(path, "labels file");
  if (!text) return std::move(text).error();
  CsvTokenizer tok;
  tok.Reset(*text, 1, 0);
  CsvRecord rec;
  int caller = -1, label = -1;
  if (tok.Next(&rec) && !rec.bad_quoting) {
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      if (rec.fields[i] == "caller") caller = static_cast<int>(i);
      if (rec.fields[i] == "label") label = static_cast<int>(i);
    }
  }
  if (caller < 0 || label < 0) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}:1: the header needs the columns caller and label", path));
  }
  static const std::set<std::string, std::less<>> kYes = {"1",          "true",  "yes",
                                                          "harassment", "fraud", "spam"};
  static const std::set<std::string, std::less<>> kNo = {"0", "false", "no", "legitimate",
                                                         "normal"};
  const size_t width = rec.fields.size();
  CallerLabels out;
  while (tok.Next(&rec)) {
    if (rec.bad_quoting || rec.fields.size() != width) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}:{}: expected {} fields", path, rec.line, width));
    }
    const std::string_view number = Trim(rec.fields[static_cast<size_t>(caller)]);
    std::string value(Trim(rec.fields[static_cast<size_t>(label)]));
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!LooksLikeNumber(number)) {
      return Error(ErrorCode::kInvalidArgument, fmt::format("{}:{}: '{}' is not a phone number",
                                                            path, rec.line, MaskDigitRuns(number)));
    }
    const bool yes = kYes.contains(value);
    if (!yes && !kNo.contains(value)) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}:{}: label '{}' is neither positive (1, true, yes, harassment, "
                               "fraud, spam) nor negative (0, false, no, legitimate, normal)",
                               path, rec.line, value));
    }
    const uint64_t key = NumberKey(number);
    if (!out.positive.emplace(key, yes).second) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}:{}: {} is labelled twice", path, rec.line, MaskNumber(number)));
    }
    out.names.emplace(key, std::string(number));
  }
  return out;
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
