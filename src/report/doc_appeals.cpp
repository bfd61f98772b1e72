// The appeals section: accepted, settled, settlement rate and year-on-year change per operator
// and category, as the regulator's notices publish them.
#include <algorithm>
#include <cctype>
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
  AppealRatesBlocks(s);
}

std::string DocBuilder::PreviousPeriodWords() const {
  switch (in_.period.kind) {
    case PeriodKind::kMonth:
      return T("比上月", "on the previous month");
    case PeriodKind::kQuarter:
      return T("比上季度", "on the previous quarter");
    case PeriodKind::kHalfYear:
      return T("比上半年", "on the previous half-year");
    case PeriodKind::kYear:
      return T("比上年", "on the previous year");
    case PeriodKind::kCustom:
      break;
  }
  return T("比上期", "on the previous period");
}

namespace {

constexpr std::string_view kClassIds[] = {"appeals.user_service", "appeals.network_quality",
                                          "appeals.billing_dispute"};

std::string SignedPercent(double fraction) { return fmt::format("{:+.1f}%", fraction * 100); }

}  // namespace

std::string DocBuilder::ClassName(std::string_view id) const {
  std::string name = view_.Name(id);  // "用户服务类申诉": in a sentence on appeals, the class
  if (lang_ == Lang::kZh && name.ends_with("申诉")) name.resize(name.size() - 6);
  if (lang_ == Lang::kEn && name.starts_with("Appeals on ")) name = name.substr(11);
  return name;
}

void DocBuilder::AppealRatesBlocks(Section& s) {
  std::vector<std::pair<std::string, Group>> groups;
  for (const std::string& op : view_.operators()) {
    if (view_.current().Find("appeals.per_million", OperatorGroup(op))) {
      groups.emplace_back(view_.Label(op), OperatorGroup(op));
    }
  }
  const std::optional<double> rate = ValueOf("appeals.per_million", Group{});
  if (!rate && groups.empty()) return;
  const std::string prev = PreviousPeriodWords();
  const std::optional<double> accepted = ValueOf("appeals.accepted", Group{});

  // The paragraph the notices open their appeal figures with.
  if (rate && accepted) {
    const std::optional<double> count_change = ValueOf("appeals.accepted_change_prev", Group{});
    const std::optional<double> rate_change = ValueOf("appeals.per_million_change_prev", Group{});
    // The accepted count itself is in the paragraph above; this one compares.
    std::string text;
    if (lang_ == Lang::kZh) {
      if (count_change) {
        text = "受理申诉量" + prev + FormatRelativeChangeWords(*count_change, lang_) + "；";
      }
      text += fmt::format("百万用户申诉率为{}", Decimal(*rate, 1));
      if (rate_change) text += "，" + prev + FormatRelativeChangeWords(*rate_change, lang_);
    } else {
      if (count_change) {
        text = "Accepted appeals " + FormatRelativeChangeWords(*count_change, lang_) + " " + prev +
               "; ";
      }
      text += fmt::format("{} appeals per million users", Decimal(*rate, 1));
      if (rate_change) {
        text += " (" + FormatRelativeChangeWords(*rate_change, lang_) + " " + prev + ")";
      }
      text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    }
    std::vector<std::string> classes;
    for (std::string_view id : kClassIds) {
      const std::optional<double> n = ValueOf(id, Group{});
      if (!n || *accepted <= 0) continue;
      const std::string name = ClassName(id);
      classes.push_back(lang_ == Lang::kZh
                            ? fmt::format("{}{}件，占{}", name, Count(*n), Percent(*n / *accepted))
                            : fmt::format("{} {} ({})", name, Count(*n), Percent(*n / *accepted)));
    }
    if (!classes.empty()) {
      text += T("。从申诉类别看，", ". By class: ");
      for (size_t i = 0; i < classes.size(); ++i) {
        if (i > 0) text += T("；", "; ");
        text += classes[i];
      }
    }
    text += T("。", ".");
    s.blocks.push_back(Paragraph{std::move(text)});
  }

  // Operators ranked by their rate, lowest first, as the notices rank them.
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [name, g] : groups) {
    if (const std::optional<double> r = ValueOf("appeals.per_million", g)) {
      ranked.emplace_back(*r, name);
    }
  }
  std::stable_sort(ranked.begin(), ranked.end());
  if (ranked.size() >= 2) {
    std::string text = T("百万用户申诉率由低到高：", "Appeals per million users, lowest first: ");
    for (size_t i = 0; i < ranked.size(); ++i) {
      if (i > 0) text += T("、", ", ");
      text += ranked[i].second + T("", " ") + Decimal(ranked[i].first, 1);
    }
    s.blocks.push_back(Paragraph{text + T("。", ".")});
  }

  // The annex table (基础电信企业用户申诉分类统计表).
  Table t;
  t.caption = T("基础电信企业用户申诉分类统计表", "Appeals per operator by class");
  const auto heading = [&](std::string_view id) {
    std::string h = ClassName(id);
    if (lang_ == Lang::kEn)
      h[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(h[0])));
    return h;
  };
  t.header = {T("企业", "Operator"),
              heading(kClassIds[0]),
              heading(kClassIds[1]),
              heading(kClassIds[2]),
              T("合计", "Total"),
              T("占申诉总量比例", "Share of appeals"),
              T("占用户总数比例", "Share of users"),
              T("百万用户申诉率", "Per million users"),
              prev.empty() ? T("增减", "Change") : T(prev + "增减", "Change " + prev)};
  t.numeric = {false, true, true, true, true, true, true, true, true};
  if (rate) groups.emplace_back(T("合计", "Total"), Group{});
  for (const auto& [name, g] : groups) {
    Row r;
    r.cells.push_back(TextCell(name));
    for (std::string_view id : kClassIds) r.cells.push_back(NumberCell(ValueOf(id, g), "count"));
    r.cells.push_back(NumberCell(ValueOf("appeals.accepted", g), "count"));
    const bool total = g.empty();
    r.cells.push_back(
        PercentCell(total ? std::optional<double>(1.0) : ValueOf("appeals.accepted_share", g)));
    r.cells.push_back(
        PercentCell(total ? std::optional<double>(1.0) : ValueOf("subscribers.users_share", g)));
    const std::optional<double> per_million = ValueOf("appeals.per_million", g);
    Cell rate_cell = TextCell(per_million ? Decimal(*per_million, 1) : "—", CellStyle::kNumber);
    if (per_million) {
      rate_cell.number = *per_million;
      rate_cell.num_format = "0.0";
    }
    r.cells.push_back(std::move(rate_cell));
    const std::optional<double> change = ValueOf("appeals.per_million_change_prev", g);
    Cell c = TextCell(change ? SignedPercent(*change) : "—", CellStyle::kNumber);
    if (change) {
      c.number = *change;
      c.num_format = "+0.0%;-0.0%;0.0%";
    }
    r.cells.push_back(std::move(c));
    t.rows.push_back(std::move(r));
  }
  s.blocks.push_back(std::move(t));
  s.blocks.push_back(Paragraph{
      T("注：百万用户申诉率 = 受理申诉件数 ÷ 期末电话用户数（移动电话与固定电话用户，百万户）；"
        "占用户总数比例为该企业期末电话用户数占各企业合计的比例；增减为百万用户申诉率的变化。"
        "网络质量类含网络质量、宽带速率申诉；收费争议类含计费、套餐变更申诉；其余为用户服务类。",
        "Note: per million users = accepted appeals ÷ telephone users (mobile and fixed-line) at "
        "the end of the period, in millions; share of users = the operator's telephone users ÷ "
        "all operators'; change = change of the rate per million users. Network quality covers "
        "appeals on the network and broadband speed; charges covers billing and package "
        "changes; user service the rest."),
      true});
}

