// Test support for the report tests: a report input computed by tsq itself — a synthetic province
// (吉林省, 2022H2, three operators, nine regions, the previous half-year and the appeals of a year
// earlier, planted bad rows) generated once per test binary and run through the whole analysis —
// so the tests render figures the engine computed, never an invented fixture.
#pragma once

#include "app/analysis.h"

namespace tsq {

/// The analysis of the generated province (computed on first use, then shared).
const Analysis& ComputedAnalysis();

/// Its report input in `lang`, with the province name set.
ReportInput ComputedReport(Lang lang = Lang::kZh);

/// The first value of the period with `id` and a group of exactly `dims` (and, when given, the
/// operator `op`) whose verdict is `verdict`; nullptr when there is none.
const IndicatorValue* FindValue(const ReportInput& in, Verdict verdict,
                                std::initializer_list<Dim> dims, std::string_view op = {});

}  // namespace tsq
