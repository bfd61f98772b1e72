#include "app/analysis.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include <fmt/format.h>

#include "app/callers.h"
#include "app/cluster_read.h"
#include "app/findings.h"
#include "app/state_files.h"
#include "app/stored_periods.h"
#include "core/glob.h"
#include "detectors/broadband.h"
#include "detectors/caller_model.h"
#include "detectors/speedtests.h"
#include "detectors/work_orders.h"
#include "indicators/families.h"
#include "indicators/judge.h"

namespace tsq {
namespace {

// The registry without a run: what families exist and which ids they print.
const std::vector<FamilySpec>& Registry() {
  static const std::vector<FamilySpec> specs = DefaultFamilies(FamilyConfig{});
  return specs;
}

// Step 1: the report period, its comparison periods and the as-of times.
Result<EvalContext> PeriodContext(const AnalysisRequest& r) {
  const int32_t offset = r.input.local_offset_s;
  const bool range = !r.from_date.empty() || !r.to_date.empty();
  if (range && !r.period.empty()) {
    return Error(ErrorCode::kInvalidArgument, "give either --period or --from/--to, not both");
  }
  Result<Period> period = Error(ErrorCode::kInvalidArgument,
                                "which period? give --period (2022H2, 2022Q4, 2022-11, 2022) or "
                                "--from/--to");
  if (range) {
    if (r.from_date.empty() || r.to_date.empty()) {
      return Error(ErrorCode::kInvalidArgument, "--from and --to go together");
    }
    period = CustomPeriod(r.from_date, r.to_date, offset);
  } else if (!r.period.empty()) {
    period = ParsePeriod(r.period, offset);
  }
  if (!period) return std::move(period).error();
  EvalContext ctx;
  ctx.local_offset_s = offset;
  ctx.periods = {*period, period->Previous(offset), period->YearEarlier(offset)};
  for (int s = 0; s < kSlotCount; ++s) ctx.as_of[s] = ctx.periods[s].to;
  if (!r.as_of.empty()) {
    auto t = ParseTimestamp(r.as_of, offset);
    if (!t) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("--as-of {}: expected a timestamp such as '2023-01-01 00:00:00' "
                               "or 2023-01-01T00:00:00+08:00",
                               r.as_of));
    }
    ctx.as_of[kCurrentSlot] = *t;
  }
  return ctx;
}

// Step 2: the families that print an id the user asked for (all when none was named).
std::vector<const FamilySpec*> ChooseFamilies(const std::vector<FamilySpec>& specs,
                                              const std::vector<std::string>& patterns) {
  std::vector<const FamilySpec*> chosen;
  for (const FamilySpec& s : specs) {
    bool wanted = patterns.empty();
    for (const std::string& p : patterns) {
      for (const std::string& id : s.ConcreteIds()) wanted = wanted || GlobMatch(p, id);
    }
    if (wanted) chosen.push_back(&s);
  }
  return chosen;
}

// With ids chosen, only the record types the chosen families need are read.
void KeepTypesOf(const std::vector<const FamilySpec*>& families, DataSet* dataset) {
  std::map<RecordType, std::vector<InputFile>> needed;
  for (const FamilySpec* f : families) {
    std::vector<RecordType> types = f->also_reads;
    types.push_back(f->type);
    for (RecordType t : types) {
      auto it = dataset->files.find(t);
      if (it != dataset->files.end()) needed[t] = it->second;
    }
  }
  dataset->files = std::move(needed);
}

// Step 4: every family finalized and judged for the period and for each comparison period the
// data covers.
void Judged(const EngineRun& run, const Catalog& catalog, ReportInput* report) {
  report->current = run.Finalize(kCurrentSlot);
  Judge(catalog, &report->current);
  bool has_previous = false;
  bool has_year_earlier = false;
  for (size_t f = 0; f < run.families.size(); ++f) {
    has_previous = has_previous || run.HasRows(f, kPreviousSlot);
    has_year_earlier = has_year_earlier || run.HasRows(f, kYearEarlierSlot);
  }
  if (has_previous) {
    report->previous = run.ctx.periods[kPreviousSlot];
    report->previous_values = run.Finalize(kPreviousSlot);
    Judge(catalog, &report->previous_values);
  }
  if (has_year_earlier) {
    report->year_earlier = run.ctx.periods[kYearEarlierSlot];
    report->year_earlier_values = run.Finalize(kYearEarlierSlot);
    Judge(catalog, &report->year_earlier_values);
  }
}

