#include "detectors/callers.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <span>
#include <unordered_map>

#include <cereal/types/utility.hpp>

#include "core/threads.h"
#include "core/timestamp.h"
#include "detectors/most_frequent.h"
#include "engine/spill.h"
#include "engine/state_archive.h"
#include "engine/stats.h"

namespace tsq {

// What a rank found travels to rank 0 (CallersState::SaveCompleted).
template <class Archive>
void serialize(Archive& ar, CallerFeatures& f) {
  ar(f.number, f.op, f.region, f.calls, f.calls_in, f.active_days, f.calls_per_active_day,
     f.max_calls_day, f.distinct_callees, f.max_callees_day, f.calls_per_callee,
     f.one_day_callee_share, f.out_share, f.answered, f.answer_rate, f.short_answered_share,
     f.median_duration_s, f.callees_who_called_back, f.callback_ratio, f.median_gap_s, f.gap_cv,
     f.imeis, f.cells, f.daytime_share, f.sms_sent, f.sms_receivers, f.sms_blocked_share, f.by_hour,
     f.first_day, f.last_day);
}

template <class Archive>
void serialize(Archive& ar, JudgedCaller& j) {
  ar(j.f, j.rules, j.score, j.suspected, j.cleared);
}

namespace {

namespace cc = col::calls;
namespace m = col::sms;
using enums::CallOutcome;
using enums::SmsStatus;

constexpr int kLengthShift = 59;
constexpr uint64_t kHashedLength = 31;
constexpr size_t kPartitions = 256;

// One call as the state keeps it until the end of the run (48 bytes).
struct OutCall {
  uint64_t caller = 0;  // NumberKey()
  uint64_t callee = 0;
  Micros t = 0;
  uint32_t imei = 0;  // a hash of the device's IMEI; 0: none recorded
  uint32_t cell = kMissingId;
  uint32_t region = kMissingId;
  uint32_t op = kMissingId;
  float duration_s = NAN;
  uint8_t outcome = 0;
};

// "callee was called by caller": how call-backs are found.
struct InCall {
  uint64_t callee = 0;
  uint64_t caller = 0;
};

// A short message the number sent (when the data has sms records).
struct SentSms {
  uint64_t sender = 0;
  uint64_t receiver = 0;
  uint8_t status = 0;
};

size_t PartitionOf(uint64_t key) { return MixKey(key) % kPartitions; }

// The number of distinct values, by a small open-addressing set: a number's hundreds of calls
// repeat a few devices and cells, which a set counts faster than a sort.
uint32_t CountDistinct(std::span<const uint32_t> values) {
  size_t size = 16;
  while (size < 2 * values.size()) size *= 2;
  std::vector<uint64_t> set(size, 0);  // value + 1; 0: empty
  uint32_t distinct = 0;
  for (const uint32_t v : values) {
    const uint64_t stored = uint64_t{v} + 1;
    size_t i = static_cast<size_t>((stored * 0x9E3779B97F4A7C15ull) >> 32) & (size - 1);
    while (set[i] != 0 && set[i] != stored) i = (i + 1) & (size - 1);
    if (set[i] == 0) {
      set[i] = stored;
      ++distinct;
    }
  }
  return distinct;
}

// A number's callees as its calls come in time order: per callee the last day it was called and
// whether an earlier day was another, in a small open-addressing table (cheaper than sorting the
// (callee, day) pairs of hundreds of calls).
class CalleeDays {
 public:
  explicit CalleeDays(size_t calls) {
    size_t size = 16;
    while (size < 2 * calls) size *= 2;
    slots_.resize(size);
  }
  /// Notes a call to `callee` on `day` (not before any earlier call's day); true when the pair
  /// (callee, day) is new.
  bool Seen(uint64_t callee, int32_t day) {
    Slot& s = Find(callee);
    if (!s.used) {
      s = {callee, day, true, false};
      ++distinct_;
      return true;
    }
    if (s.last_day == day) return false;
    s.last_day = day;
    s.many_days = true;
    return true;
  }
  bool Contains(uint64_t callee) const { return Find(callee).used; }
  uint64_t distinct() const { return distinct_; }
  /// Callees called on one day only.
  uint64_t one_day() const {
    uint64_t n = 0;
    for (const Slot& s : slots_) n += s.used && !s.many_days;
    return n;
  }

 private:
  struct Slot {
    uint64_t callee = 0;
    int32_t last_day = 0;
    bool used = false;
    bool many_days = false;
  };
  Slot& Find(uint64_t callee) {
    return const_cast<Slot&>(static_cast<const CalleeDays*>(this)->Find(callee));
  }
  const Slot& Find(uint64_t callee) const {
    const size_t mask = slots_.size() - 1;
    size_t i = static_cast<size_t>(MixKey(callee)) & mask;
    while (slots_[i].used && slots_[i].callee != callee) i = (i + 1) & mask;
    return slots_[i];
  }

