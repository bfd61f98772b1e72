// Options shared by the commands that compute a period (kpi, report): which period, as of when,
// which catalog, where bad rows go and how many are tolerated.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/analysis.h"
#include "cli/commands.h"

namespace tsq {

struct PeriodOptions {
  std::string period;
  std::string from;
  std::string to;
  std::string as_of;
  std::string catalog;
  std::string quarantine;
  std::optional<double> max_bad_share;
  std::string store;                // comparison periods not in the data are read from here
  std::vector<std::string> states;  // saved states merged with the data
  std::string save_state;           // where this run's state of its period is saved
  bool merge_stored = false;        // merge the store's states of periods inside this one
};

void AddPeriodOptions(CLI::App* cmd, PeriodOptions* o);

/// --store: where earlier periods are read from (kpi, report) or written to (ingest).
void AddStoreOption(CLI::App* cmd, PeriodOptions* o, bool ingest);

/// --merge-stored: stored states of periods inside the run's make it up (needs --store).
void AddMergeStoredOption(CLI::App* cmd, PeriodOptions* o);

/// --baseline, --work-orders, --per-device-day, --signal-rule (the poor-cell findings).
void AddFindingOptions(CLI::App* cmd, FindingRequest* o);

/// --whitelist, --model, --memory-mb, --spill-dir (the suspected callers).
void AddCallerOptions(CLI::App* cmd, FindingRequest* o);

/// Builds the request, runs the analysis with a progress bar and prints its warnings; on failure
/// prints the error and sets `*status`.
std::optional<Analysis> RunAnalysisFromCli(const std::string& dir, const PeriodOptions& p,
                                           const CommonOptions& c,
                                           const std::vector<std::string>& id_patterns,
                                           ExitStatus* status, const FindingRequest& findings = {});

}  // namespace tsq
