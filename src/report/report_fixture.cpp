#include "report/report_fixture.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "indicators/judge.h"
#include "io/sha256.h"

namespace tsq {
namespace {

// Labels for the English report and the targets the tests rely on, so that the sample's verdicts
// do not move when the default catalog's targets are tuned.
constexpr std::string_view kFixtureCatalog = R"TOML(
[labels]
"移动" = ["移动", "China Mobile"]
"联通" = ["联通", "China Unicom"]
"电信" = ["电信", "China Telecom"]
"长春" = ["长春", "Changchun"]
"吉林" = ["吉林", "Jilin City"]
"四平" = ["四平", "Siping"]
"辽源" = ["辽源", "Liaoyuan"]
"通化" = ["通化", "Tonghua"]
"白山" = ["白山", "Baishan"]
"松原" = ["松原", "Songyuan"]
"白城" = ["白城", "Baicheng"]
"延边" = ["延边", "Yanbian"]
porting = ["携号转网", "number porting"]
billing = ["资费计费", "tariffs and billing"]
service = ["服务质量", "service"]
network = ["网络质量", "network quality"]
marketing = ["营销宣传", "marketing"]

[indicators."calls.connect_rate"]
target = ">= 0.90"
[indicators."calls.drop_rate"]
target = "<= 0.05"
[indicators."calls.congestion_rate"]
target = "<= 0.02"
[indicators."orders.*.*.timely_rate"]
target = ">= 0.99"
[indicators."complaints.timely_rate"]
target = ">= 0.99"
[indicators."hotline.human_answer_rate"]
target = ">= 0.85"
[indicators."hotline.avg_response_s"]
target = "<= 30"
[indicators."hotline.avg_response_s.worst_month"]
target = "<= 30"
[indicators."billing.error_rate"]
target = "<= 0.0001"

[indicators."speedtests.tests"]
name_zh = "测速次数"
name_en = "Speed tests"
formula_zh = "众包测速记录数"
formula_en = "crowdsourced speed tests"
unit = "count"
polarity = "none"

[indicators."speedtests.median_down_mbps"]
name_zh = "下行速率中位数"
name_en = "Median downstream rate"
formula_zh = "下行速率的中位数"
formula_en = "median of down_mbps"
unit = "mbps"
polarity = "higher"

[indicators."speedtests.measured_cells"]
name_zh = "测试充足小区数"
name_en = "Measured cells"
formula_zh = "测试次数不少于 20 次的小区数"
formula_en = "cells with at least 20 tests"
unit = "count"
polarity = "none"

[indicators."speedtests.poor_cells"]
name_zh = "质差小区数"
name_en = "Poor-quality cells"
formula_zh = "劣质测试占比 Wilson 下限超过 20% 的小区数"
formula_en = "cells whose bad-test share has a Wilson lower bound above 20 %"
unit = "count"
polarity = "lower"

[indicators."speedtests.poor_share"]
name_zh = "质差小区占比"
name_en = "Poor-cell share"
formula_zh = "质差小区数 ÷ 测试充足小区数"
formula_en = "poor cells ÷ measured cells"
unit = "ratio"
polarity = "lower"

[indicators."speedtests.remediation_rate"]
name_zh = "质差小区整治率"
name_en = "Poor-cell remediation rate"
formula_zh = "基线期质差小区中本期测试充足且不再质差的比例"
formula_en = "share of the baseline's poor cells that are measured and no longer poor"
unit = "ratio"
polarity = "higher"
target = ">= 0.70"
source = "江西移动 2021: 5G 质差小区整治率要求达到 70% (示例目标)"

[indicators."broadband_tests.tested_lines"]
name_zh = "测速宽带线路数"
name_en = "Tested lines"
formula_zh = "本期有测速记录的 运营商×线路×套餐 数"
formula_en = "operator × line × plan units with a test in the period"
unit = "count"
polarity = "none"

[indicators."broadband_tests.compliance_rate"]
name_zh = "宽带接入速率达标率"
name_en = "Broadband speed compliance rate"
formula_zh = "下行速率均值 ≥ 签约速率 90% 的线路 ÷ 测速线路"
formula_en = "lines whose mean downstream rate ≥ 90 % of the plan ÷ tested lines"
unit = "ratio"
polarity = "higher"
target = ">= 0.95"
source = "互联网接入服务规范 (2013): 平均接入速率达到签约速率的 90%"
)TOML";

const std::vector<std::string> kOperators = {"移动", "联通", "电信"};
const std::vector<std::string> kRegions = {"长春", "吉林", "四平", "辽源", "通化",
                                           "白山", "松原", "白城", "延边"};
const std::vector<std::string> kMonths = {"2022-07", "2022-08", "2022-09",
                                          "2022-10", "2022-11", "2022-12"};

// Deterministic variation in [-1, 1] (FNV-1a of the key), so every run draws the same sample.
double Jitter(std::string_view key) {
  uint64_t h = 1469598103934665603ull;
  for (char c : key) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return static_cast<double>(h % 20001) / 10000.0 - 1.0;
}

Group G(std::vector<std::pair<Dim, std::string>> dims) {
  Group g;
  g.dims = std::move(dims);
  std::sort(g.dims.begin(), g.dims.end());
  return g;
}

class Builder {
 public:
  Builder(std::vector<IndicatorValue>* out, std::string seed) : out_(out), seed_(std::move(seed)) {}

