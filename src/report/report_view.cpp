#include "report/report_view.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace tsq::report {
namespace {

// Regulators list the operators in this order (seed 001: 移动, 联通, 电信).
int OperatorRank(std::string_view op) {
  static constexpr std::string_view kOrder[] = {"移动", "联通", "电信", "广电"};
  for (int i = 0; i < 4; ++i) {
    if (op.find(kOrder[i]) != std::string_view::npos) return i;
  }
  static constexpr std::string_view kOrderEn[] = {"mobile", "unicom", "telecom", "broadnet"};
  std::string lower(op);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (int i = 0; i < 4; ++i) {
    if (lower.find(kOrderEn[i]) != std::string::npos) return i;
  }
  return 4;
}

bool StartsWithAny(std::string_view id, const std::vector<std::string>& prefixes) {
  for (const std::string& p : prefixes) {
    if (id.starts_with(p)) return true;
  }
  return false;
}

}  // namespace

ValueIndex::ValueIndex(const std::vector<IndicatorValue>& values) {
  for (const IndicatorValue& v : values) by_id_[v.id].emplace(v.group, &v);
}

const IndicatorValue* ValueIndex::Find(std::string_view id, const Group& group) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return nullptr;
  auto g = it->second.find(group);
  return g == it->second.end() ? nullptr : g->second;
}

