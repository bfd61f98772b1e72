// The catalog: the one registry of what tsq computes and how people see it. Every indicator's
// names (zh, en), formula text, unit, polarity, target, minimum sample, source of its default,
// section (the chapter it is shown in), breakdowns and report flags; the sections' titles; the
// parameters the families compute with (time limits); the labels of the values data carries.
// It is data: a TOML file embedded in the binary (catalog.toml). A user's `--catalog FILE`
// overrides targets, limits, names and labels — also per operator — and anything it cannot mean
// (an unknown id, parameter or key, a wrong type, a value out of range) is an error naming the
// file, line and key.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "engine/value.h"

namespace tsq {

/// A breakdown: the dimensions of its groups, in Dim order; empty = the overall figure ("all").
using Breakdown = std::vector<Dim>;

/// "all", "operator", "operator × month"...
std::string BreakdownName(const Breakdown& b);

/// Where a parameter's value (a time limit) comes from.
struct LimitSource {
  std::string name_zh;  // "移动电话障碍修复最长时限"
  std::string name_en;
  TargetBasis basis = TargetBasis::kNone;
  std::string source_zh;
  std::string source_en;
  /// How the value reads: "hours" (the default), "seconds", "ratio", "count", "number", "mbps",
  /// "dbm" or "db".
  std::string unit = "hours";
};

/// A chapter of indicators in reports and tables ("网络质量").
struct SectionDef {
  std::string key;  // "network"
  int order = 0;    // chapters are shown by this, then by key
  std::string title_zh;
  std::string title_en;
};

struct IndicatorDef {
  std::string id;       // exact id, or a pattern with '*' segments: "orders.*.*.timely_rate"
  std::string name_zh;  // may hold {1}, {2}… (the id's segments, through [labels]) and
  std::string name_en;  // {param:KEY} (a parameter's value, per operator)
  std::string formula_zh;
  std::string formula_en;
  std::string unit;      // ratio | count | hours | seconds | minutes | cny | mbps
  std::string polarity;  // higher | lower | none (which direction is better)
  std::optional<Target> target;
  /// Where the target comes from; source_zh / source_en cite the rule (regulation or standard,
  /// year, clause) or say why it is tsq's default. A target a user's catalog sets is kCatalogFile.
  TargetBasis basis = TargetBasis::kNone;
  std::string source_zh;
  std::string source_en;
  uint64_t min_sample = 1;
  std::string section;  // a SectionDef key; may hold {1}… ("{1}": by the id's first segment)
  std::vector<Breakdown> breakdowns;  // the groups the id is printed for
  bool headline = false;              // shown in the operator tables although it has no target
  bool additive = false;  // a count of records: the groups of a breakdown add up to the total
};

class Catalog {
 public:
  /// The embedded default catalog.
  static Result<Catalog> Default();
  /// Parses a whole catalog (one that defines indicators, sections and parameters) from TOML.
  static Result<Catalog> Parse(std::string_view toml_text, std::string_view origin);

  /// Applies a user's catalog on top: targets, minimum samples, names, formulas, sources and
  /// labels of existing indicators, existing parameters, section titles, per-operator targets and
  /// parameters. `known_ids`, when given, are the concrete ids tsq can produce: a new specific
  /// entry ("orders.mobile.repair.timely_rate" under the pattern "orders.*.*.timely_rate") must
  /// be one of them. Errors name `origin`, the line and the key.
  Status Override(std::string_view toml_text, std::string_view origin,
                  const std::vector<std::string>* known_ids = nullptr);
  Status OverrideFile(const std::string& path, const std::vector<std::string>* known_ids = nullptr);

