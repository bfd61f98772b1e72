// Every caller feature, rule and count on the hand-made log of tests/golden/callers_rules (its
// README has the table these figures come from).
#include "detectors/callers.h"

#include <cmath>
#include <filesystem>

#include <gtest/gtest.h>

#include "core/timestamp.h"
#include "engine/runner.h"
#include "engine/state_file.h"

namespace tsq {
namespace {

constexpr int32_t kOffset = 8 * 3600;

CallerRule SmallRule() {
  CallerRule r;
  r.min_calls = 3;
  r.min_calls_per_day = 3;
  r.min_distinct_callees = 3;
  r.max_calls_per_callee = 1.3;
  r.max_callback_ratio = 0.25;
  r.max_answer_rate = 0.5;
  r.min_short_share = 0.5;
  r.short_call_s = 10;
  r.min_imeis = 3;
  return r;
}

struct LogRun {
  CallerFindings findings;
  std::vector<IndicatorValue> values;
};

LogRun RunLog(CallersOptions o, int threads,
              const std::string& dir = std::string(TSQ_GOLDEN_DIR) + "/callers_rules") {
  o.local_offset_s = kOffset;
  auto period = ParsePeriod("2022Q3", kOffset);
  EXPECT_TRUE(period);
  EvalContext ctx;
  ctx.periods = {*period, period->Previous(kOffset), period->YearEarlier(kOffset)};
  auto dataset = DiscoverDataSet(dir);
  EXPECT_TRUE(dataset) << dataset.error().message;
  FamilySpec spec{"callers", RecordType::kCalls, CallerIds(), [o] { return MakeCallersState(o); }};
  spec.also_reads = {RecordType::kSms};
  StringDictionary dict;
  ReadOptions options;
  options.threads = threads;
  options.batch_rows = 3;  // several batches, so that workers really split the log
  auto run = RunFamilies(*dataset, {&spec}, ctx, options, &dict);
  EXPECT_TRUE(run) << run.error().message;
  LogRun out;
  out.values = run->Finalize(kCurrentSlot);
  out.findings = *CallersFindings(*run->states[0]);
  return out;
}

const JudgedCaller* Find(const CallerFindings& f, const std::string& number) {
  for (const JudgedCaller& j : f.listed) {
    if (j.f.number == number) return &j;
  }
  return nullptr;
}

TEST(Callers, EveryFeatureOfTheHandMadeLog) {
  CallersOptions o;
  o.rule = SmallRule();
  const LogRun run = RunLog(o, 2);
  const CallerFindings& f = run.findings;
  EXPECT_EQ(f.callers, 7u);  // A–D and three numbers with one call; not the June caller
  EXPECT_EQ(f.judged, 4u);
  EXPECT_EQ(f.suspected, 2u);
  EXPECT_EQ(f.scorer, "rules");

  const JudgedCaller* a = Find(f, "13800000001");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->f.op, "移动");
  EXPECT_EQ(a->f.region, "长春");
  EXPECT_EQ(a->f.calls, 6u);
  EXPECT_EQ(a->f.calls_in, 2u);
  EXPECT_EQ(a->f.active_days, 2u);
  EXPECT_DOUBLE_EQ(a->f.calls_per_active_day, 3);
  EXPECT_EQ(a->f.max_calls_day, 4u);
  EXPECT_EQ(a->f.distinct_callees, 5u);
  EXPECT_EQ(a->f.max_callees_day, 4u);
  EXPECT_DOUBLE_EQ(a->f.calls_per_callee, 1.2);
  EXPECT_DOUBLE_EQ(a->f.one_day_callee_share, 0.8);  // 13900000001 on both days
  EXPECT_DOUBLE_EQ(a->f.out_share, 0.75);
  EXPECT_EQ(a->f.answered, 3u);
  EXPECT_DOUBLE_EQ(a->f.answer_rate, 0.5);
  EXPECT_DOUBLE_EQ(a->f.short_answered_share, 2.0 / 3);  // 5 s and 3 s of 5, 3, 20
  EXPECT_EQ(a->f.median_duration_s, 5);
  EXPECT_EQ(a->f.callees_who_called_back, 1u);
  EXPECT_DOUBLE_EQ(a->f.callback_ratio, 0.2);
  // Gaps within a day: 30, 60, 120 s on 1 July, 3600 s on 2 July. Median (60 + 120) / 2; mean
  // 952.5, deviations −922.5, −892.5, −832.5, 2647.5: variance 9349875 / 4.
  EXPECT_EQ(a->f.median_gap_s, 90);
  ASSERT_TRUE(a->f.gap_cv);
  EXPECT_NEAR(*a->f.gap_cv, std::sqrt(9349875.0 / 4) / 952.5, 1e-12);
  EXPECT_EQ(a->f.imeis, 3u);
  EXPECT_EQ(a->f.cells, 2u);
  EXPECT_DOUBLE_EQ(a->f.daytime_share, 4.0 / 6);  // 09:00 ×4 of 09, 09, 09, 09, 22, 23
  EXPECT_EQ(a->f.by_hour[9], 4u);
  EXPECT_EQ(a->f.by_hour[22], 1u);
  EXPECT_EQ(a->f.by_hour[23], 1u);
  EXPECT_EQ(a->f.first_day, DaysFromCivil(2022, 7, 1));
  EXPECT_EQ(a->f.last_day, DaysFromCivil(2022, 7, 2));
  // Its messages in the period (sms.csv; the one of 30 June is before it): 4 to 3 numbers, 2 of
  // them blocked.
  EXPECT_EQ(a->f.sms_sent, 4u);
  EXPECT_EQ(a->f.sms_receivers, 3u);
  EXPECT_EQ(a->f.sms_blocked_share, 0.5);
  EXPECT_EQ(a->rules, std::vector<std::string>(kCallerRules.begin(), kCallerRules.end()));
  EXPECT_DOUBLE_EQ(a->score, 1);
  EXPECT_TRUE(a->suspected);