const std::map<Group, const IndicatorValue*>* ValueIndex::ForId(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

Group OperatorGroup(std::string_view op) {
  Group g;
  g.dims.emplace_back(Dim::kOperator, std::string(op));
  return g;
}

bool HasDims(const Group& g, std::initializer_list<Dim> dims) {
  if (g.dims.size() != dims.size()) return false;
  size_t i = 0;
  for (Dim d : dims) {
    if (g.dims[i++].first != d) return false;
  }
  return true;
}

ReportView::ReportView(const ReportInput& in)
    : in_(in),
      catalog_(*in.catalog),
      current_(in.current),
      previous_(in.previous_values),
      year_earlier_(in.year_earlier_values) {
  std::set<std::string> ops;
  std::set<std::string> months;
  std::set<std::string> seen_regions;
  std::set<std::string> ids;
  for (const IndicatorValue& v : in.current) {
    ids.insert(v.id);
    for (const auto& [dim, value] : v.group.dims) {
      if (dim == Dim::kOperator || dim == Dim::kFromOperator) ops.insert(value);
      if (dim == Dim::kMonth) months.insert(value);
      if (dim == Dim::kRegion && seen_regions.insert(value).second) regions_.push_back(value);
    }
  }
  operators_.assign(ops.begin(), ops.end());
  std::stable_sort(
      operators_.begin(), operators_.end(),
      [](const std::string& a, const std::string& b) { return OperatorRank(a) < OperatorRank(b); });
  months_.assign(months.begin(), months.end());
  // Each id's key is worked out once, not at every comparison.
  std::vector<std::pair<SortKey, std::string>> keyed;
  for (const std::string& id : ids) keyed.emplace_back(KeyOf(id), id);
  std::sort(keyed.begin(), keyed.end());
  for (auto& [key, id] : keyed) {
    rank_[id] = ids_.size();
    ids_.push_back(std::move(id));
  }
}

std::string ReportView::Name(std::string_view id, std::string_view op) const {
  std::string name = catalog_.DisplayName(id, lang() == Lang::kZh ? "zh" : "en", op);
  // English names built from labels start in lower case ("mobile fault repair..."): a table cell
  // or a heading starts with a capital.
  if (lang() == Lang::kEn && !name.empty() && name != id && name[0] >= 'a' && name[0] <= 'z') {
    name[0] = static_cast<char>(name[0] - 'a' + 'A');
  }
  return name;
}

std::string ReportView::Formula(std::string_view id) const {
  return catalog_.DisplayFormula(id, lang() == Lang::kZh ? "zh" : "en");
}

std::string ReportView::Label(std::string_view raw) const {
  return catalog_.Label(raw, lang() == Lang::kZh ? "zh" : "en");
}

const IndicatorDef* ReportView::Def(std::string_view id) const { return catalog_.Find(id); }

std::string ReportView::Unit(std::string_view id) const {
  const IndicatorDef* d = Def(id);
  return d != nullptr ? d->unit : "count";
}

std::string ReportView::Polarity(std::string_view id) const {
  if (const IndicatorDef* d = Def(id); d != nullptr && !d->polarity.empty()) return d->polarity;
  return "none";
}

Chapter ReportView::ChapterOf(std::string_view id) const {
  const SectionDef* section = catalog_.SectionOf(id);
  if (section == nullptr) return {1 << 20, std::string(id.substr(0, id.find('.')))};
  return {section->order, lang() == Lang::kZh ? section->title_zh : section->title_en};
}

ReportView::SortKey ReportView::KeyOf(std::string_view id) const {
  Chapter chapter = ChapterOf(id);
  const IndicatorDef* d = Def(id);
  const size_t index =
      d == nullptr ? catalog_.defs().size() : static_cast<size_t>(d - catalog_.defs().data());
  return {chapter.order, std::move(chapter.title), index, std::string(id)};
}

bool ReportView::IdLess(std::string_view a, std::string_view b) const {
  const auto rank_a = rank_.find(a);
  const auto rank_b = rank_.find(b);
  if (rank_a != rank_.end() && rank_b != rank_.end()) return rank_a->second < rank_b->second;
  return KeyOf(a) < KeyOf(b);
}

std::vector<const IndicatorValue*> ReportView::RowsFor(const std::vector<Group>& groups) const {
  std::vector<const IndicatorValue*> rows;
  for (const std::string& id : ids_) {
    for (const Group& g : groups) {
      const IndicatorValue* v = current_.Find(id, g);
      const IndicatorDef* def = Def(id);
      if (v != nullptr && (v->target.has_value() || (def != nullptr && def->headline))) {
        rows.push_back(v);
        break;
      }
    }
  }
  return rows;
}

std::vector<const IndicatorValue*> ReportView::OperatorRows(std::string_view op) const {
  Group from;
  from.dims.emplace_back(Dim::kFromOperator, std::string(op));
  return RowsFor({OperatorGroup(op), from});
}

std::vector<const IndicatorValue*> ReportView::OverallRows() const { return RowsFor({Group{}}); }

VerdictCounts ReportView::Count(const std::vector<const IndicatorValue*>& rows) {
  VerdictCounts c;
  for (const IndicatorValue* v : rows) {
    if (!v->target) continue;
    ++c.judged;
    if (v->verdict == Verdict::kMet) ++c.met;
    if (v->verdict == Verdict::kMissed) ++c.missed;
    if (v->verdict == Verdict::kInsufficient) ++c.insufficient;
    if (v->ci && v->ci->inconclusive &&
        (v->verdict == Verdict::kMet || v->verdict == Verdict::kMissed)) {
      ++c.inconclusive;
    }
  }
  return c;
}

double ReportView::Shortfall(const IndicatorValue& v) {
  if (!v.value || !v.target) return 0;
  const double gap = std::fabs(*v.value - v.target->value);
  if (v.is_rate && v.target->op == TargetOp::kAtLeast && v.target->value < 1) {
    return gap / (1 - v.target->value);
  }
  return v.target->value != 0 ? gap / std::fabs(v.target->value) : gap;
}

std::vector<const IndicatorValue*> ReportView::Misses() const {
  std::vector<const IndicatorValue*> out;
  for (const IndicatorValue& v : in_.current) {
    if (v.verdict == Verdict::kMissed) out.push_back(&v);
  }
  std::stable_sort(out.begin(), out.end(), [](const IndicatorValue* a, const IndicatorValue* b) {
    const double sa = Shortfall(*a);
    const double sb = Shortfall(*b);
    if (sa != sb) return sa > sb;
    if (a->n != b->n) return a->n > b->n;
    if (a->id != b->id) return a->id < b->id;
    return a->group < b->group;
  });
  return out;
}

std::vector<std::string> ReportView::MonthlyChartIds(
    std::string_view prefix, const std::vector<std::string>& exclude) const {
  std::vector<std::string> out;
  for (const std::string& id : ids_) {
    if (!id.starts_with(prefix) || StartsWithAny(id, exclude)) continue;
    std::set<std::string> months;
    std::set<std::string> overall_months;
    for (const auto& [g, v] : *current_.ForId(id)) {
      if (!v->target) continue;
      if (HasDims(g, {Dim::kOperator, Dim::kMonth})) months.insert(*g.Find(Dim::kMonth));
      if (HasDims(g, {Dim::kMonth})) overall_months.insert(*g.Find(Dim::kMonth));
    }
    if (months.size() >= 2 || overall_months.size() >= 2) out.push_back(id);
  }
  return out;
}

std::vector<std::string> ReportView::RegionalChartIds(
    std::string_view prefix, const std::vector<std::string>& exclude) const {
  std::vector<std::string> out;
  for (const std::string& id : ids_) {
    if (!id.starts_with(prefix) || StartsWithAny(id, exclude)) continue;
    std::set<std::string> regions;
    for (const auto& [g, v] : *current_.ForId(id)) {
      if (v->target && (HasDims(g, {Dim::kOperator, Dim::kRegion}) || HasDims(g, {Dim::kRegion}))) {
        regions.insert(*g.Find(Dim::kRegion));
      }
    }
    if (regions.size() >= 2) out.push_back(id);
  }
  return out;
}

bool ReportView::HasPrefix(std::string_view prefix) const {
  return std::any_of(ids_.begin(), ids_.end(),
                     [&](const std::string& id) { return id.starts_with(prefix); });
}

const IndicatorValue* ReportView::Previous(const IndicatorValue& v) const {
  return previous_.Find(v.id, v.group);
}

const IndicatorValue* ReportView::YearEarlier(const IndicatorValue& v) const {
  return year_earlier_.Find(v.id, v.group);
}

}  // namespace tsq::report
