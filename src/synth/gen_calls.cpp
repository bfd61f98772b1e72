// Voice call attempts: the background of subscribers calling their contact circles (so most
// contacts call back), the planted mass callers and their hard negatives, and the call-backs
// their callees make.
#include <algorithm>
#include <cmath>

#include "synth/edges.h"
#include "synth/gen_internal.h"

namespace tsq::synth {
namespace {

using enums::CallOutcome;

constexpr uint32_t kNoCell = UINT32_MAX;

struct CallRec {
  Micros t = 0;
  uint64_t caller = 0;
  uint64_t callee = 0;
  uint32_t cell = kNoCell;
  uint32_t callee_sub = kNoSubscriber;  // the callee's subscriber index, when in the sample
  int32_t duration = 0;
  int32_t planted = -1;  // planted caller placing the call
  uint64_t imei = 0;
  uint8_t op = 0;
  uint8_t region = 0;
  uint8_t rat = 1;
  CallOutcome outcome = CallOutcome::kAnswered;
  bool dropped = false;
  bool background = false;
  bool zero_duration = false;  // a failed attempt exported with 0 rather than empty
  bool empty_dropped = false;
};

// Probabilities of the connected outcomes (answered, no answer, busy, rejected) per caller kind;
// the last row is the background.
constexpr int kBackgroundKind = kCallerKinds;
constexpr double kOutcomes[kCallerKinds + 1][4] = {
    {0.20, 0.42, 0.06, 0.32},  // mass calling: mostly ignored or declined
    {0.35, 0.35, 0.06, 0.24},  // fraud
    {0.86, 0.08, 0.03, 0.03},  // courier
    {0.84, 0.10, 0.03, 0.03},  // delivery rider
    {0.62, 0.20, 0.05, 0.13},  // call centre
    {0.80, 0.14, 0.02, 0.04},  // notification line
    {0.34, 0.40, 0.06, 0.20},  // harassment mimic
    {0.55, 0.30, 0.05, 0.10},  // telemarketing
    {0.35, 0.45, 0.05, 0.15},  // debt collection
    {0.90, 0.06, 0.02, 0.02},  // taxi dispatch
    {0.60, 0.25, 0.05, 0.10},  // office trunk
    {0.95, 0.03, 0.01, 0.01},  // alarm line
    {0.715, 0.145, 0.045, 0.095},
};
// Share of answered calls the callee returns later the same day.
constexpr double kCallBack[kCallerKinds] = {0.015, 0.01, 0.35, 0.25, 0.15, 0.04,
                                            0.25,  0.08, 0.10, 0.30, 0.01, 0.02};
// Share of calls that go again to someone called earlier the same day.
constexpr double kRetry[kCallerKinds] = {0, 0, 0.12, 0.12, 0, 0, 0.02, 0.15, 0.45, 0.10, 0.25, 0};

class CallGen {
 public:
  explicit CallGen(ChunkWriter& w) : w_(w), rng_(w.rng()), world_(w.world()) {}

  void Run() {
    const Task& task = w_.task();
    calls_.reserve(task.rows + 64);
    // Background times come sorted; planted rows are sorted apart and merged in, which is
    // linear where sorting the whole day was not.
    for (const Micros t : DayTimes(w_, task.rows, Rhythm::kCalls)) {
      const auto s = static_cast<uint32_t>(world_.subscriber_activity.Sample(rng_));
      CallRec c = FromSubscriber(s);
      c.t = t;
      c.background = true;
      PickCallee(s, &c);
      Outcome(kBackgroundKind, &c);
      calls_.push_back(c);
    }
    if (task.extras != nullptr) {
      for (const EdgeRow& e : task.extras->edges) Edge(e);
      for (const auto& [ci, n] : task.extras->callers) Planted(ci, n);
    }
    const auto by_time = [](const CallRec& a, const CallRec& b) { return a.t < b.t; };
    const auto planted = calls_.begin() + task.rows;
    std::stable_sort(planted, calls_.end(), by_time);
    std::inplace_merge(calls_.begin(), planted, calls_.end(), by_time);
    Emit();
  }

