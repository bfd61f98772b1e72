// Everything a report is rendered from: the judged indicator values of the period and of its
// comparison periods, the catalog that defined them, and the data-quality facts of the inputs.
// Renderers (HTML, xlsx, Markdown, JSON, PDF) only read this; they compute nothing new.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/period.h"
#include "detectors/broadband.h"
#include "detectors/callers.h"
#include "detectors/cells.h"
#include "engine/value.h"
#include "indicators/catalog.h"
#include "model/data_quality.h"
#include "report/lang.h"

namespace tsq {

struct ReportInput {
  Period period;
  Micros as_of = 0;
  int32_t local_offset_s = kChinaOffsetSeconds;
  std::string province;  // optional title prefix, e.g. "吉林省"

  std::vector<IndicatorValue> current;  // judged values of `period`
  std::optional<Period> previous;       // set when the data covers the preceding period
  std::vector<IndicatorValue> previous_values;
  std::optional<Period> year_earlier;  // set when the data covers the period a year earlier
  std::vector<IndicatorValue> year_earlier_values;

  /// The findings of the period, when the data has the records: cells and tiles judged against
  /// the baseline, broadband lines judged against their plans.
  std::optional<CellFindings> cells;
  std::optional<BroadbandFindings> broadband;
  /// Suspected harassment and fraud callers, with their evidence (numbers as in the data: every
  /// renderer masks them unless `show_numbers`).
  std::optional<CallerFindings> callers;
  bool show_numbers = false;
  /// Labels for the maps (city centres): name, (lat, lon). Optional.
  std::vector<std::pair<std::string, std::pair<double, double>>> places;

  const Catalog* catalog = nullptr;
  DataQuality data_quality;  // every input file: accounting, size and SHA-256
  std::string catalog_hash;
  std::string tsq_version;
  Lang lang = Lang::kZh;
};

}  // namespace tsq
