// `tsq ingest`: computes a period (RunAnalysis) and keeps its results in the store, for the
// dashboard and for later runs' comparisons.
#pragma once

#include <string>

#include "app/analysis.h"

namespace tsq {

struct IngestSummary {
  std::string period;
  std::string store_path;
  size_t values = 0;
  bool replaced = false;  // the store held this period before
};

/// Stores every value of `analysis` and its `tsq kpi --format json` document in the SQLite
/// store at `store_path` (created if missing), replacing the period if it is there.
Result<IngestSummary> IngestAnalysis(const Analysis& analysis, const std::string& store_path);

}  // namespace tsq