 private:
  CallRec FromSubscriber(uint32_t s) {
    const Subscriber& sub = world_.subscribers[s];
    CallRec c;
    c.caller = sub.number;
    c.op = sub.op;
    c.region = rng_.Chance(0.03) ? static_cast<uint8_t>(PickRegion(w_)) : sub.region;
    const double u = rng_.Uniform();
    if (sub.five_g) {
      c.rat = u < 0.62 ? 2 : (u < 0.98 ? 1 : 0);
    } else {
      c.rat = u < 0.88 ? 1 : 0;
    }
    if (c.op == 2 && c.rat == 0) c.rat = 1;  // 电信 runs no GSM network
    c.cell = rng_.Chance(0.015) ? kNoCell : PickCell(c.op, c.region, c.rat);
    c.imei = rng_.Chance(0.025) ? 0 : world_.ImeiOn(sub, w_.task().day);
    return c;
  }

  uint32_t PickCell(int op, int region, int rat) {
    const std::vector<uint32_t>& cells = world_.CellsOf(op, region, static_cast<Rat>(rat));
    return cells[rng_.Below(cells.size())];
  }

  void PickCallee(uint32_t s, CallRec* c) {
    const double u = rng_.Uniform();
    const auto n = static_cast<uint32_t>(world_.subscribers.size());
    if (u < 0.68) {
      const uint32_t k = static_cast<uint32_t>(rng_.Below(world_.subscribers[s].contacts));
      c->callee_sub = world_.Contact(s, k);
    } else if (u < 0.80) {
      c->callee_sub = static_cast<uint32_t>(rng_.Below(n));
    }
    c->callee = c->callee_sub != kNoSubscriber ? world_.subscribers[c->callee_sub].number
                                               : RandomOutsideNumber(rng_);
  }

  // Draws the outcome, talk time and drop of a call for a caller kind (6 = background).
  // `pc`: the planted caller whose own chances (answer, short) replace its kind's, when set.
  void Outcome(int kind, CallRec* c, const PlannedCaller* pc = nullptr) {
    const int hour = LocalHour(c->t, world_.local_offset_s);
    const bool busy_hour = (hour >= 9 && hour <= 11) || (hour >= 19 && hour <= 21);
    // 电信 in 白城 runs short of radio channels (misses the 2 % congestion target); 联通 in
    // 白山's mountains drops more calls. Everything else looks like real operator reports.
    double congestion = 0.0006 * (busy_hour ? 3.0 : 1.0);
    if (c->op == 2 && c->region == 7) congestion = busy_hour ? 0.034 : 0.018;
    const double network_fail = c->rat == 0 ? 0.004 : 0.0025;
    const double u = rng_.Uniform();
    if (u < congestion) {
      c->outcome = CallOutcome::kCongested;
    } else if (u < congestion + network_fail) {
      c->outcome = CallOutcome::kNetworkFail;
    } else {
      const double v = rng_.Uniform();
      double p[4] = {kOutcomes[kind][0], kOutcomes[kind][1], kOutcomes[kind][2],
                     kOutcomes[kind][3]};
      if (pc != nullptr && pc->p_answer >= 0) {
        // The number's own answer rate; the rest keeps the kind's proportions.
        const double rest = (1 - pc->p_answer) / (1 - p[0]);
        p[0] = pc->p_answer;
        for (int i = 1; i < 4; ++i) p[i] *= rest;
      }
      c->outcome = v < p[0]                 ? CallOutcome::kAnswered
                   : v < p[0] + p[1]        ? CallOutcome::kNoAnswer
                   : v < p[0] + p[1] + p[2] ? CallOutcome::kBusy
                                            : CallOutcome::kRejected;
    }
    if (c->outcome != CallOutcome::kAnswered) {
      c->zero_duration = rng_.Chance(0.7);
      c->empty_dropped = rng_.Chance(0.4);
      return;
    }
    double d = 0;
    if (pc != nullptr && pc->p_short >= 0 && rng_.Chance(pc->p_short)) {
      c->duration = static_cast<int32_t>(std::clamp(std::round(rng_.LogNormal(5, 0.4)), 1.0, 9.0));
      return;
    }
    switch (kind) {
      case 0:
        d = rng_.LogNormal(8, 0.6);
        break;
      case 1:  // hang-ups, then the script, sometimes a long "conversation"
        d = rng_.Chance(0.6)
                ? rng_.LogNormal(6, 0.5)
                : (rng_.Chance(0.75) ? rng_.LogNormal(45, 0.5) : rng_.LogNormal(600, 0.5));
        break;
      case 2:
      case 3:
        d = rng_.LogNormal(25, 0.5);
        break;
      case 4:
        d = rng_.LogNormal(95, 0.7);
        break;
      case 5:
        d = rng_.LogNormal(28, 0.25);
        break;
      // The overlapping kinds: the calls that were not short (the number's p_short).
      case 6:  // a pitch
        d = rng_.LogNormal(35, 0.6);
        break;
      case 7:  // the offer heard out
        d = rng_.LogNormal(75, 0.7);
        break;
      case 8:
        d = rng_.LogNormal(60, 0.8);
        break;
      case 9:  // "your car is at the door"
        d = rng_.LogNormal(20, 0.4);
        break;
      case 10:
        d = rng_.LogNormal(110, 0.9);
        break;
      case 11:
        d = rng_.LogNormal(15, 0.3);
        break;
      default:
        d = rng_.LogNormal(55, 1.05);
        break;
    }
    c->duration = static_cast<int32_t>(std::clamp(std::round(d), 1.0, 7200.0));
    double drop = c->rat == 0 ? 0.004 : (c->rat == 2 ? 0.002 : 0.0012);
    if (c->op == 1 && c->region == 5) drop = 0.018;
    if (rng_.Chance(drop)) {
      c->dropped = true;
      c->duration = std::max(1, static_cast<int32_t>(c->duration * rng_.Uniform(0.1, 0.9)));
    }
  }