  const JudgedCaller* b = Find(f, "13800000002");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->f.op, "联通");
  EXPECT_EQ(b->f.region, "吉林");  // 2 calls each in 吉林 and 长春: the first by name
  EXPECT_EQ(b->f.calls, 4u);
  EXPECT_EQ(b->f.active_days, 1u);
  EXPECT_EQ(b->f.distinct_callees, 2u);
  EXPECT_DOUBLE_EQ(b->f.calls_per_callee, 2);
  EXPECT_DOUBLE_EQ(b->f.one_day_callee_share, 1);
  EXPECT_DOUBLE_EQ(b->f.out_share, 1);
  EXPECT_EQ(b->f.answered, 2u);
  EXPECT_DOUBLE_EQ(b->f.short_answered_share, 0);  // one 60 s call; one without a duration
  EXPECT_EQ(b->f.median_duration_s, 60);
  EXPECT_EQ(b->f.median_gap_s, 1800);  // 300, 3300, 1800
  EXPECT_NEAR(*b->f.gap_cv, std::sqrt(1.5e6) / 1800, 1e-12);
  EXPECT_EQ(b->f.imeis, 0u);
  EXPECT_EQ(b->f.cells, 1u);
  EXPECT_EQ(b->f.sms_sent, 0u);  // the data has sms records; B sent none
  EXPECT_FALSE(b->f.sms_blocked_share.has_value());
  EXPECT_EQ(b->rules, (std::vector<std::string>{"volume", "no_call_back", "low_answer"}));
  EXPECT_DOUBLE_EQ(b->score, 2.5 / 4.5);
  EXPECT_FALSE(b->suspected);

