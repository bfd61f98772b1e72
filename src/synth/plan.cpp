#include "synth/plan.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "synth/edges.h"

namespace tsq::synth {
namespace {

constexpr int kTypes = kRecordTypeCount;

// Rows of each type in a 184-day half-year at scale 1, in contract order (orders, calls, sms,
// billing, complaints, appeals, hotline, porting, speedtests, broadband_tests): about 1 M rows,
// two thirds of them calls. Appeals match the Jilin 2022 H2 notice (5567 accepted of ~5900).
// Subscribers are not drawn per day: one row per operator, region and month (PlanMonthlyTasks).
constexpr double kRowsPerHalfYear[kTypes] = {25'000, 670'000, 150'000, 60'000, 8'000, 5'900,
                                             20'000, 3'000,   40'000,  25'000, 0};
// Volume on a weekend or public holiday relative to a working day.
constexpr double kRestDayFactor[kTypes] = {0.75, 0.88, 0.92, 1.0,  0.7, 0.3,
                                           0.85, 0.6,  1.15, 1.25, 1.0};

constexpr uint64_t kPlanTag = 0x706c616eull;               // "plan"
constexpr uint64_t kCellTestsTag = 0x63656c6c74657374ull;  // "celltest"

bool HasSpan(RecordType type, SpanKind span) {
  if (type == RecordType::kSubscribers) return false;  // monthly, not daily: PlanMonthlyTasks
  switch (span) {
    case SpanKind::kPeriod:
      return true;
    case SpanKind::kPrevious:
      return type != RecordType::kCalls;
    case SpanKind::kYearEarlier:
      return type == RecordType::kAppeals;
  }
  return false;
}

double SpanMultiplier(RecordType type, SpanKind span) {
  switch (span) {
    case SpanKind::kPeriod:
      return 1.0;
    case SpanKind::kPrevious:
      return type == RecordType::kAppeals ? 0.93 : 0.96;
    case SpanKind::kYearEarlier:
      return 1.0 / 1.1304;  // accepted appeals rose 13.04 % year over year in the notice
  }
  return 1.0;
}

double DayWeight(RecordType type, int64_t day) {
  double w = IsRestDay(day) ? kRestDayFactor[static_cast<int>(type)] : 1.0;
  // Monthly bills are rated on the first of the month.
  if (type == RecordType::kBilling && CivilFromDays(day).day == 1) w *= 6.0;
  return w;
}

int64_t FirstDay(const Period& p, int32_t offset) { return LocalDay(p.from, offset); }
int64_t EndDay(const Period& p, int32_t offset) { return LocalDay(p.to, offset); }

// Reasons that apply to a record type in a format (a type without a bool column cannot carry
// bad_bool, JSON Lines has no quoting or column count of its own).
std::vector<BadRowReason> ApplicableReasons(RecordType type, OutputFormat format) {
  std::vector<BadRowReason> r;
  if (format == OutputFormat::kCsv) {
    r.push_back(BadRowReason::kBadQuoting);
    r.push_back(BadRowReason::kColumnCount);
  }
  r.push_back(BadRowReason::kInvalidUtf8);
  if (format == OutputFormat::kJsonl) r.push_back(BadRowReason::kBadJson);
  r.push_back(BadRowReason::kMissingRequired);
  r.push_back(BadRowReason::kBadTimestamp);
  const RecordSchema& schema = SchemaOf(type);
  bool has_number = false, has_bool = false, has_enum = false;
  for (const ColumnSpec& c : schema.columns) {
    has_number |= c.type == ColumnType::kNumber || c.type == ColumnType::kInt;
    has_bool |= c.type == ColumnType::kBool;
    has_enum |= c.type == ColumnType::kEnum;
  }
  if (has_number) r.push_back(BadRowReason::kBadNumber);
  if (has_bool) r.push_back(BadRowReason::kBadBool);
  if (has_enum) r.push_back(BadRowReason::kUnknownEnum);
  if (!schema.ordered_pairs.empty()) r.push_back(BadRowReason::kEndBeforeStart);
  return r;
}

class Planner {
 public:
  Planner(const PlanOptions& options, Plan* plan)
      : o_(options),
        p_(*plan),
        rng_(DeriveSeed(options.seed, kPlanTag)),
        cell_rng_(DeriveSeed(options.seed, kCellTestsTag)) {}

  Status Run() {
    TSQ_TRY(MakePeriods());
    const int32_t off = o_.local_offset_s;
    const int64_t first = std::min(FirstDay(p_.year_earlier, off), FirstDay(p_.previous, off));
    p_.world = World::Build(o_.seed, o_.scale, off, first, EndDay(p_.period, off));
    PlanCallers();
    PlanCells();
    PlanLines();
    p_.world.BuildTestTables(o_.seed);
    PlanEdges();
    TSQ_TRY(PlanTasks());
    if (o_.plant_bad_rows) PlanBadRows();
    return Ok();
  }

