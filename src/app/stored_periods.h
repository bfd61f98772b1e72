// Earlier periods read back from the store: when the raw data of the preceding period or of the
// period a year earlier is not given, `tsq kpi`, `tsq report`, `tsq ingest` and the server take
// its values from the store (re-judged against today's catalog), so 环比 and 同比 need only what
// was ingested before.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "detectors/cells.h"
#include "engine/value.h"
#include "indicators/catalog.h"
#include "report/report_input.h"
#include "store/store.h"

namespace tsq {

/// A stored value as the engine's: its exact group, value, n and, for rates, the numerator.
/// Target, verdict and interval are left for Judge.
Result<IndicatorValue> ToIndicatorValue(const StoredValue& stored);

/// Every stored value of the period `label`, judged against `catalog`; nullopt when the store
/// does not hold the period.
Result<std::optional<std::vector<IndicatorValue>>> ReadStoredPeriod(Store& store,
                                                                    const std::string& label,
                                                                    const Catalog& catalog);

/// Fills report->previous and report->year_earlier from `store` when it holds the period with the
/// same bounds: the data's values win where it has records, the store's fill those it has none
/// for. Returns a sentence per period read ("同比 (a year earlier): 2021H2 from the store tsq.db
/// (stored 2022-12-06T23:02:11Z), 15612 values the data has no records for").
Result<std::vector<std::string>> AddStoredComparisons(Store& store, const Catalog& catalog,
                                                      ReportInput* report);

/// The cells of the stored period `label` as its run judged them (from its cells.json), for a
/// remediation baseline whose tests are not given; nullptr when the store has no cells of it.
Result<std::shared_ptr<const StoredBaseline>> ReadStoredBaseline(Store& store,
                                                                 const std::string& label);

}  // namespace tsq