  void Edge(const EdgeRow& e) {
    uint32_t s = 0;
    for (int tries = 0; tries < 64; ++tries) {
      s = static_cast<uint32_t>(rng_.Below(world_.subscribers.size()));
      if (world_.subscribers[s].op == 0) break;
    }
    CallRec c = FromSubscriber(s);
    c.t = e.time;
    PickCallee(s, &c);
    if (e.code < 18) {
      c.rat = static_cast<uint8_t>(e.code % 3);
      c.outcome = static_cast<CallOutcome>(e.code / 3);
    } else {
      c.outcome = CallOutcome::kAnswered;
      c.dropped = true;
    }
    c.cell = PickCell(c.op, c.region, c.rat);
    if (c.outcome == CallOutcome::kAnswered) {
      c.duration =
          static_cast<int32_t>(std::clamp(std::round(rng_.LogNormal(50, 0.8)), 1.0, 3600.0));
    }
    calls_.push_back(c);
  }

  void Planted(uint32_t ci, uint32_t n) {
    const PlannedCaller& pc = w_.plan().callers[ci];
    const int kind = static_cast<int>(pc.kind);
    const Micros day = w_.task().day_start;
    const auto at = [&](double hours) {
      return day + static_cast<Micros>(hours * 3600.0) * kMicrosPerSecond;
    };
    // Call times by kind.
    std::vector<std::pair<Micros, int>> times;  // (time, burst)
    switch (pc.kind) {
      case CallerKind::kMassCalling: {
        // A dialler working through its list from 9:00 to ~21:00 at a steady pace.
        double h = 9.0 + rng_.Uniform(0, 0.5);
        const double gap = 11.5 / n;
        for (uint32_t i = 0; i < n; ++i) {
          times.emplace_back(at(h), 0);
          h += gap * rng_.Uniform(0.5, 1.5);
        }
        break;
      }
      case CallerKind::kFraud: {
        // Tight bursts of calls seconds apart, each from another handset.
        const auto bursts = static_cast<uint32_t>(rng_.Range(3, 6));
        uint32_t left = n;
        for (uint32_t b = 0; b < bursts; ++b) {
          const uint32_t k = b + 1 == bursts ? left : n / bursts;
          left -= k;
          Micros t = at(rng_.Uniform(9.0, 17.5));
          for (uint32_t i = 0; i < k; ++i) {
            times.emplace_back(t, static_cast<int>(b));
            t += static_cast<Micros>(rng_.Uniform(8, 40)) * kMicrosPerSecond;
          }
        }
        break;
      }
      case CallerKind::kCourier:
        for (uint32_t i = 0; i < n; ++i) times.emplace_back(at(rng_.Uniform(8.5, 19.0)), 0);
        break;
      case CallerKind::kDeliveryRider:
        for (uint32_t i = 0; i < n; ++i) {
          const double u = rng_.Uniform();
          const double h = u < 0.5   ? rng_.Uniform(10.5, 13.0)
                           : u < 0.9 ? rng_.Uniform(16.5, 19.5)
                                     : rng_.Uniform(9.0, 21.0);
          times.emplace_back(at(h), 0);
        }
        break;
      case CallerKind::kCallCentre:
        for (uint32_t i = 0; i < n; ++i) {
          const double h = rng_.Chance(0.45) ? rng_.Uniform(9.0, 12.0) : rng_.Uniform(13.5, 18.0);
          times.emplace_back(at(h), 0);
        }
        break;
      case CallerKind::kNotificationLine: {
        const double gap = 12.0 / n;
        for (uint32_t i = 0; i < n; ++i)
          times.emplace_back(at(8.0 + gap * (i + rng_.Uniform())), 0);
        break;
      }
      case CallerKind::kHarassmentMimic:
        if (!pc.office_hours) {
          // Scattered over the waking day, like a person's calls.
          for (uint32_t i = 0; i < n; ++i) times.emplace_back(at(rng_.Uniform(8.0, 21.5)), 0);
          break;
        }
        [[fallthrough]];  // office hours, like the call centres it imitates
      case CallerKind::kTelemarketing:
      case CallerKind::kDebtCollection:
      case CallerKind::kPbxTrunk:
        for (uint32_t i = 0; i < n; ++i) {
          const double h = rng_.Chance(0.5) ? rng_.Uniform(9.0, 12.0) : rng_.Uniform(13.5, 18.0);
          times.emplace_back(at(h), 0);
        }
        break;
      case CallerKind::kTaxiDispatch:
        for (uint32_t i = 0; i < n; ++i) times.emplace_back(at(rng_.Uniform(6.5, 23.5)), 0);
        break;
      case CallerKind::kAlarmLine:
        for (uint32_t i = 0; i < n; ++i) times.emplace_back(at(rng_.Uniform(0.0, 24.0)), 0);
        break;
    }
    // The new kinds retry earlier callees, so their calls go in time order (the plain kinds keep
    // their order: the same seed gives the same plain province as before).
    if (pc.kind >= CallerKind::kHarassmentMimic) std::sort(times.begin(), times.end());
    const int64_t first_day = pc.days.front().first;
    uint64_t block = pc.block_start + static_cast<uint64_t>(w_.task().day - first_day) * 2500;
    const auto n_subs = static_cast<uint32_t>(world_.subscribers.size());
    std::vector<uint32_t> today;  // subscribers called today, for courier retries
    for (const auto& [t, burst] : times) {
      CallRec c;
      c.t = t;
      c.caller = pc.number;
      c.op = pc.op;
      c.region = pc.region;
      c.rat = 1;
      c.cell = pc.cells[rng_.Below(pc.cells.size())];
      c.planted = static_cast<int32_t>(ci);
      if (pc.imeis.empty()) {
        c.imei = 0;
      } else if (pc.kind == CallerKind::kFraud) {
        c.imei = pc.imeis[static_cast<size_t>(burst) % pc.imeis.size()];
      } else {
        c.imei = pc.imeis[static_cast<size_t>(w_.task().day - first_day) % pc.imeis.size()];
      }
      double in_sample = 0;
      switch (pc.kind) {
        case CallerKind::kMassCalling:
          in_sample = 0.2;
          break;
        case CallerKind::kFraud:
          in_sample = 0.35;
          break;
        case CallerKind::kCourier:
        case CallerKind::kDeliveryRider:
          in_sample = 0.92;
          break;
        case CallerKind::kCallCentre:
          in_sample = 0.6;
          break;
        case CallerKind::kNotificationLine:
          in_sample = 0.85;
          break;
        case CallerKind::kHarassmentMimic:
          in_sample = 0.5;
          break;
        case CallerKind::kTelemarketing:
        case CallerKind::kPbxTrunk:
          in_sample = 0.7;
          break;
        case CallerKind::kDebtCollection:
        case CallerKind::kTaxiDispatch:
          in_sample = 0.9;
          break;
        case CallerKind::kAlarmLine:
          in_sample = 0;
          break;
      }
      const double p_retry = pc.p_retry >= 0 ? pc.p_retry : kRetry[kind];
      const bool retry = p_retry > 0 && !today.empty() && rng_.Chance(p_retry);
      if (retry) {
        c.callee_sub = today[rng_.Below(today.size())];
      } else if (rng_.Chance(in_sample)) {
        c.callee_sub = static_cast<uint32_t>(rng_.Below(n_subs));
        today.push_back(c.callee_sub);
      }
      if (c.callee_sub != kNoSubscriber) {
        c.callee = world_.subscribers[c.callee_sub].number;
      } else if (pc.kind == CallerKind::kMassCalling) {
        block += 1 + rng_.Below(3);  // working through a number block
        c.callee = block;
      } else if (pc.kind == CallerKind::kAlarmLine) {
        c.callee = pc.block_start + rng_.Below(3);  // the monitoring centre's numbers
      } else {
        c.callee = RandomOutsideNumber(rng_);
      }
      Outcome(kind, &c, &pc);
      calls_.push_back(c);
      const double call_back = pc.p_callback >= 0 ? pc.p_callback : kCallBack[kind];
      if (c.callee_sub != kNoSubscriber && c.outcome == CallOutcome::kAnswered &&
          rng_.Chance(call_back)) {
        CallBack(c);
      }
    }
  }