 private:
  Status MakePeriods() {
    const std::string& text = o_.period;
    const size_t dots = text.find("..");
    if (dots != std::string::npos) {
      auto last = ParseDate(std::string_view(text).substr(dots + 2));
      if (!last) return last.error();
      const CivilDate end = CivilFromDays(DaysFromCivil(last->year, last->month, last->day) + 1);
      const std::string end_text =
          fmt::format("{:04d}-{:02d}-{:02d}", end.year, end.month, end.day);
      auto period =
          CustomPeriod(std::string_view(text).substr(0, dots), end_text, o_.local_offset_s);
      if (!period) return period.error();
      p_.period = *period;
    } else {
      auto period = ParsePeriod(text, o_.local_offset_s);
      if (!period) return period.error();
      p_.period = *period;
    }
    p_.previous = p_.period.Previous(o_.local_offset_s);
    p_.year_earlier = p_.period.YearEarlier(o_.local_offset_s);
    p_.as_of = p_.period.to;
    // Exported three days after the period closed: later completions are not in the data yet.
    p_.export_time = p_.period.to + 3 * kMicrosPerDay;
    return Ok();
  }

  std::vector<int64_t> PeriodDays() const {
    std::vector<int64_t> days;
    for (int64_t d = FirstDay(p_.period, o_.local_offset_s);
         d < EndDay(p_.period, o_.local_offset_s); ++d) {
      days.push_back(d);
    }
    return days;
  }

  Micros DayStart(int64_t day) const {
    return day * kMicrosPerDay - static_cast<Micros>(o_.local_offset_s) * kMicrosPerSecond;
  }

  static int Count(double base, double scale) {
    return std::max(1, static_cast<int>(std::lround(base * scale)));
  }

