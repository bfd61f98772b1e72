#include "app/cluster_read.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <tuple>

#include "app/quarantine_writer.h"
#include "engine/state_file.h"

namespace tsq {
namespace {

using FileKey = std::tuple<RecordType, std::string, std::string>;  // type, path, sheet

// A rank's message: the state's length, the state, the quarantined rows.
std::string Pack(const std::string& state, const std::string& rows) {
  const uint64_t n = state.size();
  std::string out(sizeof(n), '\0');
  std::memcpy(out.data(), &n, sizeof(n));
  return out + state + rows;
}

StateMeta MetaOf(const EvalContext& ctx) {
  StateMeta meta;
  meta.period = ctx.periods[kCurrentSlot].label;
  meta.from = ctx.periods[kCurrentSlot].from;
  meta.to = ctx.periods[kCurrentSlot].to;
  meta.local_offset_s = ctx.local_offset_s;
  return meta;
}

// Shares the states of `spread` out by number partition, all to all: rank r keeps partitions
// p ≡ r (mod size), from every rank. Then completes them here, so that each rank judges its own
// numbers and none holds them all.
Status CompleteSpread(Cluster& cluster, const InputOptions& options,
                      const std::vector<const FamilySpec*>& spread, const EvalContext& ctx,
                      StringDictionary* dict, EngineRun* run) {
  const size_t ranks = static_cast<size_t>(cluster.size());
  // What this rank read, moved aside: the exchange refills the run's states from every rank.
  std::vector<std::unique_ptr<FamilyState>> read;
  for (const FamilySpec* f : spread) {
    StateOf(run, f);
    for (size_t i = 0; i < run->families.size(); ++i) {
      if (run->families[i] != f) continue;
      read.push_back(std::move(run->states[i]));
      run->states[i] = f->create();
    }
  }
  std::vector<std::pair<std::string, const FamilyState*>> named;
  for (size_t i = 0; i < spread.size(); ++i) {
    named.emplace_back(std::string(spread[i]->name), read[i].get());
  }
  const StateMeta meta = MetaOf(ctx);
  const auto make = [&](int to) -> Result<std::string> {
    const size_t mine = static_cast<size_t>(to);
    return StateBytesWith(meta, *dict, named,
                          [&](std::string_view, const FamilyState& state, StateOut& out) {
                            state.SavePartitions(out, [&](size_t p) { return p % ranks == mine; });
                          });
  };
  const auto take = [&](int /*from*/, std::string bytes) -> Status {
    auto reader = StateFileReader::FromBytes(std::move(bytes), "a rank's numbers");
    if (!reader) return std::move(reader).error();
    return (*reader)->LoadInto([&](std::string_view name) { return StateNamed(run, spread, name); },
                               dict, kNoSlot, false, /*keep_windows=*/true);
  };
  TSQ_TRY(cluster.Exchange(make, take));
  read.clear();
  ReadOptions threads;
  threads.threads = options.threads;
  Status st;
  for (const FamilySpec* f : spread) {
    st = StateOf(run, f).Complete(run->ctx, WorkerCount(threads));
    if (!st) break;
  }
  return cluster.Agree(st);
}

}  // namespace

DataSet ShareOf(const DataSet& dataset, int rank, int size) {
  struct Entry {
    RecordType type;
    const InputFile* file;
    uint64_t bytes;
  };
  std::vector<Entry> all;
  uint64_t total = 0;
  for (const auto& [type, files] : dataset.files) {
    for (const InputFile& f : files) {
      std::error_code ec;
      const uint64_t bytes = std::filesystem::file_size(f.path, ec);
      all.push_back({type, &f, ec ? 0 : bytes});
      total += ec ? 0 : bytes;
    }
  }
  DataSet share = dataset;
  share.files.clear();
  uint64_t start = 0;
  for (const Entry& e : all) {
    // The rank whose slice of the bytes holds the file's middle.
    const long double middle = static_cast<long double>(start) + e.bytes / 2.0L;
    int owner = total == 0 ? 0 : static_cast<int>(middle * size / static_cast<long double>(total));
    owner = std::clamp(owner, 0, size - 1);
    if (owner == rank) share.files[e.type].push_back(*e.file);
    start += e.bytes;
  }
  return share;
}

Result<std::optional<InputsRead>> ReadInputsOnCluster(
    Cluster& cluster, const InputOptions& options, const DataSet& dataset,
    const std::vector<const FamilySpec*>& families, const EvalContext& ctx, StringDictionary* dict,
    const BeforeComplete& before_complete, bool spread_by_number) {
  if (!cluster.distributed()) {
    auto read = ReadInputs(options, dataset, families, ctx, dict, before_complete);
    if (!read) return std::move(read).error();
    return std::optional<InputsRead>(std::move(*read));
  }
  InputOptions mine = options;
  mine.quarantine_to_memory = !options.quarantine_path.empty();
  if (!cluster.root()) mine.on_progress = nullptr;
  auto read = ReadInputsPartial(mine, ShareOf(dataset, cluster.rank(), cluster.size()), families,
                                ctx, dict);
  TSQ_TRY(cluster.Agree(read ? Ok() : Status(read.error())));

  // Families kept per number are shared out and completed on every rank; what goes up the tree
  // is then what they found, not their records.
  std::vector<const FamilySpec*> spread;
  if (spread_by_number) {
    // Asked of a new state: every rank must list the same, whatever it read.
    for (const FamilySpec* f : families) {
      if (f->create()->NumberPartitions() > 0) spread.push_back(f);
    }
  }
  if (!spread.empty()) TSQ_TRY(CompleteSpread(cluster, options, spread, ctx, dict, &read->run));
  const auto is_spread = [&](std::string_view name) {
    return std::any_of(spread.begin(), spread.end(),
                       [&](const FamilySpec* f) { return f->name == name; });
  };

  const auto serialize = [&]() -> Result<std::string> {
    StateMeta meta = MetaOf(ctx);
    meta.files = read->quality.files;
    auto bytes =
        StateBytesWith(meta, *dict, read->run.NamedStates(),
                       [&](std::string_view name, const FamilyState& state, StateOut& out) {
                         if (is_spread(name)) {
                           state.SaveCompleted(out);
                         } else {
                           state.Save(out, /*all_windows=*/true);
                         }
                       });
    if (!bytes) return bytes;
    return Pack(*bytes, read->quarantine_rows);
  };
  const auto merge = [&](std::string message) -> Status {
    uint64_t n = 0;
    if (message.size() < sizeof(n)) return Error(ErrorCode::kInternal, "a short rank message");
    std::memcpy(&n, message.data(), sizeof(n));
    if (message.size() - sizeof(n) < n) return Error(ErrorCode::kInternal, "a cut rank message");
    read->quarantine_rows.append(message, sizeof(n) + n);
    message.resize(sizeof(n) + n);
    message.erase(0, sizeof(n));
    auto reader = StateFileReader::FromBytes(std::move(message), "a rank's state");
    if (!reader) return std::move(reader).error();
    TSQ_TRY((*reader)->LoadInto(
        [&](std::string_view name) { return StateNamed(&read->run, families, name); }, dict,
        kNoSlot, false, /*keep_windows=*/true,
        [&](std::string_view name, FamilyState& state, StateIn& in, const StateMapping& map) {
          if (is_spread(name)) {
            state.LoadCompleted(in, map);
          } else {
            state.Load(in, map);
          }
        }));
    const std::vector<FileQuality>& files = (*reader)->meta().files;
    read->quality.files.insert(read->quality.files.end(), files.begin(), files.end());
    return Ok();
  };
  TSQ_TRY(cluster.Reduce(serialize, merge));
  if (!cluster.root()) return std::optional<InputsRead>();
  OrderFamilies(&read->run, InputOrder(dataset, families));

  // The files as one process lists them.
  std::map<FileKey, size_t> order;
  for (const auto& [type, files] : dataset.files) {
    for (const InputFile& f : files) order.emplace(FileKey{type, f.path, f.sheet}, order.size());
  }
  std::stable_sort(read->quality.files.begin(), read->quality.files.end(),
                   [&](const FileQuality& a, const FileQuality& b) {
                     return order[{a.read.type, a.read.path, a.read.sheet}] <
                            order[{b.read.type, b.read.path, b.read.sheet}];
                   });
  if (!options.quarantine_path.empty()) {
    TSQ_TRY(QuarantineWriter::WriteFile(options.quarantine_path, read->quarantine_rows));
  }
  if (before_complete) TSQ_TRY(before_complete(&read->run, &read->quality));
  TSQ_TRY(CompleteInputs(options, &*read));
  return std::optional<InputsRead>(std::move(*read));
}

}  // namespace tsq
