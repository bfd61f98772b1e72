// `tsq generate`: writes a realistic synthetic province (Jilin: 3 operators, 9 regions) as a
// data directory of the contract's record types, plus DIR/truth.json describing exactly what was
// planted in it (harassment and fraud callers with their hard negatives, poor and remediated 5G
// cells, broadband lines around the 90 % rule, designed target misses, malformed rows with
// --bad). See docs/generator.md.
//
// Output is a pure function of the options except `threads` and `on_progress`: the same seed,
// scale, period, format and file split give byte-identical files on any number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/timestamp.h"
#include "model/schema.h"

namespace tsq {

struct GenerateOptions {
  /// Created if missing. Data files of a previous `tsq generate` run there (recognised by its
  /// truth.json) that this run does not rewrite are removed; other data files there are an error.
  std::string out_dir;
  /// Rows scale linearly: ~1 M rows in the period at 1.0 (two thirds calls); 0.01 for tests.
  double scale = 1.0;
  uint64_t seed = 1;
  /// The period the data is centred on: "2022H2", "2022Q4", "2022-11", "2022", or an inclusive
  /// day range "2022-07-01..2022-09-30". The previous period (and, for appeals, the same period a
  /// year earlier) are written too.
  std::string period = "2022H2";
  bool plant_bad_rows = false;       // --bad: malformed rows of every reason, listed in truth.json
  std::string format = "csv";        // csv | jsonl
  std::string compression = "none";  // none | gz | zst
  int calls_files = 1;               // split calls into calls-0001.csv ... when > 1
  /// --cell-tests: for measuring the poor-cell detector. N > 0 gives every planted cell of the
  /// intents poor, still_poor, remediated and near_threshold exactly N tests in the period, each
  /// bad with the cell's true share (a binomial count instead of an exact script), and plants
  /// 10 x scale "decoy" 5G cells 10-15 % bad; truth.json records each cell's true_bad_share.
  /// 0 (default): scripted cells only, as without the option.
  int cell_tests = 0;
  /// --callers: "plain" (default) plants mass callers, fraudsters and clearly legitimate heavy
  /// callers; "overlapping" adds harassers spread thin with call-backs and shared handsets, and
  /// consented telemarketing, debt collection, taxi dispatch, office trunks and alarm lines.
  std::string callers = "plain";
  int threads = 0;  // 0 = all hardware threads
  int32_t local_offset_s = kChinaOffsetSeconds;
  /// Called now and then from worker threads (never concurrently) with a stage ("generate",
  /// then "truth") and the fraction done in [0, 1]. Optional.
  std::function<void(std::string_view stage, double fraction)> on_progress;
};

struct GeneratedFile {
  std::string path;  // full path
  RecordType type = RecordType::kCalls;
  uint64_t rows = 0;  // data rows (header excluded), malformed ones included
  uint64_t rows_in_period = 0;
  uint64_t bad_rows = 0;
  uint64_t bytes = 0;  // on disk (after compression)
};

struct GenerateSummary {
  std::vector<GeneratedFile> files;  // in contract order of record types
  uint64_t total_rows = 0;
  uint64_t rows_in_period = 0;
  uint64_t bad_rows = 0;
  double seconds = 0;  // wall time of the whole run
  std::string truth_path;
  std::string period;           // label, e.g. "2022H2"
  std::string baseline_period;  // "2022H1"
};

/// Generates the province into options.out_dir. Fails (writing nothing into place) on invalid
/// options or an I/O error.
Result<GenerateSummary> GenerateProvince(const GenerateOptions& options);

}  // namespace tsq
