// `tsq validate`: reads every file of a data directory against the contract and reports, per file,
// rows read / accepted / quarantined by reason, the time range and the operators and regions seen.
#pragma once

#include <string>

#include "app/progress.h"
#include "core/result.h"
#include "model/data_quality.h"
#include "model/read.h"

namespace tsq {

struct ValidateRequest {
  std::string dir;
  std::string quarantine_path;  // empty: do not write bad rows anywhere
  bool show_numbers = false;    // subscriber numbers unmasked in the quarantine file
  ColumnMapping mapping;
  int threads = 0;
  int32_t local_offset_s = kChinaOffsetSeconds;
  ProgressFn on_progress;  // optional
};

/// Fails only when a file cannot be read at all (missing, corrupt, no required column) or the
/// directory holds no record file; bad rows are reported in the result, not as an error. On
/// failure no quarantine file is left behind.
Result<DataQuality> Validate(const ValidateRequest& request);

}  // namespace tsq