  std::vector<Slot> slots_;
  uint64_t distinct_ = 0;
};

// Judged and suspected numbers, and the calls they placed, of one operator × region.
struct SuspectCounts {
  uint64_t judged = 0, suspected = 0, judged_calls = 0, suspected_calls = 0;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(judged, suspected, judged_calls, suspected_calls);
  }
  void Add(const SuspectCounts& o) {
    judged += o.judged;
    suspected += o.suspected;
    judged_calls += o.judged_calls;
    suspected_calls += o.suspected_calls;
  }
};
using OpRegion = std::pair<uint32_t, uint32_t>;

// What one partition contributes to the findings.
struct PartitionResult {
  uint64_t callers = 0, judged = 0, suspected = 0, cleared = 0;
  std::map<OpRegion, SuspectCounts> counts;
  std::vector<JudgedCaller> listed;
  std::vector<CallerScore> scores;
  std::vector<std::pair<uint64_t, std::vector<double>>> labelled_features;
};

// Keeps the suspected callers and the `keep` highest-scoring others.
void KeepListed(std::vector<JudgedCaller>* listed, size_t keep) {
  auto by_rank = [](const JudgedCaller& a, const JudgedCaller& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.f.calls != b.f.calls) return a.f.calls > b.f.calls;
    return a.f.number < b.f.number;
  };
  auto others = std::stable_partition(listed->begin(), listed->end(),
                                      [](const JudgedCaller& j) { return j.suspected; });
  if (static_cast<size_t>(listed->end() - others) > keep) {
    std::nth_element(others, others + static_cast<std::ptrdiff_t>(keep), listed->end(), by_rank);
    listed->erase(others + static_cast<std::ptrdiff_t>(keep), listed->end());
  }
  // Give the dropped ones' memory back: 64 partitions' worth of capacity would otherwise stay
  // allocated until the end (half a gigabyte per million judged numbers).
  listed->shrink_to_fit();
  std::sort(listed->begin(), listed->end(), by_rank);
}

// The numbers of one partition, each given a dense id in ascending order of its key, and the
// records of each number put together (a counting sort), so that each number's records are
// sorted alone.
class NumberGroups {
 public:
  /// Notes number `key` (before Number()).
  void Add(uint64_t key) { ids_.try_emplace(key, 0); }
  /// Gives every counted number its id, in ascending key order.
  void Number() {
    keys_.reserve(ids_.size());
    for (const auto& [key, n] : ids_) keys_.push_back(key);
    std::sort(keys_.begin(), keys_.end());
    for (size_t i = 0; i < keys_.size(); ++i) ids_[keys_[i]] = static_cast<uint32_t>(i);
    keep_.assign(keys_.size(), 1);
  }
  /// From now on GroupBy() drops the records of the numbers `keep(id)` rejects.
  template <typename Keep>
  void KeepOnly(Keep keep) {
    for (size_t i = 0; i < keys_.size(); ++i) keep_[i] = keep(static_cast<uint32_t>(i)) ? 1 : 0;
  }
  size_t size() const { return keys_.size(); }
  uint64_t key(size_t id) const { return keys_[id]; }
  /// The id of `key`, or -1 when it is not a number of the partition or is not kept.
  int64_t IdOf(uint64_t key) const {
    auto it = ids_.find(key);
    if (it == ids_.end() || !keep_[it->second]) return -1;
    return it->second;
  }

 private:
  std::unordered_map<uint64_t, uint32_t> ids_;  // key → id
  std::vector<uint64_t> keys_;                  // by id, ascending
  std::vector<uint8_t> keep_;                   // by id
};

// Puts `records` together by number (number_of(record), numbered by `groups`), numbers in id
// order, each number's records sorted by `less`; drops the records of numbers `groups` does not
// know or keep. Returns where each id's records start, and last where they end.
template <typename T, typename NumberOf, typename Less>
std::vector<size_t> GroupBy(std::vector<T>* records, const NumberGroups& groups, NumberOf number_of,
                            Less less) {
  std::vector<int64_t> ids(records->size());
  std::vector<size_t> at(groups.size() + 1, 0);
  for (size_t i = 0; i < records->size(); ++i) {
    ids[i] = groups.IdOf(number_of((*records)[i]));
    if (ids[i] >= 0) ++at[static_cast<size_t>(ids[i]) + 1];
  }
  for (size_t id = 0; id < groups.size(); ++id) at[id + 1] += at[id];
  std::vector<T> grouped(at.back());
  std::vector<size_t> next(at.begin(), at.end() - 1);
  for (size_t i = 0; i < records->size(); ++i) {
    if (ids[i] >= 0) grouped[next[static_cast<size_t>(ids[i])]++] = (*records)[i];
  }
  for (size_t id = 0; id < groups.size(); ++id) {
    std::sort(grouped.begin() + static_cast<std::ptrdiff_t>(at[id]),
              grouped.begin() + static_cast<std::ptrdiff_t>(at[id + 1]), less);
  }
  records->swap(grouped);
  return at;
}

