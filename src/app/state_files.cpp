#include "app/state_files.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/timestamp.h"

namespace tsq {
namespace {

bool Within(Micros from, Micros to, const Period& p) { return from >= p.from && to <= p.to; }
bool Overlaps(Micros from, Micros to, Micros other_from, Micros other_to) {
  return from < other_to && other_from < to;
}

const char* WindowName(uint8_t slot) {
  switch (slot) {
    case kCurrentSlot:
      return "the period";
    case kPreviousSlot:
      return "the preceding period";
    default:
      return "the period a year earlier";
  }
}

}  // namespace

std::string StateConfig(const Catalog& catalog) {
  return "limits " + catalog.ParamsHash().substr(0, 16);
}

Result<std::vector<PlannedState>> PlanStates(const std::vector<std::string>& paths,
                                             const EvalContext& ctx,
                                             const std::optional<Period>& baseline,
                                             const std::string& config,
                                             std::vector<std::string>* warnings) {
  std::vector<std::unique_ptr<StateFileReader>> readers;
  for (const std::string& path : paths) {
    auto reader = StateFileReader::Open(path);
    if (!reader) return std::move(reader).error();
    readers.push_back(std::move(*reader));
  }
  return PlanStates(std::move(readers), ctx, baseline, config, warnings);
}

Result<std::vector<PlannedState>> PlanStates(std::vector<std::unique_ptr<StateFileReader>> readers,
                                             const EvalContext& ctx,
                                             const std::optional<Period>& baseline,
                                             const std::string& config,
                                             std::vector<std::string>* warnings) {
  std::vector<PlannedState> out;
  for (std::unique_ptr<StateFileReader>& reader : readers) {
    const std::string& path = reader->path();
    const StateMeta& m = reader->meta();
    if (m.config != config) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}: computed under other catalog limits ({}; this run: {}): "
                               "they shaped the state, so compute it again with this run's "
                               "--catalog",
                               path, m.config, config));
    }
    if (m.local_offset_s != ctx.local_offset_s) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}: computed in another time zone (UTC offset {} s; this run: "
                               "{} s)",
                               path, m.local_offset_s, ctx.local_offset_s));
    }
    PlannedState planned;
    for (int s = 0; s < kSlotCount; ++s) {
      const Period& window = ctx.periods[s];
      if (Within(m.from, m.to, window)) {
        planned.slot = static_cast<uint8_t>(s);
        break;
      }
      if (Overlaps(m.from, m.to, window.from, window.to)) {
        return Error(
            ErrorCode::kInvalidArgument,
            fmt::format("{}: its period {} straddles {} {}; a state merges only into "
                        "a period that contains all of it",
                        path, m.period, WindowName(static_cast<uint8_t>(s)), window.label));
      }
    }
    planned.baseline = baseline && Within(m.from, m.to, *baseline);
    if (planned.slot == kNoSlot && !planned.baseline) {
      warnings->push_back(fmt::format(
          "{}: left out: its period {} lies outside {} and its comparison periods {} and {}", path,
          m.period, ctx.periods[kCurrentSlot].label, ctx.periods[kPreviousSlot].label,
          ctx.periods[kYearEarlierSlot].label));
      continue;
    }
    for (const PlannedState& other : out) {
      const StateMeta& o = other.reader->meta();
      if (Overlaps(m.from, m.to, o.from, o.to)) {
        return Error(ErrorCode::kInvalidArgument,
                     fmt::format("{} ({}) and {} ({}) overlap: their records would count twice",
                                 other.reader->path(), o.period, path, m.period));
      }
    }
    planned.reader = std::move(reader);
    out.push_back(std::move(planned));
  }
  return out;
}