// Step 1b: the findings' choices. A baseline must end before the period starts; the preceding
// period (the default) is the run's previous slot and needs no window of its own.
Result<FindingChoices> FindingChoicesOf(const FindingRequest& r, const EvalContext& ctx,
                                        int threads) {
  FindingChoices out;
  out.cells_by_signal = r.signal_rule;
  out.one_per_device_day = r.per_device_day;
  if (!r.baseline.empty()) {
    auto baseline = ParsePeriod(r.baseline, ctx.local_offset_s);
    if (!baseline) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("--baseline {}: {}", r.baseline, baseline.error().message));
    }
    const Period& period = ctx.periods[kCurrentSlot];
    if (baseline->to > period.from) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("--baseline {} must end before the period {} starts", r.baseline,
                               period.label));
    }
    const Period& previous = ctx.periods[kPreviousSlot];
    if (baseline->from != previous.from || baseline->to != previous.to) out.baseline = *baseline;
  }
  if (!r.work_orders_path.empty()) {
    auto orders = ReadWorkOrders(r.work_orders_path, ctx.local_offset_s);
    if (!orders) return std::move(orders).error();
    out.work_orders = std::move(*orders);
  }
  if (!r.whitelist_path.empty()) {
    auto cleared = ReadWhitelist(r.whitelist_path);
    if (!cleared) return std::move(cleared).error();
    out.cleared_callers = std::make_shared<const std::unordered_set<uint64_t>>(std::move(*cleared));
  }
  if (!r.caller_labels_path.empty()) {
    auto labels = ReadCallerLabels(r.caller_labels_path);
    if (!labels) return std::move(labels).error();
    std::unordered_set<uint64_t> keys;
    for (const auto& [key, positive] : labels->positive) keys.insert(key);
    out.labelled_callers = std::make_shared<const std::unordered_set<uint64_t>>(std::move(keys));
  }
  if (!r.caller_model_path.empty()) {
    auto model = LoadCallerModel(r.caller_model_path);
    if (!model) return std::move(model).error();
    out.caller_model = std::move(*model);
  }
  out.caller_all_features = r.caller_all_features;
  // The budget is the run's, shared by the workers, so that more cores do not mean more memory.
  const size_t total_mb = r.caller_memory_mb > 0 ? r.caller_memory_mb : kDefaultCallerMemoryMb;
  out.caller_memory = (total_mb << 20) / static_cast<size_t>(WorkerCount(threads));
  out.spill_dir = r.spill_dir;
  return out;
}

// Step 5: the findings of the families that make them (when their records were read).
void CollectFindings(const EngineRun& run, ReportInput* report) {
  for (const auto& state : run.states) {
    if (auto cells = SpeedtestsFindings(*state, run.ctx)) report->cells = std::move(*cells);
    if (auto lines = BroadbandTestFindings(*state, run.ctx)) report->broadband = std::move(*lines);
    if (const CallerFindings* callers = CallersFindings(*state)) report->callers = *callers;
  }
}

// A catalog that overrides an operator the data does not have is probably misspelt.
std::vector<std::string> CatalogWarnings(const Catalog& catalog, const DataQuality& quality,
                                         const std::string& catalog_path) {
  std::set<std::string> seen;
  for (const FileQuality& f : quality.files) seen.insert(f.operators.begin(), f.operators.end());
  std::vector<std::string> warnings;
  if (seen.empty()) return warnings;
  const std::vector<std::string> known(seen.begin(), seen.end());
  for (const std::string& op : catalog.OperatorNames()) {
    if (seen.contains(op)) continue;
    std::string names;
    for (const std::string& k : known) names += (names.empty() ? "" : ", ") + k;
    const std::vector<std::string> close = ClosestMatches(op, known);
    warnings.push_back(fmt::format(
        "{}: operators.\"{}\" is not an operator of the data ({}), so its targets and limits "
        "apply to nothing{}",
        catalog_path, op, names, close.empty() ? "" : "; did you mean " + close.front() + "?"));
  }
  return warnings;
}

}  // namespace

const char* TsqVersion() { return TSQ_VERSION; }

std::vector<std::string> KnownIndicatorIds() {
  std::vector<std::string> ids;
  for (const FamilySpec& s : Registry()) {
    ids.insert(ids.end(), s.ConcreteIds().begin(), s.ConcreteIds().end());
  }
  return ids;
}

