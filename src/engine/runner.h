// The one-pass runner: reads each record type once with all workers and feeds every batch to every
// family of that type (one FamilyState per worker), then merges the workers' states.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "engine/family.h"
#include "model/read.h"

namespace tsq {

/// The merged state of every family after a run, plus the reader's accounting.
struct EngineRun {
  EvalContext ctx;
  std::vector<const FamilySpec*> families;                // those that had input
  std::vector<std::unique_ptr<FamilyState>> states;       // merged, parallel to `families`
  std::map<RecordType, std::vector<FileReport>> reports;  // per record type, per file

  /// Finalizes every family for `slot`.
  std::vector<IndicatorValue> Finalize(int slot) const;
  /// Each family's name and state, as a state file saves them.
  std::vector<std::pair<std::string, const FamilyState*>> NamedStates() const;
  /// Whether the data set has rows of `family`'s type in `slot`.
  bool HasRows(size_t family, int slot) const { return states[family]->HasRows(slot); }
};

/// Called with every batch read (from worker threads), for callers that want to look at the data
/// too (e.g. data-quality facts). Optional. It sees the columns the families read, the period's
/// time and the operator and region columns; other text and dictionary columns may be empty.
using BatchObserver = std::function<void(RecordType type, int worker, const Batch& batch)>;

/// Called, in file/line order, with every quarantined row and the input list its index refers to.
using BadRowSink = std::function<void(const std::vector<InputFile>& files, const BadRow& row)>;

/// Runs `families` over `dataset`. Record types without a family are still read when `observer`
/// is set (so every file is validated), otherwise skipped. `options.on_bad_row` is ignored in
/// favour of `bad_rows`. ReadFamilies() then CompleteFamilies().
Result<EngineRun> RunFamilies(const DataSet& dataset,
                              const std::vector<const FamilySpec*>& families,
                              const EvalContext& ctx, const ReadOptions& options,
                              StringDictionary* dict, const BatchObserver& observer = nullptr,
                              const BadRowSink& bad_rows = nullptr);

/// The reading half of RunFamilies(): the families' states merged across workers and files, not
/// yet completed, so that saved states can be merged in (or the run's saved) first.
Result<EngineRun> ReadFamilies(const DataSet& dataset,
                               const std::vector<const FamilySpec*>& families,
                               const EvalContext& ctx, const ReadOptions& options,
                               StringDictionary* dict, const BatchObserver& observer = nullptr,
                               const BadRowSink& bad_rows = nullptr);

/// The order in which ReadFamilies() over `dataset` lists the families that had input: by
/// record type, then in `families` order.
std::vector<const FamilySpec*> InputOrder(const DataSet& dataset,
                                          const std::vector<const FamilySpec*>& families);
/// Puts the families of `run` in `order` (the others after them, as they were), so that a run
/// merged from the parts of several readers lists its values as one reader would.
void OrderFamilies(EngineRun* run, const std::vector<const FamilySpec*>& order);

/// The state of `family` in `run`, created when the data had none of its rows.
FamilyState& StateOf(EngineRun* run, const FamilySpec* family);

/// The state of the family of `families` called `name` (created as StateOf() does), or nullptr
/// when none of them is: where a saved state of that name is merged.
FamilyState* StateNamed(EngineRun* run, const std::vector<const FamilySpec*>& families,
                        std::string_view name);

/// The heavy or fallible work of each family once every state is in (FamilyState::Complete).
Status CompleteFamilies(EngineRun* run, int threads);

/// Fills `slots` (resized to the batch) with each row's period slot by the record's start time.
void AssignSlots(const Batch& batch, const EvalContext& ctx, std::vector<uint8_t>* slots);

}  // namespace tsq
