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
    const BeforeComplete& before_complete) {
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

  const auto serialize = [&]() -> Result<std::string> {
    StateMeta meta;
    meta.period = ctx.periods[kCurrentSlot].label;
    meta.from = ctx.periods[kCurrentSlot].from;
    meta.to = ctx.periods[kCurrentSlot].to;
    meta.local_offset_s = ctx.local_offset_s;
    meta.files = read->quality.files;
    auto bytes = StateBytes(meta, *dict, read->run.NamedStates(), /*all_windows=*/true);
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
        kNoSlot, false, /*keep_windows=*/true));
    const std::vector<FileQuality>& files = (*reader)->meta().files;
    read->quality.files.insert(read->quality.files.end(), files.begin(), files.end());
    return Ok();
  };
  TSQ_TRY(cluster.Reduce(serialize, merge));
  if (!cluster.root()) return std::optional<InputsRead>();

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