  // A number that is not all digits keeps its text; so does one with a leading zero.
  const JudgedCaller* c = Find(f, "+8613800000003");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->f.region, "延边");
  EXPECT_EQ(c->f.answered, 0u);
  EXPECT_FALSE(c->f.median_duration_s.has_value());
  EXPECT_EQ(c->f.median_gap_s, 60);
  EXPECT_EQ(c->f.gap_cv, 0);
  EXPECT_EQ(c->rules,
            (std::vector<std::string>{"volume", "fan_out", "no_call_back", "low_answer"}));
  EXPECT_TRUE(c->suspected);

  const JudgedCaller* d = Find(f, "02000000001");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->f.calls_in, 1u);
  EXPECT_DOUBLE_EQ(d->f.callback_ratio, 1.0 / 3);
  EXPECT_DOUBLE_EQ(d->f.out_share, 0.75);
  EXPECT_EQ(d->f.cells, 0u);  // no cell recorded
  EXPECT_EQ(d->rules, (std::vector<std::string>{"volume", "fan_out", "low_answer"}));
  EXPECT_FALSE(d->suspected);

  // Ranked by score, then calls: A 1, C 3.5/4.5, then B (4 calls) before D (3) at 2.5/4.5.
  ASSERT_EQ(f.listed.size(), 4u);
  EXPECT_EQ(f.listed[0].f.number, "13800000001");
  EXPECT_EQ(f.listed[1].f.number, "+8613800000003");
  EXPECT_EQ(f.listed[2].f.number, "13800000002");
  EXPECT_EQ(f.listed[3].f.number, "02000000001");
  ASSERT_EQ(f.scores.size(), 4u);
}

TEST(Callers, FeatureNamesAndValuesLineUp) {
  CallersOptions o;
  o.rule = SmallRule();
  const LogRun run = RunLog(o, 1);
  const JudgedCaller* a = Find(run.findings, "13800000001");
  ASSERT_NE(a, nullptr);
  const std::vector<double> v = CallerFeatureValues(a->f);
  ASSERT_EQ(v.size(), CallerFeatureNames().size());
  const auto at = [&](const std::string& name) {
    const auto& names = CallerFeatureNames();
    return v[static_cast<size_t>(std::find(names.begin(), names.end(), name) - names.begin())];
  };
  EXPECT_EQ(at("calls"), 6);
  EXPECT_EQ(at("distinct_callees"), 5);
  EXPECT_EQ(at("callback_ratio"), 0.2);
  EXPECT_EQ(at("median_gap_s"), 90);
  EXPECT_DOUBLE_EQ(at("night_share"), 1.0 / 6);  // the 23:00 call
  const JudgedCaller* c = Find(run.findings, "+8613800000003");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(std::isnan(CallerFeatureValues(c->f)[12]));  // median_duration_s: none answered
}

// The same figures whether the calls stay in memory or go to disk, on one worker or two.
TEST(Callers, SpillingAndThreadsChangeNothing) {
  CallersOptions o;
  o.rule = SmallRule();
  const LogRun base = RunLog(o, 1);
  CallersOptions tiny = o;
  tiny.memory_budget = 64;  // a record or two: nearly every call is spilled
  tiny.spill_dir = ::testing::TempDir();
  const LogRun spilled = RunLog(tiny, 2);
  EXPECT_GT(spilled.findings.spilled_bytes, 0u);
  ASSERT_EQ(spilled.findings.listed.size(), base.findings.listed.size());
  for (size_t i = 0; i < base.findings.listed.size(); ++i) {
    const JudgedCaller& x = base.findings.listed[i];
    const JudgedCaller& y = spilled.findings.listed[i];
    EXPECT_EQ(x.f.number, y.f.number);
    EXPECT_EQ(CallerFeatureValues(x.f).size(), CallerFeatureValues(y.f).size());
    for (size_t k = 0; k < CallerFeatureValues(x.f).size(); ++k) {
      const double u = CallerFeatureValues(x.f)[k], w = CallerFeatureValues(y.f)[k];
      EXPECT_TRUE(u == w || (std::isnan(u) && std::isnan(w))) << CallerFeatureNames()[k];
    }
    EXPECT_EQ(x.score, y.score);
  }
  ASSERT_EQ(spilled.values.size(), base.values.size());
  for (size_t i = 0; i < base.values.size(); ++i) {
    EXPECT_EQ(spilled.values[i].value, base.values[i].value);
    EXPECT_EQ(spilled.values[i].n, base.values[i].n);
  }
}

