// Further figures that offices publish although no target judges them: network quality per RAT
// (4G/5G), the hotline's elderly lane, number porting's timeliness and rejection reasons.
#include <fmt/format.h>

#include "report/doc_builder.h"
#include "report/report_format.h"

namespace tsq::report {

namespace {

struct RowGroup {
  std::string label;
  Group group;
};

Group Of(std::initializer_list<std::pair<Dim, std::string>> dims) {
  Group g;
  for (const auto& d : dims) g.dims.push_back(d);
  std::sort(g.dims.begin(), g.dims.end());
  return g;
}

}  // namespace

void DocBuilder::TopicBlocks(Section& s, std::string_view op) {
  std::vector<std::string> ops;
  for (const std::string& o : view_.operators()) {
    if (op.empty() || o == op) ops.push_back(o);
  }
  // One table: a row per group, a column per id; rows without any value are left out.
  const auto figure_table = [&](std::string_view first, const std::vector<RowGroup>& groups,
                                const std::vector<std::string>& ids) {
    Table t;
    t.header = {std::string(first)};
    t.numeric = {false};
    for (const std::string& id : ids) {
      t.header.push_back(view_.Name(id, op));
      t.numeric.push_back(true);
    }
    for (const RowGroup& rg : groups) {
      Row r;
      r.cells.push_back(TextCell(rg.label));
      bool any = false;
      for (const std::string& id : ids) {
        const IndicatorValue* v = view_.current().Find(id, rg.group);
        if (v == nullptr) {
          r.cells.push_back(TextCell("—", CellStyle::kNumber));
          continue;
        }
        any = true;
        r.cells.push_back(ValueCell(*v));
      }
      if (any) t.rows.push_back(std::move(r));
    }
    return t;
  };

  // Network quality per RAT.
  std::vector<RowGroup> rat_groups;
  for (const std::string& o : ops) {
    for (const char* rat : {"2G", "4G", "5G"}) {
      rat_groups.push_back({op.empty() ? fmt::format("{} · {}", view_.Label(o), rat) : rat,
                            Of({{Dim::kOperator, o}, {Dim::kRat, rat}})});
    }
  }
  Table rats = figure_table(
      op.empty() ? T("运营商 · 制式", "Operator · RAT") : T("制式", "RAT"), rat_groups,
      {"calls.attempts", "calls.connect_rate", "calls.drop_rate", "calls.congestion_rate"});
  if (!rats.rows.empty()) {
    s.blocks.push_back(Subheading{T("网络质量（分制式）", "Network quality per RAT")});
    s.blocks.push_back(std::move(rats));
  }

  // The hotline and its one-key-to-human lane for callers aged 65 and over.
  std::vector<RowGroup> op_groups;
  for (const std::string& o : ops) op_groups.push_back({view_.Label(o), OperatorGroup(o)});
  Table hotline = figure_table(
      T("运营商", "Operator"), op_groups,
      {"hotline.calls", "hotline.human_answer_rate", "hotline.elderly.count",
       "hotline.elderly.human_answer_rate", "hotline.elderly.avg_response_s.worst_month"});
  if (!hotline.rows.empty()) {
    s.blocks.push_back(
        Subheading{T("客服热线与老年人一键呼入", "Hotline and the elderly fast lane")});
    s.blocks.push_back(std::move(hotline));
  }

  // Number porting, by the operator the number leaves, and its rejection reasons.
  std::vector<RowGroup> from_groups;
  for (const std::string& o : ops) {
    from_groups.push_back({view_.Label(o), Of({{Dim::kFromOperator, o}})});
  }
  Table porting = figure_table(
      T("转出运营商", "Releasing operator"), from_groups,
      {"porting.requests", "porting.completion_rate", "porting.timely_rate", "porting.rejected"});
  if (porting.rows.empty()) return;
  s.blocks.push_back(Subheading{T("携号转网", "Number portability")});
  s.blocks.push_back(std::move(porting));
  // Reasons as rows, operators as columns.
  std::vector<std::string> reasons;
  if (const auto* by_group = view_.current().ForId("porting.rejected_by_reason")) {
    for (const auto& [g, v] : *by_group) {
      const std::string* reason = g.Find(Dim::kRejectReason);
      if (g.dims.size() == 1 && reason != nullptr) reasons.push_back(*reason);
    }
  }
  Table why;
  why.caption = T("携号转网拒绝原因（件）", "Porting rejections by reason");
  why.header = {T("拒绝原因", "Reason")};
  why.numeric = {false};
  for (const RowGroup& rg : from_groups) {
    why.header.push_back(rg.label);
    why.numeric.push_back(true);
  }
  if (op.empty()) {
    why.header.push_back(T("合计", "Total"));
    why.numeric.push_back(true);
  }
  for (const std::string& reason : reasons) {
    Row r;
    r.cells.push_back(TextCell(view_.Label(reason)));
    bool any = false;
    for (const RowGroup& rg : from_groups) {
      Group g = rg.group;
      g.dims.emplace_back(Dim::kRejectReason, reason);
      std::sort(g.dims.begin(), g.dims.end());
      const std::optional<double> n = ValueOf("porting.rejected_by_reason", g);
      any = any || n.has_value();
      r.cells.push_back(NumberCell(n.value_or(0), "count"));
    }
    if (op.empty()) {
      r.cells.push_back(NumberCell(
          ValueOf("porting.rejected_by_reason", Of({{Dim::kRejectReason, reason}})), "count"));
    }
    if (any) why.rows.push_back(std::move(r));
  }
  if (!why.rows.empty()) s.blocks.push_back(std::move(why));
}

void DocBuilder::TopicsSection() {
  Section probe;
  TopicBlocks(probe, {});
  if (probe.blocks.empty()) return;
  Section& s = AddSection("topics", NextTitle(T("专项情况", "Further figures")),
                          T("专项情况", "Further figures"));
  s.blocks = std::move(probe.blocks);
  s.blocks.push_back(Paragraph{
      T("注：以上指标无监管限值，仅列示完成情况；制式为主叫发起呼叫时的接入制式；携号转网按号码"
        "转出的运营商统计。",
        "Note: these figures have no regulatory limit and are shown as achieved; the RAT is "
        "the one the call was placed on; porting counts by the operator the number leaves."),
      true});
}

}  // namespace tsq::report
