// Shared machinery of the per-type generators: the chunk writer that formats rows, breaks the
// planned ones for `--bad`, and counts physical lines.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "synth/gen.h"

namespace tsq::synth {

class ChunkWriter {
 public:
  ChunkWriter(const Plan& plan, const Task& task, ChunkOutput* out);

  const Plan& plan() const { return plan_; }
  const World& world() const { return plan_.world; }
  const Task& task() const { return task_; }
  Rng& rng() { return rng_; }
  TimeFormatter& time() { return time_; }
  ChunkStats& stats() { return out_->stats; }

  /// The row to fill: cleared, with one slot per field of the file.
  RowBuilder& NewRow() {
    row_.Clear();
    return row_;
  }
  void SetTime(int field, Micros t, bool millis = false) {
    time_.AppendLocal(row_.Begin(field), t, millis);
    row_.End();
  }
  void SetIsoTime(int field, Micros t) {
    time_.AppendIso(row_.Begin(field), t);
    row_.End();
  }
  void SetUint(int field, uint64_t v) {
    AppendUint(row_.Begin(field), v);
    row_.End();
  }
  void SetInt(int field, int64_t v) {
    AppendInt(row_.Begin(field), v);
    row_.End();
  }
  void SetFixed(int field, double v, int decimals) {
    AppendFixed(row_.Begin(field), v, decimals);
    row_.End();
  }
  /// "<prefix><yyyymmdd of t><seq zero-padded to width>": unique per day and sequence.
  void SetId(int field, std::string_view prefix, Micros t, uint64_t seq, int width) {
    std::string* b = row_.Begin(field);
    b->append(prefix);
    time_.AppendCompactDate(b, t);
    AppendPadded(b, seq, width);
    row_.End();
  }

  /// Writes the row. A background row (`background` = its index among the chunk's background
  /// rows) that the plan breaks is broken first; returns false then, so callers leave it out of
  /// their statistics. `start` is the row's start time (for end-before-start).
  bool Emit(int64_t background, Micros start);

 private:
  void Break(const BadPlan& bad, Micros start, EmitMode* mode, std::string* column);

  const Plan& plan_;
  const Task& task_;
  ChunkOutput* out_;
  const FileLayout& layout_;
  Rng rng_;
  TimeFormatter time_;
  RowBuilder row_;
  size_t next_bad_ = 0;
};

/// Background times of a day: `n` instants drawn from a rhythm, sorted, whole seconds.
std::vector<Micros> DayTimes(ChunkWriter& w, uint32_t n, Rhythm rhythm);

/// A region drawn by population; a county of it (empty sometimes, as in real exports).
int PickRegion(ChunkWriter& w);
std::string_view PickCounty(ChunkWriter& w, int region, bool* urban);

/// An enum column's spelling of `value`, as the schema lists it.
std::string_view EnumText(RecordType type, int column, int value);

/// A subscriber index meaning "not one of the sample's subscribers".
inline constexpr uint32_t kNoSubscriber = UINT32_MAX;

/// Boolean spellings differ between exports; each record type keeps one.
enum class BoolStyle : uint8_t { kDigit, kWord, kLetter };
std::string_view BoolText(bool v, BoolStyle style);

void GenerateOrders(ChunkWriter& w);
void GenerateCalls(ChunkWriter& w);
void GenerateSms(ChunkWriter& w);
void GenerateBilling(ChunkWriter& w);
void GenerateComplaints(ChunkWriter& w);
void GenerateAppeals(ChunkWriter& w);
void GenerateHotline(ChunkWriter& w);
void GeneratePorting(ChunkWriter& w);
void GenerateSpeedtests(ChunkWriter& w);
void GenerateBroadbandTests(ChunkWriter& w);
void GenerateSubscribers(ChunkWriter& w);

}  // namespace tsq::synth