  void PlanCallers() {
    World& w = p_.world;
    const std::vector<int64_t> days = PeriodDays();
    const auto nd = static_cast<int64_t>(days.size());
    struct KindCount {
      CallerKind kind;
      double base;
    };
    constexpr KindCount kPlain[] = {
        {CallerKind::kMassCalling, 8}, {CallerKind::kFraud, 5},
        {CallerKind::kCourier, 5},     {CallerKind::kDeliveryRider, 3},
        {CallerKind::kCallCentre, 3},  {CallerKind::kNotificationLine, 2}};
    // --callers overlapping adds harassers who look legitimate and legitimate lines that look
    // like harassers, after the plain ones (so that the plain population stays the same).
    constexpr KindCount kOverlapping[] = {
        {CallerKind::kHarassmentMimic, 10}, {CallerKind::kTelemarketing, 5},
        {CallerKind::kDebtCollection, 4},   {CallerKind::kTaxiDispatch, 3},
        {CallerKind::kPbxTrunk, 3},         {CallerKind::kAlarmLine, 3}};
    std::vector<KindCount> kKinds(std::begin(kPlain), std::end(kPlain));
    if (o_.overlapping_callers)
      kKinds.insert(kKinds.end(), std::begin(kOverlapping), std::end(kOverlapping));
    uint64_t shared_imei = 0;     // mimics come in pairs of SIMs in one handset
    uint64_t index = 50'000'000;  // planted numbers never collide with subscribers (< 50 M)
    for (const KindCount& kc : kKinds) {
      const int n = Count(kc.base, o_.scale);
      for (int k = 0; k < n; ++k) {
        PlannedCaller c;
        c.kind = kc.kind;
        c.op = static_cast<uint8_t>(w.operator_share.Sample(rng_));
        c.region = static_cast<uint8_t>(w.region_share.Sample(rng_));
        c.number = MobileNumber(c.op, index++);
        int imeis = 1;
        int cells = 1;
        switch (kc.kind) {
          case CallerKind::kMassCalling:
            imeis = rng_.Chance(0.2) ? 2 : 1;
            cells = 2;
            c.spam_sms_per_day = 40;
            break;
          case CallerKind::kFraud:
            imeis = static_cast<int>(rng_.Range(3, 6));
            c.spam_sms_per_day = 20;
            break;
          case CallerKind::kCourier:
            cells = 5;
            break;
          case CallerKind::kDeliveryRider:
            cells = 4;
            break;
          case CallerKind::kCallCentre:
          case CallerKind::kNotificationLine:
          case CallerKind::kTelemarketing:
          case CallerKind::kTaxiDispatch:
          case CallerKind::kAlarmLine:
          case CallerKind::kHarassmentMimic:
            break;
          case CallerKind::kDebtCollection:
            imeis = 2;
            break;
          case CallerKind::kPbxTrunk:
            imeis = 0;  // a fixed trunk has no handset
            break;
        }
        for (int i = 0; i < imeis; ++i) {
          c.imeis.push_back(MakeImei(DeriveSeed(o_.seed, 0x706c616e74ull, c.number * 8 + i)));
        }
        if (kc.kind == CallerKind::kHarassmentMimic) {
          if (k % 2 == 1) c.imeis = {shared_imei};
          shared_imei = c.imeis.front();
        }
        // Per-number behaviour of the overlapping kinds, in ranges that overlap between the
        // harassers and the legitimate lines.
        struct Range {
          double lo, hi;
        };
        const auto vary = [&](Range answer, Range short_share, Range callback, Range retry) {
          c.p_answer = rng_.Uniform(answer.lo, answer.hi);
          c.p_short = rng_.Uniform(short_share.lo, short_share.hi);
          c.p_callback = rng_.Uniform(callback.lo, callback.hi);
          c.p_retry = rng_.Uniform(retry.lo, retry.hi);
        };
        // Messages too: some mimics send spam, some send none; legitimate lines send marketing,
        // reminders and ride notices, which filters block now and then.
        const auto texts = [&](int64_t lo, int64_t hi, double blocked_lo, double blocked_hi) {
          c.spam_sms_per_day = static_cast<uint32_t>(rng_.Range(lo, hi));
          c.p_sms_blocked = rng_.Uniform(blocked_lo, blocked_hi);
        };
        switch (kc.kind) {
          case CallerKind::kHarassmentMimic:
            vary({0.25, 0.60}, {0.30, 0.75}, {0.05, 0.35}, {0.0, 0.15});
            c.office_hours = rng_.Chance(0.5);  // half keep office hours, like a call centre
            if (rng_.Chance(0.5)) {
              texts(4, 20, 0.1, 0.8);
            } else {
              c.spam_sms_per_day = 0;
            }
            break;
          case CallerKind::kTelemarketing:
            vary({0.40, 0.70}, {0.15, 0.50}, {0.03, 0.15}, {0.02, 0.20});
            c.office_hours = true;
            texts(4, 40, 0.05, 0.5);
            break;
          case CallerKind::kDebtCollection:
            vary({0.25, 0.50}, {0.10, 0.40}, {0.05, 0.20}, {0.30, 0.60});
            c.office_hours = true;
            texts(2, 12, 0.0, 0.3);
            break;
          case CallerKind::kTaxiDispatch:
            vary({0.80, 0.95}, {0.10, 0.40}, {0.20, 0.40}, {0.05, 0.20});
            texts(10, 60, 0.0, 0.1);
            break;
          case CallerKind::kPbxTrunk:
            vary({0.50, 0.70}, {0.05, 0.30}, {0.005, 0.03}, {0.15, 0.35});
            c.office_hours = true;
            break;
          default:
            break;
        }
        const std::vector<uint32_t>& pool = w.CellsOf(c.op, c.region, Rat::k4G);
        for (int i = 0; i < cells; ++i) c.cells.push_back(pool[rng_.Below(pool.size())]);
        c.block_start = RandomOutsideNumber(rng_) / 10'000 * 10'000;
        // Active days and calls per day, by kind.
        auto add = [&](int64_t di, int64_t lo, int64_t hi, double rest_factor) {
          const int64_t day = days[static_cast<size_t>(di)];
          double n_calls = static_cast<double>(rng_.Range(lo, hi));
          if (IsRestDay(day)) n_calls *= rest_factor;
          c.days.emplace_back(day, static_cast<uint32_t>(std::max(1.0, std::round(n_calls))));
        };
        switch (kc.kind) {
          case CallerKind::kMassCalling: {
            const int64_t len = std::min<int64_t>(nd, rng_.Range(5, 15));
            const int64_t start = rng_.Range(0, nd - len);
            for (int64_t d = start; d < start + len; ++d) add(d, 80, 200, 0.6);
            break;
          }
          case CallerKind::kFraud: {
            const int64_t len = std::min<int64_t>(nd, rng_.Range(6, 14));
            const int64_t start = rng_.Range(0, nd - len);
            for (int64_t d = start; d < start + len; ++d) {
              if (d - start < 3 || rng_.Chance(0.65)) add(d, 40, 120, 1.0);
            }
            break;
          }
          case CallerKind::kCourier:
          case CallerKind::kDeliveryRider:
          case CallerKind::kCallCentre:
          case CallerKind::kNotificationLine: {
            // Busy legitimate lines, observed over a few weeks of the period.
            const int64_t len = std::min<int64_t>(nd, rng_.Range(20, 40));
            const int64_t start = rng_.Range(0, nd - len);
            for (int64_t d = start; d < start + len; ++d) {
              const bool rest = IsRestDay(days[static_cast<size_t>(d)]);
              if (kc.kind == CallerKind::kCourier && (!rest || rng_.Chance(0.5))) {
                add(d, 35, 70, 0.6);
              } else if (kc.kind == CallerKind::kDeliveryRider && rng_.Chance(0.9)) {
                add(d, 25, 50, 1.2);
              } else if (kc.kind == CallerKind::kCallCentre && !rest) {
                add(d, 80, 140, 1.0);
              } else if (kc.kind == CallerKind::kNotificationLine) {
                add(d, 120, 220, 0.5);
              }
            }
            if (c.days.empty()) add(start, 30, 40, 1.0);
            break;
          }
          case CallerKind::kHarassmentMimic:
          case CallerKind::kTelemarketing:
          case CallerKind::kDebtCollection:
          case CallerKind::kTaxiDispatch:
          case CallerKind::kPbxTrunk:
          case CallerKind::kAlarmLine: {
            // Each number has its own pace, drawn from a range that overlaps the other kinds':
            // a mimic calls as much as a small telemarketing desk, a quiet trunk as little as
            // a mimic. Mimics skip days so that no day stands out; offices rest at weekends.
            struct Pace {
              double lo, hi, rest_factor;
              bool works_weekends;
            };
            const Pace pace = kc.kind == CallerKind::kHarassmentMimic  ? Pace{18, 60, 0.7, true}
                              : kc.kind == CallerKind::kTelemarketing  ? Pace{25, 120, 1.0, false}
                              : kc.kind == CallerKind::kDebtCollection ? Pace{25, 90, 1.0, false}
                              : kc.kind == CallerKind::kTaxiDispatch   ? Pace{40, 150, 1.2, true}
                              : kc.kind == CallerKind::kPbxTrunk       ? Pace{40, 300, 1.0, false}
                                                                       : Pace{30, 60, 1.0, true};
            const double rate = rng_.Uniform(pace.lo, pace.hi);
            const auto lo = static_cast<int64_t>(std::lround(rate * 0.8));
            const auto hi = static_cast<int64_t>(std::lround(rate * 1.2));
            const bool mimic = kc.kind == CallerKind::kHarassmentMimic;
            const int64_t len =
                std::min<int64_t>(nd, mimic ? rng_.Range(15, 40) : rng_.Range(20, 40));
            const int64_t start = rng_.Range(0, nd - len);
            for (int64_t d = start; d < start + len; ++d) {
              const bool rest = IsRestDay(days[static_cast<size_t>(d)]);
              if (mimic ? rng_.Chance(0.7) : (pace.works_weekends || !rest)) {
                add(d, lo, hi, pace.rest_factor);
              }
            }
            if (c.days.empty()) add(start, lo, hi, 1.0);
            break;
          }
        }
        const auto ci = static_cast<uint32_t>(p_.callers.size());
        for (const auto& [day, n_calls] : c.days) {
          p_.extras[{static_cast<int>(RecordType::kCalls), day}].callers.emplace_back(ci, n_calls);
          if (c.spam_sms_per_day > 0) {
            const auto n_sms =
                static_cast<uint32_t>(rng_.Range(c.spam_sms_per_day / 2, c.spam_sms_per_day));
            p_.extras[{static_cast<int>(RecordType::kSms), day}].callers.emplace_back(ci, n_sms);
          }
        }
        p_.callers.push_back(std::move(c));
      }
    }
    for (const PlannedCaller& c : p_.callers) p_.caller_numbers_sorted.push_back(c.number);
    std::sort(p_.caller_numbers_sorted.begin(), p_.caller_numbers_sorted.end());
  }

