// The main job: compute every indicator of a period from a data directory — one pass per record
// type on all cores — judge them against the catalog, and gather what a report needs (comparison
// periods, data quality, input digests). `tsq kpi`, `tsq report` and the server all call this.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/inputs.h"
#include "indicators/catalog.h"
#include "report/report_input.h"

namespace tsq {

/// The findings' options beyond the catalog (docs/indicators.md, speedtests).
/// Call records the caller features keep in memory by default, all workers together (MiB).
inline constexpr size_t kDefaultCallerMemoryMb = 1024;

struct FindingRequest {
  std::string baseline;  // the remediation baseline, a period such as 2022H1; empty = preceding
  std::string work_orders_path;  // CSV: cell_id, order_id, fixed_at
  bool per_device_day = false;   // one sample per device per day
  bool signal_rule = false;      // bad by RSRP/SINR instead of downstream rate
  std::string places_path;       // CSV name, lat, lon: labels for the maps
  // Suspected callers.
  std::string whitelist_path;        // numbers a reviewer cleared, one per line
  std::string caller_model_path;     // a model from `tsq callers train`; empty: the rules
  std::string caller_labels_path;    // labels (caller,label): their features and scores are kept
  bool caller_all_features = false;  // keep every judged number's features (training)
  size_t caller_memory_mb = 0;       // call records in memory, all workers together; 0: the default
  std::string spill_dir;             // empty: TMPDIR or /tmp
};

struct AnalysisRequest {
  InputOptions input;
  std::string period;     // "2022H2", "2022Q4", "2022-11", "2022"; or use from/to
  std::string from_date;  // "2022-07-01" (inclusive) with to_date (exclusive)
  std::string to_date;
  std::string as_of;         // a timestamp; default: the end of the period
  std::string catalog_path;  // a user's catalog overriding the built-in one (optional)
  /// Only the families that print an id matching one of these patterns run, and only their
  /// record types are read (e.g. "calls.*"); empty = everything. A pattern that matches no
  /// indicator is an error that lists close matches.
  std::vector<std::string> id_patterns;
  /// Fail (ErrorCode::kDataQuality) when any file's quarantined share of rows exceeds this.
  std::optional<double> max_bad_share;
  FindingRequest findings;
  /// A store of computed periods (an SQLite file or a postgresql:// URI): the preceding period
  /// and the period a year earlier are read from it when the data has no rows for them.
  std::string store;
  /// State files (tsq kpi --save-state) merged with the data: each fills the window of the run
  /// that contains its period. With states, input.dir may be empty.
  std::vector<std::string> state_paths;
  /// Also merge the states `store` keeps of periods inside this one (stored months into their
  /// quarter or half-year; StoredStatesWithin). input.dir may then be empty.
  bool merge_stored = false;
  /// Where to save this run's state of its period (empty: not saved).
  std::string save_state_path;
};

struct Analysis {
  /// False on a rank other than 0 of a distributed run (app/cluster.h): rank 0 has the results
  /// and writes every output; this one has nothing to show.
  bool outputs = true;
  std::unique_ptr<Catalog> catalog;  // owned here; report.catalog points to it
  ReportInput report;
  /// Things the user should know that do not stop the run (a catalog naming an operator that is
  /// not in the data).
  std::vector<std::string> warnings;
  /// What the user may want to know about where figures came from (comparison periods read from
  /// the store).
  std::vector<std::string> notes;
  double seconds = 0;
};

Result<Analysis> RunAnalysis(const AnalysisRequest& request);

/// The built-in catalog with the user's file applied on top (if any); the user's file may only
/// name ids that tsq produces.
Result<Catalog> LoadCatalog(const std::string& override_path);

/// Every concrete indicator id tsq can produce (the registry's), in family order.
std::vector<std::string> KnownIndicatorIds();

/// Ok when every pattern matches some indicator tsq produces; otherwise an error naming the first
/// that matches none, with close matches.
Status CheckIdPatterns(const std::vector<std::string>& patterns);

/// Ok when no file's quarantined share of rows exceeds `max_share`; otherwise a kDataQuality
/// error naming each file over it.
Status CheckBadShare(const DataQuality& quality, double max_share);

/// "0.1.0"
const char* TsqVersion();

}  // namespace tsq
