#include "app/cluster_read.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

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

// Plain CSV and JSON Lines files at least this large are shared by byte ranges (unless
// TSQ_CLUSTER_SPLIT_BYTES says otherwise), in slices of at least kMinSliceBytes.
constexpr uint64_t kDefaultSplitBytes = uint64_t{64} << 20;
constexpr uint64_t kMinSliceBytes = uint64_t{64} << 10;

Result<uint64_t> SplitBytes() {
  const char* text = std::getenv("TSQ_CLUSTER_SPLIT_BYTES");
  if (text == nullptr || *text == '\0') return kDefaultSplitBytes;
  uint64_t v = 0;
  const char* end = text + std::strlen(text);
  auto [p, ec] = std::from_chars(text, end, v);
  if (ec != std::errc() || p != end || v == 0) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("TSQ_CLUSTER_SPLIT_BYTES={}: not a positive number of bytes", text));
  }
  return v;
}

bool Splittable(const InputFile& f) {
  return f.sheet.empty() &&
         (f.path.ends_with(".csv") || f.path.ends_with(".jsonl") || f.path.ends_with(".ndjson"));
}

// What a rank finds in its slice [begin, end) of a shared file.
struct SliceScan {
  uint64_t start = 0;     // its first record: just past the first line break at or after begin - 1
  uint64_t newlines = 0;  // line breaks in the slice
  bool found = false;     // the slice has a record start (begin 0, or such a line break)
  /// A line from `start` to the next rank's start with an odd number of '"': a quoted field may
  /// hold a line break there, so line breaks are not sure to end records.
  bool odd_quotes = false;
};

Result<SliceScan> ScanSlice(const std::string& path, uint64_t begin, uint64_t end, uint64_t size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Error(ErrorCode::kIo, fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  SliceScan scan;
  scan.found = begin == 0;
  bool odd = false;  // the quotes of the current line since `start`
  std::string block(1 << 20, '\0');
  // From the byte before the slice (a line break there starts it) to the end of the line that
  // holds the slice's last byte (where the next rank starts).
  for (uint64_t at = begin == 0 ? 0 : begin - 1; at < size;) {
    const ssize_t n = ::pread(fd, block.data(), std::min<uint64_t>(block.size(), size - at),
                              static_cast<off_t>(at));
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      return Error(ErrorCode::kIo,
                   fmt::format("{}: cannot read: {}", path,
                               n == 0 ? "shorter than listed" : std::strerror(err)));
    }
    // Line by line with memchr (a byte loop took three times as long): its quotes, then its break.
    const char* p = block.data();
    const char* stop = p + n;
    for (const char* line = p; line < stop;) {
      const char* nl = static_cast<const char*>(std::memchr(line, '\n', stop - line));
      const char* line_end = nl != nullptr ? nl : stop;
      for (const char* q = line;
           (q = static_cast<const char*>(std::memchr(q, '"', line_end - q))) != nullptr; ++q) {
        odd = !odd;
      }
      if (nl == nullptr) break;
      const uint64_t pos = at + static_cast<uint64_t>(nl - p);
      if (pos >= begin && pos < end) ++scan.newlines;
      if (scan.found) {
        scan.odd_quotes = scan.odd_quotes || odd;
        if (pos + 1 >= end) {  // the line the next rank starts after is done
          ::close(fd);
          return scan;
        }
      } else {
        scan.found = true;
        scan.start = pos + 1;
      }
      odd = false;
      line = nl + 1;
    }
    at += static_cast<uint64_t>(n);
  }
  ::close(fd);
  scan.odd_quotes = scan.odd_quotes || (scan.found && odd);
  return scan;
}

