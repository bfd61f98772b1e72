// The main job: compute every indicator of a period from a data directory — one pass per record
// type on all cores — judge them against the catalog, and gather what a report needs (comparison
// periods, data quality, input digests). `tsq kpi`, `tsq report` and the server all call this.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/progress.h"
#include "core/result.h"
#include "indicators/catalog.h"
#include "model/read.h"
#include "report/report_input.h"

namespace tsq {

struct AnalysisRequest {
  std::string dir;
  std::string period;     // "2022H2", "2022Q4", "2022-11", "2022"; or use from/to
  std::string from_date;  // "2022-07-01" (inclusive) with to_date (exclusive)
  std::string to_date;
  std::string as_of;         // a timestamp; default: the end of the period
  std::string catalog_path;  // a user's catalog overriding the built-in one (optional)
  ColumnMapping mapping;
  int threads = 0;
  int32_t local_offset_s = kChinaOffsetSeconds;
  std::string quarantine_path;  // write bad rows here (optional)
  bool show_numbers = false;    // subscriber numbers unmasked in the quarantine file
  bool input_digests = true;    // SHA-256 of every input file for the traceability appendix
  /// Only the families that can print an id matching one of these globs run, and only their
  /// record types are read (e.g. "calls.*"); empty = everything.
  std::vector<std::string> id_patterns;
  ProgressFn on_progress;  // optional
};

struct Analysis {
  std::unique_ptr<Catalog> catalog;  // owned here; report.catalog points to it
  ReportInput report;
  double seconds = 0;
};

Result<Analysis> RunAnalysis(const AnalysisRequest& request);

/// The built-in catalog with the user's file applied on top (if any).
Result<Catalog> LoadCatalog(const std::string& override_path);

/// "0.1.0"
const char* TsqVersion();

}  // namespace tsq