  // Plans one test per flag (1 = bad) of a planted cell at evening-weighted times within the
  // span. With keep false the times are drawn but nothing is planted, so that `rng` advances
  // exactly as if the tests had been.
  void PlantTests(Rng& rng, uint32_t planted, const std::vector<uint8_t>& flags, const Period& span,
                  bool baseline, bool keep = true) {
    const int64_t first = FirstDay(span, o_.local_offset_s);
    const int64_t end = EndDay(span, o_.local_offset_s);
    for (const uint8_t flag : flags) {
      const int64_t day = rng.Range(first, end - 1);
      CellTest t;
      t.planted = planted;
      t.time = DayStart(day) +
               p_.world.SampleSecondOfDay(rng, Rhythm::kEvening, IsRestDay(day)) * kMicrosPerSecond;
      t.bad = flag != 0;
      t.baseline = baseline;
      if (keep) p_.extras[{static_cast<int>(RecordType::kSpeedtests), day}].cell_tests.push_back(t);
    }
  }

  // Scripts n tests with exactly `bad` bad ones, at evening-weighted times within the span.
  void ScriptTests(Rng& rng, uint32_t planted, int n, int bad, const Period& span, bool baseline,
                   bool keep = true) {
    std::vector<uint8_t> flags(static_cast<size_t>(n), 0);
    for (int i = 0; i < bad && i < n; ++i) flags[static_cast<size_t>(i)] = 1;
    for (int i = n - 1; i > 0; --i) {
      std::swap(flags[static_cast<size_t>(i)], flags[rng.Below(static_cast<uint64_t>(i) + 1)]);
    }
    PlantTests(rng, planted, flags, span, baseline, keep);
  }
  void ScriptTests(uint32_t planted, int n, int bad, const Period& span, bool baseline) {
    ScriptTests(rng_, planted, n, bad, span, baseline);
  }

  // --cell-tests: exactly o_.cell_tests tests in the period, each bad with chance `share` (a
  // binomial count). They come from the cell's own stream, flags first, so that the cells and
  // their shares are the same whatever N, and the first N flags are the same for any larger N
  // (a cell at N = 20 is the same cell at N = 100 observed for less long).
  void DrawPeriodTests(uint32_t planted, double share) {
    p_.cells[planted].true_bad_share = share;
    Rng rng(DeriveSeed(o_.seed, kCellTestsTag, planted));
    std::vector<uint8_t> flags(static_cast<size_t>(o_.cell_tests), 0);
    for (uint8_t& f : flags) f = rng.Chance(share) ? 1 : 0;
    PlantTests(rng, planted, flags, p_.period, false);
  }

  // A random background cell of the RAT (planted ones are skipped), made planted.
  uint32_t TakeCell(Rng& rng, Rat rat, const char* intent) {
    World& w = p_.world;
    uint32_t cell = 0;
    for (;;) {
      cell = static_cast<uint32_t>(rng.Below(w.cells.size()));
      if (w.cells[cell].rat == rat && w.cells[cell].planted < 0) break;
    }
    const auto pi = static_cast<uint32_t>(p_.cells.size());
    w.cells[cell].planted = static_cast<int>(pi);
    p_.cells.push_back({cell, intent});
    return pi;
  }

