// An indicator family computes every indicator of one record type in one pass. Per worker it keeps
// a FamilyState; Update() sees each batch once, Merge() folds another worker's (file's, machine's)
// partial state in, Finalize() turns the merged state into IndicatorValues for a period slot.
// Families describe their breakdowns as data (a Layout); RollUp() derives every breakdown's
// groups from the fine-grained base states with the same State::Merge.
#pragma once

#include <algorithm>
#include <array>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/period.h"
#include "core/result.h"
#include "core/string_dictionary.h"
#include "engine/keyed_states.h"
#include "engine/state_archive_fwd.h"
#include "engine/value.h"
#include "model/batch.h"

namespace tsq {

/// The period windows a row can fall in: the report period and its two comparison periods.
enum Slot : uint8_t { kCurrentSlot = 0, kPreviousSlot = 1, kYearEarlierSlot = 2 };
inline constexpr int kSlotCount = 3;
inline constexpr uint8_t kNoSlot = 0xFF;

struct EvalContext {
  std::array<Period, kSlotCount> periods;  // by Slot
  std::array<Micros, kSlotCount> as_of{};  // open items are aged at this instant, per slot
  int32_t local_offset_s = kChinaOffsetSeconds;
  const StringDictionary* dict = nullptr;
};

class FamilyState {
 public:
  virtual ~FamilyState() = default;
  /// `slots[row]` is the row's period slot, or kNoSlot when it lies outside every window.
  virtual void Update(const Batch& batch, const uint8_t* slots) = 0;
  /// REQUIRES: `other` is a state of the same family.
  virtual void Merge(const FamilyState& other) = 0;
  /// Merge() from a state that is dropped afterwards: a family whose states hold large buffers
  /// moves them instead of copying (the runner merges its workers' states this way).
  virtual void MergeFrom(FamilyState&& other) { Merge(other); }
  /// Called once after the last merge, before any Finalize(), with the run's threads: a family
  /// whose values need heavy work over its whole state (or can fail, e.g. reading spilled
  /// records back) does it here.
  virtual Status Complete(const EvalContext& /*ctx*/, int /*threads*/) { return {}; }
  /// Appends the values of period slot `slot` (computed with the data of all slots if needed).
  virtual void Finalize(const EvalContext& ctx, int slot,
                        std::vector<IndicatorValue>* out) const = 0;
  /// Whether any row fell in `slot` (a comparison needs data for its period).
  virtual bool HasRows(int slot) const = 0;
  /// Writes the partial state of the period slot kCurrentSlot (a state file), or of every window
  /// (`all_windows`: a state sent to another process of the same run), before Complete(), in the
  /// run's dictionary codes (the state file carries the dictionary).
  virtual void Save(StateOut& out, bool all_windows) const = 0;
  /// Merges in a state Save() wrote: its codes through `map.Id()`, its rows into `map.slot` (or
  /// each into its own window with `map.keep_windows`).
  /// Throws (cereal::Exception, ErrorException) on input Save() cannot have written.
  virtual void Load(StateIn& in, const StateMapping& map) = 0;

  // A state that keeps records per subscriber number (the callers' calls) is split by number
  // into partitions, so that the ranks of a cluster can share it out by number and each complete
  // its own part: no rank then holds every number's records (docs/cluster.md).

  /// The number partitions, or 0 for a state that is not split by number.
  virtual size_t NumberPartitions() const { return 0; }
  /// Save() of only the partitions `keep` accepts. REQUIRES: NumberPartitions() > 0.
  virtual void SavePartitions(StateOut& /*out*/,
                              const std::function<bool(size_t)>& /*keep*/) const {}
  /// After Complete(): what it found, which LoadCompleted() adds to another completed state of
  /// the same run (another rank's part). REQUIRES: NumberPartitions() > 0.
  virtual void SaveCompleted(StateOut& /*out*/) const {}
  virtual void LoadCompleted(StateIn& /*in*/, const StateMapping& /*map*/) {}
};

/// A registry entry: the family's record type, what it produces and how to make its state.
struct FamilySpec {
  std::string_view name;  // "calls"
  RecordType type;
  /// Every id it can print, as the catalog names them: exact ("calls.drop_rate") or with '*'
  /// for segments taken from the data ("orders.*.*.timely_rate").
  std::vector<std::string> ids;
  std::function<std::unique_ptr<FamilyState>()> create;
  /// Further record types whose batches the family's state sees too (Update() tells them apart
  /// by batch.schema), e.g. the callers family reads sms beside calls. Its values still count as
  /// `type`'s.
  std::vector<RecordType> also_reads = {};

