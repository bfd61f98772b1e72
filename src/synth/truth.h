// truth.json: what a run planted, computed exactly from the rows it wrote (quarantined rows left
// out, as the reader leaves them out), so a detector or an indicator can be checked against it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "synth/gen.h"
#include "synth/plan.h"

namespace tsq::synth {

/// A malformed row with its physical line in the file.
struct FileBadRow {
  uint64_t line = 0;
  BadRowReason reason = BadRowReason::kColumnCount;
  std::string column;
};

struct FileResult {
  std::string name;  // relative to the output directory
  uint64_t rows = 0;
  uint64_t rows_in_period = 0;
  uint64_t bytes = 0;
  std::vector<FileBadRow> bad;
};

/// Every chunk's statistics, merged in task order.
struct MergedStats {
  std::array<std::vector<int64_t>, kRecordTypeCount> counters;
  std::vector<CallerEvent> caller_events;
  std::vector<uint64_t> cell_tests;
  std::vector<LineSample> line_tests;

  void Add(RecordType type, ChunkStats&& stats);
};

/// truth.json's text (pretty-printed JSON).
/// The planted callers as labels for `tsq callers eval|train`: caller,label,kind (label
/// harassment, fraud or legitimate).
std::string CallerLabelsCsv(const Plan& plan);

std::string TruthJson(const Plan& plan, const std::vector<FileResult>& files,
                      const MergedStats& stats, std::string_view compression);

/// One-sided Wilson lower bound of a proportion (z = 1.645, 95 %).
double WilsonLower(int64_t bad, int64_t n);

}  // namespace tsq::synth
