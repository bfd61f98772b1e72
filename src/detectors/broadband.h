// Home-broadband rate compliance (宽带接入速率达标): a line is compliant when the mean measured
// downstream rate of its tests in the period reaches 90 % of its plan (互联网接入服务规范, 2013).
// The judged unit is operator × line × plan, so a line whose plan changed is judged once per plan.
// The family keeps each unit's tests, which are also the evidence a complaint handler hands to
// the customer.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/family.h"

namespace tsq {

struct BroadbandRule {
  double min_ratio = 0.9;  // compliant when mean ÷ plan >= this
};

struct LineTest {
  Micros tested_at = 0;
  double down_mbps = 0;
};

/// One judged unit: a line on one plan over the period.
struct JudgedLine {
  std::string op;
  std::string line_id;
  double plan_down_mbps = 0;
  std::string region;           // the most frequent region of its tests; empty when none named one
  std::vector<LineTest> tests;  // in time order
  double mean_down_mbps = 0;
  double ratio = 0;  // mean ÷ plan
  bool compliant = false;
};

struct BroadbandFindings {
  BroadbandRule rule;
  std::string period;
  std::vector<JudgedLine> lines;  // sorted by operator, line, plan
};

struct BroadbandOptions {
  int32_t local_offset_s = kChinaOffsetSeconds;
  BroadbandRule rule;
};

const std::vector<std::string>& BroadbandIds();

std::unique_ptr<FamilyState> MakeBroadbandState(const BroadbandOptions& options);

/// Every unit of the run's period, judged. nullopt when `state` is not the broadband family's.
std::optional<BroadbandFindings> BroadbandTestFindings(const FamilyState& state,
                                                       const EvalContext& ctx);

}  // namespace tsq
