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
  AppealsBlocks(s);
}

void DocBuilder::AppealsBlocks(Section& s) {
  const std::vector<std::string> categories = AppealCategories();
  const std::optional<double> accepted = ValueOf("appeals.accepted", Group{});
  if (accepted) {
    const std::optional<double> received = ValueOf("appeals.received", Group{});
    const std::optional<double> settled = ValueOf("appeals.settled", Group{});
    const std::optional<double> rate = ValueOf("appeals.settlement_rate", Group{});
    const std::optional<double> yoy = AppealsYoy(Group{});
    std::string text;
    if (lang_ == Lang::kZh) {
      text =
          fmt::format("{}，{}电信用户申诉受理中心", PeriodTitle(in_.period, lang_), in_.province);
      if (received) text += fmt::format("共接到用户申诉{}件，", Count(*received));
      text += fmt::format("受理用户申诉{}件", Count(*accepted));
      if (yoy) text += "，同比" + FormatRelativeChangeWords(*yoy, lang_);
      if (settled) {
        text += fmt::format("，经调解，电信用户与被申诉企业达成和解{}件", Count(*settled));
      }
      if (rate) text += "，和解率" + Percent(*rate);
      text += "。";
    } else {
      text = fmt::format("In {}, the appeal centre", PeriodTitle(in_.period, lang_));
      if (received) text += fmt::format(" received {} appeals and", Count(*received));
      text += fmt::format(" accepted {}", Count(*accepted));
      if (yoy) text += " (" + FormatRelativeChangeWords(*yoy, lang_) + " year on year)";
      if (settled) {
        text += fmt::format("; {} were settled by mediation between the users and the operators",
                            Count(*settled));
      }
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
      text += T("从申诉内容看，", " The largest categories: ");
      for (size_t i = 0; i < by_category.size() && i < 3; ++i) {
        if (i > 0) text += T("，", ", ");
        text += lang_ == Lang::kZh ? fmt::format("{}类{}件", view_.Label(by_category[i].second),
                                                 Count(by_category[i].first))
                                   : fmt::format("{} {}", view_.Label(by_category[i].second),
                                                 Count(by_category[i].first));
        text += Paren(Percent(by_category[i].first / *accepted));
      }
      text += T("。", ".");
    }
    s.blocks.push_back(Paragraph{std::move(text)});
  }
  std::vector<std::pair<std::string, Group>> groups;
  for (const std::string& op : view_.operators()) {
    if (view_.current().Find("appeals.accepted", OperatorGroup(op))) {
      groups.emplace_back(view_.Label(op), OperatorGroup(op));
    }
  }
  if (accepted) groups.emplace_back(T("合计", "Total"), Group{});
  Table t;
  t.caption = T("各运营商申诉受理与和解情况", "Appeals per operator");
  t.header = {
      T("被申诉企业", "Operator"), T("受理（件）", "Accepted"),    T("占比", "Share"),
      T("和解（件）", "Settled"),  T("和解率", "Settlement rate"), T("同比", "Year on year")};
  t.numeric = {false, true, true, true, true, true};
  for (const auto& [name, g] : groups) {
    Row r;
    const std::optional<double> acc = ValueOf("appeals.accepted", g);
    std::optional<double> share = ValueOf("appeals.accepted_share", g);
    if (!share && acc && accepted && *accepted > 0) share = *acc / *accepted;
    const std::optional<double> yoy = AppealsYoy(g);
    r.cells = {TextCell(name),
               NumberCell(acc, "count"),
               PercentCell(share),
               NumberCell(ValueOf("appeals.settled", g), "count"),
               PercentCell(ValueOf("appeals.settlement_rate", g)),
               yoy ? TextCell(fmt::format("{:+.2f}%", *yoy * 100), CellStyle::kNumber)
                   : TextCell("—", CellStyle::kNumber)};
    if (yoy) {
      r.cells.back().number = *yoy;
      r.cells.back().num_format = "+0.00%;-0.00%;0.00%";
    }
    t.rows.push_back(std::move(r));
  }
  if (!t.rows.empty()) s.blocks.push_back(std::move(t));
  // Categories as rows, operators as columns: a page holds every category this way.
  Table c;
  c.caption = T("各类别受理申诉件数", "Accepted appeals per category");
  c.header = {T("申诉类别", "Category")};
  c.numeric = {false};
  for (const auto& [name, g] : groups) {
    c.header.push_back(name);
    c.numeric.push_back(true);
  }
  for (const std::string& category : categories) {
    Row r;
    r.cells.push_back(TextCell(view_.Label(category)));
    for (const auto& [name, g] : groups) {
      const IndicatorValue* v = AppealCategoryValue("accepted", g, category);
      r.cells.push_back(NumberCell(v ? v->value : std::nullopt, "count"));
    }
    c.rows.push_back(std::move(r));
  }
  if (!c.rows.empty() && !groups.empty()) s.blocks.push_back(std::move(c));
  const bool year_earlier = view_.has_year_earlier() && AppealsYoy(Group{}).has_value();
  std::string note =
      T("注：受理为申诉受理机构受理的用户申诉件数；和解率 = 和解件数 ÷ 受理件数；"
        "同比为受理件数与上年同期相比的变化。",
        "Note: accepted = appeals accepted by the appeal centre; settlement rate "
        "= settled ÷ accepted; year on year = change of the accepted count against "
        "the same period a year earlier.");
  if (!year_earlier) {
    const std::string name = PeriodTitle(in_.period.YearEarlier(in_.local_offset_s), lang_);
    note += lang_ == Lang::kZh
                ? fmt::format("同比栏“—”：数据未覆盖{}。", name)
                : fmt::format(" \"—\" for year on year: the data does not cover {}.", name);
  }
  s.blocks.push_back(Paragraph{std::move(note), true});
}

}  // namespace tsq::report
