// State files: the families' partial states of one period, saved so that a period computed once
// merges into a longer one (months into their quarter and half-year) and so that partial results
// travel between processes and machines (docs/design.md, "State files").
//
// Layout: a plain 16-byte prefix ("TSQSTATE", the format version, the byte order) and the
// writer's tsq version, then zstd frames with checksums: the first holds the StateMeta and the
// dictionary, then one frame per family (its name, then what FamilyState::Save wrote). A reader
// refuses another format version or byte order before decoding anything, and checks every
// frame's checksum before it trusts a byte.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/string_dictionary.h"
#include "engine/family.h"
#include "model/data_quality.h"

namespace tsq {

class ZstdInBuf;

/// Bumped whenever what any family saves changes shape. 2: the calls family counts hours inside
/// its monthly states instead of keying states by hour.
inline constexpr uint32_t kStateFormatVersion = 2;

struct StateMeta {
  std::string tsq_version;  // of the writer
  std::string period;       // its label, "2022-07"
  Micros from = 0;          // [from, to): the rows the state holds
  Micros to = 0;
  int32_t local_offset_s = kChinaOffsetSeconds;
  /// What shaped the states besides the rows (the catalog's hash, the findings' rules): states
  /// merge only with a run under the same.
  std::string config;
  /// The families the run computed (a family with no rows is listed but has no frame).
  std::vector<std::string> families;
  /// The files read, with their accounting and digests.
  std::vector<FileQuality> files;
};

/// Writes `states` (family name, state) with `meta` and the dictionary their codes refer to, to
/// `path` atomically.
Status WriteStateFile(const std::string& path, const StateMeta& meta, const StringDictionary& dict,
                      const std::vector<std::pair<std::string, const FamilyState*>>& states);

/// How a family's state is written: `Save(out, all_windows)` unless a message between the
/// processes of one run needs another part of it (SavePartitions, SaveCompleted).
using SaveStateFn =
    std::function<void(std::string_view family, const FamilyState& state, StateOut& out)>;
/// How a saved state is read back: `Load(in, map)` unless it was written otherwise.
using LoadStateFn = std::function<void(std::string_view family, FamilyState& state, StateIn& in,
                                       const StateMapping& map)>;

/// The same as a state file's bytes, in memory, with every window's rows when `all_windows` (a
/// partial state sent to another process of the same run).
Result<std::string> StateBytes(
    const StateMeta& meta, const StringDictionary& dict,
    const std::vector<std::pair<std::string, const FamilyState*>>& states, bool all_windows);
/// StateBytes() with each state written by `save`.
Result<std::string> StateBytesWith(
    const StateMeta& meta, const StringDictionary& dict,
    const std::vector<std::pair<std::string, const FamilyState*>>& states, const SaveStateFn& save);

class StateFileReader {
 public:
  /// Opens `path`, refuses another format or byte order, checks every frame and reads the meta.
  static Result<std::unique_ptr<StateFileReader>> Open(const std::string& path);
  /// The same over StateBytes(); `name` names it in messages.
  static Result<std::unique_ptr<StateFileReader>> FromBytes(std::string bytes, std::string name);
  ~StateFileReader();

  const std::string& path() const { return path_; }
  const StateMeta& meta() const { return meta_; }
  /// The family names that have a saved state, in file order.
  const std::vector<std::string>& saved() const { return saved_; }

  /// Merges each saved family state into `target(name)` (nullptr: skipped), its codes interned
  /// into `dict` and its rows into `slot` (and the baseline window with `baseline`), or with
  /// `keep_windows` each into the window it was saved from. Once.
  /// `load` reads a state written otherwise than by Save() (see StateBytes()).
  Status LoadInto(const std::function<FamilyState*(std::string_view)>& target,
                  StringDictionary* dict, uint8_t slot, bool baseline, bool keep_windows = false,
                  const LoadStateFn& load = {});

 private:
  StateFileReader() = default;
  Status ReadMeta();

  std::string path_;
  std::string bytes_;  // FromBytes(): the state itself
  int fd_ = -1;
  uint64_t frames_offset_ = 0;
  std::unique_ptr<ZstdInBuf> buf_;  // at the first family's frame until LoadInto()
  uint64_t decoded_bytes_ = 0;      // of all frames: no count read may exceed it
  StateMeta meta_;
  std::vector<std::string> dictionary_;
  std::vector<std::string> saved_;
};

}  // namespace tsq