class CallersState final : public FamilyState {
 public:
  explicit CallersState(const CallersOptions& o)
      : o_(o),
        out_(kPartitions, o.memory_budget / 4 * 3, o.spill_dir),
        in_(kPartitions, o.memory_budget / 4, o.spill_dir),
        sms_(kPartitions, o.memory_budget / 4, o.spill_dir) {}

  void Update(const Batch& b, const uint8_t* slots) override {
    if (b.schema->type == RecordType::kSms) {
      UpdateSms(b, slots);
      return;
    }
    for (size_t r = 0; r < b.rows; ++r) {
      if (slots[r] != kCurrentSlot) continue;  // callers are judged in the period only
      ++rows_;
      const std::string_view caller = b.Text(cc::kCaller, r);
      const std::string_view callee = b.Text(cc::kCallee, r);
      OutCall call;
      call.caller = Key(caller);
      call.callee = Key(callee);
      call.t = b.Time(cc::kStartTime, r);
      const std::string_view imei = b.Text(cc::kCallerImei, r);
      if (!imei.empty()) call.imei = static_cast<uint32_t>(std::hash<std::string_view>{}(imei)) | 1;
      call.cell = b.Id(cc::kCellId, r);
      call.region = b.Id(cc::kRegion, r);
      call.op = b.Id(cc::kOperator, r);
      const double d = b.Number(cc::kDurationS, r);
      call.duration_s = IsMissing(d) ? NAN : static_cast<float>(d);
      call.outcome = b.Code(cc::kOutcome, r);
      out_.Add(PartitionOf(call.caller), call);
      in_.Add(PartitionOf(call.callee), InCall{call.callee, call.caller});
    }
  }

  void UpdateSms(const Batch& b, const uint8_t* slots) {
    has_sms_ = true;
    for (size_t r = 0; r < b.rows; ++r) {
      if (slots[r] != kCurrentSlot) continue;
      SentSms sms;
      sms.sender = Key(b.Text(m::kSender, r));
      sms.receiver = Key(b.Text(m::kReceiver, r));
      sms.status = b.Code(m::kStatus, r);
      sms_.Add(PartitionOf(sms.sender), sms);
    }
  }

  void Merge(const FamilyState& other) override {
    // Copies: read the other's records back and add them (the runner merges with MergeFrom;
    // this is for callers that keep both states).
    const auto& o = static_cast<const CallersState&>(other);
    for (size_t p = 0; p < kPartitions; ++p) {
      auto calls = o.out_.Read(p);
      auto in = o.in_.Read(p);
      if (!calls) throw ErrorException(std::move(calls).error());
      if (!in) throw ErrorException(std::move(in).error());
      for (const OutCall& c : *calls) out_.Add(p, c);
      for (const InCall& c : *in) in_.Add(p, c);
      auto sms = o.sms_.Read(p);
      if (!sms) throw ErrorException(std::move(sms).error());
      for (const SentSms& x : *sms) sms_.Add(p, x);
    }
    has_sms_ = has_sms_ || o.has_sms_;
    hashed_.insert(o.hashed_.begin(), o.hashed_.end());
    rows_ += o.rows_;
  }

  void MergeFrom(FamilyState&& other) override {
    auto& o = static_cast<CallersState&>(other);
    out_.MergeFrom(std::move(o.out_));
    in_.MergeFrom(std::move(o.in_));
    sms_.MergeFrom(std::move(o.sms_));
    has_sms_ = has_sms_ || o.has_sms_;
    hashed_.merge(o.hashed_);
    rows_ += o.rows_;
  }

  bool HasRows(int slot) const override { return slot == kCurrentSlot && rows_ > 0; }

  // The period's calls, partition by partition (so that a spilled state is never whole in
  // memory), and the texts of the hashed numbers.
  void Save(StateOut& out, bool /*all_windows: the period's are all there are*/) const override {
    SavePartitions(out, [](size_t) { return true; });
  }

