// The synthetic province's fixed facts: its operators and regions (Jilin's nine prefecture-level
// cities with real counties and approximate coordinates), number prefixes, the daily and weekly
// rhythm of each record type, and the population built from a seed (subscribers with contact
// circles, radio cells, home broadband lines). Everything here is read-only once built, so chunk
// generators share it across threads.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/timestamp.h"
#include "model/schema.h"
#include "synth/rng.h"

namespace tsq::synth {

inline constexpr int kOperatorCount = 3;
inline constexpr int kRegionCount = 9;

struct OperatorInfo {
  std::string_view name;     // as it appears in the data: 移动
  std::string_view code;     // id prefix: CM
  std::string_view mnc;      // for cell ids: 00
  std::string_view hotline;  // 10086
  double share;              // of mobile subscribers
  std::span<const int> prefixes;
};
const OperatorInfo& Operator(int op);

struct CountyInfo {
  std::string_view name;
  bool urban;
  double weight;
};

struct RegionInfo {
  std::string_view name;
  double weight;  // share of the province's population
  double lat;
  double lon;
  std::span<const CountyInfo> counties;
};
const RegionInfo& Region(int region);

/// Radio access of a cell: 2G, 4G or 5G (calls use all three, speed tests 4G and 5G).
enum class Rat : uint8_t { k2G, k4G, k5G };

/// Draws from a fixed discrete distribution in O(1) (Vose's alias method).
class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(std::span<const double> weights);
  size_t Sample(Rng& rng) const {
    const Slot& s = slots_[rng.Below(slots_.size())];
    return rng.Uniform() < s.prob ? s.self : s.alias;
  }
  bool empty() const { return slots_.empty(); }

 private:
  // Probability and alias side by side: one cache line per draw in large tables.
  struct Slot {
    double prob = 1.0;
    uint32_t self = 0;
    uint32_t alias = 0;
  };
  std::vector<Slot> slots_;
};

/// A short id stored inline (cell and line ids), so hot loops do not chase a heap pointer.
class ShortId {
 public:
  ShortId() = default;
  explicit ShortId(std::string_view v)
      : len_(static_cast<uint8_t>(std::min<size_t>(v.size(), 31))) {
    std::copy_n(v.data(), len_, buf_);
  }
  std::string_view view() const { return {buf_, len_}; }
  operator std::string_view() const { return view(); }  // NOLINT: a string in all but storage

 private:
  char buf_[31] = {};
  uint8_t len_ = 0;
};

/// Cumulative weights for Rng::Pick.
std::vector<double> Cumulative(std::span<const double> weights);

struct Subscriber {
  uint64_t number = 0;
  uint64_t imei = 0;
  uint64_t second_imei = 0;       // 0 = one device for the whole span
  int64_t device_change_day = 0;  // local day from which second_imei is used
  uint8_t op = 0;
  uint8_t region = 0;
  uint8_t five_g = 0;  // a 5G handset
  uint8_t contacts = 0;
};

struct Cell {
  ShortId id;
  uint8_t op = 0;
  uint8_t region = 0;
  Rat rat = Rat::k4G;
  double lat = 0;
  double lon = 0;
  double p_bad_previous = 0;  // chance that a speed test is below the RAT's bad threshold
  double p_bad_now = 0;
  int planted = -1;    // index into the planted cells, whose tests are scripted instead
  bool decoy = false;  // a planted decoy of --cell-tests (see World::BuildTestTables)
};

struct BroadbandLine {
  ShortId id;
  uint8_t op = 0;
  uint8_t region = 0;
  int plan_down = 100;
  int plan_up = 0;     // 0 = not recorded
  double ratio = 1.0;  // typical measured / plan
  int planted = -1;
};

/// The hour-of-day shapes of the record types.
enum class Rhythm : uint8_t { kCalls, kSms, kBusiness, kOffice, kEvening, kHotline, kBillRun };

class World {
 public:
  /// Builds the population. Devices change hands on days in [first_day, last_day) (local days).
  static World Build(uint64_t seed, double scale, int32_t local_offset_s, int64_t first_day,
                     int64_t last_day);

  int32_t local_offset_s = kChinaOffsetSeconds;
  double scale = 1.0;

  std::vector<Subscriber> subscribers;
  AliasTable subscriber_activity;  // who places the next call / message
  std::vector<Cell> cells;
  /// Cells of operator x region x RAT: cells_by[(op * kRegionCount + region) * 3 + rat].
  std::vector<std::vector<uint32_t>> cells_by;
  /// Speed-test popularity of background cells per operator x test RAT (4G=0, 5G=1).
  std::array<AliasTable, kOperatorCount * 2> test_cells;
  std::array<std::vector<uint32_t>, kOperatorCount * 2> test_cell_ids;
  std::vector<BroadbandLine> lines;
  AliasTable test_lines;  // background lines, by how often their owners test
  std::vector<uint32_t> test_line_ids;

  AliasTable operator_share;  // 55/25/20 of subscribers
  AliasTable region_share;    // population

  const std::vector<uint32_t>& CellsOf(int op, int region, Rat rat) const {
    return cells_by[(static_cast<size_t>(op) * kRegionCount + region) * 3 +
                    static_cast<size_t>(rat)];
  }
  /// Contact k (< contacts) of subscriber i: symmetric offsets, so most contacts call back.
  uint32_t Contact(uint32_t i, uint32_t k) const;
  /// Sample an hour-of-day second offset for a rhythm on a weekday or a weekend.
  int64_t SampleSecondOfDay(Rng& rng, Rhythm rhythm, bool weekend) const;

  /// Builds the speed-test popularity tables of background cells and lines: call after marking
  /// the planted ones, whose tests are scripted.
  void BuildTestTables(uint64_t seed);

  /// The IMEI a subscriber's calls carry on a local day.
  uint64_t ImeiOn(const Subscriber& s, int64_t day) const {
    return s.second_imei != 0 && day >= s.device_change_day ? s.second_imei : s.imei;
  }

 private:
  std::vector<std::vector<double>> rhythm_cumulative_;  // [rhythm * 2 + weekend] -> 24 hours
};

/// An 11-digit mobile number of `op` for a population index (distinct indices give distinct
/// numbers for index < 100'000'000).
uint64_t MobileNumber(int op, uint64_t index);
/// A random mobile number of any operator (someone outside the province or not in the sample).
uint64_t RandomOutsideNumber(Rng& rng);
/// A 15-digit IMEI with a Chinese TAC and a valid Luhn check digit.
uint64_t MakeImei(uint64_t key);

/// Whether a local date is a weekend or a public holiday (New Year, Labour Day, National Day).
bool IsRestDay(int64_t local_day);

}  // namespace tsq::synth
