// State files in a run: `--state FILE…` merges periods computed before (months into their
// quarter or half-year, a preceding period for 环比), `--save-state FILE` keeps this run's period
// for later. A state merges only where it cannot count a record twice or under other rules: the
// same catalog limits, the same time zone, a period inside one of the run's windows, no two states
// over the same time, no data file with records in a state's period.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/runner.h"
#include "engine/state_file.h"
#include "indicators/catalog.h"
#include "model/data_quality.h"
#include "store/store.h"

namespace tsq {

/// A state file opened and checked, and where its rows go in the run.
struct PlannedState {
  std::unique_ptr<StateFileReader> reader;
  uint8_t slot = kNoSlot;  // the run's window that contains its period
  bool baseline = false;   // ...or the separate remediation baseline that does
};

/// What states must agree on besides their rows: the catalog's limits and thresholds (which
/// shape the states; targets are applied to the final values and may differ).
std::string StateConfig(const Catalog& catalog);

/// Opens `paths` and places each in the first window of `ctx` that contains its period (or in
/// the remediation `baseline`). Refuses a file of another catalog or time zone, a period that
/// straddles a window, and two files whose periods overlap; a file in no window is left out with
/// a warning.
Result<std::vector<PlannedState>> PlanStates(const std::vector<std::string>& paths,
                                             const EvalContext& ctx,
                                             const std::optional<Period>& baseline,
                                             const std::string& config,
                                             std::vector<std::string>* warnings);
/// The same over states opened already (from files or from a store).
Result<std::vector<PlannedState>> PlanStates(std::vector<std::unique_ptr<StateFileReader>> readers,
                                             const EvalContext& ctx,
                                             const std::optional<Period>& baseline,
                                             const std::string& config,
                                             std::vector<std::string>* warnings);

/// The states `store` keeps of periods inside `window` (its months, a quarter of it), opened:
/// the longest first and none overlapping another, so that no record counts twice. An error
/// when there is none; `notes` says which were taken and whether they cover the whole window.
Result<std::vector<std::unique_ptr<StateFileReader>>> StoredStatesWithin(
    Store& store, const Period& window, int32_t local_offset_s, std::vector<std::string>* notes);

/// Merges `states` into `run`, for the `families` chosen, and adds their files to `quality`.
/// Refuses a data file with records of a type the state holds inside the state's period.
Status MergeStates(std::vector<PlannedState>* states,
                   const std::vector<const FamilySpec*>& families, StringDictionary* dict,
                   EngineRun* run, DataQuality* quality, std::vector<std::string>* warnings);

/// Writes the run's state of its period to `path`: every chosen family's partial state, the
/// dictionary, and the files read (those of merged states included).
Status SaveState(const std::string& path, const EngineRun& run,
                 const std::vector<const FamilySpec*>& families, const DataQuality& quality,
                 const std::string& config, const std::string& tsq_version,
                 const StringDictionary& dict);

}  // namespace tsq