  void CallBack(const CallRec& original) {
    CallRec c = FromSubscriber(original.callee_sub);
    c.t = original.t + static_cast<Micros>(rng_.Exponential(2400.0) + 30) * kMicrosPerSecond;
    if (LocalDay(c.t, world_.local_offset_s) != w_.task().day) return;
    c.callee = original.caller;
    Outcome(kBackgroundKind, &c);
    calls_.push_back(c);
  }

  void Emit() {
    const RecordSchema& schema = SchemaOf(RecordType::kCalls);
    const auto& rats = schema.columns[col::calls::kRat].enum_values;
    const auto& outcomes = schema.columns[col::calls::kOutcome].enum_values;
    ChunkStats& stats = w_.stats();
    const std::vector<uint64_t>& planted = w_.plan().caller_numbers_sorted;
    int64_t background = 0;
    for (const CallRec& c : calls_) {
      RowBuilder& row = w_.NewRow();
      w_.SetTime(col::calls::kStartTime, c.t);
      w_.SetUint(col::calls::kCaller, c.caller);
      w_.SetUint(col::calls::kCallee, c.callee);
      row.Set(col::calls::kOperator, Operator(c.op).name);
      row.Set(col::calls::kRegion, Region(c.region).name);
      if (c.cell != kNoCell) row.Set(col::calls::kCellId, world_.cells[c.cell].id);
      row.Set(col::calls::kRat, rats[c.rat]);
      row.Set(col::calls::kOutcome, outcomes[static_cast<int>(c.outcome)]);
      if (c.outcome == CallOutcome::kAnswered) {
        w_.SetInt(col::calls::kDurationS, c.duration);
        row.Set(col::calls::kDropped, c.dropped ? "1" : "0");
      } else {
        if (c.zero_duration) row.Set(col::calls::kDurationS, "0");
        if (!c.empty_dropped) row.Set(col::calls::kDropped, "0");
      }
      if (c.imei != 0) w_.SetUint(col::calls::kCallerImei, c.imei);
      const bool valid = w_.Emit(c.background ? background++ : -1, c.t);
      if (!valid) continue;
      auto& k = stats.counters;
      k[counters::CallIndex(c.op, c.region, 0)]++;
      const bool connected =
          c.outcome != CallOutcome::kNetworkFail && c.outcome != CallOutcome::kCongested;
      k[counters::CallIndex(c.op, c.region, 1)] += connected ? 1 : 0;
      k[counters::CallIndex(c.op, c.region, 2)] += c.outcome == CallOutcome::kAnswered ? 1 : 0;
      k[counters::CallIndex(c.op, c.region, 3)] +=
          c.outcome == CallOutcome::kAnswered && c.dropped ? 1 : 0;
      k[counters::CallIndex(c.op, c.region, 4)] += c.outcome == CallOutcome::kCongested ? 1 : 0;
      const int64_t day = w_.task().day;
      if (c.planted >= 0) {
        stats.caller_events.push_back({static_cast<uint32_t>(c.planted), false,
                                       static_cast<uint8_t>(c.outcome), c.duration, day, c.callee,
                                       c.imei});
      }
      if (std::binary_search(planted.begin(), planted.end(), c.callee)) {
        const int ci = w_.plan().CallerIndex(c.callee);
        stats.caller_events.push_back({static_cast<uint32_t>(ci), true,
                                       static_cast<uint8_t>(c.outcome), c.duration, day, c.caller,
                                       0});
      }
    }
  }

  ChunkWriter& w_;
  Rng& rng_;
  const World& world_;
  std::vector<CallRec> calls_;
};

}  // namespace

void GenerateCalls(ChunkWriter& w) { CallGen(w).Run(); }

}  // namespace tsq::synth
