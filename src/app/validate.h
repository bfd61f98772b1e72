// `tsq validate`: reads every file of a data directory against the contract and reports, per file,
// rows read / accepted / quarantined by reason, the time range and the operators and regions seen.
#pragma once

#include "app/inputs.h"

namespace tsq {

struct ValidateRequest {
  InputOptions input;
};

/// Fails only when a file cannot be read at all (missing, corrupt, no required column) or the
/// directory holds no record file; bad rows are reported in the result, not as an error. On
/// failure no quarantine file is left behind.
Result<DataQuality> Validate(const ValidateRequest& request);

}  // namespace tsq