TEST(Callers, AClearedNumberIsNeverSuspected) {
  CallersOptions o;
  o.rule = SmallRule();
  o.cleared = std::make_shared<std::unordered_set<uint64_t>>(
      std::unordered_set<uint64_t>{NumberKey("13800000001")});
  const LogRun run = RunLog(o, 2);
  EXPECT_EQ(run.findings.suspected, 1u);
  EXPECT_EQ(run.findings.cleared, 1u);
  const JudgedCaller* a = Find(run.findings, "13800000001");
  ASSERT_NE(a, nullptr);  // still listed, as cleared, with its evidence
  EXPECT_TRUE(a->cleared);
  EXPECT_FALSE(a->suspected);
  for (const IndicatorValue& v : run.values) {
    if (v.id == "callers.suspected_numbers" && v.group.empty()) {
      EXPECT_EQ(v.value, 1);
    }
  }
}

// A scorer replaces the rules' verdict and score; the rules still say what fired.
class CallsOverTen final : public CallerScorer {
 public:
  std::vector<double> ScoreBatch(const std::vector<std::vector<double>>& rows) const override {
    std::vector<double> out;
    for (const auto& x : rows) out.push_back(x[0] / 10);
    return out;
  }
  double threshold() const override { return 0.5; }
  std::string name() const override { return "calls-over-ten"; }
};

TEST(Callers, AScorerDecides) {
  CallersOptions o;
  o.rule = SmallRule();
  o.scorer = std::make_shared<CallsOverTen>();
  const LogRun run = RunLog(o, 2);
  EXPECT_EQ(run.findings.scorer, "calls-over-ten");
  EXPECT_EQ(run.findings.suspected, 1u);
  const JudgedCaller* a = Find(run.findings, "13800000001");
  ASSERT_NE(a, nullptr);
  EXPECT_DOUBLE_EQ(a->score, 0.6);
  EXPECT_TRUE(a->suspected);
  EXPECT_EQ(a->rules.size(), 6u);
  const JudgedCaller* c = Find(run.findings, "+8613800000003");
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->suspected);  // 0.3
}

