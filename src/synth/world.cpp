#include "synth/world.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace tsq::synth {
namespace {

constexpr int kCmPrefixes[] = {134, 135, 136, 137, 138, 139, 147, 150, 151, 152,
                               157, 158, 159, 178, 182, 183, 184, 187, 188, 198};
constexpr int kCuPrefixes[] = {130, 131, 132, 145, 155, 156, 166, 175, 176, 185, 186};
constexpr int kCtPrefixes[] = {133, 149, 153, 173, 177, 180, 181, 189, 191, 199};

const OperatorInfo kOperators[kOperatorCount] = {
    {"移动", "CM", "00", "10086", 0.55, kCmPrefixes},
    {"联通", "CU", "01", "10010", 0.25, kCuPrefixes},
    {"电信", "CT", "11", "10000", 0.20, kCtPrefixes},
};

constexpr CountyInfo kChangchun[] = {
    {"南关区", true, 1.2},  {"朝阳区", true, 1.4},  {"二道区", true, 1.0},   {"绿园区", true, 1.0},
    {"宽城区", true, 0.9},  {"双阳区", false, 0.4}, {"九台区", false, 0.6},  {"榆树市", false, 0.8},
    {"德惠市", false, 0.6}, {"农安县", false, 0.7}, {"公主岭市", false, 0.7}};
constexpr CountyInfo kJilin[] = {
    {"船营区", true, 1.0},  {"昌邑区", true, 1.1},  {"龙潭区", true, 0.8},
    {"丰满区", true, 0.6},  {"永吉县", false, 0.4}, {"蛟河市", false, 0.4},
    {"桦甸市", false, 0.4}, {"舒兰市", false, 0.5}, {"磐石市", false, 0.5}};
constexpr CountyInfo kSiping[] = {{"铁西区", true, 1.0},
                                  {"铁东区", true, 1.0},
                                  {"梨树县", false, 0.8},
                                  {"伊通满族自治县", false, 0.5},
                                  {"双辽市", false, 0.5}};
constexpr CountyInfo kLiaoyuan[] = {
    {"龙山区", true, 1.0}, {"西安区", true, 0.6}, {"东丰县", false, 0.7}, {"东辽县", false, 0.5}};
constexpr CountyInfo kTonghua[] = {{"东昌区", true, 1.0},  {"二道江区", true, 0.3},
                                   {"通化县", false, 0.4}, {"辉南县", false, 0.4},
                                   {"柳河县", false, 0.4}, {"梅河口市", false, 0.9},
                                   {"集安市", false, 0.3}};
constexpr CountyInfo kBaishan[] = {{"浑江区", true, 1.0},
                                   {"江源区", true, 0.4},
                                   {"抚松县", false, 0.6},
                                   {"靖宇县", false, 0.3},
                                   {"长白朝鲜族自治县", false, 0.2},
                                   {"临江市", false, 0.4}};
constexpr CountyInfo kSongyuan[] = {{"宁江区", true, 1.0},
                                    {"前郭尔罗斯蒙古族自治县", false, 0.8},
                                    {"长岭县", false, 0.7},
                                    {"乾安县", false, 0.4},
                                    {"扶余市", false, 0.8}};
constexpr CountyInfo kBaicheng[] = {{"洮北区", true, 1.0},
                                    {"镇赉县", false, 0.5},
                                    {"通榆县", false, 0.6},
                                    {"洮南市", false, 0.6},
                                    {"大安市", false, 0.6}};
constexpr CountyInfo kYanbian[] = {
    {"延吉市", true, 1.2},  {"图们市", false, 0.3}, {"敦化市", false, 0.9}, {"珲春市", false, 0.5},
    {"龙井市", false, 0.4}, {"和龙市", false, 0.3}, {"汪清县", false, 0.4}, {"安图县", false, 0.4}};

// Population weights follow the 2020 census (万人): 长春 906, 吉林 362, 四平 181, 辽源 100,
// 通化 130, 白山 95, 松原 225, 白城 155, 延边 194. Coordinates are the city centres.
const RegionInfo kRegions[kRegionCount] = {
    {"长春", 906, 43.817, 125.324, kChangchun}, {"吉林", 362, 43.838, 126.549, kJilin},
    {"四平", 181, 43.166, 124.350, kSiping},    {"辽源", 100, 42.888, 125.144, kLiaoyuan},
    {"通化", 130, 41.728, 125.940, kTonghua},   {"白山", 95, 41.940, 126.424, kBaishan},
    {"松原", 225, 45.141, 124.825, kSongyuan},  {"白城", 155, 45.620, 122.839, kBaicheng},
    {"延边", 194, 42.891, 129.509, kYanbian},
};

// Relative load per clock hour 0..23, weekday then weekend. Calls: night trough, a morning peak
// at 9-10 and an evening shoulder; weekends start later and stay flatter.
constexpr double kRhythms[][2][24] = {
    // kCalls
    {{1.0, 0.5, 0.3, 0.25, 0.3, 0.7, 2.0, 4.2, 6.8, 8.6, 9.0, 8.0,
      6.2, 6.6, 7.8, 8.0,  7.6, 7.9, 7.0, 6.4, 6.6, 5.6, 3.8, 2.1},
     {1.3, 0.7, 0.4, 0.3, 0.3, 0.5, 1.2, 2.4, 4.2, 6.0, 7.2, 7.4,
      6.8, 6.5, 6.8, 7.0, 7.0, 7.2, 6.9, 6.7, 6.9, 6.0, 4.4, 2.6}},
    // kSms: verification codes and notices all day, more in the evening
    {{1.2, 0.6, 0.4, 0.3, 0.4, 0.9, 2.2, 4.0, 5.8, 6.8, 7.0, 6.8,
      6.2, 6.0, 6.5, 6.6, 6.5, 6.8, 7.0, 7.2, 7.5, 6.8, 4.8, 2.6},
     {1.5, 0.8, 0.5, 0.4, 0.4, 0.7, 1.4, 2.6, 4.4, 5.8, 6.6, 6.8,
      6.5, 6.2, 6.4, 6.5, 6.6, 6.8, 7.0, 7.4, 7.6, 7.0, 5.2, 3.0}},
    // kBusiness: stores and field work, 8:00-21:00, apps at night a little
    {{0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.4, 1.5, 5.0, 8.0, 8.6, 8.0,
      5.5, 6.5, 8.0,  8.2,  7.6,  6.5, 4.5, 3.5, 2.8, 1.8, 0.9, 0.4},
     {0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 1.0, 3.5, 6.5, 7.8, 7.6,
      5.8, 6.0, 7.0,  7.0,  6.4,  5.2, 3.8, 3.0, 2.4, 1.5, 0.8, 0.4}},
    // kOffice: the appeal centre (online submissions reach it at night too)
    {{0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.4, 4.0, 9.0, 9.5, 8.5,
      3.0, 7.0,  9.0,  9.0,  8.0,  3.0,  1.0, 0.6, 0.5, 0.4, 0.2, 0.1},
     {0.2, 0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 1.0, 2.0, 2.4, 2.2,
      1.6, 1.8, 2.0,  2.0,  1.8,  1.2,  0.9, 0.8, 0.7, 0.6, 0.4, 0.2}},
    // kEvening: speed tests at home after work
    {{1.0, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 1.8, 3.0, 3.6, 3.8, 4.0,
      4.6, 4.2, 3.8, 3.8, 4.0, 4.6, 5.6, 6.8, 7.8, 7.6, 5.6, 2.8},
     {1.4, 0.7, 0.4, 0.3, 0.2, 0.3, 0.6, 1.4, 2.8, 4.0, 4.8, 5.2,
      5.2, 5.0, 5.0, 5.0, 5.2, 5.6, 6.2, 7.0, 7.8, 7.4, 5.8, 3.2}},
    // kHotline: 7x24 service, a morning and an after-lunch peak
    {{0.6, 0.3, 0.2, 0.15, 0.15, 0.3, 0.9, 2.6, 6.0, 8.8, 9.6, 8.8,
      6.4, 7.4, 8.8, 8.6,  8.0,  7.0, 5.4, 4.8, 4.6, 3.8, 2.4, 1.2},
     {0.7, 0.4, 0.2, 0.15, 0.15, 0.3, 0.7, 1.8, 4.4, 6.8, 7.8, 7.8,
      6.4, 6.6, 7.2, 7.2,  6.8,  6.0, 5.0, 4.6, 4.4, 3.6, 2.4, 1.3}},
    // kBillRun: charge records are rated in overnight batches plus daytime usage
    {{3.0, 6.0, 8.0, 8.0, 6.0, 3.0, 1.5, 1.5, 1.8, 2.0, 2.0, 2.0,
      2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.8, 1.5, 1.5},
     {3.0, 6.0, 8.0, 8.0, 6.0, 3.0, 1.5, 1.5, 1.8, 2.0, 2.0, 2.0,
      2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.8, 1.5, 1.5}},
};

// Prime-ish offsets for contact circles; a subscriber's k-th contact is i +/- offset[k/2].
constexpr uint32_t kContactOffsets[] = {1,   3,    7,    13,   29,   61,    127,   251,
                                        509, 1021, 2039, 4093, 8191, 16381, 32749, 65521};

}  // namespace