  void PlanCells() {
    struct Intent {
      const char* name;
      double base;
      Rat rat;
    };
    constexpr Intent kIntents[] = {
        {"poor", 6, Rat::k5G},           {"still_poor", 4, Rat::k5G},
        {"remediated", 8, Rat::k5G},     {"unverified", 3, Rat::k5G},
        {"near_threshold", 3, Rat::k5G}, {"too_few_tests", 2, Rat::k5G},
        {"poor", 2, Rat::k4G},           {"remediated", 1, Rat::k4G},
    };
    // With --cell-tests the scripted period tests of these intents are still drawn from rng_
    // (and dropped), so the rest of the province is the same as without it.
    const bool drawn = o_.cell_tests > 0;
    for (const Intent& intent : kIntents) {
      const int n = Count(intent.base, o_.scale);
      for (int k = 0; k < n; ++k) {
        const uint32_t pi = TakeCell(rng_, intent.rat, intent.name);
        const std::string_view name = intent.name;
        const auto share = [&](double lo, double hi, int tests) {
          return static_cast<int>(std::lround(tests * rng_.Uniform(lo, hi)));
        };
        const auto period = [&](int tests, int bad, double lo, double hi) {
          ScriptTests(rng_, pi, tests, bad, p_.period, false, !drawn);
          if (drawn) DrawPeriodTests(pi, cell_rng_.Uniform(lo, hi));
        };
        const int nb = static_cast<int>(rng_.Range(30, 60));
        if (name == "poor") {
          ScriptTests(pi, nb, share(0.0, 0.05, nb), p_.previous, true);
          const int nn = static_cast<int>(rng_.Range(30, 80));
          period(nn, share(0.40, 0.60, nn), 0.30, 0.50);
        } else if (name == "still_poor") {
          ScriptTests(pi, nb, share(0.40, 0.60, nb), p_.previous, true);
          const int nn = static_cast<int>(rng_.Range(30, 80));
          period(nn, share(0.38, 0.55, nn), 0.30, 0.50);
        } else if (name == "remediated") {
          ScriptTests(pi, nb, share(0.40, 0.60, nb), p_.previous, true);
          const int nn = static_cast<int>(rng_.Range(30, 70));
          period(nn, share(0.0, 0.05, nn), 0.0, 0.05);
        } else if (name == "unverified") {
          ScriptTests(pi, nb, share(0.40, 0.60, nb), p_.previous, true);
          const int nn = static_cast<int>(rng_.Range(5, 15));
          ScriptTests(pi, nn, share(0.2, 0.5, nn), p_.period, false);
        } else if (name == "near_threshold") {
          // 25 % bad is above 20 %, but the Wilson lower bound at n = 40 is ~0.14: not poor.
          ScriptTests(pi, nb, share(0.0, 0.05, nb), p_.previous, true);
          period(40, 10, 0.25, 0.25);
        } else {  // too_few_tests: 19 tests, 15 bad: never measured, so never poor
          ScriptTests(pi, 19, 15, p_.previous, true);
          ScriptTests(pi, 19, 15, p_.period, false);
        }
      }
    }
    if (!drawn) return;
    // Decoys: 5G cells 10-15 % bad, below the 20 % of the rule but close enough to it that the
    // detector can flag them by chance. A good baseline, as a poor cell's.
    const int decoys = Count(10, o_.scale);
    for (int k = 0; k < decoys; ++k) {
      const uint32_t pi = TakeCell(cell_rng_, Rat::k5G, "decoy");
      p_.world.cells[p_.cells[pi].cell].decoy = true;
      const int nb = static_cast<int>(cell_rng_.Range(30, 60));
      const int bad = static_cast<int>(std::lround(nb * cell_rng_.Uniform(0.0, 0.05)));
      ScriptTests(cell_rng_, pi, nb, bad, p_.previous, true);
      DrawPeriodTests(pi, cell_rng_.Uniform(0.10, 0.15));
    }
  }

  void AddLineTests(uint32_t planted, int plan, std::initializer_list<double> values,
                    int64_t first_day, int64_t end_day) {
    for (double v : values) {
      const int64_t day = rng_.Range(first_day, end_day - 1);
      LineTest t;
      t.planted = planted;
      t.time = DayStart(day) + p_.world.SampleSecondOfDay(rng_, Rhythm::kEvening, IsRestDay(day)) *
                                   kMicrosPerSecond;
      t.plan_down = plan;
      t.down = v;
      p_.extras[{static_cast<int>(RecordType::kBroadbandTests), day}].line_tests.push_back(t);
    }
  }

