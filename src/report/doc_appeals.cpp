// The appeals section: accepted, settled, settlement rate and year-on-year change per operator
// and category, as the regulator's notices publish them.
#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "report/doc_builder.h"
#include "report/report_format.h"
#include "report/text_table.h"

namespace tsq::report {

const IndicatorValue* DocBuilder::AppealCategoryValue(std::string_view metric, const Group& base,
                                                      const std::string& category) const {
  Group g = base;
  g.dims.emplace_back(Dim::kCategory, category);
  std::sort(g.dims.begin(), g.dims.end());
  if (const IndicatorValue* v = view_.current().Find(fmt::format("appeals.{}", metric), g))
    return v;
  return view_.current().Find(fmt::format("appeals.category.{}.{}", category, metric), base);
}

std::vector<std::string> DocBuilder::AppealCategories() const {
  std::vector<std::string> out;
  const auto add = [&](const std::string& c) {
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  };
  for (const IndicatorValue& v : in_.current) {
    if (v.id == "appeals.accepted") {
      if (const std::string* c = v.group.Find(Dim::kCategory)) add(*c);
    } else if (v.id.starts_with("appeals.category.") && v.id.ends_with(".accepted")) {
      const std::string_view rest = std::string_view(v.id).substr(17);
      add(std::string(rest.substr(0, rest.size() - 9)));
    }
  }
  return out;
}

std::optional<double> DocBuilder::AppealsYoy(const Group& g) const {
  if (const IndicatorValue* v = view_.current().Find("appeals.accepted_change_yoy", g)) {
    return v->value;
  }
  const IndicatorValue* now = view_.current().Find("appeals.accepted", g);
  const IndicatorValue* before = view_.year_earlier().Find("appeals.accepted", g);
  if (now && before && now->value && before->value && *before->value != 0) {
    return (*now->value - *before->value) / *before->value;
  }
  return std::nullopt;
}

void DocBuilder::AppealsSection() {
  if (!view_.HasPrefix("appeals.")) return;
  Section& s = AddSection("appeals", NextTitle(T("用户申诉情况", "Appeals to the regulator")),
                          T("申诉", "Appeals"));
  const ValueIndex& cur = view_.current();
  const auto value_of = [&](std::string_view id, const Group& g) -> std::optional<double> {
    const IndicatorValue* v = cur.Find(id, g);
    if (v != nullptr) used_ids_.insert(v->id);
    return v != nullptr ? v->value : std::nullopt;
  };
  const std::vector<std::string> categories = AppealCategories();
  const std::optional<double> accepted = value_of("appeals.accepted", Group{});
  if (accepted) {
    const std::optional<double> settled = value_of("appeals.settled", Group{});
    const std::optional<double> rate = value_of("appeals.settlement_rate", Group{});
    const std::optional<double> yoy = AppealsYoy(Group{});
    std::string text;
    if (lang_ == Lang::kZh) {
      text = fmt::format("{}{}共受理用户申诉 {} 件", PeriodTitle(in_.period, lang_), in_.province,
                         FormatBare(*accepted, "count"));
      if (yoy) text += "，同比" + FormatRelativeChangeWords(*yoy, lang_);
      if (settled) text += fmt::format("，经调解达成和解 {} 件", FormatBare(*settled, "count"));
      if (rate) text += "，和解率 " + Percent(*rate);
      text += "。";
    } else {
      text = fmt::format("In {}, {} appeals were accepted", PeriodTitle(in_.period, lang_),
                         FormatBare(*accepted, "count"));
      if (yoy) text += " (" + FormatRelativeChangeWords(*yoy, lang_) + " year on year)";
      if (settled)
        text += fmt::format("; {} were settled by mediation", FormatBare(*settled, "count"));
      if (rate) text += ", a settlement rate of " + Percent(*rate);
      text += ".";
    }
    // The largest categories, as the notice names them.
    std::vector<std::pair<double, std::string>> by_category;
    for (const std::string& c : categories) {
      const IndicatorValue* v = AppealCategoryValue("accepted", Group{}, c);
      if (v && v->value) by_category.emplace_back(*v->value, c);
    }
    std::sort(by_category.rbegin(), by_category.rend());
    if (!by_category.empty() && *accepted > 0) {
      text += T("其中", " The largest categories: ");
      for (size_t i = 0; i < by_category.size() && i < 3; ++i) {
        if (i > 0) text += T("，", ", ");
        text += fmt::format("{} {}{}", view_.Label(by_category[i].second),
                            FormatBare(by_category[i].first, "count"), T(" 件", "")) +
                Paren(Percent(by_category[i].first / *accepted));
      }
      text += T("。", ".");
    }
    s.blocks.push_back(Paragraph{std::move(text)});
  }
  Table t;
  t.caption = T("各运营商申诉受理与和解情况", "Appeals per operator");
  t.header = {
      T("被申诉企业", "Operator"), T("受理（件）", "Accepted"),    T("占比", "Share"),
      T("和解（件）", "Settled"),  T("和解率", "Settlement rate"), T("同比", "Year on year")};
  t.numeric = {false, true, true, true, true, true};
  for (const std::string& c : categories) {
    t.header.push_back(view_.Label(c));
    t.numeric.push_back(true);
  }
  std::vector<std::pair<std::string, Group>> groups;
  for (const std::string& op : view_.operators()) {
    if (cur.Find("appeals.accepted", OperatorGroup(op))) {
      groups.emplace_back(view_.Label(op), OperatorGroup(op));
    }
  }
  if (accepted) groups.emplace_back(T("合计", "Total"), Group{});
  for (const auto& [name, g] : groups) {
    Row r;
    const std::optional<double> acc = value_of("appeals.accepted", g);
    std::optional<double> share = value_of("appeals.accepted_share", g);
    if (!share && acc && accepted && *accepted > 0) share = *acc / *accepted;
    const std::optional<double> yoy = AppealsYoy(g);
    r.cells = {TextCell(name),
               NumberCell(acc, "count"),
               PercentCell(share),
               NumberCell(value_of("appeals.settled", g), "count"),
               PercentCell(value_of("appeals.settlement_rate", g)),
               yoy ? TextCell(fmt::format("{:+.2f}%", *yoy * 100), CellStyle::kNumber)
                   : TextCell("—", CellStyle::kNumber)};
    if (yoy) {
      r.cells.back().number = *yoy;
      r.cells.back().num_format = "+0.00%;-0.00%;0.00%";
    }
    for (const std::string& c : categories) {
      const IndicatorValue* v = AppealCategoryValue("accepted", g, c);
      r.cells.push_back(NumberCell(v ? v->value : std::nullopt, "count"));
    }
    t.rows.push_back(std::move(r));
  }
  if (!t.rows.empty()) s.blocks.push_back(std::move(t));
  s.blocks.push_back(Paragraph{
      T("注：受理为申诉受理机构受理的用户申诉件数；和解率 = 和解件数 ÷ "
        "受理件数；同比为受理件数与上年同期相比的变化。"
        "各类别列为受理件数。",
        "Note: accepted = appeals accepted by the appeal centre; settlement rate = settled ÷ "
        "accepted; year on year = change of the accepted count against the same period a year "
        "earlier. Category columns count accepted appeals."),
      true});
}

}  // namespace tsq::report