  size_t NumberPartitions() const override { return kPartitions; }

  // Save() with the partitions `keep` refuses written empty.
  void SavePartitions(StateOut& out, const std::function<bool(size_t)>& keep) const override {
    out(rows_, has_sms_, static_cast<uint64_t>(hashed_.size()));
    for (const auto& [key, text] : hashed_) out(key, text);
    out(static_cast<uint64_t>(kPartitions));
    for (size_t p = 0; p < kPartitions; ++p) {
      if (!keep(p)) {
        SaveRecords(out, std::vector<OutCall>());
        SaveRecords(out, std::vector<InCall>());
        SaveRecords(out, std::vector<SentSms>());
        continue;
      }
      auto calls = out_.Read(p);
      if (!calls) throw ErrorException(std::move(calls).error());
      SaveRecords(out, *calls);
      auto in = in_.Read(p);
      if (!in) throw ErrorException(std::move(in).error());
      SaveRecords(out, *in);
      auto sms = sms_.Read(p);
      if (!sms) throw ErrorException(std::move(sms).error());
      SaveRecords(out, *sms);
    }
  }

  void Load(StateIn& in, const StateMapping& map) override {
    // Callers are judged in the period only.
    const bool keep = map.keep_windows || map.slot == kCurrentSlot;
    uint64_t rows = 0, hashed = 0, partitions = 0;
    bool has_sms = false;
    in(rows, has_sms, hashed);
    for (uint64_t i = 0; i < hashed; ++i) {
      uint64_t key = 0;
      std::string text;
      in(key, text);
      if (keep) hashed_.emplace(key, std::move(text));
    }
    in(partitions);
    if (partitions != kPartitions) {
      throw ErrorException(Error(ErrorCode::kCorrupt, "callers: another partition count"));
    }
    std::vector<OutCall> calls;
    std::vector<InCall> incoming;
    std::vector<SentSms> sms;
    for (size_t p = 0; p < kPartitions; ++p) {
      LoadRecords(in, &calls);
      LoadRecords(in, &incoming);
      LoadRecords(in, &sms);
      if (!keep) continue;
      for (OutCall& c : calls) {
        c.cell = map.Id(c.cell);
        c.region = map.Id(c.region);
        c.op = map.Id(c.op);
        out_.Add(p, c);
      }
      for (const InCall& c : incoming) in_.Add(p, c);
      for (const SentSms& s : sms) sms_.Add(p, s);
    }
    if (keep) {
      rows_ += rows;
      has_sms_ = has_sms_ || has_sms;
    }
  }

  // What Complete() found, for rank 0 to add up (its counts in this run's dictionary codes).
  void SaveCompleted(StateOut& out) const override {
    const CallerFindings& f = findings_;
    std::vector<std::pair<OpRegion, SuspectCounts>> counts(counts_.begin(), counts_.end());
    out(rows_, has_sms_, f.callers, f.judged, f.suspected, f.cleared, f.spilled_bytes, f.listed,
        f.labelled_features, counts);
    SaveRecords(out, f.scores);
  }

  void LoadCompleted(StateIn& in, const StateMapping& map) override {
    uint64_t rows = 0;
    bool has_sms = false;
    CallerFindings o;
    std::vector<std::pair<OpRegion, SuspectCounts>> counts;
    in(rows, has_sms, o.callers, o.judged, o.suspected, o.cleared, o.spilled_bytes, o.listed,
       o.labelled_features, counts);
    LoadRecords(in, &o.scores);
    CallerFindings& f = findings_;
    rows_ += rows;
    has_sms_ = has_sms_ || has_sms;
    f.callers += o.callers;
    f.judged += o.judged;
    f.suspected += o.suspected;
    f.cleared += o.cleared;
    f.spilled_bytes += o.spilled_bytes;
    for (JudgedCaller& j : o.listed) f.listed.push_back(std::move(j));
    KeepListed(&f.listed, o_.keep_unsuspected);
    // Both are sorted by key, and a number is judged on one rank only.
    const auto by_key = [](const CallerScore& a, const CallerScore& b) { return a.key < b.key; };
    const size_t scores = f.scores.size();
    f.scores.insert(f.scores.end(), o.scores.begin(), o.scores.end());
    std::inplace_merge(f.scores.begin(), f.scores.begin() + static_cast<std::ptrdiff_t>(scores),
                       f.scores.end(), by_key);
    for (auto& x : o.labelled_features) f.labelled_features.push_back(std::move(x));
    std::sort(f.labelled_features.begin(), f.labelled_features.end());
    for (const auto& [k, n] : counts) counts_[{map.Id(k.first), map.Id(k.second)}].Add(n);
    completed_ = true;
  }