  void PlanLines() {
    World& w = p_.world;
    const int64_t first = FirstDay(p_.period, o_.local_offset_s);
    const int64_t end = EndDay(p_.period, o_.local_offset_s);
    // Threshold lines test within one month, so their month figure agrees with the period's.
    const int64_t months = (p_.period.end_day.year - p_.period.first_day.year) * 12 +
                           p_.period.end_day.month - p_.period.first_day.month;
    CivilDate mid = p_.period.first_day;
    for (int64_t m = 0; m < months / 2; ++m) {
      mid = mid.month == 12 ? CivilDate{mid.year + 1, 1, 1} : CivilDate{mid.year, mid.month + 1, 1};
    }
    const int64_t mid_first = std::max(first, DaysFromCivil(mid.year, mid.month, 1));
    const int64_t mid_end =
        std::min(end, mid_first + DaysInMonth(mid.year, mid.month) - (mid.day - 1));
    auto take = [&](const char* intent, int op) {
      uint32_t line = 0;
      do {
        line = static_cast<uint32_t>(rng_.Below(w.lines.size()));
      } while (w.lines[line].planted >= 0);
      // The threshold lines need a given operator; at tiny scales it may own no free line.
      if (op >= 0) w.lines[line].op = static_cast<uint8_t>(op);
      const auto pi = static_cast<uint32_t>(p_.lines.size());
      w.lines[line].planted = static_cast<int>(pi);
      p_.lines.push_back({line, intent});
      return pi;
    };
    const int below = Count(6, o_.scale);
    for (int k = 0; k < below; ++k) {
      const uint32_t pi = take("below_90", -1);
      BroadbandLine& line = w.lines[p_.lines[pi].line];
      const double ratio = rng_.Uniform(0.6, 0.84);
      line.ratio = ratio;
      const int n = static_cast<int>(rng_.Range(4, 8));
      for (int i = 0; i < n; ++i) {
        const double v = RoundCents(line.plan_down * ratio * rng_.Uniform(0.93, 1.07));
        AddLineTests(pi, line.plan_down, {v}, first, end);
      }
    }
    // Means exactly at 90 % (compliant: the rule is >=), and one cent either side. Each running
    // mean is exact in binary, so any summation order gives the same verdict.
    struct Exact {
      const char* intent;
      int op;
      int plan;
      std::array<double, 4> values;
    };
    const Exact kExact[] = {
        {"at_threshold", 0, 200, {170.00, 190.00, 180.00, 180.00}},
        {"at_threshold", 1, 100, {85.00, 95.00, 90.00, 90.00}},
        {"at_threshold", 2, 500, {440.00, 460.00, 450.00, 450.00}},
        {"just_below", 1, 500, {440.00, 460.00, 449.96, 450.00}},
        {"just_above", 0, 100, {88.00, 92.04, 90.00, 90.00}},
    };
    for (const Exact& e : kExact) {
      const uint32_t pi = take(e.intent, e.op);
      BroadbandLine& line = w.lines[p_.lines[pi].line];
      line.plan_down = e.plan;
      line.plan_up = e.plan >= 500 ? 50 : e.plan / 5;
      line.ratio = 0.9;
      for (double v : e.values) AddLineTests(pi, e.plan, {v}, mid_first, mid_end);
    }
    // An upgrade from 100 to 300 Mbit/s in mid-period that the access network never delivered:
    // compliant on the old plan, not on the new one.
    const uint32_t pi = take("plan_change", -1);
    BroadbandLine& line = w.lines[p_.lines[pi].line];
    line.plan_down = 100;
    line.plan_up = 20;
    line.ratio = 0.97;
    const int64_t split = first + (end - first) / 2;
    for (int i = 0; i < 4; ++i) {
      AddLineTests(pi, 100, {RoundCents(rng_.Uniform(93.0, 99.5))}, first, split);
      AddLineTests(pi, 300, {RoundCents(rng_.Uniform(205.0, 235.0))}, split, end);
    }
  }

  static double RoundCents(double v) { return std::round(v * 100.0) / 100.0; }

  // Edge rows: every enum value and every case the indicators treat specially, present at any
  // scale. Codes are interpreted by each type's generator (see gen.h).
  void PlanEdges() {
    const std::vector<int64_t> days = PeriodDays();
    const auto nd = static_cast<int64_t>(days.size());
    auto add_spread = [&](RecordType type, int code, Rhythm rhythm) {
      const int64_t day = days[static_cast<size_t>((code * 7 + 3) % nd)];
      EdgeRow e;
      e.code = code;
      e.time = DayStart(day) +
               p_.world.SampleSecondOfDay(rng_, rhythm, IsRestDay(day)) * kMicrosPerSecond;
      p_.extras[{static_cast<int>(type), day}].edges.push_back(e);
    };
    auto add_at = [&](RecordType type, int code, Micros t) {
      if (t < p_.period.from || t >= p_.period.to) return;
      EdgeRow e;
      e.code = code;
      e.time = t;
      p_.extras[{static_cast<int>(type), LocalDay(t, o_.local_offset_s)}].edges.push_back(e);
    };
    const Micros end = p_.period.to;
    const Micros h = kMicrosPerHour;
    for (int c = 0; c < kEdgeOrderPairs; ++c) add_spread(RecordType::kOrders, c, Rhythm::kBusiness);
    add_at(RecordType::kOrders, kEdgeOrderOpenOverdue, end - 5 * 24 * h - 7 * h);
    add_at(RecordType::kOrders, kEdgeOrderOpenRecent, end - 3 * h);
    add_at(RecordType::kOrders, kEdgeOrderCompletedAfterEnd, end - 6 * h);
    add_at(RecordType::kOrders, kEdgeOrderIptvOpen, end - 30 * h);
    add_spread(RecordType::kOrders, kEdgeOrderElderly, Rhythm::kBusiness);
    for (int c = 0; c < kEdgeCalls; ++c) add_spread(RecordType::kCalls, c, Rhythm::kCalls);
    for (int c = 0; c < 3; ++c) add_spread(RecordType::kSms, c, Rhythm::kSms);
    for (int c = 0; c < kEdgeBilling; ++c) add_spread(RecordType::kBilling, c, Rhythm::kBillRun);
    for (int c = 0; c < kEdgeComplaintsSpread; ++c) {
      add_spread(RecordType::kComplaints, c, Rhythm::kBusiness);
    }
    add_at(RecordType::kComplaints, kEdgeComplaintOpenOverdue, end - 20 * 24 * h - 5 * h);
    add_at(RecordType::kComplaints, kEdgeComplaintOpenRecent, end - 2 * 24 * h - 3 * h);
    for (int c = 0; c < kEdgeAppeals; ++c) add_spread(RecordType::kAppeals, c, Rhythm::kOffice);
    for (int c = 0; c < kEdgeHotline; ++c) add_spread(RecordType::kHotline, c, Rhythm::kHotline);
    for (int c = 0; c < kEdgePorting; ++c) add_spread(RecordType::kPorting, c, Rhythm::kBusiness);
    add_at(RecordType::kPorting, kEdgePortingPendingOverdue, end - 3 * 24 * h - 2 * h);
    add_at(RecordType::kPorting, kEdgePortingPendingRecent, end - 5 * h);
    for (int c = 0; c < kEdgeSpeedtests; ++c) {
      add_spread(RecordType::kSpeedtests, c, Rhythm::kEvening);
    }
  }