  void Rate(const std::string& id, const Group& g, uint64_t n, double p) {
    IndicatorValue v;
    v.id = id;
    v.group = g;
    v.n = n;
    v.is_rate = true;
    p = std::clamp(p, 0.0, 1.0);
    v.successes = static_cast<uint64_t>(std::llround(static_cast<double>(n) * p));
    v.value = n > 0 ? std::optional<double>(static_cast<double>(v.successes) / n) : std::nullopt;
    out_->push_back(std::move(v));
  }

  void Value(const std::string& id, const Group& g, double value, uint64_t n) {
    IndicatorValue v;
    v.id = id;
    v.group = g;
    v.n = n;
    v.value = value;
    out_->push_back(std::move(v));
  }

  double J(const std::string& key) const { return Jitter(seed_ + "|" + key); }

  // A rate overall, per operator, and (optionally) per operator × month and × region.
  void RateFamily(const std::string& id, const std::vector<uint64_t>& n,
                  const std::vector<double>& p, double spread, bool monthly, bool regional) {
    uint64_t total_n = 0;
    double total_s = 0;
    for (size_t i = 0; i < kOperators.size(); ++i) {
      const std::string& op = kOperators[i];
      const double pi = p[i] + spread * 0.3 * J(id + op);
      Rate(id, G({{Dim::kOperator, op}}), n[i], pi);
      total_n += n[i];
      total_s += pi * static_cast<double>(n[i]);
      if (monthly) {
        for (const std::string& m : kMonths) {
          Rate(id, G({{Dim::kOperator, op}, {Dim::kMonth, m}}), n[i] / kMonths.size(),
               pi + spread * J(id + op + m));
        }
      }
      if (regional) {
        for (size_t r = 0; r < kRegions.size(); ++r) {
          const uint64_t nr = n[i] * (r == 0 ? 30 : 9) / 102;  // the capital carries most traffic
          Rate(id, G({{Dim::kOperator, op}, {Dim::kRegion, kRegions[r]}}), nr,
               pi + spread * J(id + op + kRegions[r]));
        }
      }
    }
    const double pooled = total_s / static_cast<double>(total_n);
    Rate(id, Group{}, total_n, pooled);
    if (monthly) {
      for (const std::string& m : kMonths) {
        Rate(id, G({{Dim::kMonth, m}}), total_n / kMonths.size(),
             pooled + spread * 0.5 * J(id + m));
      }
    }
    if (regional) {
      for (const std::string& r : kRegions) {
        Rate(id, G({{Dim::kRegion, r}}), total_n / kRegions.size(),
             pooled + spread * 0.5 * J(id + r));
      }
    }
  }

