// Options shared by the commands that compute a period (kpi, report): which period, as of when,
// which catalog.
#pragma once

#include <optional>
#include <string>

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
};

void AddPeriodOptions(CLI::App* cmd, PeriodOptions* o);

/// Fills an AnalysisRequest from the parsed options; a bad value is a usage error.
Status MakeAnalysisRequest(const std::string& dir, const PeriodOptions& p, const CommonOptions& c,
                           AnalysisRequest* req);

/// Builds the request, runs the analysis with a progress bar and, on failure, prints the error and
/// sets `*status` (usage errors exit 2, data errors 1). `digests`: hash the inputs for the
/// traceability appendix.
std::optional<Analysis> RunAnalysisFromCli(const std::string& dir, const PeriodOptions& p,
                                           const CommonOptions& c, bool digests, ExitStatus* status,
                                           const std::vector<std::string>& id_patterns = {});

}  // namespace tsq