  /// The definition of `id` (exact match first, then the most specific pattern), or nullptr.
  const IndicatorDef* Find(std::string_view id) const;
  /// The target of `id` for `op` (the group's operator; empty for groups across operators):
  /// per operator (exact id, then the most specific pattern) before the indicator's own.
  std::optional<Target> TargetFor(std::string_view id, std::string_view op) const;
  /// Where TargetFor's target comes from: kCatalogFile for a per-operator target or one a user's
  /// file set, else the entry's own basis.
  TargetBasis BasisFor(std::string_view id, std::string_view op) const;
  uint64_t MinSampleFor(std::string_view id, std::string_view op) const;
  /// A parameter such as "orders.mobile.change.max_hours", per operator when the catalog
  /// overrides it for `op`.
  std::optional<double> Param(std::string_view key, std::string_view op = {}) const;
  /// Where a parameter's value comes from: the catalog's [limits] entry, or kCatalogFile when a
  /// user's file set it (for all operators, or for `op`).
  LimitSource LimitSourceFor(std::string_view key, std::string_view op = {}) const;

  /// The name of a concrete id in `lang` ("zh"/"en"), for `op` (empty: across operators): the
  /// pattern's {1}, {2}… are the labels of the id's segments at those positions (orders.mobile.
  /// repair → 移动电话, 障碍修复) and {param:KEY} the parameter's value ("15", or "15/20" across
  /// operators whose values differ).
  std::string DisplayName(std::string_view id, std::string_view lang,
                          std::string_view op = {}) const;
  /// The formula text of a concrete id, with the same substitutions.
  std::string DisplayFormula(std::string_view id, std::string_view lang,
                             std::string_view op = {}) const;
  /// The label of a raw value (a service, kind, category, channel…) from the catalog's [labels].
  std::string Label(std::string_view raw, std::string_view lang) const;

  /// The section a concrete id is shown in; nullptr when its entry names none.
  const SectionDef* SectionOf(std::string_view id) const;
  const std::vector<SectionDef>& sections() const { return sections_; }

  const std::vector<IndicatorDef>& defs() const { return defs_; }
  /// Parameter names, sorted.
  std::vector<std::string> ParamNames() const;
  /// Operators the catalog has overrides for, sorted.
  std::vector<std::string> OperatorNames() const;
  /// SHA-256 (hex) of the catalog in use (the default plus every override, in order).
  std::string Hash() const;
  /// SHA-256 (hex) of the parameters alone (limits and thresholds, per operator too): what
  /// shapes the families' partial states, unlike targets, which are applied to final values.
  std::string ParamsHash() const;
  /// The TOML texts that made this catalog, for the report's appendix.
  const std::vector<std::string>& sources() const { return texts_; }

 private:
  friend class CatalogReader;

  // Per-operator overrides, keyed by id or pattern.
  struct OperatorOverrides {
    std::map<std::string, Target, std::less<>> targets;
    std::map<std::string, uint64_t, std::less<>> min_samples;
    std::map<std::string, double, std::less<>> params;
  };

  std::string Substitute(std::string text, std::string_view id, std::string_view lang,
                         std::string_view op) const;

  std::vector<IndicatorDef> defs_;
  std::vector<SectionDef> sections_;
  std::map<std::string, double, std::less<>> params_;
  std::map<std::string, LimitSource, std::less<>> limits_;
  std::set<std::string, std::less<>> params_overridden_;  // set by a user's file
  std::map<std::string, OperatorOverrides, std::less<>> operators_;
  std::map<std::string, std::pair<std::string, std::string>, std::less<>> labels_;  // zh, en
  std::vector<std::string> texts_;

  // Find()'s answers by id: matching an id against every pattern is what reports and verdicts
  // spent most of their time on. Valid while defs_ neither moves nor grows (entries are only
  // ever appended); a copy starts empty.
  struct FindMemo {
    FindMemo() = default;
    FindMemo(const FindMemo&) {}
    FindMemo& operator=(const FindMemo&) {
      std::lock_guard lock(mu);
      by_id.clear();
      return *this;
    }
    std::mutex mu;
    const IndicatorDef* defs = nullptr;
    size_t size = 0;
    std::map<std::string, const IndicatorDef*, std::less<>> by_id;
  };
  const IndicatorDef* FindUncached(std::string_view id) const;
  mutable FindMemo find_memo_;
};

}  // namespace tsq
