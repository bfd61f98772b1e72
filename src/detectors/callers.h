// Suspected harassment and fraud callers (疑似骚扰诈骗号码) from call records: per calling number,
// the features that separate mass callers from people and from legitimate heavy callers
// (volume, fan-out, call-backs, answer rate, short calls, devices, timing), transparent rules
// over them with thresholds from the catalog, and a score that ranks the list. The family keeps
// each candidate's calls, because distinct callees, call-backs and gaps cannot be summed from
// partial counts; partial states merge by number across workers and files.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "engine/family.h"

namespace tsq {

/// The rules' thresholds (the catalog's callers.* parameters).
struct CallerRule {
  uint64_t min_calls = 20;              // fewer calls in the period: not judged at all
  double min_calls_per_day = 30;        // volume: calls per active day at least this
  uint64_t min_distinct_callees = 100;  // fan-out: at least this many distinct callees...
  double max_calls_per_callee = 1.3;    // ...and hardly a second call to any of them
  double max_callback_ratio = 0.02;     // no call-back: callees who called the number back
  double max_answer_rate = 0.5;         // low answer rate
  double min_short_share = 0.4;         // short answered calls (below short_call_s)
  double short_call_s = 10;
  uint64_t min_imeis = 3;  // several devices
};

/// The rules, in the order they are reported. Suspected: volume, fan_out and no_call_back, and
/// at least one of low_answer, short_calls, many_devices.
inline constexpr std::array<const char*, 6> kCallerRules = {
    "volume", "fan_out", "no_call_back", "low_answer", "short_calls", "many_devices"};

/// One calling number's behaviour over the period.
struct CallerFeatures {
  std::string number;     // as the data writes it (mask it before a person sees it)
  std::string op;         // the operator of its calls
  std::string region;     // the most frequent region of its calls
  uint64_t calls = 0;     // calls it placed
  uint64_t calls_in = 0;  // calls it received
  uint32_t active_days = 0;
  double calls_per_active_day = 0;
  uint64_t max_calls_day = 0;
  uint64_t distinct_callees = 0;
  uint64_t max_callees_day = 0;  // distinct callees on its busiest day (by callees)
  double calls_per_callee = 0;
  double one_day_callee_share = 0;  // callees it called on one day only
  double out_share = 0;             // calls ÷ (calls + calls_in)
  uint64_t answered = 0;
  double answer_rate = 0;
  double short_answered_share = 0;          // answered below short_call_s ÷ answered
  std::optional<double> median_duration_s;  // of its answered calls with a duration
  uint64_t callees_who_called_back = 0;
  double callback_ratio = 0;           // callees_who_called_back ÷ distinct_callees
  std::optional<double> median_gap_s;  // between consecutive calls of one day
  std::optional<double> gap_cv;        // their coefficient of variation (bursts: high)
  uint32_t imeis = 0;                  // distinct devices it called from
  uint32_t cells = 0;                  // distinct cells it called from
  double daytime_share = 0;            // calls from 09:00 to 20:59
  // From the sms records, when the data has them (else unset): messages the number sent in the
  // period, the distinct numbers it sent them to, and the share the spam filter blocked.
  std::optional<uint64_t> sms_sent;
  std::optional<uint64_t> sms_receivers;
  std::optional<double> sms_blocked_share;
  std::array<uint32_t, 24> by_hour{};  // calls per local hour
  int32_t first_day = 0;               // local day numbers
  int32_t last_day = 0;
};

/// The numeric features a scorer reads, by name, in a fixed order (model files store the names
/// and are refused when they differ). A missing value (no gaps, no answered call) is NaN.
const std::vector<std::string>& CallerFeatureNames();
std::vector<double> CallerFeatureValues(const CallerFeatures& f);

/// A number as a 64-bit key: exact for numbers of up to 17 digits, hashed otherwise. Callers and
/// callees get the same key, so that a call-back is found by comparing keys.
uint64_t NumberKey(std::string_view number);

struct JudgedCaller {
  CallerFeatures f;
  std::vector<std::string> rules;  // those that fired, in kCallerRules order
  double score = 0;                // 0..1: the scorer's probability, or the rules' weighted share
  bool suspected = false;
  bool cleared = false;  // on the reviewer's whitelist: never suspected
};

/// A trained scorer (tier 2): a probability per row of CallerFeatureValues(). May be called from
/// several threads; throws ErrorException when it fails.
class CallerScorer {
 public:
  virtual ~CallerScorer() = default;
  virtual std::vector<double> ScoreBatch(const std::vector<std::vector<double>>& rows) const = 0;
  /// Suspected at or above this probability.
  virtual double threshold() const = 0;
  /// What the findings name as the scorer (the model file's name).
  virtual std::string name() const = 0;
};

/// One caller's score, kept for every judged caller (evaluation needs them all) and for the
/// labelled callers that were not judged (judged = false, score 0).
struct CallerScore {
  uint64_t key = 0;  // NumberKey()
  float score = 0;
  bool suspected = false;
  bool judged = true;
};

struct CallerFindings {
  CallerRule rule;
  std::string period;
  std::string scorer = "rules";  // or the model's name
  uint64_t callers = 0;          // numbers that placed calls in the period
  uint64_t judged = 0;           // of them, with at least rule.min_calls calls
  uint64_t suspected = 0;
  uint64_t cleared = 0;        // judged numbers on the whitelist
  uint64_t spilled_bytes = 0;  // call records the state wrote to disk to stay within its memory
  /// The suspected callers and the highest-scoring others (at most keep_unsuspected of them),
  /// with their evidence, highest score first.
  std::vector<JudgedCaller> listed;
  std::vector<CallerScore> scores;  // every judged caller, by key
  /// CallerFeatureValues() of every judged caller in CallersOptions::labelled (of every judged
  /// caller with keep_all_features), by key (for training).
  std::vector<std::pair<uint64_t, std::vector<double>>> labelled_features;
};

/// Judges one caller's features by the rules.
JudgedCaller JudgeCaller(CallerFeatures f, const CallerRule& rule);

struct CallersOptions {
  int32_t local_offset_s = kChinaOffsetSeconds;
  CallerRule rule;
  std::shared_ptr<const CallerScorer> scorer;                   // nullptr: the rules decide
  std::shared_ptr<const std::unordered_set<uint64_t>> cleared;  // whitelisted NumberKey()s
  /// Numbers with labels (evaluation, training): their features are kept, and their scores even
  /// when they placed too few calls to be judged.
  std::shared_ptr<const std::unordered_set<uint64_t>> labelled;
  bool keep_all_features = false;            // every judged number's features (training negatives)
  size_t memory_budget = size_t{512} << 20;  // call records kept in memory per worker
  std::string spill_dir;                     // empty: TMPDIR or /tmp
  size_t keep_unsuspected = 1000;
};

const std::vector<std::string>& CallerIds();
std::unique_ptr<FamilyState> MakeCallersState(const CallersOptions& options);
/// The callers of the run's period; nullptr when `state` is not the callers family's. Valid
/// while `state` lives.
const CallerFindings* CallersFindings(const FamilyState& state);

}  // namespace tsq
