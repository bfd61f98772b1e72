// Short messages (delays mostly seconds with a tail of phones that were off, spam from the
// planted mass callers mostly blocked) and charge records (bill runs on the 1st, errors at the
// 1e-5..1e-4 level, with 联通 above the 1e-4 target).
#include <algorithm>
#include <cmath>

#include "synth/edges.h"
#include "synth/gen_internal.h"

namespace tsq::synth {
namespace {}  // namespace

void GenerateSms(ChunkWriter& w) {
  Rng& rng = w.rng();
  const World& world = w.world();
  const Plan& plan = w.plan();
  enum Status { kDelivered, kFailed, kBlocked };
  struct Rec {
    Micros t, delivered;
    uint64_t sender, receiver;
    int op, region, status;
    bool background;
  };
  std::vector<Rec> recs;
  recs.reserve(w.task().rows + 16);
  const auto delay = [&]() {
    const double u = rng.Uniform();
    const double s = u < 0.90    ? rng.Uniform(1, 5)
                     : u < 0.98  ? rng.Uniform(5, 60)
                     : u < 0.998 ? rng.Uniform(60, 1800)
                                 : rng.Uniform(1800, 4 * 86400.0);  // handset off for days
    return static_cast<Micros>(s * 1000) * 1000;
  };
  const auto finish = [&](Rec* r) {
    r->delivered = 0;
    if (r->status == kDelivered) {
      const Micros d = r->t + delay();
      if (d <= plan.export_time) r->delivered = d;
    }
    // 电信's SMS centre exports milliseconds.
    if (r->op != 2) {
      r->t -= r->t % kMicrosPerSecond;
      if (r->delivered != 0) {
        r->delivered -= r->delivered % kMicrosPerSecond;
        r->delivered = std::max(r->delivered, r->t);
      }
    }
  };
  const auto background = [&](Micros t) {
    const auto s = static_cast<uint32_t>(world.subscriber_activity.Sample(rng));
    const Subscriber& sub = world.subscribers[s];
    Rec r{};
    r.t = t + static_cast<Micros>(rng.Below(1000)) * 1000;
    r.sender = sub.number;
    r.op = sub.op;
    r.region = rng.Chance(0.04) ? -1 : sub.region;
    const double u = rng.Uniform();
    uint32_t to = kNoSubscriber;
    if (u < 0.4) {
      to = world.Contact(s, static_cast<uint32_t>(rng.Below(sub.contacts)));
    } else if (u < 0.5) {
      to = static_cast<uint32_t>(rng.Below(world.subscribers.size()));
    }
    r.receiver = to != kNoSubscriber ? world.subscribers[to].number : RandomOutsideNumber(rng);
    const double v = rng.Uniform();
    r.status = v < 0.976 ? kDelivered : (v < 0.992 ? kFailed : kBlocked);
    return r;
  };
  for (const Micros t : DayTimes(w, w.task().rows, Rhythm::kSms)) {
    Rec r = background(t);
    r.background = true;
    finish(&r);
    recs.push_back(r);
  }
  if (w.task().extras != nullptr) {
    for (const EdgeRow& e : w.task().extras->edges) {
      Rec r = background(e.time);
      r.status = e.code;
      finish(&r);
      recs.push_back(r);
    }
    for (const auto& [ci, n] : w.task().extras->callers) {
      const PlannedCaller& pc = plan.callers[ci];
      const double blocked = pc.p_sms_blocked >= 0                 ? pc.p_sms_blocked
                             : pc.kind == CallerKind::kMassCalling ? 0.85
                                                                   : 0.6;
      for (uint32_t i = 0; i < n; ++i) {
        Rec r{};
        r.t =
            w.task().day_start + static_cast<Micros>(rng.Uniform(9, 20) * 3600) * kMicrosPerSecond;
        r.sender = pc.number;
        r.op = pc.op;
        r.region = pc.region;
        r.receiver = rng.Chance(0.3) ? world.subscribers[rng.Below(world.subscribers.size())].number
                                     : RandomOutsideNumber(rng);
        r.status = rng.Chance(blocked) ? kBlocked : kDelivered;
        finish(&r);
        recs.push_back(r);
      }
    }
  }
  // Background rows come in time order up to their milliseconds: sort the two parts apart (the
  // first is nearly sorted) and merge.
  const auto by_time = [](const Rec& a, const Rec& b) { return a.t < b.t; };
  const auto planted = recs.begin() + w.task().rows;
  std::stable_sort(recs.begin(), planted, by_time);
  std::stable_sort(planted, recs.end(), by_time);
  std::inplace_merge(recs.begin(), planted, recs.end(), by_time);
  int64_t bg = 0;
  auto& k = w.stats().counters;
  for (const Rec& r : recs) {
    RowBuilder& row = w.NewRow();
    const bool millis = r.op == 2;
    w.SetTime(col::sms::kSentAt, r.t, millis);
    w.SetUint(col::sms::kSender, r.sender);
    w.SetUint(col::sms::kReceiver, r.receiver);
    row.Set(col::sms::kOperator, Operator(r.op).name);
    if (r.region >= 0) row.Set(col::sms::kRegion, Region(r.region).name);
    if (r.delivered != 0) w.SetTime(col::sms::kDeliveredAt, r.delivered, millis);
    row.Set(col::sms::kStatus, EnumText(RecordType::kSms, col::sms::kStatus, r.status));
    if (!w.Emit(r.background ? bg++ : -1, r.t) || w.task().span != SpanKind::kPeriod) continue;
    const int base = r.op * counters::kSmsFields;
    k[base]++;
    k[base + 1 + r.status]++;
  }
}

void GenerateBilling(ChunkWriter& w) {
  Rng& rng = w.rng();
  constexpr double kServiceCum[] = {0.70, 0.90, 0.96, 1.0};
  constexpr double kShares[4][kOperatorCount] = {
      {0.55, 0.25, 0.20}, {0.45, 0.25, 0.30}, {0.05, 0.40, 0.55}, {0.45, 0.25, 0.30}};
  // Verified billing errors per record: 移动 and 电信 within 1e-4, 联通 above it.
  constexpr double kErrorRate[] = {3e-5, 2.5e-4, 5e-5};
  constexpr std::string_view kRemarks[4][2] = {{"套餐月租", "流量包"},
                                               {"宽带包月", "宽带提速包"},
                                               {"固话月租", "长途话费"},
                                               {"IPTV点播", "IPTV月租"}};
  struct Rec {
    Micros t;
    double amount;
    int op, region, service, remark;
    bool error, background;
  };
  std::vector<Rec> recs;
  const auto make = [&](Micros t, int service) {
    Rec r{};
    r.t = t;
    r.service = service;
    const double* s = kShares[service];
    const double u = rng.Uniform();
    r.op = u < s[0] ? 0 : (u < s[0] + s[1] ? 1 : 2);
    r.region = rng.Chance(0.03) ? -1 : PickRegion(w);
    switch (service) {
      case 0:
        r.amount = rng.LogNormal(58, 0.6);
        break;
      case 1:
        r.amount = rng.LogNormal(100, 0.3);
        break;
      case 2:
        r.amount = rng.LogNormal(20, 0.5);
        break;
      default:
        r.amount = rng.LogNormal(15, 0.4);
        break;
    }
    if (rng.Chance(0.003)) r.amount = -rng.Uniform(5, 50);  // refunds and adjustments
    r.amount = RoundTo(r.amount, 2);
    r.remark = static_cast<int>(rng.Below(2));
    r.error = rng.Chance(kErrorRate[r.op]);
    return r;
  };
  for (const Micros t : DayTimes(w, w.task().rows, Rhythm::kBillRun)) {
    Rec r = make(t, static_cast<int>(rng.Pick(kServiceCum)));
    r.background = true;
    recs.push_back(r);
  }
  if (w.task().extras != nullptr) {
    for (const EdgeRow& e : w.task().extras->edges) {
      Rec r = make(e.time, e.code % 4);
      if (e.code == 4) {
        r.op = 1;
        r.error = true;
      }
      recs.push_back(r);
    }
  }
  std::stable_sort(recs.begin(), recs.end(), [](const Rec& a, const Rec& b) { return a.t < b.t; });
  int64_t bg = 0;
  uint64_t seq = 0;
  auto& k = w.stats().counters;
  const int remark_field = w.plan().files[w.task().file].layout.contract_columns;
  for (const Rec& r : recs) {
    RowBuilder& row = w.NewRow();
    std::string prefix = "B";
    prefix += Operator(r.op).code;
    w.SetId(col::billing::kRecordId, prefix, r.t, ++seq, 7);
    row.Set(col::billing::kOperator, Operator(r.op).name);
    if (r.region >= 0) row.Set(col::billing::kRegion, Region(r.region).name);
    row.Set(col::billing::kService,
            EnumText(RecordType::kBilling, col::billing::kService, r.service));
    w.SetTime(col::billing::kChargedAt, r.t);
    w.SetFixed(col::billing::kAmountCny, r.amount, 2);
    // 联通's export writes lower-case y/n; the contract takes any case.
    row.Set(col::billing::kError, r.op == 1 ? (r.error ? "y" : "n") : (r.error ? "Y" : "N"));
    row.Set(remark_field, kRemarks[r.service][r.remark]);
    if (!w.Emit(r.background ? bg++ : -1, r.t) || w.task().span != SpanKind::kPeriod) continue;
    k[r.op * counters::kBillingFields]++;
    k[r.op * counters::kBillingFields + 1] += r.error ? 1 : 0;
  }
}

}  // namespace tsq::synth