  Status Complete(const EvalContext& ctx, int threads) override {
    // A rank of a cluster completed its share already (and rank 0 added up the others').
    if (completed_) return {};
    completed_ = true;
    CallerFindings& f = findings_;
    f.rule = o_.rule;
    f.period = ctx.periods[kCurrentSlot].label;
    if (o_.scorer != nullptr) f.scorer = o_.scorer->name();
    f.spilled_bytes = out_.spilled_bytes() + in_.spilled_bytes() + sms_.spilled_bytes();
    std::vector<PartitionResult> results(kPartitions);
    std::vector<Status> status(static_cast<size_t>(threads));
    // The list is trimmed as partitions finish, so that it never holds more than the suspected
    // numbers and twice keep_unsuspected others (the top k of the parts' top k is the top k).
    std::mutex listed_mu;
    size_t suspected_listed = 0;
    Status run = RunThreads(
        threads,
        [&](int w) {
          for (size_t p = static_cast<size_t>(w); p < kPartitions;
               p += static_cast<size_t>(threads)) {
            PartitionResult& r = results[p];
            Status st = JudgePartition(p, ctx, &r);
            if (!st) {
              status[static_cast<size_t>(w)] = std::move(st);
              return;
            }
            std::lock_guard lock(listed_mu);
            for (JudgedCaller& j : r.listed) {
              suspected_listed += j.suspected;
              f.listed.push_back(std::move(j));
            }
            std::vector<JudgedCaller>().swap(r.listed);
            if (f.listed.size() > suspected_listed + 2 * o_.keep_unsuspected) {
              KeepListed(&f.listed, o_.keep_unsuspected);
            }
          }
        },
        "judging callers");
    if (!run) return run;
    for (Status& st : status) {
      if (!st) return std::move(st);
    }
    for (PartitionResult& r : results) {
      f.callers += r.callers;
      f.judged += r.judged;
      f.suspected += r.suspected;
      f.cleared += r.cleared;
      for (const auto& [k, n] : r.counts) counts_[k].Add(n);
      f.scores.insert(f.scores.end(), r.scores.begin(), r.scores.end());
      for (auto& x : r.labelled_features) f.labelled_features.push_back(std::move(x));
      r = PartitionResult();
    }
    KeepListed(&f.listed, o_.keep_unsuspected);
    std::sort(f.scores.begin(), f.scores.end(),
              [](const CallerScore& a, const CallerScore& b) { return a.key < b.key; });
    std::sort(f.labelled_features.begin(), f.labelled_features.end());
    return {};
  }

  void Finalize(const EvalContext& ctx, int slot, std::vector<IndicatorValue>* out) const override {
    if (slot != kCurrentSlot) return;
    std::map<Group, SuspectCounts> groups;
    for (const auto& [k, n] : counts_) {
      groups[Group{}].Add(n);
      if (k.first != kMissingId) {
        groups[Group{{{Dim::kOperator, std::string(ctx.dict->Get(k.first))}}}].Add(n);
      }
      if (k.second != kMissingId) {
        groups[Group{{{Dim::kRegion, std::string(ctx.dict->Get(k.second))}}}].Add(n);
      }
    }
    for (const auto& [g, n] : groups) {
      PushCount(out, "callers.suspected_numbers", g, n.suspected, n.judged);
      PushCount(out, "callers.suspected_calls", g, n.suspected_calls, n.judged_calls);
    }
  }

  const CallerFindings& findings() const { return findings_; }

 private:
  uint64_t Key(std::string_view number) {
    const uint64_t key = NumberKey(number);
    if ((key >> kLengthShift) == kHashedLength && !hashed_.contains(key)) {
      hashed_.emplace(key, std::string(number));
    }
    return key;
  }

  std::string Text(uint64_t key) const {
    const uint64_t length = key >> kLengthShift;
    if (length == kHashedLength) {
      auto it = hashed_.find(key);
      return it == hashed_.end() ? std::string() : it->second;
    }
    std::string s(length, '0');
    uint64_t v = key & ((uint64_t{1} << kLengthShift) - 1);
    for (size_t i = length; i > 0 && v > 0; --i, v /= 10)
      s[i - 1] = static_cast<char>('0' + v % 10);
    return s;
  }