// What the ranks of a cluster do (app/cluster_read.cpp): the numbers shared out by partition, each
// share loaded into another dictionary and completed apart, the findings added up on one. The
// result is the single run's, evidence, scores and values alike.
TEST(Callers, SharedOutByNumberAndCompletedApartGivesTheSameFindings) {
  CallersOptions o;
  o.rule = SmallRule();
  o.keep_all_features = true;
  o.local_offset_s = kOffset;
  const LogRun base = RunLog(o, 1);
  ASSERT_FALSE(base.findings.listed.empty());

  auto period = ParsePeriod("2022Q3", kOffset);
  ASSERT_TRUE(period);
  EvalContext ctx;
  ctx.periods = {*period, period->Previous(kOffset), period->YearEarlier(kOffset)};
  auto dataset = DiscoverDataSet(std::string(TSQ_GOLDEN_DIR) + "/callers_rules");
  ASSERT_TRUE(dataset);
  FamilySpec spec{"callers", RecordType::kCalls, CallerIds(), [o] { return MakeCallersState(o); }};
  spec.also_reads = {RecordType::kSms};
  StringDictionary read_dict;
  ReadOptions options;
  options.threads = 1;
  auto read = ReadFamilies(*dataset, {&spec}, ctx, options, &read_dict);
  ASSERT_TRUE(read) << read.error().message;
  const FamilyState& whole = *read->states[0];
  ASSERT_GT(whole.NumberPartitions(), 1u);

  constexpr size_t kRanks = 3;
  const std::vector<const FamilySpec*> families = {&spec};
  std::vector<StringDictionary> dicts(kRanks);
  std::vector<std::unique_ptr<FamilyState>> parts;
  for (size_t q = 0; q < kRanks; ++q) {
    dicts[q].Intern("a string only this rank has");  // so that the codes differ
    auto bytes = StateBytesWith(StateMeta{}, read_dict, {{"callers", &whole}},
                                [&](std::string_view, const FamilyState& s, StateOut& out) {
                                  s.SavePartitions(out, [&](size_t p) { return p % kRanks == q; });
                                });
    ASSERT_TRUE(bytes);
    auto reader = StateFileReader::FromBytes(std::move(*bytes), "share");
    ASSERT_TRUE(reader);
    parts.push_back(spec.create());
    ASSERT_TRUE((*reader)->LoadInto([&](std::string_view) { return parts.back().get(); }, &dicts[q],
                                    kNoSlot, false, /*keep_windows=*/true));
    EvalContext mine = ctx;
    mine.dict = &dicts[q];
    ASSERT_TRUE(parts.back()->Complete(mine, 2));
  }
  for (size_t q = 1; q < kRanks; ++q) {
    auto bytes = StateBytesWith(
        StateMeta{}, dicts[q], {{"callers", parts[q].get()}},
        [](std::string_view, const FamilyState& s, StateOut& out) { s.SaveCompleted(out); });
    ASSERT_TRUE(bytes);
    auto reader = StateFileReader::FromBytes(std::move(*bytes), "findings");
    ASSERT_TRUE(reader);
    ASSERT_TRUE((*reader)->LoadInto([&](std::string_view) { return parts[0].get(); }, &dicts[0],
                                    kNoSlot, false, true,
                                    [](std::string_view, FamilyState& s, StateIn& in,
                                       const StateMapping& map) { s.LoadCompleted(in, map); }));
  }
  EvalContext root = ctx;
  root.dict = &dicts[0];
  ASSERT_TRUE(parts[0]->Complete(root, 1));  // a no-op: completed already
  const CallerFindings& f = *CallersFindings(*parts[0]);
  const CallerFindings& b = base.findings;
  EXPECT_EQ(f.callers, b.callers);
  EXPECT_EQ(f.judged, b.judged);
  EXPECT_EQ(f.suspected, b.suspected);
  ASSERT_EQ(f.listed.size(), b.listed.size());
  for (size_t i = 0; i < b.listed.size(); ++i) {
    EXPECT_EQ(f.listed[i].f.number, b.listed[i].f.number);
    EXPECT_EQ(f.listed[i].f.op, b.listed[i].f.op);
    EXPECT_EQ(f.listed[i].f.region, b.listed[i].f.region);
    EXPECT_EQ(f.listed[i].rules, b.listed[i].rules);
    EXPECT_EQ(f.listed[i].score, b.listed[i].score);
    const std::vector<double> x = CallerFeatureValues(b.listed[i].f);
    const std::vector<double> y = CallerFeatureValues(f.listed[i].f);
    for (size_t k = 0; k < x.size(); ++k) {
      EXPECT_TRUE(x[k] == y[k] || (std::isnan(x[k]) && std::isnan(y[k])))
          << CallerFeatureNames()[k];
    }
  }
  ASSERT_EQ(f.scores.size(), b.scores.size());
  for (size_t i = 0; i < b.scores.size(); ++i) {
    EXPECT_EQ(f.scores[i].key, b.scores[i].key);
    EXPECT_EQ(f.scores[i].score, b.scores[i].score);
  }
  ASSERT_EQ(f.labelled_features.size(), b.labelled_features.size());
  for (size_t i = 0; i < b.labelled_features.size(); ++i) {
    EXPECT_EQ(f.labelled_features[i].first, b.labelled_features[i].first);
  }
  std::vector<IndicatorValue> values;
  parts[0]->Finalize(root, kCurrentSlot, &values);
  ASSERT_EQ(values.size(), base.values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(values[i].id, base.values[i].id);
    EXPECT_EQ(values[i].group, base.values[i].group);
    EXPECT_EQ(values[i].value, base.values[i].value);
    EXPECT_EQ(values[i].n, base.values[i].n);
  }
}

TEST(Callers, NumberKeysAreExactForDigitsAndDistinguishLeadingZeros) {
  EXPECT_NE(NumberKey("02000000001"), NumberKey("2000000001"));
  EXPECT_EQ(NumberKey("13800000001"), NumberKey("13800000001"));
  EXPECT_NE(NumberKey("13800000001"), NumberKey("13800000002"));
  EXPECT_NE(NumberKey("+8613800000001"), NumberKey("8613800000001"));
  EXPECT_NE(NumberKey("12345678901234567"), NumberKey("123456789012345678"));
}

}  // namespace
}  // namespace tsq
