// The registry of indicator families: one per record type, each computing every indicator of its
// type in one pass. `tsq indicators`, the golden-case coverage test and the docs all read it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/period.h"
#include "core/string_dictionary.h"
#include "detectors/callers.h"
#include "detectors/cells.h"
#include "engine/family.h"
#include "indicators/catalog.h"

namespace tsq {

/// What the user chose for the findings beyond the catalog (command-line options of cells, kpi
/// and report).
struct FindingChoices {
  bool cells_by_signal = false;     // judge cells by RSRP/SINR instead of downstream rate
  bool one_per_device_day = false;  // one sample per device per day
  std::optional<Period> baseline;   // the remediation baseline; nullopt = the preceding period
  std::map<std::string, WorkOrder> work_orders;  // by cell id
  std::shared_ptr<const StoredBaseline>
      stored_baseline;  // the baseline as an earlier run stored it
  // Suspected callers (see CallersOptions).
  std::shared_ptr<const CallerScorer> caller_model;                     // nullptr: the rules
  std::shared_ptr<const std::unordered_set<uint64_t>> cleared_callers;  // the whitelist
  std::shared_ptr<const std::unordered_set<uint64_t>> labelled_callers;
  bool caller_all_features = false;
  size_t caller_memory = 0;  // bytes of call records per worker before spilling; 0: default
  std::string spill_dir;
};

/// What a family needs besides its rows: the local time offset, the catalog (time limits and
/// thresholds, per operator), the run's dictionary (to look up an operator's name) and the
/// findings choices.
struct FamilyConfig {
  int32_t local_offset_s = kChinaOffsetSeconds;
  const Catalog* catalog = nullptr;
  const StringDictionary* dict = nullptr;
  const FindingChoices* findings = nullptr;  // nullptr = the defaults
};

FamilySpec OrdersFamilySpec(const FamilyConfig& cfg);
FamilySpec CallsFamilySpec(const FamilyConfig& cfg);
FamilySpec SmsFamilySpec(const FamilyConfig& cfg);
FamilySpec BillingFamilySpec(const FamilyConfig& cfg);
FamilySpec ComplaintsFamilySpec(const FamilyConfig& cfg);
FamilySpec AppealsFamilySpec(const FamilyConfig& cfg);
FamilySpec HotlineFamilySpec(const FamilyConfig& cfg);
FamilySpec PortingFamilySpec(const FamilyConfig& cfg);
FamilySpec SpeedtestsFamilySpec(const FamilyConfig& cfg);
FamilySpec BroadbandFamilySpec(const FamilyConfig& cfg);
FamilySpec CallersFamilySpec(const FamilyConfig& cfg);
FamilySpec SubscribersFamilySpec(const FamilyConfig& cfg);

/// Every default family, in contract order.
std::vector<FamilySpec> DefaultFamilies(const FamilyConfig& cfg);

/// A per-operator parameter looked up once per operator id (rows carry dictionary ids).
/// REQUIRES: `cfg` outlives this object (families keep their FamilyConfig as a member).
class OperatorParam {
 public:
  OperatorParam(const FamilyConfig& cfg, std::string key, double fallback);
  double For(uint32_t operator_id);

 private:
  const FamilyConfig* cfg_;
  std::string key_;
  double fallback_;
  std::vector<double> by_id_;  // NaN = not looked up yet
};

}  // namespace tsq
