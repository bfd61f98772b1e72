// Customer-service records: service orders, complaints, appeals to the regulator, hotline calls
// and number-portability requests. Durations follow the figures operators publish (e.g. mobile
// repair ~4 h on average, broadband installs ~10 h, complaints ~26 h), with long tails, a few
// items still open at export, and designed misses for one operator here and there.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "synth/edges.h"
#include "synth/gen_internal.h"

namespace tsq::synth {
namespace {

using enums::OrderKind;
using enums::Service;

constexpr double kSecondsPerHour = 3600.0;
constexpr uint64_t kAppealRegionTag = 0x617070726567ull;  // "appreg"

bool InPeriod(const ChunkWriter& w) { return w.task().span == SpanKind::kPeriod; }

Micros Seconds(double s) { return static_cast<Micros>(std::llround(s)) * kMicrosPerSecond; }

// Ages: most customers 18-64, about one in six 65 or older.
int DrawAge(Rng& rng, double elderly_share) {
  if (rng.Chance(elderly_share)) return static_cast<int>(rng.Range(65, 92));
  return static_cast<int>(std::clamp(std::round(rng.Normal(42, 12)), 18.0, 64.0));
}

int PickOperator(ChunkWriter& w, const double (&shares)[kOperatorCount]) {
  const double u = w.rng().Uniform() * (shares[0] + shares[1] + shares[2]);
  return u < shares[0] ? 0 : (u < shares[0] + shares[1] ? 1 : 2);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// orders

namespace {

constexpr double kPairWeights[counters::kOrderPairCount] = {0.28,  0.12, 0.05,  0.14,  0.12, 0.06,
                                                            0.035, 0.01, 0.005, 0.02,  0.01, 0.005,
                                                            0.04,  0.03, 0.02,  0.005, 0.04};

struct OrderRec {
  Micros t = 0;
  Micros done = 0;  // 0 = still open at export
  int pair = 0;
  int op = 0;
  int region = 0;
  std::string_view county;
  int area = -1;     // 0 urban, 1 rural, -1 not recorded
  int channel = -1;  // -1 not recorded
  int age = -1;
  bool background = false;
};

bool FieldVisit(const OrderPair& p) {
  return p.service != Service::kMobile &&
         (p.kind == OrderKind::kInstall || p.kind == OrderKind::kRepair ||
          p.kind == OrderKind::kMove);
}

// Hours from acceptance to completion for a pair, by operator and area.
double OrderHours(Rng& rng, const OrderPair& p, int op, bool rural) {
  double h = 0;
  const bool quick = p.kind == OrderKind::kChange || p.kind == OrderKind::kRestore;
  if (p.service == Service::kMobile && (quick || p.kind == OrderKind::kInstall)) {
    // Mostly done in the system within seconds (reports give ~0.003 h averages).
    const double u = rng.Uniform();
    h = u < 0.97     ? rng.Exponential(12.0) / kSecondsPerHour
        : u < 0.996  ? rng.LogNormal(0.1, 1.0)
        : u < 0.9995 ? rng.LogNormal(3.0, 0.8)
                     : rng.Uniform(24.5, 60.0);
  } else if (p.service == Service::kMobile) {  // repair
    h = rng.LogNormal(2.2, 1.1);
  } else if (p.service == Service::kBroadband) {
    switch (p.kind) {
      case OrderKind::kInstall:
        h = rng.LogNormal(7.0, 0.8);
        // 联通 installs queue for weeks in places: its timeliness misses 99 %.
        if (op == 1 && rng.Chance(0.022)) h = rng.LogNormal(100.0, 0.3);
        break;
      case OrderKind::kRepair:
        h = rng.Chance(0.004) ? rng.Uniform(30, 80) : rng.LogNormal(2.3, 0.9);
        break;
      case OrderKind::kChange:
        h = rng.LogNormal(2.0, 0.9);
        break;
      default:
        h = rng.LogNormal(10.0, 0.5);
        break;
    }
  } else if (p.service == Service::kFixed) {
    switch (p.kind) {
      case OrderKind::kInstall:
      case OrderKind::kMove:
        h = rng.LogNormal(30.0, 0.6);
        break;
      case OrderKind::kRepair:
        h = rng.LogNormal(4.0, 0.85);
        break;
      default:
        h = rng.Chance(0.9) ? rng.Exponential(30.0) / kSecondsPerHour : rng.LogNormal(0.3, 1.0);
        break;
    }
  } else {  // iptv
    h = p.kind == OrderKind::kInstall  ? rng.LogNormal(20.0, 0.7)
        : p.kind == OrderKind::kRepair ? rng.LogNormal(3.0, 1.0)
                                       : rng.LogNormal(0.5, 1.2);
  }
  if (rural && FieldVisit(p)) h *= 1.3;
  return std::max(h, 1.0 / kSecondsPerHour);
}

}  // namespace

void GenerateOrders(ChunkWriter& w) {
  Rng& rng = w.rng();
  const Plan& plan = w.plan();
  const int32_t off = plan.options.local_offset_s;
  const std::vector<double> pair_cum = Cumulative(kPairWeights);
  const std::vector<Micros> times = DayTimes(w, w.task().rows, Rhythm::kBusiness);
  constexpr double kMobileShare[] = {0.55, 0.25, 0.20};
  constexpr double kBroadbandShare[] = {0.45, 0.25, 0.30};
  constexpr double kFixedShare[] = {0.05, 0.40, 0.55};

  std::vector<OrderRec> recs;
  const auto make = [&](Micros t, int pair) {
    OrderRec r;
    r.t = t;
    r.pair = pair;
    const OrderPair& p = kOrderPairs[pair];
    r.op = PickOperator(w, p.service == Service::kMobile  ? kMobileShare
                           : p.service == Service::kFixed ? kFixedShare
                                                          : kBroadbandShare);
    r.region = PickRegion(w);
    bool urban = true;
    const std::string_view county = PickCounty(w, r.region, &urban);
    if (rng.Chance(0.85)) r.county = county;
    r.area = rng.Chance(0.04) ? -1 : (urban ? 0 : 1);
    if (!rng.Chance(0.03)) {
      constexpr double kChannel[] = {0.40, 0.60, 0.90, 0.95, 1.0};
      r.channel = static_cast<int>(rng.Pick(kChannel));
    }
    if (rng.Chance(0.75)) r.age = DrawAge(rng, 0.16);
    Micros done = t + Seconds(OrderHours(rng, p, r.op, r.area == 1) * kSecondsPerHour);
    if (FieldVisit(p)) {
      // Engineers work 8:00-21:00: a visit due at night happens the next morning.
      const int hour = LocalHour(done, off);
      if (hour >= 21 || hour < 8) {
        const int64_t day = LocalDay(done, off) + (hour >= 21 ? 1 : 0);
        done = day * kMicrosPerDay - static_cast<Micros>(off) * kMicrosPerSecond +
               Seconds(8 * kSecondsPerHour + rng.Uniform(0, 2 * kSecondsPerHour));
      }
    }
    r.done = rng.Chance(0.001) || done > plan.export_time ? 0 : done;
    return r;
  };
  for (const Micros t : times) {
    OrderRec r = make(t, static_cast<int>(rng.Pick(pair_cum)));
    r.background = true;
    recs.push_back(r);
  }
  if (w.task().extras != nullptr) {
    for (const EdgeRow& e : w.task().extras->edges) {
      const int pair = e.code < kEdgeOrderPairs                ? e.code
                       : e.code == kEdgeOrderOpenOverdue       ? 3
                       : e.code == kEdgeOrderOpenRecent        ? 2
                       : e.code == kEdgeOrderCompletedAfterEnd ? 4
                       : e.code == kEdgeOrderIptvOpen          ? 12
                                                               : 0;
      OrderRec r = make(e.time, pair);
      r.channel = e.code % 5;
      r.area = e.code % 2;
      if (e.code < kEdgeOrderPairs) {
        r.done =
            e.time +
            Seconds(rng.Uniform(0.05, 0.5) * kOrderPairs[pair].max_hours * kSecondsPerHour + 60);
      } else if (e.code == kEdgeOrderCompletedAfterEnd) {
        r.done = plan.as_of + 14 * kMicrosPerHour;
      } else if (e.code == kEdgeOrderElderly) {
        r.age = 71;
        r.done = e.time + Seconds(40);
      } else {
        r.done = 0;
      }
      recs.push_back(r);
    }
  }
  std::stable_sort(recs.begin(), recs.end(),
                   [](const OrderRec& a, const OrderRec& b) { return a.t < b.t; });

  int64_t background = 0;
  uint64_t seq = 0;
  auto& k = w.stats().counters;
  for (const OrderRec& r : recs) {
    const OrderPair& p = kOrderPairs[r.pair];
    RowBuilder& row = w.NewRow();
    w.SetId(col::orders::kOrderId, Operator(r.op).code, r.t, ++seq, 6);
    row.Set(col::orders::kOperator, Operator(r.op).name);
    row.Set(col::orders::kRegion, Region(r.region).name);
    if (!r.county.empty()) row.Set(col::orders::kCounty, r.county);
    row.Set(col::orders::kService,
            EnumText(RecordType::kOrders, col::orders::kService, static_cast<int>(p.service)));
    row.Set(col::orders::kKind,
            EnumText(RecordType::kOrders, col::orders::kKind, static_cast<int>(p.kind)));
    w.SetTime(col::orders::kAcceptedAt, r.t);
    if (r.done != 0) w.SetTime(col::orders::kCompletedAt, r.done);
    if (r.channel >= 0) {
      row.Set(col::orders::kChannel,
              EnumText(RecordType::kOrders, col::orders::kChannel, r.channel));
    }
    if (r.age >= 0) w.SetInt(col::orders::kCustomerAge, r.age);
    if (r.area >= 0) {
      row.Set(col::orders::kAreaType,
              EnumText(RecordType::kOrders, col::orders::kAreaType, r.area));
    }
    if (!w.Emit(r.background ? background++ : -1, r.t) || !InPeriod(w)) continue;
    const Micros limit = static_cast<Micros>(p.max_hours * 3600) * kMicrosPerSecond;
    k[counters::OrderIndex(r.op, r.pair, 0)]++;
    if (r.done != 0) {
      k[counters::OrderIndex(r.op, r.pair, 1)]++;
      k[counters::OrderIndex(r.op, r.pair, 2)] += limit > 0 && r.done - r.t <= limit ? 1 : 0;
      k[counters::OrderIndex(r.op, r.pair, 4)] += (r.done - r.t) / kMicrosPerSecond;
    } else {
      k[counters::OrderIndex(r.op, r.pair, 3)] += limit > 0 && plan.as_of - r.t > limit ? 1 : 0;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// complaints

namespace {
constexpr double kComplaintCategories[] = {0.24, 0.12, 0.15, 0.10, 0.04,
                                           0.12, 0.06, 0.07, 0.02, 0.08};
}  // namespace

void GenerateComplaints(ChunkWriter& w) {
  Rng& rng = w.rng();
  const Plan& plan = w.plan();
  const std::vector<double> cat_cum = Cumulative(kComplaintCategories);
  constexpr double kShare[] = {0.55, 0.25, 0.20};
  constexpr double kChannel[] = {0.55, 0.70, 0.80, 0.85, 0.89, 0.93};  // last 7 %: none
  struct Rec {
    Micros t, done;
    int op, region, channel, category, age, resolved, satisfied;
    bool background;
  };
  std::vector<Rec> recs;
  const auto make = [&](Micros t) {
    Rec r{};
    r.t = t;
    r.op = PickOperator(w, kShare);
    r.region = rng.Chance(0.05) ? -1 : PickRegion(w);
    const double c = rng.Uniform();
    r.channel = -1;
    for (int i = 0; i < 6; ++i) {
      if (c < kChannel[i]) {
        r.channel = i;
        break;
      }
    }
    r.category = static_cast<int>(rng.Pick(cat_cum));
    r.age = rng.Chance(0.5) ? DrawAge(rng, 0.15) : -1;
    if (r.category == static_cast<int>(enums::Category::kElderly) && r.age >= 0) {
      r.age = static_cast<int>(rng.Range(65, 90));
    }
    double hours = rng.LogNormal(14.0, 1.1);
    // 联通 lets some complaints run past the 15-day limit: its timeliness misses 99 %.
    if (rng.Chance(r.op == 1 ? 0.016 : 0.0015)) hours = rng.Uniform(365, 600);
    const Micros done = t + Seconds(hours * kSecondsPerHour);
    r.done = rng.Chance(0.003) || done > plan.export_time ? 0 : done;
    r.resolved = -1;
    r.satisfied = -1;
    if (r.done != 0) {
      const double u = rng.Uniform();
      r.resolved = u < 0.89 ? 1 : (u < 0.98 ? 0 : -1);
      if (rng.Chance(0.55)) r.satisfied = rng.Chance(r.resolved == 0 ? 0.45 : 0.93) ? 1 : 0;
    }
    r.background = false;
    return r;
  };
  for (const Micros t : DayTimes(w, w.task().rows, Rhythm::kBusiness)) {
    Rec r = make(t);
    r.background = true;
    recs.push_back(r);
  }
  if (w.task().extras != nullptr) {
    for (const EdgeRow& e : w.task().extras->edges) {
      Rec r = make(e.time);
      if (e.code < 10) {
        r.category = e.code;
        r.channel = e.code % 6;
        r.satisfied = e.code % 2;
        r.resolved = 1;
        r.done = e.time + Seconds(rng.Uniform(2, 40) * kSecondsPerHour);
      } else if (e.code == 10) {
        r.channel = -1;
      } else if (e.code == 11) {
        r.category = static_cast<int>(enums::Category::kElderly);
        r.age = 70;
      } else {
        r.done = 0;
        r.resolved = -1;
        r.satisfied = -1;
      }
      recs.push_back(r);
    }
  }
  std::stable_sort(recs.begin(), recs.end(), [](const Rec& a, const Rec& b) { return a.t < b.t; });
  int64_t background = 0;
  uint64_t seq = 0;
  auto& k = w.stats().counters;
  const Micros limit = 360 * kMicrosPerHour;
  for (const Rec& r : recs) {
    RowBuilder& row = w.NewRow();
    std::string prefix(Operator(r.op).code);
    prefix += "TS";
    w.SetId(col::complaints::kComplaintId, prefix, r.t, ++seq, 5);
    row.Set(col::complaints::kOperator, Operator(r.op).name);
    if (r.region >= 0) row.Set(col::complaints::kRegion, Region(r.region).name);
    if (r.channel >= 0) {
      row.Set(col::complaints::kChannel,
              EnumText(RecordType::kComplaints, col::complaints::kChannel, r.channel));
    }
    row.Set(col::complaints::kCategory,
            EnumText(RecordType::kComplaints, col::complaints::kCategory, r.category));
    w.SetTime(col::complaints::kReceivedAt, r.t);
    if (r.done != 0) w.SetTime(col::complaints::kClosedAt, r.done);
    if (r.resolved >= 0)
      row.Set(col::complaints::kResolved, BoolText(r.resolved, BoolStyle::kWord));
    if (r.satisfied >= 0) {
      row.Set(col::complaints::kSatisfied, BoolText(r.satisfied, BoolStyle::kWord));
    }
    if (r.age >= 0) w.SetInt(col::complaints::kCustomerAge, r.age);
    if (!w.Emit(r.background ? background++ : -1, r.t) || !InPeriod(w)) continue;
    const int base = r.op * counters::kComplaintFields;
    k[base]++;
    if (r.done != 0) {
      k[base + 1]++;
      k[base + 2] += r.done - r.t <= limit ? 1 : 0;
    } else {
      k[base + 3] += plan.as_of - r.t > limit ? 1 : 0;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// appeals

namespace {
constexpr double kAppealCategories[] = {0.12, 0.08, 0.18, 0.22, 0.06, 0.16, 0.04, 0.06, 0.02, 0.06};
}  // namespace

void GenerateAppeals(ChunkWriter& w) {
  Rng& rng = w.rng();
  const Plan& plan = w.plan();
  const std::vector<double> cat_cum = Cumulative(kAppealCategories);
  constexpr double kShare[] = {0.46, 0.30, 0.24};
  struct Rec {
    Micros t, done;
    int op, category, outcome;  // outcome -1 = pending / none
    bool accepted, background;
  };
  std::vector<Rec> recs;
  const auto make = [&](Micros t) {
    Rec r{};
    r.t = t;
    r.op = PickOperator(w, kShare);
    r.category = static_cast<int>(rng.Pick(cat_cum));
    r.accepted = rng.Chance(0.94);
    r.outcome = -1;
    r.done = 0;
    if (r.accepted) {
      const Micros done =
          t + Seconds(std::min(30.0, rng.LogNormal(8.0, 0.6)) * 24 * kSecondsPerHour);
      if (done <= plan.export_time) {
        r.done = done;
        const double u = rng.Uniform();
        r.outcome = u < 0.62 ? 0 : (u < 0.89 ? 1 : 2);
      }
    } else if (rng.Chance(0.7)) {
      const Micros done = t + Seconds(rng.Uniform(1, 5) * 24 * kSecondsPerHour);
      if (done <= plan.export_time) r.done = done;
    }
    return r;
  };
  for (const Micros t : DayTimes(w, w.task().rows, Rhythm::kOffice)) {
    Rec r = make(t);
    r.background = true;
    recs.push_back(r);
  }
  if (w.task().extras != nullptr) {
    for (const EdgeRow& e : w.task().extras->edges) {
      Rec r = make(e.time);
      r.category = e.code % 10;
      r.accepted = e.code < 12;
      r.outcome = e.code < 12 && e.code % 4 < 3 ? e.code % 4 : -1;
      r.done = r.outcome >= 0 ? e.time + 6 * kMicrosPerDay : 0;
      recs.push_back(r);
    }
  }
  std::stable_sort(recs.begin(), recs.end(), [](const Rec& a, const Rec& b) { return a.t < b.t; });
  int64_t background = 0;
  uint64_t seq = 0;
  auto& k = w.stats().counters;
  const int span = static_cast<int>(w.task().span);
  for (const Rec& r : recs) {
    RowBuilder& row = w.NewRow();
    w.SetId(col::appeals::kAppealId, "SS", r.t, ++seq, 5);
    row.Set(col::appeals::kOperator, Operator(r.op).name);
    row.Set(col::appeals::kCategory,
            EnumText(RecordType::kAppeals, col::appeals::kCategory, r.category));
    w.SetTime(col::appeals::kReceivedAt, r.t);
    row.Set(col::appeals::kAccepted, BoolText(r.accepted, BoolStyle::kWord));
    if (r.outcome >= 0) {
      row.Set(col::appeals::kOutcome,
              EnumText(RecordType::kAppeals, col::appeals::kOutcome, r.outcome));
    }
    if (r.done != 0) w.SetTime(col::appeals::kClosedAt, r.done);
    // The user's region, drawn by population from its own stream so that the rest of the
    // appeals stay as they were before the contract had a region for them.
    Rng region_rng(
        DeriveSeed(plan.options.seed, kAppealRegionTag, static_cast<uint64_t>(r.t) ^ seq));
    row.Set(col::appeals::kRegion,
            Region(static_cast<int>(w.world().region_share.Sample(region_rng))).name);
    if (!w.Emit(r.background ? background++ : -1, r.t)) continue;
    k[counters::AppealIndex(span, r.op, 0)]++;
    k[counters::AppealIndex(span, r.op, 1)] += r.accepted ? 1 : 0;
    k[counters::AppealIndex(span, r.op, 2)] += r.accepted && r.outcome == 0 ? 1 : 0;
  }
}

// ---------------------------------------------------------------------------------------------
// hotline

void GenerateHotline(ChunkWriter& w) {
  Rng& rng = w.rng();
  const Plan& plan = w.plan();
  const int32_t off = plan.options.local_offset_s;
  constexpr double kShare[] = {0.55, 0.25, 0.20};
  // Mean queue wait (s) at a quiet hour; it grows steeply with the load of the hour.
  constexpr double kBaseWait[] = {9.0, 10.5, 12.0};
  constexpr double kLoad[24] = {0.06, 0.03, 0.02, 0.02, 0.02, 0.03, 0.09, 0.27,
                                0.63, 0.92, 1.00, 0.92, 0.67, 0.77, 0.92, 0.90,
                                0.83, 0.73, 0.56, 0.50, 0.48, 0.40, 0.25, 0.13};
  const int incident_month = HotlineIncidentMonth(plan);
  struct Rec {
    Micros t, requested, answered, ended;
    int op, age, fast;  // fast: 1 fast lane, 0 not, -1 not recorded
    bool background;
  };
  std::vector<Rec> recs;
  const auto make = [&](Micros t, int forced) {
    Rec r{};
    r.t = t;
    r.op = PickOperator(w, kShare);
    const bool elderly = forced == 1 || forced == 2 || rng.Chance(0.15);
    const int age = elderly ? static_cast<int>(rng.Range(65, 92)) : DrawAge(rng, 0.0);
    r.age = rng.Chance(0.55) || forced == 1 ? age : -1;
    const bool fast = forced == 1 || forced == 2 || (elderly && forced < 0 && rng.Chance(0.6));
    r.fast = rng.Chance(0.08) && forced < 0 ? -1 : (fast ? 1 : 0);
    const bool self_service = forced == 0 || (forced < 0 && !fast && rng.Chance(0.35));
    if (self_service) {
      r.ended = t + Seconds(rng.LogNormal(90, 0.6) + 5);
      return r;
    }
    r.requested = t + Seconds(fast ? rng.Uniform(2, 5) : rng.LogNormal(35, 0.5) + 3);
    const bool incident =
        r.op == 2 && w.task().span == SpanKind::kPeriod && PeriodMonth(plan, t) == incident_month;
    const double load = kLoad[LocalHour(t, off)];
    const double mean = kBaseWait[r.op] * (1.0 + 1.5 * load * load * load) *
                        (incident ? 3.2 : 1.0) * (fast ? 0.25 : 1.0);
    double wait = std::round(rng.Exponential(mean));
    double patience = rng.Exponential(150.0);
    switch (forced) {
      case 1:
        wait = 3;
        patience = 600;
        break;
      case 2:
        wait = 100;
        patience = 20;
        break;
      case 3:
        wait = 9;
        patience = 600;
        break;
      case 4:
        wait = 41;
        patience = 600;
        break;
      case 5:
        wait = 200;
        patience = 75;
        break;
      default:
        break;
    }
    if (wait <= patience) {
      r.answered = r.requested + Seconds(wait);
      r.ended = r.answered + Seconds(rng.LogNormal(200, 0.8));
    } else {
      r.ended = r.requested + Seconds(patience + 1);
    }
    return r;
  };
  for (const Micros t : DayTimes(w, w.task().rows, Rhythm::kHotline)) {
    Rec r = make(t, -1);
    r.background = true;
    recs.push_back(r);
  }
  if (w.task().extras != nullptr) {
    for (const EdgeRow& e : w.task().extras->edges) recs.push_back(make(e.time, e.code));
  }
  std::stable_sort(recs.begin(), recs.end(), [](const Rec& a, const Rec& b) { return a.t < b.t; });
  int64_t background = 0;
  uint64_t seq = 0;
  auto& k = w.stats().counters;
  for (const Rec& r : recs) {
    RowBuilder& row = w.NewRow();
    std::string prefix(Operator(r.op).hotline);
    prefix += '-';
    w.SetId(col::hotline::kCallId, prefix, r.t, ++seq, 6);
    row.Set(col::hotline::kOperator, Operator(r.op).name);
    w.SetTime(col::hotline::kArrivedAt, r.t);
    if (r.requested != 0) w.SetTime(col::hotline::kHumanRequestedAt, r.requested);
    if (r.answered != 0) w.SetTime(col::hotline::kAnsweredAt, r.answered);
    w.SetTime(col::hotline::kEndedAt, r.ended);
    if (r.fast >= 0) row.Set(col::hotline::kElderlyFastLane, BoolText(r.fast, BoolStyle::kLetter));
    if (r.age >= 0) w.SetInt(col::hotline::kCallerAge, r.age);
    if (!w.Emit(r.background ? background++ : -1, r.t) || !InPeriod(w)) continue;
    if (r.requested == 0) continue;
    const int month = PeriodMonth(plan, r.t);
    k[counters::HotlineIndex(r.op, month, 0)]++;
    if (r.answered != 0) {
      const int64_t response = (r.answered - r.requested) / kMicrosPerSecond;
      k[counters::HotlineIndex(r.op, month, 1)]++;
      k[counters::HotlineIndex(r.op, month, 2)] += response;
      k[counters::HotlineIndex(r.op, month, 3)] += response <= 15 ? 1 : 0;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// porting

void GeneratePorting(ChunkWriter& w) {
  Rng& rng = w.rng();
  const Plan& plan = w.plan();
  // Flows between operators: (from, to, weight). 移动 loses most, mostly to 电信.
  constexpr int kFlows[6][2] = {{0, 1}, {0, 2}, {1, 0}, {1, 2}, {2, 0}, {2, 1}};
  constexpr double kFlowCum[6] = {0.25, 0.55, 0.70, 0.80, 0.92, 1.0};
  constexpr double kReasonWeights[kRejectReasonCount] = {0.30, 0.22, 0.12, 0.06, 0.05,
                                                         0.10, 0.06, 0.04, 0.05};
  const std::vector<double> reason_cum = Cumulative(kReasonWeights);
  enum Status { kCompleted, kRejected, kCancelled, kPending };
  struct Rec {
    Micros t, done;
    int from, to, status, reason;
    uint64_t msisdn;
    bool background;
  };
  std::vector<Rec> recs;
  const auto make = [&](Micros t) {
    Rec r{};
    r.t = t;
    const size_t f = rng.Pick(kFlowCum);
    r.from = kFlows[f][0];
    r.to = kFlows[f][1];
    r.msisdn = MobileNumber(r.from, 60'000'000 + rng.Below(39'000'000));
    r.reason = -1;
    const double u = rng.Uniform();
    if (u < 0.12) {
      r.status = kRejected;
      // A few rejections reach the export without a reason (a blank reject_reason).
      r.reason = rng.Chance(0.05) ? -1 : static_cast<int>(rng.Pick(reason_cum));
      // Some systems stamp the rejection decision as the completion time.
      if (rng.Chance(0.25)) r.done = t + Seconds(rng.Uniform(0.5, 20) * kSecondsPerHour);
    } else if (u < 0.18) {
      r.status = kCancelled;
    } else if (u < 0.183) {
      r.status = kPending;  // stuck in the clearing house
    } else {
      // 移动 is slow to release numbers: its port-outs miss the 24 h limit more often.
      const double hours = r.from == 0 ? rng.LogNormal(3.0, 1.25) : rng.LogNormal(2.0, 0.85);
      const Micros done = t + Seconds(hours * kSecondsPerHour);
      if (done > plan.export_time) {
        r.status = kPending;
      } else {
        r.status = kCompleted;
        r.done = done;
      }
    }
    return r;
  };
  for (const Micros t : DayTimes(w, w.task().rows, Rhythm::kBusiness)) {
    Rec r = make(t);
    r.background = true;
    recs.push_back(r);
  }
  if (w.task().extras != nullptr) {
    for (const EdgeRow& e : w.task().extras->edges) {
      Rec r = make(e.time);
      r.reason = -1;
      r.done = 0;
      if (e.code == 0 || e.code == 2) {
        r.status = kCompleted;
        r.done = e.time + Seconds((e.code == 0 ? 2.0 : 30.0) * kSecondsPerHour);
      } else if (e.code == 1) {
        r.status = kCancelled;
      } else if (e.code < kEdgePorting) {
        r.status = kRejected;
        r.reason = e.code - 3;
      } else {
        r.status = kPending;
      }
      recs.push_back(r);
    }
  }
  std::stable_sort(recs.begin(), recs.end(), [](const Rec& a, const Rec& b) { return a.t < b.t; });
  int64_t background = 0;
  uint64_t seq = 0;
  auto& k = w.stats().counters;
  const Micros limit = 24 * kMicrosPerHour;
  for (const Rec& r : recs) {
    RowBuilder& row = w.NewRow();
    w.SetId(col::porting::kRequestId, "NP", r.t, ++seq, 5);
    w.SetUint(col::porting::kMsisdn, r.msisdn);
    row.Set(col::porting::kFromOperator, Operator(r.from).name);
    row.Set(col::porting::kToOperator, Operator(r.to).name);
    w.SetTime(col::porting::kRequestedAt, r.t);
    if (r.done != 0) w.SetTime(col::porting::kCompletedAt, r.done);
    row.Set(col::porting::kStatus, EnumText(RecordType::kPorting, col::porting::kStatus, r.status));
    if (r.reason >= 0) row.Set(col::porting::kRejectReason, kRejectReasons[r.reason]);
    if (!w.Emit(r.background ? background++ : -1, r.t) || !InPeriod(w)) continue;
    const int base = r.from * counters::kPortingFields;
    k[base]++;
    if (r.status == kCompleted && r.done != 0) {
      k[base + 1]++;
      k[base + 2] += r.done - r.t <= limit ? 1 : 0;
    }
    if (r.status == kPending) {
      k[base + 3]++;
      k[base + 4] += plan.as_of - r.t > limit ? 1 : 0;
    }
    k[base + 5] += r.status == kRejected ? 1 : 0;
    k[base + 6] += r.status == kCancelled ? 1 : 0;
  }
}

// ---------------------------------------------------------------------------------------------
// subscribers

// The province's user base at the end of one month (the task's), per operator and region. The
// counts follow the simulated population: a sampled subscriber stands for kUsersPerSubscriber
// mobile users and a home line for kUsersPerLine broadband users, so that at scale 1 the
// province is about Jilin's size (≈ 27 M mobile users) and the per-million appeal rates come out
// as Jilin's appeals give them. Everything grows slowly month by month from a fixed epoch, so a
// month's figures do not depend on which period was generated.
void GenerateSubscribers(ChunkWriter& w) {
  constexpr double kUsersPerSubscriber = 16'000;
  constexpr double kUsersPerLine = 1'700;
  constexpr double kFixedPerMobile[kOperatorCount] = {0.04, 0.12, 0.16};  // 移动, 联通, 电信
  constexpr double kRegistered5g[kOperatorCount] = {0.63, 0.58, 0.61};    // in January 2022
  const World& world = w.world();
  const CivilDate month = CivilFromDays(w.task().day);
  const double months = (month.year - 2020) * 12.0 + (month.month - 1);  // since January 2020
  const double growth = 1.0 + 0.0025 * months;

  struct Tally {
    uint64_t subscribers = 0, five_g = 0, lines = 0, lines_100m = 0;
  };
  std::array<Tally, kOperatorCount * kRegionCount> tally{};
  for (const Subscriber& s : world.subscribers) {
    Tally& t = tally[s.op * kRegionCount + s.region];
    ++t.subscribers;
    t.five_g += s.five_g;
  }
  for (const BroadbandLine& l : world.lines) {
    Tally& t = tally[l.op * kRegionCount + l.region];
    ++t.lines;
    t.lines_100m += l.plan_down >= 100 ? 1 : 0;
  }
  const std::string month_text = fmt::format("{:04d}-{:02d}", month.year, month.month);
  int64_t background = 0;
  for (int op = 0; op < kOperatorCount; ++op) {
    for (int region = 0; region < kRegionCount; ++region) {
      const Tally& t = tally[op * kRegionCount + region];
      const auto round = [](double v) { return static_cast<int64_t>(std::llround(v)); };
      const int64_t mobile = round(t.subscribers * kUsersPerSubscriber * growth);
      const int64_t broadband = round(t.lines * kUsersPerLine * growth);
      const double five_g_share =
          t.subscribers > 0 ? static_cast<double>(t.five_g) / t.subscribers : 0;
      const int64_t terminal_5g =
          round(mobile * std::min(0.95, five_g_share * (1.0 + 0.01 * (months - 24))));
      const double registered = std::clamp(kRegistered5g[op] + 0.004 * (months - 24), 0.0, 0.95);
      RowBuilder& row = w.NewRow();
      row.Set(col::subscribers::kOperator, Operator(op).name);
      row.Set(col::subscribers::kRegion, Region(region).name);
      row.Set(col::subscribers::kMonth, month_text);
      w.SetInt(col::subscribers::kMobileUsers, mobile);
      w.SetInt(col::subscribers::kFixedUsers, round(mobile * kFixedPerMobile[op]));
      w.SetInt(col::subscribers::kBroadbandUsers, broadband);
      w.SetInt(col::subscribers::kBroadband100mUsers,
               t.lines > 0 ? round(broadband * static_cast<double>(t.lines_100m) / t.lines) : 0);
      w.SetInt(col::subscribers::kTerminal5gUsers, terminal_5g);
      w.SetInt(col::subscribers::kRegistered5gUsers, round(terminal_5g * registered));
      w.Emit(background++, w.task().day_start);
    }
  }
}

}  // namespace tsq::synth