// The files this rank reads: a byte range of every large plain file the ranks agree can be cut at
// line breaks (a line break in every slice, and no line with an odd number of quotes), and a
// contiguous run of the other files, as ShareOf() gives them.
Result<DataSet> ShareOnCluster(Cluster& cluster, const DataSet& dataset,
                               std::vector<std::string>* notes) {
  const uint64_t ranks = static_cast<uint64_t>(cluster.size());
  const uint64_t rank = static_cast<uint64_t>(cluster.rank());
  auto split_bytes = SplitBytes();
  if (!split_bytes) return std::move(split_bytes).error();
  struct Candidate {
    RecordType type;
    const InputFile* file;
    uint64_t size;
  };
  std::vector<Candidate> candidates;
  for (const auto& [type, files] : dataset.files) {
    for (const InputFile& f : files) {
      std::error_code ec;
      const uint64_t size = std::filesystem::file_size(f.path, ec);
      if (!ec && Splittable(f) && size >= *split_bytes && size / ranks >= kMinSliceBytes) {
        candidates.push_back({type, &f, size});
      }
    }
  }
  // Every rank scans its slice of every candidate; the ranks then know each other's findings.
  std::string mine;
  Status scanned;
  for (const Candidate& c : candidates) {
    auto scan = ScanSlice(c.file->path, c.size * rank / ranks, c.size * (rank + 1) / ranks, c.size);
    if (!scan) {
      scanned = std::move(scan).error();
      break;
    }
    const uint8_t flags = (scan->found ? 1 : 0) | (scan->odd_quotes ? 2 : 0);
    mine.append(reinterpret_cast<const char*>(&scan->start), 8);
    mine.append(reinterpret_cast<const char*>(&scan->newlines), 8);
    mine.push_back(static_cast<char>(flags));
  }
  TSQ_TRY(cluster.Agree(scanned));
  auto all = cluster.AllGather(mine);
  if (!all) return std::move(all).error();
  for (const std::string& theirs : *all) {
    if (theirs.size() != mine.size()) {
      return Error(ErrorCode::kIo,
                   fmt::format("{}: the ranks see different files (a shared filesystem that is "
                               "not in sync?)",
                               dataset.dir));
    }
  }

  DataSet share = dataset;
  DataSet rest = dataset;
  share.files.clear();
  std::set<std::string> split;  // paths (a splittable file is no workbook sheet)
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    std::vector<SliceScan> scans(ranks);
    bool cut = true;
    for (uint64_t r = 0; r < ranks; ++r) {
      const char* p = (*all)[r].data() + i * 17;
      std::memcpy(&scans[r].start, p, 8);
      std::memcpy(&scans[r].newlines, p + 8, 8);
      scans[r].found = (p[16] & 1) != 0;
      scans[r].odd_quotes = (p[16] & 2) != 0;
      cut = cut && scans[r].found && !(scans[r].odd_quotes && c.file->path.ends_with(".csv"));
    }
    if (!cut) {
      notes->push_back(fmt::format(
          "{}: read whole by one rank, not in byte ranges: {}", c.file->path,
          std::all_of(scans.begin(), scans.end(), [](const SliceScan& x) { return x.found; })
              ? "a line has an odd number of quotes, so a quoted value may hold a line break"
              : "a line is longer than a rank's share of the file"));
      continue;
    }
    split.insert(c.file->path);
    notes->push_back(fmt::format("{}: read in byte ranges by {} ranks", c.file->path, ranks));
    uint64_t lines_before = 0;
    for (uint64_t r = 0; r < rank; ++r) lines_before += scans[r].newlines;
    InputFile range = *c.file;
    range.begin = scans[rank].start;
    range.end = rank + 1 < ranks ? scans[rank + 1].start : c.size;
    const uint64_t begin = c.size * rank / ranks;
    range.first_line = 1 + lines_before + (range.begin > begin ? 1 : 0);
    if (range.end > range.begin) share.files[c.type].push_back(range);
  }
  for (auto& [type, files] : rest.files) {
    std::erase_if(files, [&](const InputFile& f) { return split.contains(f.path); });
  }
  for (auto& [type, files] : ShareOf(rest, cluster.rank(), cluster.size()).files) {
    std::vector<InputFile>& mine_of_type = share.files[type];
    mine_of_type.insert(mine_of_type.end(), files.begin(), files.end());
  }
  for (auto& [type, files] : share.files) std::sort(files.begin(), files.end());
  std::erase_if(share.files, [](const auto& entry) { return entry.second.empty(); });
  return share;
}

// The accounting of a file read in ranges by several ranks, as one reader would give it.
void AddRange(const FileQuality& part, FileQuality* whole) {
  FileReport& w = whole->read;
  const FileReport& p = part.read;
  w.text_bytes += p.text_bytes;
  if (w.sha256.empty()) w.sha256 = p.sha256;
  w.rows_read += p.rows_read;
  w.rows_accepted += p.rows_accepted;
  w.rows_quarantined += p.rows_quarantined;
  for (size_t i = 0; i < w.quarantined_by_reason.size(); ++i) {
    w.quarantined_by_reason[i] += p.quarantined_by_reason[i];
  }
  if (part.first_time && (!whole->first_time || *part.first_time < *whole->first_time)) {
    whole->first_time = part.first_time;
  }
  if (part.last_time && (!whole->last_time || *part.last_time > *whole->last_time)) {
    whole->last_time = part.last_time;
  }
  const auto add = [](const std::vector<std::string>& from, std::vector<std::string>* into) {
    std::vector<std::string> merged;
    std::set_union(into->begin(), into->end(), from.begin(), from.end(),
                   std::back_inserter(merged));
    *into = std::move(merged);
  };
  add(part.operators, &whole->operators);
  add(part.regions, &whole->regions);
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
  Status st;
  for (const FamilySpec* f : spread) {
    st = StateOf(run, f).Complete(run->ctx, WorkerCount(options.threads));
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
  std::vector<std::string> notes;
  auto share = ShareOnCluster(cluster, dataset, &notes);
  if (!share) return std::move(share).error();
  auto read = ReadInputsPartial(mine, *share, families, ctx, dict);
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
  read->notes = std::move(notes);
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
  // A file read in byte ranges has a report from each rank that read a range: one, added up.
  std::vector<FileQuality> files;
  for (FileQuality& f : read->quality.files) {
    if (!files.empty() && files.back().read.type == f.read.type &&
        files.back().read.path == f.read.path && files.back().read.sheet == f.read.sheet) {
      AddRange(f, &files.back());
    } else {
      files.push_back(std::move(f));
    }
  }
  read->quality.files = std::move(files);
  if (!options.quarantine_path.empty()) {
    std::map<std::string, size_t, std::less<>> by_name;
    for (const auto& [key, index] : order) {
      by_name.emplace(InputFile{std::get<1>(key), std::get<2>(key)}.name(), index);
    }
    TSQ_TRY(QuarantineWriter::WriteFile(options.quarantine_path, read->quarantine_rows,
                                        [&](std::string_view file) {
                                          auto it = by_name.find(file);
                                          return it == by_name.end() ? by_name.size() : it->second;
                                        }));
  }
  if (before_complete) TSQ_TRY(before_complete(&read->run, &read->quality));
  TSQ_TRY(CompleteInputs(options, &*read));
  return std::optional<InputsRead>(std::move(*read));
}

}  // namespace tsq
