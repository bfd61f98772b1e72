// Reading a data directory once: what every data-reading command shares (validate, kpi, report,
// and the server). One pass per record type feeds every chosen indicator family, validates every
// row, writes bad rows to the quarantine file (subscriber numbers masked) and collects the
// data-quality accounting and the input digests.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/progress.h"
#include "core/result.h"
#include "engine/runner.h"
#include "model/data_quality.h"
#include "model/read.h"

namespace tsq {

/// Where the records are and how to read them.
struct InputOptions {
  std::string dir;
  ColumnMapping mapping;
  int threads = 0;  // 0 = all cores
  int32_t local_offset_s = kChinaOffsetSeconds;
  std::string quarantine_path;  // also write every bad row here (optional)
  /// Keep the bad rows in InputsRead::quarantine_rows instead of writing quarantine_path (a rank
  /// of a distributed run: rank 0 writes the file).
  bool quarantine_to_memory = false;
  bool show_numbers = false;  // subscriber numbers unmasked in the quarantine file
  bool digests = true;        // SHA-256 of every input file, computed while it is read
  TextEncoding encoding = TextEncoding::kUtf8;  // kAuto: per file
  ProgressFn on_progress;                       // optional
};

/// The record files of `dir`; an error when it holds none.
Result<DataSet> OpenDataSet(const std::string& dir);

struct InputsRead {
  EngineRun run;                   // the families' merged states
  DataQuality quality;             // per file: rows, accepted, quarantined by reason, digest, facts
  std::string quarantine_rows;     // with InputOptions::quarantine_to_memory
  std::vector<std::string> notes;  // how the read was done, for the user to hear of
};

/// Called once the files are read, before the families complete: where saved states are merged
/// in and the run's own is saved.
using BeforeComplete = std::function<Status(EngineRun* run, DataQuality* quality)>;

/// The reading half of ReadInputs(): the families' states are not completed.
Result<InputsRead> ReadInputsPartial(const InputOptions& options, const DataSet& dataset,
                                     const std::vector<const FamilySpec*>& families,
                                     const EvalContext& ctx, StringDictionary* dict);

/// The families' heavy or fallible work once every state is in (CompleteFamilies), on the
/// options' threads.
Status CompleteInputs(const InputOptions& options, InputsRead* read);

/// Reads `dataset` once: `families` see the batches of their record types; every file is read
/// and validated even when no family needs it.
Result<InputsRead> ReadInputs(const InputOptions& options, const DataSet& dataset,
                              const std::vector<const FamilySpec*>& families,
                              const EvalContext& ctx, StringDictionary* dict,
                              const BeforeComplete& before_complete = nullptr);

}  // namespace tsq
