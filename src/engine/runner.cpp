#include "engine/runner.h"

#include <algorithm>
#include <map>

namespace tsq {
namespace {

// The text and dictionary columns of `type` that neither `families` nor an observer read (bit c:
// contract column c), so that the reader checks them without copying or interning their values.
uint32_t UnkeptColumns(RecordType type, const std::vector<const FamilySpec*>& families,
                       bool observed) {
  const RecordSchema& schema = SchemaOf(type);
  uint32_t kept = 0;
  for (const FamilySpec* f : families) {
    // A family reading another type's records beside its own declares only its own columns.
    if (f->type != type || f->columns.empty()) return 0;
    for (int c : f->columns) kept |= uint32_t{1} << c;
  }
  if (observed) {
    for (std::string_view name : {"operator", "from_operator", "region"}) {
      const int c = ColumnIndex(schema, name);
      if (c >= 0) kept |= uint32_t{1} << c;
    }
  }
  const uint32_t all =
      schema.columns.size() >= 32 ? ~uint32_t{0} : (uint32_t{1} << schema.columns.size()) - 1;
  return all & ~kept;
}

}  // namespace

void AssignSlots(const Batch& batch, const EvalContext& ctx, std::vector<uint8_t>* slots) {
  slots->resize(batch.rows);
  const std::vector<int64_t>& start = batch.columns[batch.schema->period_column].i64;
  for (size_t r = 0; r < batch.rows; ++r) {
    uint8_t s = kNoSlot;
    for (int k = 0; k < kSlotCount; ++k) {
      if (ctx.periods[k].Contains(start[r])) {
        s = static_cast<uint8_t>(k);
        break;
      }
    }
    (*slots)[r] = s;
  }
}

std::vector<IndicatorValue> EngineRun::Finalize(int slot) const {
  std::vector<IndicatorValue> out;
  for (size_t f = 0; f < families.size(); ++f) states[f]->Finalize(ctx, slot, &out);
  return out;
}

Result<EngineRun> RunFamilies(const DataSet& dataset,
                              const std::vector<const FamilySpec*>& families,
                              const EvalContext& ctx, const ReadOptions& options,
                              StringDictionary* dict, const BatchObserver& observer,
                              const BadRowSink& bad_rows) {
  auto run = ReadFamilies(dataset, families, ctx, options, dict, observer, bad_rows);
  if (!run) return run;
  TSQ_TRY(CompleteFamilies(&*run, WorkerCount(options)));
  return run;
}

std::vector<const FamilySpec*> InputOrder(const DataSet& dataset,
                                          const std::vector<const FamilySpec*>& families) {
  std::vector<const FamilySpec*> order;
  for (const auto& [type, files] : dataset.files) {
    for (const FamilySpec* f : families) {
      if (f->Reads(type) && std::find(order.begin(), order.end(), f) == order.end()) {
        order.push_back(f);
      }
    }
  }
  return order;
}

void OrderFamilies(EngineRun* run, const std::vector<const FamilySpec*>& order) {
  const auto rank = [&](const FamilySpec* f) {
    return std::find(order.begin(), order.end(), f) - order.begin();
  };
  std::vector<size_t> index(run->families.size());
  for (size_t i = 0; i < index.size(); ++i) index[i] = i;
  std::stable_sort(index.begin(), index.end(), [&](size_t a, size_t b) {
    return rank(run->families[a]) < rank(run->families[b]);
  });
  EngineRun sorted;
  for (size_t i : index) {
    sorted.families.push_back(run->families[i]);
    sorted.states.push_back(std::move(run->states[i]));
  }
  run->families = std::move(sorted.families);
  run->states = std::move(sorted.states);
}

FamilyState& StateOf(EngineRun* run, const FamilySpec* family) {
  for (size_t f = 0; f < run->families.size(); ++f) {
    if (run->families[f] == family) return *run->states[f];
  }
  run->families.push_back(family);
  run->states.push_back(family->create());
  return *run->states.back();
}

FamilyState* StateNamed(EngineRun* run, const std::vector<const FamilySpec*>& families,
                        std::string_view name) {
  for (const FamilySpec* f : families) {
    if (f->name == name) return &StateOf(run, f);
  }
  return nullptr;
}

std::vector<std::pair<std::string, const FamilyState*>> EngineRun::NamedStates() const {
  std::vector<std::pair<std::string, const FamilyState*>> out;
  for (size_t f = 0; f < families.size(); ++f) {
    out.emplace_back(std::string(families[f]->name), states[f].get());
  }
  return out;
}

Status CompleteFamilies(EngineRun* run, int threads) {
  for (auto& state : run->states) TSQ_TRY(state->Complete(run->ctx, threads));
  return Ok();
}

Result<EngineRun> ReadFamilies(const DataSet& dataset,
                               const std::vector<const FamilySpec*>& families,
                               const EvalContext& ctx_in, const ReadOptions& options,
                               StringDictionary* dict, const BatchObserver& observer,
                               const BadRowSink& bad_rows) {
  EngineRun run;
  run.ctx = ctx_in;
  run.ctx.dict = dict;
  const int workers = WorkerCount(options);
  // A family's merged state across record types (a family can read more than one).
  std::map<const FamilySpec*, std::unique_ptr<FamilyState>> merged;
  std::vector<const FamilySpec*> order;  // families in the order they first had input
  for (const auto& entry : dataset.files) {
    // Named copies, not structured bindings: lambdas below capture them (clang 14, the fuzz
    // preset's compiler, cannot capture a structured binding).
    const RecordType type = entry.first;
    const std::vector<InputFile>& files = entry.second;
    std::vector<const FamilySpec*> mine;
    for (const FamilySpec* f : families) {
      if (f->Reads(type)) mine.push_back(f);
    }
    if (mine.empty() && !observer) continue;
    // states[worker][family]
    std::vector<std::vector<std::unique_ptr<FamilyState>>> states(workers);
    for (auto& per_worker : states) {
      for (const FamilySpec* f : mine) per_worker.push_back(f->create());
    }
    std::vector<std::vector<uint8_t>> slots(workers);
    const EvalContext& ctx = run.ctx;
    ReadOptions type_options = options;
    type_options.unkept_columns = UnkeptColumns(type, mine, observer != nullptr);
    type_options.on_bad_row = nullptr;
    if (bad_rows) {
      type_options.on_bad_row = [&bad_rows, &files](const BadRow& row) { bad_rows(files, row); };
    }
    auto reports = ReadTable(type, files, dict, type_options, [&](int worker, const Batch& batch) {
      if (observer) observer(type, worker, batch);
      if (states[worker].empty()) return;
      AssignSlots(batch, ctx, &slots[worker]);
      for (auto& state : states[worker]) state->Update(batch, slots[worker].data());
    });
    if (!reports) return std::move(reports).error();
    run.reports[type] = std::move(*reports);
    for (size_t f = 0; f < mine.size(); ++f) {
      for (int w = 1; w < workers; ++w) states[0][f]->MergeFrom(std::move(*states[w][f]));
      auto [it, first] = merged.try_emplace(mine[f]);
      if (first) {
        it->second = std::move(states[0][f]);
        order.push_back(mine[f]);
      } else {
        it->second->MergeFrom(std::move(*states[0][f]));
      }
    }
  }
  for (const FamilySpec* f : order) {
    run.families.push_back(f);
    run.states.push_back(std::move(merged[f]));
  }
  return run;
}

}  // namespace tsq
