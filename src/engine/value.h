// The engine's output: one IndicatorValue per indicator id and group (breakdown), in the shape of
// docs/indicators.md, "The JSON of `tsq kpi --format json`". Families produce raw values; the judge
// adds targets, verdicts and intervals from the catalog.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tsq {

/// Breakdown dimensions, in the order they are printed in a group.
enum class Dim : uint8_t {
  kOperator,
  kFromOperator,
  kRegion,
  kMonth,
  kRat,
  kPlan,
  kCategory,
  kChannel,
  kRejectReason,
};
inline constexpr int kDimCount = 9;
/// "operator", "from_operator", "region", "month", "rat", "plan", "category", "channel",
/// "reject_reason".
const char* DimName(Dim d);
/// The dimension DimName() calls `name`; nullopt for none.
std::optional<Dim> DimFromName(std::string_view name);

/// A group: the breakdown's dimension values, sorted by Dim. Empty = the overall figure.
struct Group {
  std::vector<std::pair<Dim, std::string>> dims;

  bool empty() const { return dims.empty(); }
  const std::string* Find(Dim d) const;
  /// "operator=移动,month=2022-11" (for keys and messages).
  std::string ToString() const;
  bool operator==(const Group& o) const { return dims == o.dims; }
  bool operator<(const Group& o) const { return dims < o.dims; }
};

enum class TargetOp : uint8_t { kAtLeast, kAtMost };

struct Target {
  TargetOp op = TargetOp::kAtLeast;
  double value = 0;
  /// ">=" or "<=".
  const char* OpText() const { return op == TargetOp::kAtLeast ? ">=" : "<="; }
  bool Met(double v) const { return op == TargetOp::kAtLeast ? v >= value : v <= value; }
};

/// Where a target comes from: a regulation, tsq's own default, or the user's catalog file (an
/// operator's own commitment, a province's stricter rule). Shown with every target, so that a
/// reader can tell a regulatory limit from a default.
enum class TargetBasis : uint8_t { kNone, kRegulation, kToolDefault, kCatalogFile };
/// "regulation", "tool_default", "catalog"; kNone has no text.
const char* TargetBasisName(TargetBasis b);

enum class Verdict : uint8_t { kNone, kMet, kMissed, kInsufficient };
/// "met", "missed", "insufficient data"; kNone has no text.
const char* VerdictName(Verdict v);

struct Interval {
  double low = 0;
  double high = 0;
  bool inconclusive = false;  // the interval straddles the target
};

struct IndicatorValue {
  std::string id;  // "orders.mobile.repair.timely_rate"
  Group group;
  std::optional<double> value;  // nullopt = no value (empty group, zero denominator)
  uint64_t n = 0;               // records the figure rests on (a rate's denominator)
  bool is_rate = false;         // a proportion of n: gets a Wilson interval
  uint64_t successes = 0;       // for rates: the numerator (value = successes / n)
  // Filled by the judge:
  std::optional<Target> target;
  TargetBasis target_basis = TargetBasis::kNone;
  Verdict verdict = Verdict::kNone;
  std::optional<Interval> ci;
};

/// Everything one run computed for its period.
struct IndicatorSet {
  std::vector<IndicatorValue> values;
};

}  // namespace tsq