  Status JudgePartition(size_t p, const EvalContext& ctx, PartitionResult* r) {
    auto calls = out_.Take(p);
    if (!calls) return std::move(calls).error();
    auto in = in_.Take(p);
    if (!in) return std::move(in).error();
    auto sms = sms_.Take(p);
    if (!sms) return std::move(sms).error();
    // A partition holds a few hundred numbers with hundreds of calls each: a counting pass groups
    // the records by number, and only each number's own records are sorted.
    NumberGroups groups;
    for (const OutCall& c : *calls) groups.Add(c.caller);
    groups.Number();
    const std::vector<size_t> call_at = GroupBy(
        &*calls, groups, [](const OutCall& c) { return c.caller; },
        [](const OutCall& a, const OutCall& b) {
          return std::tie(a.t, a.callee) < std::tie(b.t, b.callee);
        });
    // Only the numbers with enough calls to be judged need their incoming calls and messages: the
    // rest are dropped.
    groups.KeepOnly(
        [&](uint32_t id) { return call_at[id + 1] - call_at[id] >= o_.rule.min_calls; });
    const std::vector<size_t> in_at = GroupBy(
        &*in, groups, [](const InCall& c) { return c.callee; },
        [](const InCall& a, const InCall& b) { return a.caller < b.caller; });
    const std::vector<size_t> sms_at = GroupBy(
        &*sms, groups, [](const SentSms& m) { return m.sender; },
        [](const SentSms& a, const SentSms& b) { return a.receiver < b.receiver; });
    const std::span<const OutCall> all(*calls);
    const std::span<const InCall> all_in(*in);
    const std::span<const SentSms> all_sms(*sms);
    struct Judged {
      uint64_t key;
      uint32_t op, region;
      JudgedCaller j;
    };
    std::vector<Judged> judged;
    for (size_t id = 0; id < groups.size(); ++id) {
      const uint64_t key = groups.key(id);
      ++r->callers;
      const std::span<const OutCall> mine = all.subspan(call_at[id], call_at[id + 1] - call_at[id]);
      if (mine.size() < o_.rule.min_calls) {
        if (o_.labelled != nullptr && o_.labelled->contains(key)) {
          r->scores.push_back(CallerScore{key, 0, false, false});
        }
        continue;
      }
      uint32_t region = kMissingId;
      CallerFeatures features =
          Features(key, mine, all_in.subspan(in_at[id], in_at[id + 1] - in_at[id]), ctx, &region);
      if (has_sms_) {
        AddSmsFeatures(all_sms.subspan(sms_at[id], sms_at[id + 1] - sms_at[id]), &features);
      }
      judged.push_back({key, mine.front().op, region, JudgeCaller(std::move(features), o_.rule)});
    }
    if (o_.scorer != nullptr) {
      std::vector<std::vector<double>> rows;
      rows.reserve(judged.size());
      for (const Judged& x : judged) rows.push_back(CallerFeatureValues(x.j.f));
      const std::vector<double> scores = o_.scorer->ScoreBatch(rows);
      for (size_t k = 0; k < judged.size(); ++k) {
        judged[k].j.score = scores[k];
        judged[k].j.suspected = scores[k] >= o_.scorer->threshold();
      }
    }
    for (Judged& x : judged) {
      JudgedCaller& c = x.j;
      if (o_.cleared != nullptr && o_.cleared->contains(x.key)) {
        c.cleared = true;
        c.suspected = false;
        ++r->cleared;
      }
      ++r->judged;
      SuspectCounts& n = r->counts[{x.op, x.region}];
      ++n.judged;
      n.judged_calls += c.f.calls;
      if (c.suspected) {
        ++r->suspected;
        ++n.suspected;
        n.suspected_calls += c.f.calls;
      }
      r->scores.push_back(CallerScore{x.key, static_cast<float>(c.score), c.suspected, true});
      if (o_.keep_all_features || (o_.labelled != nullptr && o_.labelled->contains(x.key))) {
        r->labelled_features.emplace_back(x.key, CallerFeatureValues(c.f));
      }
      if (c.suspected || c.score > 0) r->listed.push_back(std::move(c));
    }
    KeepListed(&r->listed, o_.keep_unsuspected);
    return {};
  }

  // What the number's short messages add: how many it sent, to how many numbers, and how many
  // the operator's spam filter blocked.
  static void AddSmsFeatures(std::span<const SentSms> sent, CallerFeatures* f) {
    f->sms_sent = sent.size();
    uint64_t receivers = 0, blocked = 0;
    for (size_t i = 0; i < sent.size(); ++i) {
      receivers += i == 0 || sent[i].receiver != sent[i - 1].receiver;
      blocked += sent[i].status == static_cast<uint8_t>(SmsStatus::kBlocked);
    }
    f->sms_receivers = receivers;
    if (!sent.empty()) {
      f->sms_blocked_share = static_cast<double>(blocked) / static_cast<double>(sent.size());
    }
  }