  /// The contract columns of `type` that Update() reads (col:: constants); empty: every column.
  /// Text and dictionary columns that no family of a run reads are checked but not kept.
  std::vector<int> columns = {};

  bool Reads(RecordType t) const {
    return t == type || std::find(also_reads.begin(), also_reads.end(), t) != also_reads.end();
  }
  /// `ids` with every '*' expanded to the values the data may bring; empty when `ids` has none.
  std::vector<std::string> concrete_ids = {};

  /// Every concrete id the family can print.
  const std::vector<std::string>& ConcreteIds() const {
    return concrete_ids.empty() ? ids : concrete_ids;
  }
};

/// A key code for a dimension whose blank value forms a group of its own, printed as "" (a
/// rejection without a reason); unlike kMissingId, RollUp keeps it in the dimension's breakdowns.
inline constexpr uint32_t kBlankCode = kMissingId - 1;

/// How a key dimension's codes become the text printed in a group.
enum class Coding : uint8_t {
  kDictId,    // an id of the run's StringDictionary
  kEnumCode,  // an index into `enum_names`
  kMonthKey,  // LocalMonthKey(): "2022-11"
  kCentis,    // a number × 100 (e.g. a plan's Mbps): printed without trailing zeros
};

struct KeyDim {
  Dim dim;
  Coding coding;
  std::span<const std::string_view> enum_names = {};
};

/// The meaning of BaseKey::dims for a family. The first `partitions` dims split the family into
/// separate indicator ids (orders: service, kind) and are kept in every breakdown; the rest are
/// breakdown dimensions.
struct Layout {
  std::vector<KeyDim> dims;
  int partitions = 0;
  std::vector<std::vector<int>> breakdowns;  // each: indices into `dims`, all >= partitions
};

/// One group of a breakdown after the roll-up, with its states per time bucket (sorted).
template <typename State>
struct RolledGroup {
  std::array<uint32_t, kKeyDims> partition{};  // codes of the partition dims
  Group group;
  std::vector<std::pair<int32_t, State>> buckets;

  State Total() const {
    State t;
    for (const auto& [bucket, s] : buckets) t.Merge(s);
    return t;
  }
};

/// A FamilyState whose partial state is a KeyedStates<State>: Merge and HasRows come for free;
/// a family writes Update() (one Touch() per row) and Finalize() (usually over RollUp()).
template <typename State>
class KeyedFamily : public FamilyState {
 public:
  explicit KeyedFamily(int32_t local_offset_s) : offset_(local_offset_s) {}

  void Merge(const FamilyState& other) override {
    const auto& o = static_cast<const KeyedFamily&>(other);
    states_.Merge(o.states_);
    for (int s = 0; s < kSlotCount; ++s) rows_[s] += o.rows_[s];
  }
  bool HasRows(int slot) const override { return rows_[slot] > 0; }

  // Defined in engine/keyed_family_io.h, which the file defining a family includes.
  void Save(StateOut& out, bool all_windows) const override;
  void Load(StateIn& in, const StateMapping& map) override;

 protected:
  /// The meaning of the base key's dims (which are dictionary codes, to be mapped on Load()).
  virtual std::span<const KeyDim> KeyDims() const = 0;

  /// The state of `key` for one more row (counts the row for its slot).
  State& Touch(const BaseKey& key) {
    ++rows_[key.slot];
    return states_.At(key);
  }

  /// Touch() through a small direct-mapped memo of recent keys, for families whose rows come in
  /// time order and repeat a few keys for a while (an hour's calls): most rows then skip the hash
  /// table. `hint` picks the memo entry and should differ between the keys live at one time.
  class TouchMemo {
   public:
    State& Touch(KeyedFamily* family, const BaseKey& key, uint32_t hint) {
      Entry& e = entries_[hint & (kEntries - 1)];
      if (e.index == kNone || !(e.key == key)) {
        e.key = key;
        e.index = family->states_.IndexOf(key);
      }
      ++family->rows_[key.slot];
      return family->states_.state_at(e.index);
    }

