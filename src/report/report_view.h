// ReportView: the report input indexed and ordered the way every report format presents it — the
// operators in the order regulators list them, the indicators in chapters (mobile service,
// broadband, network quality, complaints...) and catalog order, each operator's judged figures,
// the comparison values of the same id and group, and which figures have monthly or regional
// breakdowns worth a chart. It selects and orders; it computes no new figures.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "report/report_input.h"

namespace tsq::report {

/// Values of one period looked up by id and group.
class ValueIndex {
 public:
  explicit ValueIndex(const std::vector<IndicatorValue>& values);
  const IndicatorValue* Find(std::string_view id, const Group& group) const;
  /// Every value of `id` (by group), or nullptr when the id has none.
  const std::map<Group, const IndicatorValue*>* ForId(std::string_view id) const;

 private:
  std::map<std::string, std::map<Group, const IndicatorValue*>, std::less<>> by_id_;
};

/// A chapter of indicators (the catalog's section), in the order the operators' reports list them.
struct Chapter {
  int order = 0;
  std::string title;
};

struct VerdictCounts {
  int judged = 0;  // values with a target
  int met = 0;
  int missed = 0;
  int insufficient = 0;
  int inconclusive = 0;  // met or missed, but the 95 % interval straddles the target
};

class ReportView {
 public:
  /// REQUIRES: in.catalog is set and outlives the view.
  explicit ReportView(const ReportInput& in);

  const ReportInput& input() const { return in_; }
  Lang lang() const { return in_.lang; }
  const ValueIndex& current() const { return current_; }
  const ValueIndex& previous() const { return previous_; }
  const ValueIndex& year_earlier() const { return year_earlier_; }

  /// Operators of the period: 移动, 联通, 电信, 广电 first (the order of the regulator's notices),
  /// then others by name.
  const std::vector<std::string>& operators() const { return operators_; }
  /// Months ("2022-11") and regions of the period's breakdowns.
  const std::vector<std::string>& months() const { return months_; }
  const std::vector<std::string>& regions() const { return regions_; }

  /// The indicator's name in the report language, for operator `op` (empty: across operators;
  /// a name may follow a per-operator limit, e.g. "20秒人工应答率").
  std::string Name(std::string_view id, std::string_view op = {}) const;
  /// The indicator's formula text in the report language.
  std::string Formula(std::string_view id) const;
  /// A raw dimension value (operator, region, category...) for people, through the catalog labels.
  std::string Label(std::string_view raw) const;
  /// The catalog unit ("count" for an id the catalog does not know).
  std::string Unit(std::string_view id) const;
  /// "higher", "lower" or "none".
  std::string Polarity(std::string_view id) const;
  const IndicatorDef* Def(std::string_view id) const;

  Chapter ChapterOf(std::string_view id) const;
  /// Sort key: chapter, then catalog order, then id.
  bool IdLess(std::string_view a, std::string_view b) const;

  /// The figures of the table 主要服务指标完成情况 for one operator (group {operator} or, for
  /// porting, {from_operator}): every figure with a target plus those the catalog marks headline
  /// (published without one), in chapter order.
  std::vector<const IndicatorValue*> OperatorRows(std::string_view op) const;
  /// The same for the province as a whole (group {}).
  std::vector<const IndicatorValue*> OverallRows() const;
  /// Counts over the figures with a target among `rows`.
  static VerdictCounts Count(const std::vector<const IndicatorValue*>& rows);

  /// Every missed verdict of the period, at every breakdown, the furthest from its target first
  /// (relative distance), then the larger sample.
  std::vector<const IndicatorValue*> Misses() const;
  /// How far a missed value lies from its target, relative to what the target allows, so that
  /// figures of different scales rank together: |v − t| / |t| (the absolute distance for a target
  /// of 0); for a rate with a minimum, on the share that failed against the share allowed to
  /// fail, (t − v) / (1 − t). 94 % against ≥ 99 % (6 % failed where 1 % may) is then 5, as far
  /// out as 0.06 % against ≤ 0.01 %.
  static double Shortfall(const IndicatorValue& v);

  /// Ids to chart by month (figures with a target and per operator × month values in at least two
  /// months), restricted to ids starting with `prefix` when it is not empty, and excluding ids
  /// starting with any of `exclude`.
  std::vector<std::string> MonthlyChartIds(std::string_view prefix,
                                           const std::vector<std::string>& exclude) const;
  /// Ids to chart by region (figures with a target and operator × region values).
  std::vector<std::string> RegionalChartIds(std::string_view prefix,
                                            const std::vector<std::string>& exclude) const;
  /// Whether the period has any figure whose id starts with `prefix`.
  bool HasPrefix(std::string_view prefix) const;
  /// Distinct ids of the period in presentation order.
  const std::vector<std::string>& ids() const { return ids_; }

  /// The value of the same id and group in the preceding / year-earlier period, if any.
  const IndicatorValue* Previous(const IndicatorValue& v) const;
  const IndicatorValue* YearEarlier(const IndicatorValue& v) const;
  bool has_previous() const { return in_.previous.has_value() && !in_.previous_values.empty(); }
  bool has_year_earlier() const {
    return in_.year_earlier.has_value() && !in_.year_earlier_values.empty();
  }

 private:
  std::vector<const IndicatorValue*> RowsFor(const std::vector<Group>& groups) const;

  const ReportInput& in_;
  const Catalog& catalog_;
  ValueIndex current_;
  ValueIndex previous_;
  ValueIndex year_earlier_;
  // IdLess's order: chapter order and title, catalog position, id.
  using SortKey = std::tuple<int, std::string, size_t, std::string>;
  SortKey KeyOf(std::string_view id) const;
  // The period's ids by presentation rank, found once: sorting a report's values compares them
  // many times, and each key takes catalog pattern matches.
  std::map<std::string, size_t, std::less<>> rank_;
  std::vector<std::string> operators_;
  std::vector<std::string> months_;
  std::vector<std::string> regions_;
  std::vector<std::string> ids_;
};

/// The group {operator: op}.
Group OperatorGroup(std::string_view op);
/// Whether `g` holds exactly the dimensions `dims` (in Dim order).
bool HasDims(const Group& g, std::initializer_list<Dim> dims);

}  // namespace tsq::report