  Status PlanTasks() {
    const int32_t off = o_.local_offset_s;
    // Days of each type with the span they belong to; the period wins over the previous period,
    // which wins over the year-earlier one where they overlap (e.g. for a yearly period).
    std::array<std::map<int64_t, SpanKind>, kTypes> day_spans;
    const std::pair<const Period*, SpanKind> spans[] = {{&p_.period, SpanKind::kPeriod},
                                                        {&p_.previous, SpanKind::kPrevious},
                                                        {&p_.year_earlier, SpanKind::kYearEarlier}};
    std::set<int64_t> all_days;
    for (RecordType type : AllRecordTypes()) {
      auto& map = day_spans[static_cast<int>(type)];
      for (const auto& [period, kind] : spans) {
        if (!HasSpan(type, kind)) continue;
        for (int64_t d = FirstDay(*period, off); d < EndDay(*period, off); ++d) {
          map.emplace(d, kind);
          all_days.insert(d);
        }
      }
    }

    // Exact background counts per day: each span's total is rate x days x scale, spread over
    // its days by weight with cumulative rounding, so totals scale linearly and exactly.
    std::array<std::map<int64_t, std::pair<uint32_t, double>>, kTypes> counts;
    for (RecordType type : AllRecordTypes()) {
      const int t = static_cast<int>(type);
      for (const auto& [period, kind] : spans) {
        if (!HasSpan(type, kind)) continue;
        std::vector<std::pair<int64_t, double>> weights;
        double total_weight = 0;
        for (const auto& [day, k] : day_spans[t]) {
          if (k != kind) continue;
          const double wgt = DayWeight(type, day) * (1.0 + 0.05 * rng_.Normal());
          weights.emplace_back(day, std::max(0.05, wgt));
          total_weight += weights.back().second;
        }
        const double span_total = kRowsPerHalfYear[t] / 184.0 * o_.scale *
                                  SpanMultiplier(type, kind) * static_cast<double>(weights.size());
        double cum = 0;
        int64_t emitted = 0;
        for (const auto& [day, wgt] : weights) {
          cum += span_total * wgt / total_weight;
          const int64_t upto = std::llround(cum);
          counts[t][day] = {static_cast<uint32_t>(upto - emitted), span_total * wgt / total_weight};
          emitted = upto;
        }
      }
    }

    // Files: one per type, calls optionally split into contiguous day ranges.
    const std::string& ext = o_.extension;
    std::array<std::vector<uint32_t>, kTypes> type_files;
    const size_t call_days = day_spans[static_cast<int>(RecordType::kCalls)].size();
    if (o_.calls_files < 1 || static_cast<size_t>(o_.calls_files) > call_days) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("--calls-files must be between 1 and {} (the days of the period)",
                               call_days));
    }
    for (RecordType type : AllRecordTypes()) {
      const int t = static_cast<int>(type);
      const int n = type == RecordType::kCalls ? o_.calls_files : 1;
      for (int i = 0; i < n; ++i) {
        OutputFileSpec f;
        const std::string stem(SchemaOf(type).name);
        f.name = n == 1 ? stem + ext : fmt::format("{}-{:04d}{}", stem, i + 1, ext);
        f.layout = FileLayout::Make(type, o_.format);
        Customize(type, &f);
        type_files[t].push_back(static_cast<uint32_t>(p_.files.size()));
        p_.files.push_back(std::move(f));
      }
    }

    std::array<size_t, kTypes> seen_days{};
    std::vector<uint32_t> chunk_of_file(p_.files.size(), 0);
    for (const int64_t day : all_days) {
      for (RecordType type : AllRecordTypes()) {
        const int t = static_cast<int>(type);
        const auto it = counts[t].find(day);
        if (it == counts[t].end()) continue;
        const size_t nth = seen_days[t]++;
        const size_t nfiles = type_files[t].size();
        const uint32_t file = type_files[t][nth * nfiles / day_spans[t].size()];
        Task task;
        task.type = type;
        task.file = file;
        task.chunk = chunk_of_file[file]++;
        task.day = day;
        task.day_start = DayStart(day);
        task.span = day_spans[t][day];
        task.rows = it->second.first;
        task.expected_rows = it->second.second;
        const auto ex = p_.extras.find({t, day});
        if (ex != p_.extras.end()) {
          task.extras = &ex->second;
          task.expected_rows +=
              static_cast<double>(ex->second.edges.size() + ex->second.cell_tests.size() +
                                  ex->second.line_tests.size());
          for (const auto& [ci, n] : ex->second.callers) task.expected_rows += n;
        }
        p_.files[file].tasks.push_back(static_cast<uint32_t>(p_.tasks.size()));
        p_.tasks.push_back(std::move(task));
      }
    }
    PlanMonthlyTasks(type_files[static_cast<int>(RecordType::kSubscribers)].front(),
                     &chunk_of_file);
    return Ok();
  }