const OperatorInfo& Operator(int op) { return kOperators[op]; }
const RegionInfo& Region(int region) { return kRegions[region]; }

AliasTable::AliasTable(std::span<const double> weights) {
  const size_t n = weights.size();
  slots_.assign(n, Slot{});
  double total = 0;
  for (double w : weights) total += w;
  std::vector<double> scaled(n);
  std::vector<uint32_t> small;
  std::vector<uint32_t> large;
  for (size_t i = 0; i < n; ++i) {
    slots_[i].self = static_cast<uint32_t>(i);
    scaled[i] = weights[i] * static_cast<double>(n) / total;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const uint32_t s = small.back();
    small.pop_back();
    const uint32_t l = large.back();
    slots_[s].prob = scaled[s];
    slots_[s].alias = l;
    scaled[l] = scaled[l] + scaled[s] - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  for (uint32_t i : large) slots_[i].prob = 1.0;
  for (uint32_t i : small) slots_[i].prob = 1.0;
}

std::vector<double> Cumulative(std::span<const double> weights) {
  std::vector<double> c(weights.size());
  double sum = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    sum += weights[i];
    c[i] = sum;
  }
  return c;
}

uint64_t MobileNumber(int op, uint64_t index) {
  const std::span<const int> prefixes = kOperators[op].prefixes;
  const int prefix = prefixes[Hash64(index * 31 + static_cast<uint64_t>(op)) % prefixes.size()];
  // 48271 is coprime to 10^8, so index -> digits is a bijection on [0, 10^8).
  const uint64_t digits = (index * 48271 + 12345678) % 100'000'000;
  return static_cast<uint64_t>(prefix) * 100'000'000 + digits;
}

