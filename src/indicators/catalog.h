// The catalog: every indicator's names (zh, en), formula text, unit, polarity, target, minimum
// sample and the source of its default, plus the parameters the families compute with (time
// limits, thresholds). It is data: a TOML file embedded in the binary (catalog.toml), which a
// user's `--catalog FILE` overrides in any subset, also per operator.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "engine/value.h"

namespace tsq {

struct IndicatorDef {
  std::string id;  // exact id, or a pattern with '*' segments: "orders.*.*.timely_rate"
  std::string name_zh;
  std::string name_en;
  std::string formula_zh;
  std::string formula_en;
  std::string unit;      // ratio | count | hours | seconds | minutes | cny | mbps
  std::string polarity;  // higher | lower | none (which direction is better)
  std::optional<Target> target;
  uint64_t min_sample = 1;
  std::string source;  // where the default limit comes from
};

class Catalog {
 public:
  /// The embedded default catalog.
  static Result<Catalog> Default();
  /// Parses a whole catalog from TOML text (`origin` names it in errors).
  static Result<Catalog> Parse(std::string_view toml_text, std::string_view origin);

  /// Applies a user's catalog file on top: any subset of indicators, parameters and
  /// per-operator overrides.
  Status Override(std::string_view toml_text, std::string_view origin);
  Status OverrideFile(const std::string& path);

  /// The definition of `id` (exact match first, then the most specific pattern), or nullptr.
  const IndicatorDef* Find(std::string_view id) const;
  /// The target of `id` for `op` (the group's operator; empty for groups across operators).
  std::optional<Target> TargetFor(std::string_view id, std::string_view op) const;
  uint64_t MinSampleFor(std::string_view id, std::string_view op) const;
  /// A parameter such as "orders.mobile.change.max_hours" or "complaints.max_hours", per
  /// operator when the catalog overrides it for `op`.
  std::optional<double> Param(std::string_view key, std::string_view op = {}) const;

  /// The name of a concrete id in `lang` ("zh"/"en"): a pattern's `{1}`, `{2}`… are replaced by the
  /// labels of the id's segments at those positions (orders.mobile.repair → 移动电话, 障碍修复).
  std::string DisplayName(std::string_view id, std::string_view lang) const;
  /// The label of a raw value (a service, kind, category, channel…) from the catalog's [labels].
  std::string Label(std::string_view raw, std::string_view lang) const;

  const std::vector<IndicatorDef>& defs() const { return defs_; }
  /// SHA-256 (hex) of the catalog in use (the default plus every override, in order).
  std::string Hash() const;
  /// The TOML texts that made this catalog, for the report's appendix.
  const std::vector<std::string>& sources() const { return texts_; }

 private:
  std::vector<IndicatorDef> defs_;
  std::map<std::string, double, std::less<>> params_;
  // operator -> (id -> target / min_sample), operator -> (param -> value)
  std::map<std::string, std::map<std::string, Target, std::less<>>, std::less<>> op_targets_;
  std::map<std::string, std::map<std::string, uint64_t, std::less<>>, std::less<>> op_min_samples_;
  std::map<std::string, std::map<std::string, double, std::less<>>, std::less<>> op_params_;
  std::map<std::string, std::pair<std::string, std::string>, std::less<>> labels_;  // zh, en
  std::vector<std::string> texts_;
};

}  // namespace tsq
