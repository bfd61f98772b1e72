// `tsq ingest`: computes a period (RunAnalysis) and keeps its results in the store, for the
// dashboard and for later runs' comparisons.
#pragma once

#include <string>

#include "app/analysis.h"
#include "store/store.h"

namespace tsq {

struct IngestSummary {
  std::string period;
  std::string store;  // where, password redacted
  size_t values = 0;
  size_t documents = 0;
  size_t state_bytes = 0;  // of the partial state kept with it; 0: none
  bool replaced = false;   // the store held this period before
};

/// What `analysis` leaves in a store: every value (with its exact group and a rate's numerator),
/// the `tsq kpi --format json` document, and the documents the server hands out: the findings as
/// JSON (cells.json, cells.geojson, broadband.json, callers.json with numbers masked, whatever
/// the options) and the report in zh and en, as html and xlsx.
/// Without `reports`, the html and xlsx reports are left out (the dashboard then has none to
/// download for the period): an ingest of many past periods goes several times faster.
Result<StoredPeriod> StoredPeriodOf(const Analysis& analysis, bool reports = true);

/// Stores `analysis` in the store `store_spec` names (an SQLite file, created if missing, or a
/// postgresql:// URI), replacing the period if it is there, with `state` (the bytes of the run's
/// --save-state file; empty: none) kept beside it.
Result<IngestSummary> IngestAnalysis(const Analysis& analysis, const std::string& store_spec,
                                     bool reports = true, std::string state = {});

}  // namespace tsq