  CallerFeatures Features(uint64_t key, std::span<const OutCall> calls, std::span<const InCall> in,
                          const EvalContext& ctx, uint32_t* region_id) const {
    const int32_t offset = o_.local_offset_s;
    CallerFeatures f;
    f.number = Text(key);
    f.op = calls.front().op == kMissingId ? "" : std::string(ctx.dict->Get(calls.front().op));
    f.calls = calls.size();
    // Each callee's last day: the distinct callees, the callees called on one day only and the
    // busiest day by callees (calls come in time order, so a callee's new day is a new pair).
    CalleeDays callees(calls.size());
    uint64_t callees_today = 0;
    MostFrequentCode regions;
    // Calls come in time order, so a day's calls are one run.
    uint64_t calls_today = 0;
    std::vector<uint32_t> imeis, cells;
    std::vector<double> gaps, durations;
    uint64_t short_answered = 0;
    uint64_t daytime = 0;
    int64_t previous_day = 0;
    for (size_t i = 0; i < calls.size(); ++i) {
      const OutCall& call = calls[i];
      const int64_t day = LocalDay(call.t, offset);
      regions.Add(call.region);
      if (call.imei != 0) imeis.push_back(call.imei);
      if (call.cell != kMissingId) cells.push_back(call.cell);
      if (i == 0 || day != previous_day) {
        ++f.active_days;
        calls_today = 0;
        callees_today = 0;
      }
      f.max_calls_day = std::max(f.max_calls_day, ++calls_today);
      if (callees.Seen(call.callee, static_cast<int32_t>(day))) {
        f.max_callees_day = std::max(f.max_callees_day, ++callees_today);
      }
      const int32_t hour = LocalHour(call.t, offset);
      ++f.by_hour[static_cast<size_t>(hour)];
      daytime += hour >= 9 && hour < 21;
      if (call.outcome == static_cast<uint8_t>(CallOutcome::kAnswered)) {
        ++f.answered;
        if (!std::isnan(call.duration_s)) {
          durations.push_back(call.duration_s);
          if (call.duration_s < o_.rule.short_call_s) ++short_answered;
        }
      }
      if (i > 0 && previous_day == day) {
        gaps.push_back(static_cast<double>(call.t - calls[i - 1].t) / kMicrosPerSecond);
      }
      previous_day = day;
    }
    *region_id = regions.Get(*ctx.dict);
    if (*region_id != kMissingId) f.region = std::string(ctx.dict->Get(*region_id));
    f.first_day = static_cast<int32_t>(LocalDay(calls.front().t, offset));
    f.last_day = static_cast<int32_t>(LocalDay(calls.back().t, offset));
    f.distinct_callees = callees.distinct();
    f.one_day_callee_share =
        static_cast<double>(callees.one_day()) / static_cast<double>(f.distinct_callees);
    f.calls_per_active_day = static_cast<double>(f.calls) / f.active_days;
    f.calls_per_callee = static_cast<double>(f.calls) / static_cast<double>(f.distinct_callees);
    f.answer_rate = static_cast<double>(f.answered) / static_cast<double>(f.calls);
    f.short_answered_share = durations.empty() ? 0
                                               : static_cast<double>(short_answered) /
                                                     static_cast<double>(durations.size());
    if (!durations.empty()) f.median_duration_s = SelectPercentileInc(durations, 0.5);
    f.daytime_share = static_cast<double>(daytime) / static_cast<double>(f.calls);
    f.imeis = CountDistinct(imeis);
    f.cells = CountDistinct(cells);
    // Who called this number (`in` is sorted by caller), and which of its callees are among them.
    f.calls_in = in.size();
    for (size_t k = 0; k < in.size(); ++k) {
      if (k > 0 && in[k].caller == in[k - 1].caller) continue;
      f.callees_who_called_back += callees.Contains(in[k].caller);
    }
    f.callback_ratio =
        static_cast<double>(f.callees_who_called_back) / static_cast<double>(f.distinct_callees);
    f.out_share = static_cast<double>(f.calls) / static_cast<double>(f.calls + f.calls_in);
    if (!gaps.empty()) {
      f.median_gap_s = SelectPercentileInc(gaps, 0.5);
      double mean = 0;
      for (double g : gaps) mean += g;
      mean /= static_cast<double>(gaps.size());
      double var = 0;
      for (double g : gaps) var += (g - mean) * (g - mean);
      var /= static_cast<double>(gaps.size());
      if (mean > 0) f.gap_cv = std::sqrt(var) / mean;
    }
    return f;
  }

