// A hand-built ReportInput for the report tests and the browser end-to-end test: a province
// (吉林省, 2022H2) with three operators, six months, nine regions, judged values with misses and
// an inconclusive verdict, comparison periods, appeals, speed-test and broadband findings, data
// quality and digests. Test support only: not part of the tsq_report library.
#pragma once

#include <memory>

#include "indicators/catalog.h"
#include "report/report_input.h"

namespace tsq {

struct SampleReport {
  Catalog catalog;
  ReportInput input;  // input.catalog points at `catalog`
};

/// The sample in `lang`. Aborts (it is test support) if the embedded catalog does not parse.
std::unique_ptr<SampleReport> MakeSampleReport(Lang lang = Lang::kZh);

}  // namespace tsq