std::string DocBuilder::SubscribersParagraph() {
  const std::optional<double> users = ValueOf("subscribers.users", Group{});
  const std::optional<double> broadband = ValueOf("subscribers.broadband_users", Group{});
  if (!users && !broadband) return {};
  // The month the counts stand at: the latest month group the data has.
  std::string month;
  for (const IndicatorValue& v : in_.current) {
    if (v.id != "subscribers.users" && v.id != "subscribers.broadband_users") continue;
    if (v.group.dims.size() != 1) continue;
    if (const std::string* m = v.group.Find(Dim::kMonth)) month = std::max(month, *m);
  }
  const auto wan = [&](double n) { return Count(n) + "户"; };
  const std::optional<double> mobile = ValueOf("subscribers.mobile_users", Group{});
  const std::optional<double> fixed = ValueOf("subscribers.fixed_users", Group{});
  const std::optional<double> share_100m = ValueOf("subscribers.broadband_100m_share", Group{});
  const std::optional<double> terminals = ValueOf("subscribers.terminal_5g_users", Group{});
  const std::optional<double> registration = ValueOf("subscribers.registration_5g_rate", Group{});
  std::vector<std::string> parts;
  if (lang_ == Lang::kZh) {
    std::string head = month.empty() ? "期末" : "截至" + MonthLabel(month, true, lang_) + "末";
    if (users) {
      std::string p = fmt::format("{}，{}电话用户总数{}", head,
                                  in_.province.empty() ? "全省" : in_.province, wan(*users));
      std::vector<std::string> of;
      if (mobile) of.push_back("移动电话用户" + wan(*mobile));
      if (fixed) of.push_back("固定电话用户" + wan(*fixed));
      if (!of.empty()) p += "，其中" + of[0] + (of.size() > 1 ? "、" + of[1] : "");
      parts.push_back(p);
    } else {
      parts.push_back(head);
    }
    if (broadband) {
      std::string p = "固定宽带接入用户" + wan(*broadband);
      if (share_100m) p += "，其中100Mbps及以上用户占" + Percent(*share_100m);
      parts.push_back(p);
    }
    if (terminals) {
      std::string p = "5G终端用户" + wan(*terminals);
      if (registration) p += "，5G登网率" + Percent(*registration);
      parts.push_back(p);
    }
  } else {
    std::string head = month.empty() ? "At the end of the period"
                                     : "At the end of " + MonthLabel(month, true, lang_);
    if (users) {
      std::string p =
          fmt::format("{}, {} had {} telephone users", head,
                      in_.province.empty() ? "the province" : in_.province, Count(*users));
      if (mobile && fixed) {
        p += fmt::format(" ({} mobile, {} fixed-line)", Count(*mobile), Count(*fixed));
      }
      parts.push_back(p);
    } else {
      parts.push_back(head);
    }
    if (broadband) {
      std::string p = fmt::format("{} broadband users", Count(*broadband));
      if (share_100m) p += fmt::format(", {} of them on 100 Mbps or more", Percent(*share_100m));
      parts.push_back(p);
    }
    if (terminals) {
      std::string p = fmt::format("{} users with a 5G handset", Count(*terminals));
      if (registration) p += fmt::format(", {} registered on 5G", Percent(*registration));
      parts.push_back(p);
    }
  }
  std::string text;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) text += T("；", "; ");
    text += parts[i];
  }
  return text + T("。", ".");
}

}  // namespace tsq::report