Result<Catalog> LoadCatalog(const std::string& override_path) {
  auto catalog = Catalog::Default();
  if (!catalog) return catalog;
  if (!override_path.empty()) {
    const std::vector<std::string> known = KnownIndicatorIds();
    TSQ_TRY(catalog->OverrideFile(override_path, &known));
  }
  return catalog;
}

Status CheckIdPatterns(const std::vector<std::string>& patterns) {
  const std::vector<std::string> known = KnownIndicatorIds();
  for (const std::string& p : patterns) {
    if (std::any_of(known.begin(), known.end(),
                    [&](const std::string& id) { return GlobMatch(p, id); })) {
      continue;
    }
    // Close matches among the ids and the families' "<family>.*".
    std::vector<std::string> candidates = known;
    for (const FamilySpec& s : Registry()) candidates.push_back(std::string(s.name) + ".*");
    const std::vector<std::string> close = ClosestMatches(p, candidates);
    std::string hint;
    for (const std::string& c : close) hint += (hint.empty() ? "" : ", ") + c;
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("--id '{}' matches no indicator{}; 'tsq indicators' lists them", p,
                             hint.empty() ? "" : " (did you mean " + hint + "?)"));
  }
  return Ok();
}

Status CheckBadShare(const DataQuality& quality, double max_share) {
  std::string over;
  for (const FileQuality& f : quality.files) {
    if (f.read.rows_read == 0) continue;
    const double share =
        static_cast<double>(f.read.rows_quarantined) / static_cast<double>(f.read.rows_read);
    if (share <= max_share) continue;
    over += fmt::format("{}{} ({} of {} rows, {:.2f}%)", over.empty() ? "" : "; ", f.read.name(),
                        f.read.rows_quarantined, f.read.rows_read, share * 100);
  }
  if (over.empty()) return Ok();
  return Error(ErrorCode::kDataQuality,
               fmt::format("more bad rows than --max-bad-share {} allows: {}", max_share, over));
}