Result<std::vector<std::unique_ptr<StateFileReader>>> StoredStatesWithin(
    Store& store, const Period& window, int32_t local_offset_s, std::vector<std::string>* notes) {
  auto periods = store.Periods();
  if (!periods) return std::move(periods).error();
  struct Candidate {
    std::string label;
    Micros from, to;
  };
  std::vector<Candidate> inside;
  for (const PeriodInfo& p : *periods) {
    const auto from = ParseTimestamp(p.from, local_offset_s);
    const auto to = ParseTimestamp(p.to, local_offset_s);
    if (p.has_state && from && to && Within(*from, *to, window)) {
      inside.push_back({p.label, *from, *to});
    }
  }
  // The longest first (a stored quarter before its months), then by start; none may overlap
  // one taken already, or its records would count twice.
  std::stable_sort(inside.begin(), inside.end(), [](const Candidate& a, const Candidate& b) {
    if (a.to - a.from != b.to - b.from) return a.to - a.from > b.to - b.from;
    return a.from < b.from;
  });
  std::vector<Candidate> taken;
  for (const Candidate& c : inside) {
    const bool free = std::none_of(taken.begin(), taken.end(), [&](const Candidate& t) {
      return Overlaps(c.from, c.to, t.from, t.to);
    });
    if (free) taken.push_back(c);
  }
  if (taken.empty()) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("{} keeps no state of a period inside {}: ingest its months first "
                             "(tsq ingest DIR --period 2022-07 --store …)",
                             store.Where(), window.label));
  }
  std::sort(taken.begin(), taken.end(),
            [](const Candidate& a, const Candidate& b) { return a.from < b.from; });
  std::vector<std::unique_ptr<StateFileReader>> out;
  std::vector<std::string> labels;
  Micros covered = 0;
  for (const Candidate& c : taken) {
    auto bytes = store.State(c.label);
    if (!bytes) return std::move(bytes).error();
    if (!*bytes) continue;  // replaced meanwhile without a state
    auto reader = StateFileReader::FromBytes(
        std::move(**bytes), fmt::format("{} (state of {})", store.Where(), c.label));
    if (!reader) return std::move(reader).error();
    out.push_back(std::move(*reader));
    labels.push_back(c.label);
    covered += c.to - c.from;
  }
  std::string note = fmt::format("{} merged from the states stored in {}: {}", window.label,
                                 store.Where(), fmt::join(labels, ", "));
  if (covered < window.to - window.from) note += " (the rest of the period has none stored)";
  notes->push_back(std::move(note));
  return out;
}

Status MergeStates(std::vector<PlannedState>* states,
                   const std::vector<const FamilySpec*>& families, StringDictionary* dict,
                   EngineRun* run, DataQuality* quality, std::vector<std::string>* warnings) {
  // The data's own files, before the states' are added.
  const std::vector<FileQuality> data_files = quality->files;
  for (PlannedState& planned : *states) {
    StateFileReader& reader = *planned.reader;
    const StateMeta& m = reader.meta();
    std::set<RecordType> state_types;
    for (const FileQuality& f : m.files) state_types.insert(f.read.type);
    for (const FileQuality& f : data_files) {
      if (!f.first_time || !state_types.contains(f.read.type)) continue;
      if (Overlaps(*f.first_time, *f.last_time + 1, m.from, m.to)) {
        return Error(
            ErrorCode::kInvalidArgument,
            fmt::format("{} has {} records in {}, which {} already holds: they would "
                        "count twice",
                        f.read.name(), SchemaOf(f.read.type).name, m.period, reader.path()));
      }
    }
    for (const FamilySpec* f : families) {
      if (std::find(m.families.begin(), m.families.end(), f->name) == m.families.end()) {
        warnings->push_back(
            fmt::format("{}: computed without the {} indicators, so {} has none "
                        "of them",
                        reader.path(), f->name, m.period));
      }
    }
    TSQ_TRY(reader.LoadInto([&](std::string_view name) { return StateNamed(run, families, name); },
                            dict, planned.slot, planned.baseline));
    for (const FileQuality& f : m.files) {
      const bool known =
          std::any_of(quality->files.begin(), quality->files.end(), [&](const FileQuality& q) {
            return q.read.path == f.read.path && q.read.sheet == f.read.sheet &&
                   q.read.sha256 == f.read.sha256;
          });
      if (!known) quality->files.push_back(f);
    }
  }
  return Ok();
}

Status SaveState(const std::string& path, const EngineRun& run,
                 const std::vector<const FamilySpec*>& families, const DataQuality& quality,
                 const std::string& config, const std::string& tsq_version,
                 const StringDictionary& dict) {
  StateMeta meta;
  meta.tsq_version = tsq_version;
  const Period& p = run.ctx.periods[kCurrentSlot];
  meta.period = p.label;
  meta.from = p.from;
  meta.to = p.to;
  meta.local_offset_s = run.ctx.local_offset_s;
  meta.config = config;
  for (const FamilySpec* f : families) meta.families.emplace_back(f->name);
  meta.files = quality.files;
  return WriteStateFile(path, meta, dict, run.NamedStates());
}

}  // namespace tsq