   private:
    static constexpr size_t kEntries = 256;
    static constexpr uint32_t kNone = UINT32_MAX;
    struct Entry {
      BaseKey key;
      uint32_t index = kNone;
    };
    std::array<Entry, kEntries> entries_{};
  };

  KeyedStates<State> states_;
  std::array<uint64_t, kSlotCount> rows_{};
  int32_t offset_;
};

/// Floor division for bucket arithmetic (hour numbers before 1970 are negative).
constexpr int32_t FloorDiv(int32_t a, int32_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

/// The text of a key code.
std::string CodeText(const KeyDim& dim, uint32_t code, const StringDictionary& dict);

/// Every group of every breakdown of `layout` for period slot `slot`. A base key with a missing
/// code (kMissingId) in a breakdown dimension is left out of that breakdown only.
template <typename State>
std::vector<RolledGroup<State>> RollUp(const KeyedStates<State>& base, const Layout& layout,
                                       uint32_t slot, const StringDictionary& dict) {
  std::vector<RolledGroup<State>> out;
  for (const std::vector<int>& breakdown : layout.breakdowns) {
    KeyedStates<State> rolled;
    for (size_t i = 0; i < base.size(); ++i) {
      const BaseKey& k = base.key(i);
      if (k.slot != slot) continue;
      BaseKey g;
      g.bucket = k.bucket;
      bool skip = false;
      for (int p = 0; p < layout.partitions; ++p) g.dims[p] = k.dims[p];
      for (int d : breakdown) {
        if (k.dims[d] == kMissingId) skip = true;
        g.dims[d] = k.dims[d];
      }
      if (!skip) rolled.At(g).Merge(base.state(i));
    }
    // Order the projected keys by (dims, bucket) so each group's buckets are contiguous.
    std::vector<size_t> order(rolled.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const BaseKey& ka = rolled.key(a);
      const BaseKey& kb = rolled.key(b);
      for (int d = 0; d < kKeyDims; ++d) {
        if (ka.dims[d] != kb.dims[d]) return ka.dims[d] < kb.dims[d];
      }
      return ka.bucket < kb.bucket;
    });
    for (size_t pos = 0; pos < order.size(); ++pos) {
      const BaseKey& k = rolled.key(order[pos]);
      const bool new_group =
          pos == 0 || std::memcmp(k.dims, rolled.key(order[pos - 1]).dims, sizeof(k.dims)) != 0;
      if (new_group) {
        RolledGroup<State> g;
        for (int p = 0; p < layout.partitions; ++p) g.partition[p] = k.dims[p];
        for (int d : breakdown) {
          g.group.dims.emplace_back(layout.dims[d].dim, CodeText(layout.dims[d], k.dims[d], dict));
        }
        std::sort(g.group.dims.begin(), g.group.dims.end());
        out.push_back(std::move(g));
      }
      out.back().buckets.emplace_back(k.bucket, rolled.state(order[pos]));
    }
  }
  return out;
}

/// The standard breakdowns "all, operator, region, month, operator × region, operator × month"
/// for a layout whose dims `op`, `region` and `month` are those indices.
std::vector<std::vector<int>> StandardBreakdowns(int op, int region, int month);

/// Key dims of the families keyed by operator, region and month (in that order).
inline constexpr int kOrmOperator = 0, kOrmRegion = 1, kOrmMonth = 2;
/// The layout of such families (sms, billing, complaints) with the standard breakdowns.
const Layout& OperatorRegionMonthLayout();

/// Helpers for Finalize: push a count (resting on `n` records of the group), a ratio or a mean.
void PushCount(std::vector<IndicatorValue>* out, std::string id, const Group& g, uint64_t count,
               uint64_t n);
void PushRate(std::vector<IndicatorValue>* out, std::string id, const Group& g, uint64_t successes,
              uint64_t n);
void PushMean(std::vector<IndicatorValue>* out, std::string id, const Group& g, double sum,
              uint64_t n);
void PushNumber(std::vector<IndicatorValue>* out, std::string id, const Group& g,
                std::optional<double> value, uint64_t n);

}  // namespace tsq