Result<Analysis> RunAnalysis(const AnalysisRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  auto ctx = PeriodContext(request);
  if (!ctx) return std::move(ctx).error();
  TSQ_TRY(CheckIdPatterns(request.id_patterns));

  Analysis analysis;
  {
    auto catalog = LoadCatalog(request.catalog_path);
    if (!catalog) return std::move(catalog).error();
    analysis.catalog = std::make_unique<Catalog>(std::move(*catalog));
  }
  auto choices = FindingChoicesOf(request.findings, *ctx, request.input.threads);
  if (!choices) return std::move(choices).error();
  // The store is opened before the long read, so that a wrong one fails at once.
  std::unique_ptr<Store> store;
  if (!request.store.empty()) {
    auto opened = OpenStore(request.store);
    if (!opened) return std::move(opened).error();
    store = std::move(*opened);
    // The remediation baseline as stored, for when the data has no test of it.
    const std::string baseline = request.findings.baseline.empty()
                                     ? ctx->periods[kPreviousSlot].label
                                     : request.findings.baseline;
    auto stored = ReadStoredBaseline(*store, baseline);
    if (!stored) return std::move(stored).error();
    choices->stored_baseline = std::move(*stored);
  }
  // State files are opened and checked before the long read, too.
  std::vector<std::string> state_warnings;
  std::vector<std::string> state_notes;
  std::vector<PlannedState> states;
  const std::string state_config = StateConfig(*analysis.catalog);
  const bool with_states = !request.state_paths.empty() || request.merge_stored;
  if (request.merge_stored && store == nullptr) {
    return Error(ErrorCode::kInvalidArgument,
                 "--merge-stored merges the states a store keeps: give the store with --store");
  }
  if (with_states && Cluster::Get().root()) {
    std::vector<std::unique_ptr<StateFileReader>> readers;
    for (const std::string& path : request.state_paths) {
      auto reader = StateFileReader::Open(path);
      if (!reader) return std::move(reader).error();
      readers.push_back(std::move(*reader));
    }
    if (request.merge_stored) {
      auto stored =
          StoredStatesWithin(*store, ctx->periods[kCurrentSlot], ctx->local_offset_s, &state_notes);
      if (!stored) return std::move(stored).error();
      for (auto& reader : *stored) readers.push_back(std::move(reader));
    }
    auto planned =
        PlanStates(std::move(readers), *ctx, choices->baseline, state_config, &state_warnings);
    if (!planned) return std::move(planned).error();
    states = std::move(*planned);
  }
  Result<DataSet> dataset = DataSet{};
  if (!request.input.dir.empty() || !with_states) {
    dataset = OpenDataSet(request.input.dir);
    if (!dataset) return std::move(dataset).error();
  }

  StringDictionary dict;
  const FamilyConfig cfg{request.input.local_offset_s, analysis.catalog.get(), &dict, &*choices};
  const std::vector<FamilySpec> specs = DefaultFamilies(cfg);
  const std::vector<const FamilySpec*> families = ChooseFamilies(specs, request.id_patterns);
  if (!request.id_patterns.empty()) KeepTypesOf(families, &*dataset);

  const BeforeComplete merge_and_save = [&](EngineRun* run, DataQuality* quality) -> Status {
    TSQ_TRY(MergeStates(&states, families, &dict, run, quality, &state_warnings));
    if (request.save_state_path.empty()) return Ok();
    // A state is kept only from a run that would have succeeded.
    if (request.max_bad_share) TSQ_TRY(CheckBadShare(*quality, *request.max_bad_share));
    return SaveState(request.save_state_path, *run, families, *quality, state_config, TsqVersion(),
                     dict);
  };
  // A state file holds the callers' calls whole, so a run that merges or saves one gathers them
  // on rank 0; other runs judge every number on the rank its hash gives.
  const bool spread_by_number = !with_states && request.save_state_path.empty();
  auto cluster_read = ReadInputsOnCluster(Cluster::Get(), request.input, *dataset, families, *ctx,
                                          &dict, merge_and_save, spread_by_number);
  if (!cluster_read) return std::move(cluster_read).error();
  if (!*cluster_read) {
    analysis.outputs = false;  // another rank of a distributed run: rank 0 has the results
    return analysis;
  }
  InputsRead* read = &**cluster_read;
  analysis.notes = read->notes;
  analysis.notes.insert(analysis.notes.end(), state_notes.begin(), state_notes.end());

  ReportInput& report = analysis.report;
  report.period = ctx->periods[kCurrentSlot];
  report.as_of = ctx->as_of[kCurrentSlot];
  report.local_offset_s = request.input.local_offset_s;
  report.catalog = analysis.catalog.get();
  report.catalog_hash = analysis.catalog->Hash();
  report.tsq_version = TsqVersion();
  report.show_numbers = request.input.show_numbers;
  Judged(read->run, *analysis.catalog, &report);
  if (store) {
    auto notes = AddStoredComparisons(*store, *analysis.catalog, &report);
    if (!notes) return std::move(notes).error();
    analysis.notes.insert(analysis.notes.end(), notes->begin(), notes->end());
  }
  CollectFindings(read->run, &report);
  if (!request.findings.places_path.empty()) {
    auto places = ReadPlaces(request.findings.places_path);
    if (!places) return std::move(places).error();
    for (const MapPlace& p : *places) report.places.push_back({p.name, {p.lat, p.lon}});
  }
  report.data_quality = std::move(read->quality);
  analysis.warnings = report.data_quality.warnings;
  analysis.warnings.insert(analysis.warnings.end(), state_warnings.begin(), state_warnings.end());
  for (std::string& w :
       CatalogWarnings(*analysis.catalog, report.data_quality, request.catalog_path)) {
    analysis.warnings.push_back(std::move(w));
  }
  if (store) {
    if (report.cells && report.cells->baseline_source == BaselineSource::kStore) {
      analysis.notes.push_back(fmt::format(
          "remediation baseline {}: the cells as stored in {} (the data has no test of it)",
          report.cells->baseline, store->Where()));
    }
    if (report.cells && report.cells->stored_baseline_rule_differs) {
      analysis.warnings.push_back(fmt::format(
          "remediation baseline {}: the store has its cells judged under another rule (e.g. "
          "--signal-rule or other thresholds), so remediation is not measured; ingest {} again "
          "with the same rule",
          report.cells->baseline, report.cells->baseline));
    }
  }
  if (request.max_bad_share) TSQ_TRY(CheckBadShare(report.data_quality, *request.max_bad_share));
  analysis.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return analysis;
}

}  // namespace tsq