  // A mean (hours, seconds) overall and per operator, optionally per operator × month.
  void MeanFamily(const std::string& id, const std::vector<uint64_t>& n,
                  const std::vector<double>& v, double spread, bool monthly) {
    uint64_t total_n = 0;
    double total = 0;
    for (size_t i = 0; i < kOperators.size(); ++i) {
      const std::string& op = kOperators[i];
      const double vi = v[i] * (1 + spread * 0.3 * J(id + op));
      Value(id, G({{Dim::kOperator, op}}), vi, n[i]);
      total_n += n[i];
      total += vi * static_cast<double>(n[i]);
      if (monthly) {
        for (const std::string& m : kMonths) {
          Value(id, G({{Dim::kOperator, op}, {Dim::kMonth, m}}), vi * (1 + spread * J(id + op + m)),
                n[i] / kMonths.size());
        }
      }
    }
    Value(id, Group{}, total / static_cast<double>(total_n), total_n);
  }

 private:
  std::vector<IndicatorValue>* out_;
  std::string seed_;
};

// Every figure of one period. `drift` moves the rates a little so that comparison periods differ.
std::vector<IndicatorValue> PeriodValues(const std::string& seed, double drift,
                                         const std::vector<uint64_t>& appeals_accepted) {
  std::vector<IndicatorValue> values;
  Builder b(&values, seed);
  const auto d = [&](const std::vector<double>& p, double scale) {
    std::vector<double> out = p;
    for (size_t i = 0; i < out.size(); ++i)
      out[i] += drift * scale * Jitter(seed + std::to_string(i));
    return out;
  };
  // Network quality (calls): n = attempts (answered calls for the drop rate).
  b.RateFamily("calls.connect_rate", {1204100, 803400, 702900}, d({0.9962, 0.9948, 0.9931}, 0.002),
               0.0012, true, true);
  b.RateFamily("calls.connect_rate_busy_hour", {98200, 71300, 60100},
               d({0.9921, 0.9905, 0.9890}, 0.002), 0.002, true, false);
  b.RateFamily("calls.drop_rate", {1010400, 690200, 598300}, d({0.0021, 0.0034, 0.0046}, 0.0008),
               0.0006, true, true);
  b.RateFamily("calls.congestion_rate", {1204100, 803400, 702900},
               d({0.0062, 0.0095, 0.0206}, 0.001), 0.0012, true, false);
  // Service orders.
  b.RateFamily("orders.mobile.change.timely_rate", {41200, 23800, 19100},
               d({1.0, 0.9998, 0.9996}, 0), 0.0001, false, false);
  b.MeanFamily("orders.mobile.change.avg_hours", {41200, 23800, 19100}, {0.0033, 0.0041, 0.0052},
               0.1, false);
  b.RateFamily("orders.mobile.repair.timely_rate", {5120, 3310, 2905},
               d({0.9985, 0.9962, 0.9941}, 0.002), 0.002, true, false);
  b.MeanFamily("orders.mobile.repair.avg_hours", {5120, 3310, 2905}, {4.01, 6.2, 7.5}, 0.15, false);
  b.RateFamily("orders.broadband.install.timely_rate", {9840, 1210, 7720},
               d({0.9964, 0.9893, 0.9921}, 0.002), 0.002, true, true);
  b.MeanFamily("orders.broadband.install.avg_hours", {9840, 1210, 7720}, {9.66, 14.2, 11.8}, 0.12,
               false);
  b.RateFamily("orders.broadband.repair.timely_rate", {14320, 8750, 9050},
               d({0.9927, 0.9912, 0.9858}, 0.002), 0.002, true, false);
  b.MeanFamily("orders.broadband.repair.avg_hours", {14320, 8750, 9050}, {3.76, 5.1, 6.9}, 0.15,
               false);
  // Billing, complaints, hotline.
  b.RateFamily("billing.error_rate", {41800000, 27300000, 23900000}, {0.000004, 0.000012, 0.000021},
               0.000002, false, false);
  b.RateFamily("complaints.timely_rate", {3120, 2480, 2210}, d({0.9991, 0.9979, 0.9932}, 0.002),
               0.002, true, false);
  b.MeanFamily("complaints.avg_hours", {3120, 2480, 2210}, {25.57, 31.2, 28.4}, 0.1, false);
  b.RateFamily("complaints.satisfaction_rate", {2210, 1730, 1502},
               d({0.9077, 0.8912, 0.9021}, 0.01), 0.01, false, false);
  b.RateFamily("hotline.human_answer_rate", {210400, 118300, 96100},
               d({0.9312, 0.8875, 0.8421}, 0.01), 0.01, true, false);
  // Hotline response time: a per-month figure; 电信 misses in November.
  const std::vector<double> response = {19.6, 24.8, 26.9};
  for (size_t i = 0; i < kOperators.size(); ++i) {
    double worst = 0;
    double sum = 0;
    for (const std::string& m : kMonths) {
      double v = response[i] * (1 + 0.12 * b.J("resp" + kOperators[i] + m));
      if (kOperators[i] == "电信" && m == "2022-11") v = 33.5;
      b.Value("hotline.avg_response_s", G({{Dim::kOperator, kOperators[i]}, {Dim::kMonth, m}}), v,
              15000);
      worst = std::max(worst, v);
      sum += v;
    }
    b.Value("hotline.avg_response_s.worst_month", G({{Dim::kOperator, kOperators[i]}}), worst,
            90000);
    b.Value("hotline.avg_response_s.pooled", G({{Dim::kOperator, kOperators[i]}}),
            sum / static_cast<double>(kMonths.size()), 90000);
  }
  for (const std::string& m : kMonths) {
    b.Value("hotline.avg_response_s", G({{Dim::kMonth, m}}), 22.5 * (1 + 0.1 * b.J("resp" + m)),
            45000);
  }
  b.Value("hotline.avg_response_s.worst_month", Group{}, 27.1, 270000);
  b.Value("hotline.avg_response_s.pooled", Group{}, 23.4, 270000);

  // Appeals: accepted and settled per operator and category (seed 001: 5567 accepted overall,
  // 3267 settled, 58.69 %).
  static const std::vector<std::string> kCategories = {"billing", "service", "network", "porting",
                                                       "marketing"};
  static const std::vector<double> kShares = {0.31, 0.22, 0.18, 0.17, 0.12};
  const std::vector<uint64_t> settled = {1560, 950, 725};
  const std::vector<uint64_t> prev_year = {2320, 1450, 1110};
  uint64_t all_accepted = 59;  // resellers' appeals count in the province total only
  for (uint64_t a : appeals_accepted) all_accepted += a;
  for (size_t i = 0; i < kOperators.size(); ++i) {
    const Group g = G({{Dim::kOperator, kOperators[i]}});
    const double acc = static_cast<double>(appeals_accepted[i]);
    b.Value("appeals.accepted", g, acc, appeals_accepted[i]);
    b.Value("appeals.settled", g, static_cast<double>(settled[i]), appeals_accepted[i]);
    b.Rate("appeals.settlement_rate", g, appeals_accepted[i],
           static_cast<double>(settled[i]) / acc);
    b.Value("appeals.accepted_share", g, acc / static_cast<double>(all_accepted), all_accepted);
    b.Value("appeals.accepted_prev_year", g, static_cast<double>(prev_year[i]), prev_year[i]);
    b.Value("appeals.accepted_change_yoy", g,
            (acc - static_cast<double>(prev_year[i])) / static_cast<double>(prev_year[i]),
            prev_year[i]);
    uint64_t left = appeals_accepted[i];
    for (size_t c = 0; c < kCategories.size(); ++c) {
      const uint64_t count =
          c + 1 == kCategories.size()
              ? left
              : static_cast<uint64_t>(acc * kShares[c] *
                                      (1 + 0.1 * b.J(kCategories[c] + kOperators[i])));
      left -= count;
      b.Value("appeals.accepted",
              G({{Dim::kOperator, kOperators[i]}, {Dim::kCategory, kCategories[c]}}),
              static_cast<double>(count), count);
    }
  }
  b.Value("appeals.accepted", Group{}, static_cast<double>(all_accepted), all_accepted);
  b.Value("appeals.settled", Group{}, 3267, all_accepted);
  b.Rate("appeals.settlement_rate", Group{}, all_accepted,
         3267.0 / static_cast<double>(all_accepted));
  b.Value("appeals.accepted_prev_year", Group{}, 4925, 4925);
  b.Value("appeals.accepted_change_yoy", Group{}, (static_cast<double>(all_accepted) - 4925) / 4925,
          4925);
  for (size_t c = 0; c < kCategories.size(); ++c) {
    b.Value("appeals.accepted", G({{Dim::kCategory, kCategories[c]}}),
            std::round(static_cast<double>(all_accepted) * kShares[c]), all_accepted);
  }

  // Findings: poor 5G/4G cells and home broadband.
  const std::vector<std::vector<double>> tests = {{182340, 96210, 88450}, {120000, 80000, 70000}};
  const std::vector<std::vector<double>> median = {{412.5, 386.2, 371.8}, {48.3, 41.7, 39.9}};
  const std::vector<std::vector<uint64_t>> measured = {{2840, 1920, 1760}, {4100, 3050, 2880}};
  const std::vector<std::vector<uint64_t>> poor = {{96, 88, 101}, {143, 121, 133}};
  const std::vector<std::string> rats = {"5G", "4G"};
  for (size_t i = 0; i < kOperators.size(); ++i) {
    uint64_t op_measured = 0;
    uint64_t op_poor = 0;
    for (size_t r = 0; r < rats.size(); ++r) {
      const Group g = G({{Dim::kOperator, kOperators[i]}, {Dim::kRat, rats[r]}});
      b.Value("speedtests.tests", g, tests[r][i], static_cast<uint64_t>(tests[r][i]));
      b.Value("speedtests.median_down_mbps", g, median[r][i], static_cast<uint64_t>(tests[r][i]));
      b.Value("speedtests.measured_cells", g, static_cast<double>(measured[r][i]), measured[r][i]);
      b.Value("speedtests.poor_cells", g, static_cast<double>(poor[r][i]), measured[r][i]);
      b.Rate("speedtests.poor_share", g, measured[r][i],
             static_cast<double>(poor[r][i]) / static_cast<double>(measured[r][i]));
      op_measured += measured[r][i];
      op_poor += poor[r][i];
    }
    const Group g = G({{Dim::kOperator, kOperators[i]}});
    b.Value("speedtests.measured_cells", g, static_cast<double>(op_measured), op_measured);
    b.Value("speedtests.poor_cells", g, static_cast<double>(op_poor), op_measured);
    b.Rate("speedtests.poor_share", g, op_measured,
           static_cast<double>(op_poor) / static_cast<double>(op_measured));
  }
  b.RateFamily("speedtests.remediation_rate", {130, 125, 140}, d({0.7462, 0.6720, 0.7143}, 0.02),
               0.0, false, false);
  b.RateFamily("broadband_tests.compliance_rate", {52000, 31000, 27500},
               d({0.9712, 0.9634, 0.9458}, 0.005), 0.006, true, true);
  const std::vector<uint64_t> lines = {52000, 31000, 27500};
  for (size_t i = 0; i < kOperators.size(); ++i) {
    b.Value("broadband_tests.tested_lines", G({{Dim::kOperator, kOperators[i]}}),
            static_cast<double>(lines[i]), lines[i]);
  }
  return values;
}

std::string FakeDigest(const std::string& name) {
  Sha256 h;
  h.Update(name);
  return h.HexDigest();
}

}  // namespace