uint64_t RandomOutsideNumber(Rng& rng) {
  const int op = static_cast<int>(rng.Below(kOperatorCount));
  const std::span<const int> prefixes = kOperators[op].prefixes;
  const int prefix = prefixes[rng.Below(prefixes.size())];
  return static_cast<uint64_t>(prefix) * 100'000'000 + rng.Below(100'000'000);
}

uint64_t MakeImei(uint64_t key) {
  // TAC 86xxxxxx (China-allocated), a 6-digit serial, then the Luhn check digit.
  const uint64_t body = 86'000000'000000ull + Hash64(key) % 1'000000'000000ull;
  int sum = 0;
  uint64_t v = body;
  for (int i = 0; i < 14; ++i) {
    int d = static_cast<int>(v % 10);
    v /= 10;
    if (i % 2 == 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body * 10 + static_cast<uint64_t>((10 - sum % 10) % 10);
}

bool IsRestDay(int64_t local_day) {
  // 1970-01-01 was a Thursday: day 0 -> weekday index 3 (Monday = 0).
  const int64_t weekday = ((local_day % 7) + 7 + 3) % 7;
  if (weekday >= 5) return true;
  const CivilDate d = CivilFromDays(local_day);
  return (d.month == 1 && d.day <= 3) || (d.month == 5 && d.day <= 5) ||
         (d.month == 10 && d.day <= 7);
}

uint32_t World::Contact(uint32_t i, uint32_t k) const {
  const auto n = static_cast<uint32_t>(subscribers.size());
  const uint32_t off = kContactOffsets[k / 2] % n;
  return k % 2 == 0 ? (i + off) % n : (i + n - off) % n;
}

int64_t World::SampleSecondOfDay(Rng& rng, Rhythm rhythm, bool weekend) const {
  const std::vector<double>& cum =
      rhythm_cumulative_[static_cast<size_t>(rhythm) * 2 + (weekend ? 1 : 0)];
  const auto hour = static_cast<int64_t>(rng.Pick(cum));
  return hour * 3600 + static_cast<int64_t>(rng.Below(3600));
}

World World::Build(uint64_t seed, double scale, int32_t local_offset_s, int64_t first_day,
                   int64_t last_day) {
  World w;
  w.local_offset_s = local_offset_s;
  w.scale = scale;
  Rng rng(DeriveSeed(seed, 0x776f726c64ull));  // "world"

  for (const auto& r : kRhythms) {
    for (const auto& hours : r) w.rhythm_cumulative_.push_back(Cumulative(hours));
  }
  std::vector<double> op_weights;
  for (const OperatorInfo& o : kOperators) op_weights.push_back(o.share);
  w.operator_share = AliasTable(op_weights);
  std::vector<double> region_weights;
  for (const RegionInfo& r : kRegions) region_weights.push_back(r.weight);
  w.region_share = AliasTable(region_weights);

  // Subscribers: enough that each places ~2.2 call attempts a day on average at this scale.
  const auto n_subs =
      static_cast<uint32_t>(std::max(120.0, std::round(670'000.0 * scale / 184.0 / 2.2)));
  w.subscribers.resize(n_subs);
  std::vector<double> activity(n_subs);
  for (uint32_t i = 0; i < n_subs; ++i) {
    Subscriber& s = w.subscribers[i];
    s.op = static_cast<uint8_t>(w.operator_share.Sample(rng));
    s.region = static_cast<uint8_t>(w.region_share.Sample(rng));
    s.number = MobileNumber(s.op, i);
    s.imei = MakeImei(DeriveSeed(seed, 0x696d6569ull, i));
    if (rng.Chance(0.03)) {
      s.second_imei = MakeImei(DeriveSeed(seed, 0x696d6569ull, i + (1ull << 40)));
      s.device_change_day = rng.Range(first_day, std::max(first_day, last_day - 1));
    }
    s.five_g = rng.Chance(s.op == 1 ? 0.40 : 0.48) ? 1 : 0;
    s.contacts = static_cast<uint8_t>(std::min<int64_t>(rng.Range(4, 20), 2 * 16));
    activity[i] = rng.LogNormal(1.0, 0.8);
  }
  w.subscriber_activity = AliasTable(activity);

  // Cells: per operator x region x RAT, proportional to subscribers and the RAT's footprint
  // (roughly 40 speed tests per cell and half-year at scale 1).
  constexpr double kCellsAtScale1[3] = {120, 540, 620};
  w.cells_by.assign(static_cast<size_t>(kOperatorCount) * kRegionCount * 3, {});
  double region_total = 0;
  for (const RegionInfo& r : kRegions) region_total += r.weight;
  for (int op = 0; op < kOperatorCount; ++op) {
    for (int region = 0; region < kRegionCount; ++region) {
      const RegionInfo& reg = kRegions[region];
      for (int rat = 0; rat < 3; ++rat) {
        const double expected =
            kCellsAtScale1[rat] * kOperators[op].share * reg.weight / region_total * scale;
        const int n = std::max(1, static_cast<int>(std::lround(expected)));
        auto& list = w.cells_by[(static_cast<size_t>(op) * kRegionCount + region) * 3 + rat];
        for (int k = 0; k < n; ++k) {
          Cell c;
          c.op = static_cast<uint8_t>(op);
          c.region = static_cast<uint8_t>(region);
          c.rat = static_cast<Rat>(rat);
          // Most sites in the city, some out in the counties.
          const double spread = rng.Chance(0.7) ? 0.05 : 0.35;
          c.lat = reg.lat + rng.Normal(0, spread);
          c.lon = reg.lon + rng.Normal(0, spread * 1.3);
          // eNodeB / gNodeB id and a local cell number, as in an ECGI / NCGI.
          const uint64_t site = 100000 + (static_cast<uint64_t>(region) * 60000 +
                                          static_cast<uint64_t>(rat) * 20000 + k / 3) %
                                             899999;
          c.id = ShortId(fmt::format("460-{}-{}-{}", kOperators[op].mnc,
                                     site + (rat == 2 ? 500000 : 0),
                                     rat == 2 ? 1 + k % 3 : 129 + k % 3));
          const double worse = (op == 1 ? 1.25 : 1.0) * (rat == 2 ? 1.0 : 0.8);
          const double base =
              rng.Chance(0.1) ? rng.Uniform(0.07, 0.13) : rng.Uniform(0.005, 0.06) * worse;
          c.p_bad_now = base;
          c.p_bad_previous = std::min(0.14, base * rng.Uniform(0.9, 1.4));
          list.push_back(static_cast<uint32_t>(w.cells.size()));
          w.cells.push_back(std::move(c));
        }
      }
    }
  }

  // Home broadband lines: ~5 tests per line and half-year at scale 1.
  // About 92 % of lines on 100 Mbps or more, as 吉林电信 reported for 2022.
  constexpr int kPlans[] = {50, 100, 200, 300, 500, 1000};
  constexpr double kPlanWeights[] = {0.08, 0.12, 0.30, 0.20, 0.20, 0.10};
  const std::vector<double> plan_cum = Cumulative(kPlanWeights);
  constexpr double kBroadbandShare[] = {0.45, 0.25, 0.30};
  constexpr double kNonCompliant[] = {0.035, 0.075, 0.025};  // 联通 misses the 95 % target
  const std::vector<double> bb_cum = Cumulative(kBroadbandShare);
  const auto n_lines = static_cast<uint32_t>(std::max(40.0, std::round(25'000.0 * scale / 5.0)));
  for (uint32_t i = 0; i < n_lines; ++i) {
    BroadbandLine line;
    line.op = static_cast<uint8_t>(rng.Pick(bb_cum));
    line.region = static_cast<uint8_t>(w.region_share.Sample(rng));
    line.plan_down = kPlans[rng.Pick(plan_cum)];
    line.plan_up = rng.Chance(0.9) ? (line.plan_down >= 500 ? 50 : line.plan_down / 5) : 0;
    line.ratio = rng.Chance(kNonCompliant[line.op]) ? rng.Uniform(0.55, 0.86)
                                                    : std::min(1.05, rng.Normal(1.0, 0.02));
    line.id =
        ShortId(fmt::format("KD{}{:08d}", 431 + line.region, 10'000'000 + i * 7919 % 90'000'000));
    w.lines.push_back(std::move(line));
  }
  return w;
}

void World::BuildTestTables(uint64_t seed) {
  Rng rng(DeriveSeed(seed, 0x706f70ull));  // "pop"
  for (int op = 0; op < kOperatorCount; ++op) {
    for (int t = 0; t < 2; ++t) {
      const Rat rat = t == 0 ? Rat::k4G : Rat::k5G;
      std::vector<uint32_t>& ids = test_cell_ids[op * 2 + t];
      std::vector<double> weights;
      ids.clear();
      for (uint32_t i = 0; i < cells.size(); ++i) {
        const Cell& c = cells[i];
        if (c.op != op || c.rat != rat || (c.planted >= 0 && !c.decoy)) continue;
        // Busy downtown cells collect far more tests than rural ones.
        const double weight = rng.LogNormal(1.0, 0.9);
        // A decoy draws its weight all the same, so that planting decoys moves no other
        // record type's draws (the broadband lines' weights come from this stream next).
        if (c.decoy) continue;
        ids.push_back(i);
        weights.push_back(weight);
      }
      if (!ids.empty()) test_cells[op * 2 + t] = AliasTable(weights);
    }
  }
  std::vector<double> weights;
  test_line_ids.clear();
  for (uint32_t i = 0; i < lines.size(); ++i) {
    if (lines[i].planted >= 0) continue;
    test_line_ids.push_back(i);
    // Unhappy customers test more often.
    weights.push_back(rng.LogNormal(1.0, 0.7) * (lines[i].ratio < 0.9 ? 2.0 : 1.0));
  }
  test_lines = AliasTable(weights);
}

}  // namespace tsq::synth
