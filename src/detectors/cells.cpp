#include "detectors/cells.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include "core/threads.h"

namespace tsq {
namespace {

// A judged sample: one test, or the mean of one device's tests of one day.
struct Sample {
  double down = 0;
  double rsrp = NAN;
  double sinr = NAN;
};

std::vector<Sample> SamplesOf(const std::vector<CellTest>& tests, bool one_per_device_day) {
  std::vector<Sample> out;
  if (!one_per_device_day) {
    out.reserve(tests.size());
    for (const CellTest& t : tests) out.push_back({t.down_mbps, t.rsrp_dbm, t.sinr_db});
    return out;
  }
  struct Sums {
    double down = 0, rsrp = 0, sinr = 0;
    uint32_t n = 0, n_rsrp = 0, n_sinr = 0;
  };
  // Ordered by (device, day) so the samples come out the same whatever the input order.
  std::map<std::pair<uint32_t, int32_t>, Sums> days;
  for (const CellTest& t : tests) {
    if (t.device == 0) {  // no device id: the test stands alone
      out.push_back({t.down_mbps, t.rsrp_dbm, t.sinr_db});
      continue;
    }
    Sums& s = days[{t.device, t.day}];
    s.down += t.down_mbps;
    ++s.n;
    if (!std::isnan(t.rsrp_dbm)) {
      s.rsrp += t.rsrp_dbm;
      ++s.n_rsrp;
    }
    if (!std::isnan(t.sinr_db)) {
      s.sinr += t.sinr_db;
      ++s.n_sinr;
    }
  }
  for (const auto& [key, s] : days) {
    out.push_back({s.down / s.n, s.n_rsrp > 0 ? s.rsrp / s.n_rsrp : NAN,
                   s.n_sinr > 0 ? s.sinr / s.n_sinr : NAN});
  }
  return out;
}

std::optional<bool> IsBad(const Sample& s, bool five_g, const CellRule& rule) {
  if (!rule.by_signal) {
    return s.down < (five_g ? rule.bad_down_mbps_5g : rule.bad_down_mbps_4g);
  }
  if (std::isnan(s.rsrp) && std::isnan(s.sinr)) return std::nullopt;
  return (!std::isnan(s.rsrp) && s.rsrp < rule.bad_rsrp_dbm) ||
         (!std::isnan(s.sinr) && s.sinr < rule.bad_sinr_db);
}

double MeanShare(const std::vector<double>& shares) {
  double sum = 0;
  for (double s : shares) sum += s;
  return shares.empty() ? 0 : sum / static_cast<double>(shares.size());
}

}  // namespace

std::optional<bool> IsBadTest(const CellTest& t, bool five_g, const CellRule& rule) {
  return IsBad({t.down_mbps, t.rsrp_dbm, t.sinr_db}, five_g, rule);
}

const char* RemediationName(Remediation r) {
  switch (r) {
    case Remediation::kRemediated:
      return "remediated";
    case Remediation::kStillPoor:
      return "still_poor";
    case Remediation::kUnverified:
      return "unverified";
  }
  return "";
}

CellFigures JudgeCell(const std::vector<CellTest>& tests, bool five_g, const CellRule& rule) {
  CellFigures f;
  f.tests = tests.size();
  std::vector<uint32_t> devices;
  devices.reserve(tests.size());
  double lat = 0;
  double lon = 0;
  for (const CellTest& t : tests) {
    if (t.device != 0) devices.push_back(t.device);
    lat += t.lat;
    lon += t.lon;
  }
  std::sort(devices.begin(), devices.end());
  f.devices = static_cast<uint64_t>(std::unique(devices.begin(), devices.end()) - devices.begin());
  if (!tests.empty()) {
    f.lat = lat / static_cast<double>(tests.size());
    f.lon = lon / static_cast<double>(tests.size());
  }
  std::vector<double> downs;
  for (const Sample& s : SamplesOf(tests, rule.one_per_device_day)) {
    downs.push_back(s.down);
    const std::optional<bool> bad = IsBad(s, five_g, rule);
    if (!bad) continue;
    ++f.samples;
    if (*bad) ++f.bad;
  }
  if (!downs.empty()) {
    std::sort(downs.begin(), downs.end());
    f.median_down_mbps = PercentileInc(downs, 0.5);
    f.p10_down_mbps = PercentileInc(downs, 0.1);
  }
  if (f.samples == 0) return f;
  f.bad_share = static_cast<double>(f.bad) / static_cast<double>(f.samples);
  f.bounds = WilsonInterval(f.bad, f.samples, rule.z);
  f.measured = f.samples >= rule.min_tests;
  f.poor = f.measured && f.bounds->low > rule.poor_share;
  return f;
}

namespace {

using CellTestMap = std::map<CellKey, std::vector<CellTest>>;

// One cell of JudgeCells().
JudgedCell JudgeKey(const CellKey& k, const CellTestMap& now, const CellTestMap& before,
                    const std::map<std::string, WorkOrder>& work_orders, const CellRule& rule,
                    const std::map<CellKey, CellFigures>* stored_before) {
  static const std::vector<CellTest> kNone;
  const auto tests_of = [&k](const CellTestMap& m) -> const std::vector<CellTest>& {
    auto it = m.find(k);
    return it == m.end() ? kNone : it->second;
  };
  JudgedCell c;
  c.key = k;
  const bool five_g = k.rat == "5G";
  const std::vector<CellTest>& t_now = tests_of(now);
  const std::vector<CellTest>& t_before = tests_of(before);
  auto order = k.tile ? work_orders.end() : work_orders.find(k.id);
  if (order != work_orders.end()) {
    // Split both windows' tests at the fix day.
    c.work_order = order->second;
    std::vector<CellTest> early, late;
    for (const std::vector<CellTest>* v : {&t_before, &t_now}) {
      for (const CellTest& t : *v) (t.day < order->second.fixed_day ? early : late).push_back(t);
    }
    if (!late.empty()) c.now = JudgeCell(late, five_g, rule);
    if (!early.empty()) c.before = JudgeCell(early, five_g, rule);
  } else {
    if (!t_now.empty()) c.now = JudgeCell(t_now, five_g, rule);
    if (!t_before.empty()) c.before = JudgeCell(t_before, five_g, rule);
  }
  if (!c.before && stored_before != nullptr) {
    if (auto it = stored_before->find(k); it != stored_before->end()) c.before = it->second;
  }
  if (c.before && c.before->poor) {
    c.remediation = !c.now || !c.now->measured ? Remediation::kUnverified
                    : c.now->poor              ? Remediation::kStillPoor
                                               : Remediation::kRemediated;
  }
  return c;
}

// Every key of the windows and of the stored baseline, sorted.
std::vector<CellKey> KeysOf(const CellTestMap& now, const CellTestMap& before,
                            const std::map<CellKey, CellFigures>* stored_before) {
  std::vector<CellKey> keys;
  keys.reserve(now.size() + before.size());
  for (const auto& [k, tests] : now) keys.push_back(k);
  for (const auto& [k, tests] : before) keys.push_back(k);
  if (stored_before != nullptr) {
    for (const auto& [k, figures] : *stored_before) keys.push_back(k);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

// The findings of judged cells: the cells and the treated and comparison groups' changes.
CellFindings Summarize(std::vector<JudgedCell> cells, const CellRule& rule, bool has_baseline) {
  CellFindings out;
  out.rule = rule;
  out.baseline_has_tests = has_baseline;
  std::vector<double> treated_before, treated_after, control_before, control_after;
  for (const JudgedCell& c : cells) {
    const bool both = c.before && c.before->measured && c.now && c.now->measured;
    if (c.key.tile || !both) continue;
    if (c.before->poor) {
      treated_before.push_back(*c.before->bad_share);
      treated_after.push_back(*c.now->bad_share);
    } else if (*c.before->bad_share >= rule.control_min_bad_share) {
      control_before.push_back(*c.before->bad_share);
      control_after.push_back(*c.now->bad_share);
    }
  }
  out.cells = std::move(cells);
  out.treated = {treated_before.size(), MeanShare(treated_before), MeanShare(treated_after)};
  out.control = {control_before.size(), MeanShare(control_before), MeanShare(control_after)};
  return out;
}

}  // namespace

CellFindings JudgeCells(const CellTestMap& now, const CellTestMap& before,
                        const std::map<std::string, WorkOrder>& work_orders, const CellRule& rule,
                        const std::map<CellKey, CellFigures>* stored_before) {
  std::vector<JudgedCell> cells;
  for (const CellKey& k : KeysOf(now, before, stored_before)) {
    cells.push_back(JudgeKey(k, now, before, work_orders, rule, stored_before));
  }
  return Summarize(std::move(cells), rule,
                   !before.empty() || (stored_before && !stored_before->empty()));
}

Result<CellFindings> JudgeCellsOn(int threads, const CellTestMap& now, const CellTestMap& before,
                                  const std::map<std::string, WorkOrder>& work_orders,
                                  const CellRule& rule,
                                  const std::map<CellKey, CellFigures>* stored_before) {
  const std::vector<CellKey> keys = KeysOf(now, before, stored_before);
  std::vector<JudgedCell> cells(keys.size());
  TSQ_TRY(ParallelFor(
      threads, keys.size(), 256,
      [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
          cells[i] = JudgeKey(keys[i], now, before, work_orders, rule, stored_before);
        }
      },
      "judging cells"));
  return Summarize(std::move(cells), rule,
                   !before.empty() || (stored_before && !stored_before->empty()));
}

}  // namespace tsq
