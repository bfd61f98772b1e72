// The appendices: data quality, definitions and conventions, traceability.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "io/xlsx_source.h"
#include "model/schema.h"
#include "report/doc_builder.h"
#include "report/report_format.h"
#include "report/text_table.h"

namespace tsq::report {

namespace {

std::string FileName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// An input as the data-quality table names it: "calls.csv", "province.xlsx[calls]".
std::string InputFileName(const FileReport& r) { return WithSheet(FileName(r.path), r.sheet); }

}  // namespace

void DocBuilder::DataQualitySection() {
  const DataQuality& dq = in_.data_quality;
  Section& s = AddSection("data-quality", NextAppendixTitle(T("数据质量", "Data quality")),
                          T("数据质量", "Data quality"), true);
  const uint64_t read = dq.TotalRead();
  const uint64_t bad = dq.TotalQuarantined();
  s.blocks.push_back(Paragraph{
      lang_ == Lang::kZh
          ? fmt::format("共读取 {} 个文件、{} 行记录：接受 {} 行，隔离 {} "
                        "行（{}）。被隔离的行不参与指标计算。",
                        dq.files.size(), GroupThousands(read), GroupThousands(dq.TotalAccepted()),
                        GroupThousands(bad),
                        read > 0 ? Percent(static_cast<double>(bad) / read) : "—")
          : fmt::format("{} files, {} rows read: {} accepted, {} quarantined ({}). Quarantined "
                        "rows are left out of every figure.",
                        dq.files.size(), GroupThousands(read), GroupThousands(dq.TotalAccepted()),
                        GroupThousands(bad),
                        read > 0 ? Percent(static_cast<double>(bad) / read) : "—")});
  Table t;
  t.header = {T("文件", "File"),
              T("记录类型", "Type"),
              T("读取行数", "Rows read"),
              T("接受", "Accepted"),
              T("隔离", "Quarantined"),
              T("隔离原因", "Quarantined by reason"),
              T("记录时间范围", "Time range")};
  t.numeric = {false, false, true, true, true, false, false};
  for (const FileQuality& f : dq.files) {
    std::string reasons;
    for (int i = 0; i < kBadRowReasonCount; ++i) {
      if (f.read.quarantined_by_reason[i] == 0) continue;
      if (!reasons.empty()) reasons += T("；", "; ");
      reasons += fmt::format("{} {}", ReasonText(static_cast<BadRowReason>(i), lang_),
                             GroupThousands(f.read.quarantined_by_reason[i]));
    }
    std::string range = "—";
    if (f.first_time && f.last_time) {
      range = fmt::format("{} — {}", FormatLocal(*f.first_time, dq.local_offset_s).substr(0, 16),
                          FormatLocal(*f.last_time, dq.local_offset_s).substr(0, 16));
    }
    Row r;
    r.cells = {TextCell(InputFileName(f.read), CellStyle::kCode),
               TextCell(std::string(RecordTypeText(f.read.type, lang_))),
               CountCell(f.read.rows_read),
               CountCell(f.read.rows_accepted),
               CountCell(f.read.rows_quarantined),
               TextCell(reasons.empty() ? "—" : reasons),
               TextCell(range)};
    if (f.read.rows_quarantined > 0) r.cells[4].style = CellStyle::kWorse;
    t.rows.push_back(std::move(r));
  }
  if (!t.rows.empty()) s.blocks.push_back(std::move(t));
  std::vector<std::string> notes;
  if (!dq.dir.empty()) notes.push_back(Labelled(T("数据目录", "Data directory"), dq.dir));
  if (!dq.ignored.empty()) {
    std::string names;
    for (const std::string& f : dq.ignored) names += (names.empty() ? "" : ", ") + FileName(f);
    notes.push_back(Labelled(T("未识别而忽略的文件", "Ignored (not a record file)"), names));
  }
  if (!dq.quarantine_path.empty()) {
    notes.push_back(
        Labelled(T("隔离行已写入", "Quarantined rows written to"), dq.quarantine_path) +
        (dq.numbers_shown
             ? T("（按 --show-numbers 要求，其中的用户号码未做脱敏处理）",
                 " (at the user's request, --show-numbers, with subscriber numbers unmasked)")
             : T("（用户号码已脱敏，如 138****5678）",
                 " (subscriber numbers masked, e.g. 138****5678)")));
  }
  if (!notes.empty()) s.blocks.push_back(BulletList{std::move(notes)});
}

void DocBuilder::DefinitionsSection() {
  Section& s = AddSection("definitions", NextAppendixTitle(T("指标定义与口径", "Definitions")),
                          T("指标定义", "Definitions"), true);
  std::vector<std::string> conventions;
  conventions.push_back(
      lang_ == Lang::kZh
          ? fmt::format("统计周期：{}（本地时间 "
                        "{}）；记录按其开始时间（受理、发起、到达等时间）归属统计周期。",
                        PeriodRange(in_.period, lang_), OffsetText())
          : fmt::format("Period: {} (local time {}); a record belongs to the "
                        "period of its start time (accepted, started, "
                        "received...).",
                        PeriodRange(in_.period, lang_), OffsetText()));
  conventions.push_back(
      lang_ == Lang::kZh
          ? fmt::format("截至时点：{}。截至该时点仍未完成的工单、投诉按此时点计算已用时长。",
                        AsOf())
          : fmt::format("As-of time: {}. Items still open are aged at this time.", AsOf()));
  conventions.push_back(
      T("及时率 = 时限内完成数 ÷（已完成数 + "
        "截至时点仍未完成且已超过时限数）。规范按“时限内完成数 ÷ "
        "已完成数”计算；本报告将超时未完成的工单计为超时，以免积压抬高及时率。平均时长只计已完成"
        "的工单。",
        "Timeliness rate = completed within the limit ÷ (completed + still open and already past "
        "the limit at the as-of time). The regulations divide by completed items only; counting "
        "open overdue items as late keeps a backlog from flattering the rate. Average times are "
        "over completed items."));
  conventions.push_back(
      T("忙时：每日呼叫次数最多的整点小时（并列取最早）；忙时接通率按各日忙时的呼叫汇总计算。",
        "Busy hour: each day's clock hour with the most attempts (the earliest "
        "on a tie); the busy-hour rate pools the busy hours of all days."));
  conventions.push_back(
      T("客服热线平均响应时长按自然月计算，每月均须不超过目标；跨月汇总时报告最差月份及合并平均值"
        "。",
        "Hotline average response time is a monthly figure and every month "
        "must meet the target; across months the worst month is reported "
        "beside the pooled average."));
  conventions.push_back(
      T("判定：有限值或目标值的指标判为“达标”“未达标”，无数值或样本少于最低样本量时为“数据不足”。"
        "比率类指标附 Wilson 95% 置信区间，区间跨越目标值时标注“不确定”。",
        "Verdicts: a figure with a limit or target is met or missed; without "
        "a value or below its minimum sample it has insufficient data. Rates "
        "carry a 95 % Wilson interval, marked inconclusive when it straddles "
        "the target."));
  if (in_.previous || in_.year_earlier) {
    std::string text = T("比较期：", "Comparison periods: ");
    if (in_.previous) {
      text += fmt::format("{}{}", T("环比对照 ", "previous "), PeriodTitle(*in_.previous, lang_));
    }
    if (in_.year_earlier) {
      if (in_.previous) text += T("，", ", ");
      text += fmt::format("{}{}", T("同比对照 ", "year earlier "),
                          PeriodTitle(*in_.year_earlier, lang_));
    }
    text += T("；比率类指标的变化以百分点表示。", "; changes of rates are in percentage points.");
    conventions.push_back(std::move(text));
  }
  s.blocks.push_back(Subheading{T("统计口径", "Conventions")});
  s.blocks.push_back(BulletList{std::move(conventions)});

  std::vector<std::string> ids(used_ids_.begin(), used_ids_.end());
  std::sort(ids.begin(), ids.end(),
            [this](const std::string& a, const std::string& b) { return view_.IdLess(a, b); });
  Table t;
  t.caption = T("本报告使用的指标", "Indicators used in this report");
  t.header = {T("指标", "Indicator"),           T("编号", "ID"),
              T("计算方法", "Formula"),         T("单位", "Unit"),
              T("限值/目标", "Limit / target"), T("依据", "Source")};
  t.numeric = {false, false, false, false, true, false};
  t.widths = {18, 22, 30, 7, 10, 18};
  for (const std::string& id : ids) {
    const IndicatorDef* d = view_.Def(id);
    const std::string unit = view_.Unit(id);
    Row r;
    std::string unit_text = unit == "ratio"   ? T("比率", "ratio")
                            : unit == "count" ? T("计数", "count")
                                              : UnitText(unit, lang_);
    r.cells = {
        TextCell(view_.Name(id)),
        TextCell(id, CellStyle::kCode),
        TextCell(d ? view_.Formula(id) : "—"),
        TextCell(unit_text),
        TextCell(d && d->target ? FormatTarget(*d->target, unit, lang_) : "—", CellStyle::kNumber),
        TextCell(d && d->target
                     ? SourceText(d->basis, lang_ == Lang::kZh ? d->source_zh : d->source_en, lang_)
                     : "—")};
    if (r.cells[2].text.empty()) r.cells[2].text = "—";
    t.rows.push_back(std::move(r));
  }
  s.blocks.push_back(Subheading{T("指标定义", "Indicator definitions")});
  if (!t.rows.empty()) s.blocks.push_back(std::move(t));
  s.blocks.push_back(Paragraph{T("运营商可在指标目录中设定本企业的目标值；表中为默认值，运营商章"
                                 "节中的限值为实际判定所用的值。依据栏注明监管规定（规章或标准、"
                                 "年份、条款）或本工具默认值及其理由。",
                                 "Operators may set their own targets in the catalog; this "
                                 "table shows the defaults, the operator chapters show the "
                                 "targets actually applied. The source column cites the rule "
                                 "(regulation or standard, year, clause) or says that the value "
                                 "is a tool default, and why."),
                               true});
  // The time limits the timeliness figures are computed with, and where each comes from.
  const Catalog& catalog = *in_.catalog;
  Table limits;
  limits.caption = T("时限与判定参数", "Limits and thresholds");
  limits.header = {T("参数", "Parameter"), T("取值", "Value"), T("依据", "Source")};
  limits.numeric = {false, true, false};
  limits.widths = {26, 12, 62};
  for (const std::string& key : catalog.ParamNames()) {
    const LimitSource l = catalog.LimitSourceFor(key);
    const double v = *catalog.Param(key);
    const bool time = l.unit == "hours" || l.unit == "seconds";
    std::string value = v < 0 && time ? T("不设时限", "none") : ParamValueText(v, l.unit, lang_);
    // A limit some operators set for themselves.
    for (const std::string& op : catalog.OperatorNames()) {
      const double own = *catalog.Param(key, op);
      if (own == v) continue;
      value +=
          fmt::format("{}{} {}", T("；", "; "), view_.Label(op),
                      own < 0 && time ? T("不设", "none") : ParamValueText(own, l.unit, lang_));
    }
    const std::string& name = lang_ == Lang::kZh ? l.name_zh : l.name_en;
    limits.rows.push_back(Row{
        {TextCell(name.empty() ? key : name), TextCell(value, CellStyle::kNumber),
         TextCell(SourceText(l.basis, lang_ == Lang::kZh ? l.source_zh : l.source_en, lang_))}});
  }
  if (!limits.rows.empty()) {
    s.blocks.push_back(Subheading{T("时限与判定参数", "Limits and thresholds")});
    limits.caption.clear();
    s.blocks.push_back(std::move(limits));
  }
}

void DocBuilder::TraceabilitySection() {
  Section& s = AddSection("traceability", NextAppendixTitle(T("可追溯信息", "Traceability")),
                          T("可追溯性", "Traceability"), true);
  s.blocks.push_back(Paragraph{
      T("以相同版本的 tsq、相同的指标目录（哈希一致）和相同的输入文件（SHA-256 "
        "一致）重新计算，可得到完全相同的结果。"
        "可用 sha256sum 命令核对下列摘要。",
        "The same tsq version, the same catalog (same hash) and the same input files (same "
        "SHA-256) reproduce every figure of this report. Check the digests with sha256sum.")});
  Table kv;
  kv.header = {T("项目", "Item"), T("内容", "Value")};
  kv.numeric = {false, false};
  kv.widths = {25, 75};
  const auto add = [&](std::string k, std::string v, CellStyle style = CellStyle::kText) {
    kv.rows.push_back(Row{{TextCell(std::move(k)), TextCell(std::move(v), style)}});
  };
  add(T("tsq 版本", "tsq version"), in_.tsq_version, CellStyle::kCode);
  add(T("指标目录哈希（SHA-256）", "Catalog hash (SHA-256)"), in_.catalog_hash, CellStyle::kCode);
  add(T("统计周期", "Period"), fmt::format("{} [{}, {})", in_.period.label,
                                           FormatTimestamp(in_.period.from, in_.local_offset_s),
                                           FormatTimestamp(in_.period.to, in_.local_offset_s)));
  add(T("截至时点", "As of"), FormatTimestamp(in_.as_of, in_.local_offset_s));
  if (in_.previous) add(T("环比对照期", "Previous period"), in_.previous->label);
  if (in_.year_earlier) add(T("同比对照期", "Year-earlier period"), in_.year_earlier->label);
  if (!in_.data_quality.dir.empty())
    add(T("数据目录", "Data directory"), in_.data_quality.dir, CellStyle::kCode);
  s.blocks.push_back(std::move(kv));
  Table files;
  files.caption = T("输入文件", "Input files");
  files.header = {T("文件", "File"), T("大小（字节）", "Size (bytes)"), "SHA-256"};
  files.numeric = {false, true, false};
  files.widths = {28, 12, 60};
  for (const FileQuality& f : in_.data_quality.files) {
    files.rows.push_back(
        Row{{TextCell(f.read.name(), CellStyle::kCode), CountCell(f.read.size_bytes),
             TextCell(f.read.sha256.empty() ? "—" : f.read.sha256, CellStyle::kCode)}});
  }
  s.blocks.push_back(Subheading{T("输入文件", "Input files")});
  if (files.rows.empty()) {
    s.blocks.push_back(Paragraph{T("（无输入文件记录）", "(no input files recorded)")});
  } else {
    files.caption.clear();
    s.blocks.push_back(std::move(files));
  }
}

}  // namespace tsq::report