  // Subscriber counts stand at the end of each month the appeals cover (the period, the previous
  // one and the year-earlier one): one task per month writes every operator and region.
  void PlanMonthlyTasks(uint32_t file, std::vector<uint32_t>* chunk_of_file) {
    const int32_t off = o_.local_offset_s;
    std::map<int64_t, SpanKind> months;  // first local day of the month -> its span
    const std::pair<const Period*, SpanKind> spans[] = {{&p_.period, SpanKind::kPeriod},
                                                        {&p_.previous, SpanKind::kPrevious},
                                                        {&p_.year_earlier, SpanKind::kYearEarlier}};
    for (const auto& [period, kind] : spans) {
      for (int64_t d = FirstDay(*period, off); d < EndDay(*period, off); ++d) {
        if (CivilFromDays(d).day == 1) months.emplace(d, kind);
      }
    }
    for (const auto& [day, kind] : months) {
      Task task;
      task.type = RecordType::kSubscribers;
      task.file = file;
      task.chunk = (*chunk_of_file)[file]++;
      task.day = day;
      task.day_start = DayStart(day);
      task.span = kind;
      task.rows = kOperatorCount * kRegionCount;
      task.expected_rows = task.rows;
      p_.files[file].tasks.push_back(static_cast<uint32_t>(p_.tasks.size()));
      p_.tasks.push_back(std::move(task));
    }
  }

  // Real exports differ: an Excel-saved complaints file (BOM, CRLF), a billing export with its
  // own column order and a remark column, an sms file whose last line has no line end, hotline
  // JSON with explicit nulls. Readers must take all of them.
  void Customize(RecordType type, OutputFileSpec* f) {
    FileLayout& l = f->layout;
    if (type == RecordType::kBilling) {
      using namespace col::billing;  // NOLINT: local, for the order table
      l.order = {kRecordId, kChargedAt, kOperator, kRegion, kService, kAmountCny, kError};
      l.AddExtraColumn("remark");
    }
    if (o_.format == OutputFormat::kCsv) {
      if (type == RecordType::kComplaints) {
        l.crlf = true;
        l.bom = true;
      }
      if (type == RecordType::kSms) f->final_newline = false;
    } else if (type == RecordType::kHotline) {
      l.json_nulls = true;
    }
  }

  void PlanBadRows() {
    for (uint32_t fi = 0; fi < p_.files.size(); ++fi) {
      const OutputFileSpec& f = p_.files[fi];
      uint64_t total = 0;
      for (const uint32_t k : f.tasks) total += p_.tasks[k].rows;
      std::vector<std::pair<BadRowReason, uint8_t>> wanted;
      for (BadRowReason r : ApplicableReasons(f.layout.type, o_.format)) {
        const int n = 1 + static_cast<int>(rng_.Below(3));
        for (int i = 0; i < n; ++i) wanted.emplace_back(r, static_cast<uint8_t>(rng_.Below(4)));
      }
      if (wanted.size() > total) wanted.resize(total);
      // Distinct background rows of the file.
      std::vector<uint64_t> picks;
      while (picks.size() < wanted.size()) {
        const uint64_t g = rng_.Below(total);
        if (std::find(picks.begin(), picks.end(), g) == picks.end()) picks.push_back(g);
      }
      for (size_t i = 0; i < picks.size(); ++i) {
        uint64_t g = picks[i];
        for (const uint32_t k : f.tasks) {
          Task& t = p_.tasks[k];
          if (g < t.rows) {
            t.bad.push_back({static_cast<uint32_t>(g), wanted[i].first, wanted[i].second});
            break;
          }
          g -= t.rows;
        }
      }
    }
    for (Task& t : p_.tasks) {
      std::sort(t.bad.begin(), t.bad.end(),
                [](const BadPlan& a, const BadPlan& b) { return a.row < b.row; });
    }
  }

  const PlanOptions& o_;
  Plan& p_;
  Rng rng_;
  Rng cell_rng_;  // --cell-tests only, so that without it nothing else moves
};

}  // namespace

const char* CallerKindName(CallerKind kind) {
  switch (kind) {
    case CallerKind::kMassCalling:
      return "mass_calling";
    case CallerKind::kFraud:
      return "fraud";
    case CallerKind::kCourier:
      return "courier";
    case CallerKind::kDeliveryRider:
      return "delivery_rider";
    case CallerKind::kCallCentre:
      return "call_centre";
    case CallerKind::kNotificationLine:
      return "notification_line";
    case CallerKind::kHarassmentMimic:
      return "harassment_mimic";
    case CallerKind::kTelemarketing:
      return "telemarketing";
    case CallerKind::kDebtCollection:
      return "debt_collection";
    case CallerKind::kTaxiDispatch:
      return "taxi_dispatch";
    case CallerKind::kPbxTrunk:
      return "pbx_trunk";
    case CallerKind::kAlarmLine:
      return "alarm_line";
  }
  return "";
}

bool IsSuspicious(CallerKind kind) {
  return kind == CallerKind::kMassCalling || kind == CallerKind::kFraud ||
         kind == CallerKind::kHarassmentMimic;
}

int Plan::CallerIndex(uint64_t number) const {
  if (!std::binary_search(caller_numbers_sorted.begin(), caller_numbers_sorted.end(), number)) {
    return -1;
  }
  for (size_t i = 0; i < callers.size(); ++i) {
    if (callers[i].number == number) return static_cast<int>(i);
  }
  return -1;
}

Result<Plan> MakePlan(const PlanOptions& options) {
  if (!(options.scale > 0) || options.scale > 1000) {
    return Error(ErrorCode::kInvalidArgument, "--scale must be greater than 0 and at most 1000");
  }
  Plan plan;
  plan.options = options;
  Planner planner(plan.options, &plan);
  TSQ_TRY(planner.Run());
  return plan;
}

}  // namespace tsq::synth