std::unique_ptr<SampleReport> MakeSampleReport(Lang lang) {
  auto sample = std::make_unique<SampleReport>();
  auto catalog = Catalog::Default();
  if (!catalog) {
    std::fprintf(stderr, "report fixture: %s\n", catalog.error().Debug().c_str());
    std::abort();
  }
  sample->catalog = std::move(*catalog);
  if (Status s = sample->catalog.Override(kFixtureCatalog, "report fixture"); !s) {
    std::fprintf(stderr, "report fixture: %s\n", s.error().Debug().c_str());
    std::abort();
  }
  ReportInput& in = sample->input;
  auto period = ParsePeriod("2022H2", kChinaOffsetSeconds);
  in.period = *period;
  in.as_of = in.period.to;
  in.province = lang == Lang::kZh ? "吉林省" : "Jilin";
  in.lang = lang;
  in.catalog = &sample->catalog;
  in.current = PeriodValues("2022H2", 0, {2650, 1620, 1238});
  in.previous = in.period.Previous(kChinaOffsetSeconds);
  in.previous_values = PeriodValues("2022H1", 1, {2480, 1590, 1302});
  in.year_earlier = in.period.YearEarlier(kChinaOffsetSeconds);
  in.year_earlier_values = PeriodValues("2021H2", 1.5, {2320, 1450, 1110});
  for (std::vector<IndicatorValue>* v :
       {&in.current, &in.previous_values, &in.year_earlier_values}) {
    Judge(sample->catalog, v);
  }

  struct FileSpec {
    const char* name;
    RecordType type;
    uint64_t size;
    uint64_t read;
    std::vector<std::pair<BadRowReason, uint64_t>> bad;
  };
  const std::vector<FileSpec> files = {
      {"calls-2022h2.csv.gz",
       RecordType::kCalls,
       96'420'113,
       2'710'632,
       {{BadRowReason::kColumnCount, 200}, {BadRowReason::kBadTimestamp, 32}}},
      {"orders.csv",
       RecordType::kOrders,
       14'220'871,
       113'859,
       {{BadRowReason::kEndBeforeStart, 9}}},
      {"complaints.csv", RecordType::kComplaints, 2'104'554, 7'810, {}},
      {"appeals.csv", RecordType::kAppeals, 1'050'329, 5'702, {{BadRowReason::kUnknownEnum, 3}}},
      {"hotline.jsonl", RecordType::kHotline, 88'310'442, 424'800, {}},
      {"speedtests.csv.zst", RecordType::kSpeedtests, 31'877'209, 637'000, {}},
      {"broadband_tests.csv",
       RecordType::kBroadbandTests,
       22'918'330,
       331'540,
       {{BadRowReason::kBadNumber, 41}}},
  };
  in.data_quality.dir = "/data/jilin/2022h2";
  for (const FileSpec& f : files) {
    FileQuality q;
    q.read.path = std::string("/data/jilin/2022h2/") + f.name;
    q.read.type = f.type;
    q.read.size_bytes = f.size;
    q.read.rows_read = f.read;
    for (const auto& [reason, count] : f.bad) {
      q.read.quarantined_by_reason[static_cast<size_t>(reason)] = count;
      q.read.rows_quarantined += count;
    }
    q.read.rows_accepted = f.read - q.read.rows_quarantined;
    q.first_time = in.period.from + 37 * kMicrosPerSecond;
    q.last_time = in.period.to - 112 * kMicrosPerSecond;
    q.operators = {"电信", "移动", "联通"};
    if (f.type != RecordType::kAppeals && f.type != RecordType::kHotline) {
      q.regions = {kRegions.begin(), kRegions.end()};
    }
    in.data_quality.files.push_back(std::move(q));
    in.digests.push_back({std::string("/data/jilin/2022h2/") + f.name, f.size, FakeDigest(f.name)});
  }
  in.data_quality.ignored = {"/data/jilin/2022h2/README.txt"};
  in.data_quality.quarantine_path = "/data/jilin/2022h2/quarantine.csv";
  in.catalog_hash = sample->catalog.Hash();
  in.tsq_version = "0.1.0";
  return sample;
}

}  // namespace tsq