  CallersOptions o_;
  SpillBuffer<OutCall> out_;
  SpillBuffer<InCall> in_;
  SpillBuffer<SentSms> sms_;
  bool has_sms_ = false;  // the data has sms records (else the sms features are missing)
  std::unordered_map<uint64_t, std::string> hashed_;  // the text of numbers that are not digits
  uint64_t rows_ = 0;
  // Complete()'s results.
  bool completed_ = false;
  CallerFindings findings_;
  std::map<OpRegion, SuspectCounts> counts_;
};

}  // namespace

uint64_t NumberKey(std::string_view s) {
  if (!s.empty() && s.size() <= 17 &&
      std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    uint64_t v = 0;
    for (char ch : s) v = v * 10 + static_cast<uint64_t>(ch - '0');
    return (static_cast<uint64_t>(s.size()) << kLengthShift) | v;
  }
  return (kHashedLength << kLengthShift) |
         (std::hash<std::string_view>{}(s) & ((uint64_t{1} << kLengthShift) - 1));
}

const std::vector<std::string>& CallerFeatureNames() {
  static const std::vector<std::string> names = {
      "calls",
      "calls_in",
      "active_days",
      "calls_per_active_day",
      "max_calls_day",
      "distinct_callees",
      "max_callees_day",
      "calls_per_callee",
      "one_day_callees",
      "out_share",
      "answer_rate",
      "short_answered_share",
      "median_duration_s",
      "callback_ratio",
      "median_gap_s",
      "gap_cv",
      "imeis",
      "cells",
      "daytime_share",
      "night_share",
      "sms_sent",
      "sms_receivers",
      "sms_blocked_share",
  };
  return names;
}

std::vector<double> CallerFeatureValues(const CallerFeatures& f) {
  uint64_t night = 0;  // 23:00 to 05:59
  for (int h : {23, 0, 1, 2, 3, 4, 5}) night += f.by_hour[static_cast<size_t>(h)];
  const auto d = [](uint64_t v) { return static_cast<double>(v); };
  return {d(f.calls),
          d(f.calls_in),
          d(f.active_days),
          f.calls_per_active_day,
          d(f.max_calls_day),
          d(f.distinct_callees),
          d(f.max_callees_day),
          f.calls_per_callee,
          f.one_day_callee_share,
          f.out_share,
          f.answer_rate,
          f.short_answered_share,
          f.median_duration_s.value_or(NAN),
          f.callback_ratio,
          f.median_gap_s.value_or(NAN),
          f.gap_cv.value_or(NAN),
          d(f.imeis),
          d(f.cells),
          f.daytime_share,
          f.calls > 0 ? d(night) / d(f.calls) : 0,
          f.sms_sent ? d(*f.sms_sent) : NAN,
          f.sms_receivers ? d(*f.sms_receivers) : NAN,
          f.sms_blocked_share.value_or(NAN)};
}

JudgedCaller JudgeCaller(CallerFeatures f, const CallerRule& rule) {
  JudgedCaller j;
  const std::array<bool, kCallerRules.size()> fired = {
      f.calls_per_active_day >= rule.min_calls_per_day,
      f.distinct_callees >= rule.min_distinct_callees &&
          f.calls_per_callee <= rule.max_calls_per_callee,
      f.callback_ratio <= rule.max_callback_ratio,
      f.answer_rate <= rule.max_answer_rate,
      f.answered > 0 && f.short_answered_share >= rule.min_short_share,
      f.imeis >= rule.min_imeis,
  };
  // The three that describe a dialler weigh 1 each; the three that describe what it dials for
  // weigh half.
  constexpr std::array<double, kCallerRules.size()> kWeights = {1, 1, 1, 0.5, 0.5, 0.5};
  double total = 0;
  for (size_t i = 0; i < fired.size(); ++i) {
    total += kWeights[i];
    if (!fired[i]) continue;
    j.rules.emplace_back(kCallerRules[i]);
    j.score += kWeights[i];
  }
  j.score /= total;
  j.suspected = fired[0] && fired[1] && fired[2] && (fired[3] || fired[4] || fired[5]);
  j.f = std::move(f);
  return j;
}

const std::vector<std::string>& CallerIds() {
  static const std::vector<std::string> ids = {"callers.suspected_numbers",
                                               "callers.suspected_calls"};
  return ids;
}

std::unique_ptr<FamilyState> MakeCallersState(const CallersOptions& options) {
  return std::make_unique<CallersState>(options);
}

const CallerFindings* CallersFindings(const FamilyState& state) {
  const auto* s = dynamic_cast<const CallersState*>(&state);
  return s == nullptr ? nullptr : &s->findings();
}

}  // namespace tsq
