// `tsq callers` outputs: the ranked list of suspected callers with the evidence for each — the
// rules that fired and every feature — as a terminal table, CSV (one row per number, a column
// per feature) and JSON; and the evaluation of a list against labels. Numbers are masked
// (138****5678) unless the run was asked to show them.
#pragma once

#include <string>
#include <vector>

#include "detectors/caller_eval.h"
#include "report/lang.h"
#include "report/report_input.h"

namespace tsq {

/// 呼叫量大 / volume, …: a rule's name for people.
std::string CallerRuleText(std::string_view rule, Lang lang);
/// The rules in one sentence, with their thresholds.
std::string CallerRulesSentence(const CallerRule& rule, Lang lang);
/// A number as people may see it: masked unless `show`.
std::string CallerNumberText(const std::string& number, bool show);

struct CallersView {
  Lang lang = Lang::kZh;
  std::string operator_name;  // only this operator's numbers when set
  bool all = false;           // also the unsuspected numbers any rule fired for, and cleared ones
  size_t top = 0;             // at most this many rows (0: no limit)
};

/// The listed callers the view selects, in rank order.
std::vector<const JudgedCaller*> SelectCallers(const CallerFindings& f, const CallersView& view);

std::string RenderCallersTable(const ReportInput& in, const CallersView& view);
std::string RenderCallersCsv(const ReportInput& in, const CallersView& view);
std::string RenderCallersJson(const ReportInput& in, const CallersView& view);

/// A number's key → its text, for the evaluation's lists of misses.
using NumberNames = std::unordered_map<uint64_t, std::string>;

std::string RenderEvaluationTable(const CallerEvaluation& e, const NumberNames& names,
                                  bool show_numbers, Lang lang);
std::string RenderEvaluationJson(const CallerEvaluation& e, const NumberNames& names,
                                 bool show_numbers);

}  // namespace tsq
