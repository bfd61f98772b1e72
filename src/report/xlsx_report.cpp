#include "report/xlsx_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "io/output_file.h"
#include "report/report_doc.h"
#include "report/report_format.h"
#include "report/report_view.h"
#include "report/svg_chart.h"
#include "report/text_table.h"

namespace tsq {
namespace {

using report::Block;
using report::BulletList;
using report::Cell;
using report::CellStyle;
using report::Chart;
using report::ChartGrid;
using report::Paragraph;
using report::ReportDoc;
using report::Row;
using report::Section;
using report::Subheading;
using report::Table;

constexpr lxw_color_t kAccent = 0x0B4F8A;
constexpr lxw_color_t kMet = 0x1B7F3B;
constexpr lxw_color_t kMissed = 0xB3261E;
constexpr lxw_color_t kInsufficient = 0x7A5D00;
constexpr lxw_color_t kMuted = 0x5B6876;
constexpr lxw_color_t kLine = 0xC9D2DC;
constexpr lxw_color_t kHeaderFill = 0xEAF0F6;
constexpr lxw_color_t kChapterFill = 0xF2F5F9;
constexpr double kMinWidth = 8;
constexpr double kMaxWidth = 48;
// Excel stores at most this many characters in a cell.
constexpr size_t kMaxCellBytes = 32000;

struct FormatSpec {
  bool bold = false;
  bool italic = false;
  lxw_color_t color = LXW_COLOR_BLACK;
  lxw_color_t fill = 0;  // 0 = none
  std::string num_format;
  bool wrap = false;
  bool border = false;
  bool right = false;
  double size = 0;  // 0 = default

  std::string Key() const {
    return fmt::format("{}|{}|{:x}|{:x}|{}|{}|{}|{}|{}", bold, italic, color, fill, num_format,
                       wrap, border, right, size);
  }
};

// Sheet names: at most 31 characters, none of []:*?/\, unique within the workbook.
std::string SheetName(std::string_view wanted, std::set<std::string>* used) {
  std::string clean;
  size_t chars = 0;
  for (size_t i = 0; i < wanted.size() && chars < 28;) {
    const unsigned char c = static_cast<unsigned char>(wanted[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    const std::string_view ch = wanted.substr(i, len);
    if (std::string_view("[]:*?/\\'").find(ch) == std::string_view::npos || len > 1) {
      clean += ch;
      ++chars;
    }
    i += len;
  }
  if (clean.empty()) clean = "Sheet";
  std::string name = clean;
  for (int n = 2; used->count(name); ++n) name = fmt::format("{} ({})", clean, n);
  used->insert(name);
  return name;
}

std::string Truncate(std::string s) {
  if (s.size() <= kMaxCellBytes) return s;
  size_t cut = kMaxCellBytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  return s;
}

// Percent with as many decimals as the axis step needs ("0.0%" for a 0.5 % step).
std::string RatioAxisFormat(double step) {
  const int decimals =
      std::clamp(static_cast<int>(-std::floor(std::log10(step * 100) + 1e-9)), 0, 4);
  return decimals == 0 ? "0%" : "0." + std::string(static_cast<size_t>(decimals), '0') + "%";
}

lxw_color_t ColorOf(const std::string& hex) {
  return static_cast<lxw_color_t>(std::stoul(hex.substr(1), nullptr, 16));
}

class XlsxWriter {
 public:
  XlsxWriter(lxw_workbook* wb, const ReportInput& in, Lang lang)
      : wb_(wb), in_(in), view_(in), lang_(lang) {}

  void WriteDoc(const ReportDoc& doc) {
    bool values_written = false;
    for (const Section& s : doc.sections) {
      if (s.appendix && !values_written) {
        AllValuesSheet();
        values_written = true;
      }
      SectionSheet(doc, s);
    }
    if (!values_written) AllValuesSheet();
  }

 private:
  std::string T(std::string_view zh, std::string_view en) const {
    return std::string(L(lang_, zh, en));
  }

  lxw_format* Format(const FormatSpec& spec) {
    const std::string key = spec.Key();
    auto it = formats_.find(key);
    if (it != formats_.end()) return it->second;
    lxw_format* f = workbook_add_format(wb_);
    if (spec.bold) format_set_bold(f);
    if (spec.italic) format_set_italic(f);
    if (spec.color != LXW_COLOR_BLACK) format_set_font_color(f, spec.color);
    if (spec.fill != 0) {
      format_set_pattern(f, LXW_PATTERN_SOLID);
      format_set_bg_color(f, spec.fill);
    }
    if (!spec.num_format.empty()) format_set_num_format(f, spec.num_format.c_str());
    if (spec.wrap) format_set_text_wrap(f);
    if (spec.border) {
      format_set_border(f, LXW_BORDER_THIN);
      format_set_border_color(f, kLine);
    }
    if (spec.right) format_set_align(f, LXW_ALIGN_RIGHT);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (spec.size > 0) format_set_font_size(f, spec.size);
    formats_.emplace(key, f);
    return f;
  }

  FormatSpec CellSpec(const Cell& c, bool numeric) const {
    FormatSpec spec;
    spec.border = true;
    spec.right = numeric;
    spec.num_format = c.number ? c.num_format : "";
    switch (c.style) {
      case CellStyle::kMet:
      case CellStyle::kBetter:
        spec.color = kMet;
        break;
      case CellStyle::kMissed:
      case CellStyle::kWorse:
        spec.color = kMissed;
        spec.bold = c.style == CellStyle::kMissed;
        break;
      case CellStyle::kInsufficient:
        spec.color = kInsufficient;
        break;
      case CellStyle::kNoTarget:
        spec.color = kMuted;
        break;
      case CellStyle::kText:
      case CellStyle::kNumber:
      case CellStyle::kCode:
        break;
    }
    spec.wrap = !c.number && DisplayWidth(c.text) > kMaxWidth;
    return spec;
  }

  // ---- layout pass: column widths -----------------------------------------------------------

  static void Widen(std::vector<double>* widths, size_t col, std::string_view text) {
    if (widths->size() <= col) widths->resize(col + 1, kMinWidth);
    const double w = std::clamp(static_cast<double>(DisplayWidth(text)) + 2, kMinWidth, kMaxWidth);
    (*widths)[col] = std::max((*widths)[col], w);
  }

  std::vector<double> ColumnWidths(const Section& s) const {
    std::vector<double> widths;
    for (const Block& b : s.blocks) {
      if (const Table* t = std::get_if<Table>(&b)) {
        for (size_t i = 0; i < t->header.size(); ++i) Widen(&widths, i, t->header[i]);
        for (const Row& r : t->rows) {
          if (r.heading) continue;
          for (size_t i = 0; i < r.cells.size(); ++i) {
            std::string text = r.cells[i].text;
            if (!r.cells[i].number && !r.cells[i].note.empty())
              text += "（" + r.cells[i].note + "）";
            Widen(&widths, i, text);
          }
        }
      } else if (const ChartGrid* g = std::get_if<ChartGrid>(&b)) {
        for (const Chart& c : g->charts) {
          for (const auto& s2 : c.series) Widen(&widths, 0, s2.name);
          for (size_t i = 0; i < c.categories.size(); ++i) {
            Widen(&widths, i + 1, c.categories[i]);
            Widen(&widths, i + 1, "100.00%");
          }
        }
      }
    }
    if (widths.size() < 6) widths.resize(6, kMinWidth + 4);
    return widths;
  }

  // ---- section sheets ---------------------------------------------------------------------

  void Text(lxw_worksheet* ws, lxw_row_t row, const std::string& text, const FormatSpec& spec,
            const std::vector<double>& widths) {
    // Long text is merged across the sheet's columns and wrapped, with a row tall enough.
    const size_t span = std::min<size_t>(widths.size(), 8);
    double chars = 0;
    for (size_t i = 0; i < span; ++i) chars += widths[i];
    FormatSpec wrapped = spec;
    wrapped.wrap = true;
    const std::string t = Truncate(text);
    if (span > 1) {
      worksheet_merge_range(ws, row, 0, row, static_cast<lxw_col_t>(span - 1), t.c_str(),
                            Format(wrapped));
    } else {
      worksheet_write_string(ws, row, 0, t.c_str(), Format(wrapped));
    }
    const double lines = std::ceil(static_cast<double>(DisplayWidth(text)) / std::max(chars, 1.0));
    const double point = spec.size > 0 ? spec.size : 11;
    worksheet_set_row(ws, row, std::max(1.0, lines) * point * 1.45 + 2, nullptr);
  }

  // Writes a table at `row`; returns the row after it. Records the first table for freezing.
  lxw_row_t WriteTable(lxw_worksheet* ws, lxw_row_t row, const Table& t) {
    if (!t.caption.empty()) {
      FormatSpec cap;
      cap.bold = true;
      worksheet_write_string(ws, row++, 0, Truncate(t.caption).c_str(), Format(cap));
    }
    FormatSpec head;
    head.bold = true;
    head.fill = kHeaderFill;
    head.border = true;
    head.wrap = true;
    const lxw_row_t header_row = row;
    for (size_t i = 0; i < t.header.size(); ++i) {
      FormatSpec h = head;
      h.right = i < t.numeric.size() && t.numeric[i];
      worksheet_write_string(ws, row, static_cast<lxw_col_t>(i), t.header[i].c_str(), Format(h));
    }
    ++row;
    for (const Row& r : t.rows) {
      if (r.heading) {
        FormatSpec chapter;
        chapter.bold = true;
        chapter.color = kAccent;
        chapter.fill = kChapterFill;
        chapter.border = true;
        const std::string text = r.cells.empty() ? "" : r.cells[0].text;
        if (t.header.size() > 1) {
          worksheet_merge_range(ws, row, 0, row, static_cast<lxw_col_t>(t.header.size() - 1),
                                text.c_str(), Format(chapter));
        } else {
          worksheet_write_string(ws, row, 0, text.c_str(), Format(chapter));
        }
        ++row;
        continue;
      }
      for (size_t i = 0; i < r.cells.size(); ++i) {
        const Cell& c = r.cells[i];
        const bool numeric = i < t.numeric.size() && t.numeric[i];
        const lxw_col_t col = static_cast<lxw_col_t>(i);
        lxw_format* f = Format(CellSpec(c, numeric));
        std::string comment;
        if (c.number) {
          worksheet_write_number(ws, row, col, *c.number, f);
          comment = c.note;
          if (c.inconclusive) {
            if (!comment.empty()) comment += T("；", "; ");
            comment += T("不确定：95% 置信区间跨越目标值",
                         "inconclusive: the 95 % interval straddles the target");
          }
        } else {
          std::string text = c.text;
          if (!c.note.empty())
            text += lang_ == Lang::kZh ? "（" + c.note + "）" : " (" + c.note + ")";
          if (c.inconclusive) text += T("（不确定）", " (inconclusive)");
          worksheet_write_string(ws, row, col, Truncate(text).c_str(), f);
        }
        if (!comment.empty()) worksheet_write_comment(ws, row, col, Truncate(comment).c_str());
      }
      ++row;
    }
    if (!first_table_) {
      first_table_ = true;
      table_header_row_ = header_row;
      table_last_row_ = row - 1;
      table_cols_ = t.header.size();
    }
    return row + 1;
  }

  lxw_row_t WriteChart(lxw_worksheet* ws, const std::string& sheet, lxw_row_t row, const Chart& c) {
    FormatSpec cap;
    cap.bold = true;
    std::string title = c.title;
    if (c.target) {
      title += lang_ == Lang::kZh
                   ? "（目标 " + report::FormatTarget(*c.target, c.unit, lang_) + "）"
                   : " (target " + report::FormatTarget(*c.target, c.unit, lang_) + ")";
    }
    worksheet_write_string(ws, row++, 0, title.c_str(), Format(cap));
    FormatSpec head;
    head.bold = true;
    head.fill = kHeaderFill;
    head.border = true;
    const lxw_row_t header_row = row;
    worksheet_write_string(ws, row, 0, T("运营商", "Operator").c_str(), Format(head));
    for (size_t i = 0; i < c.categories.size(); ++i) {
      FormatSpec h = head;
      h.right = true;
      worksheet_write_string(ws, row, static_cast<lxw_col_t>(i + 1), c.categories[i].c_str(),
                             Format(h));
    }
    ++row;
    const auto write_series = [&](const std::string& name,
                                  const std::vector<std::optional<double>>& values, bool muted) {
      FormatSpec label;
      label.border = true;
      if (muted) label.color = kMuted;
      worksheet_write_string(ws, row, 0, name.c_str(), Format(label));
      for (size_t i = 0; i < c.categories.size(); ++i) {
        const std::optional<double> v = i < values.size() ? values[i] : std::nullopt;
        FormatSpec spec;
        spec.border = true;
        spec.right = true;
        if (muted) spec.color = kMuted;
        const lxw_col_t col = static_cast<lxw_col_t>(i + 1);
        if (v) {
          spec.num_format = report::ExcelNumberFormat(c.unit, *v, lang_);
          if (!muted && c.target && !c.target->Met(*v)) {
            spec.color = kMissed;
            spec.bold = true;
          }
          worksheet_write_number(ws, row, col, *v, Format(spec));
        } else {
          worksheet_write_string(ws, row, col, "—", Format(spec));
        }
      }
      ++row;
    };
    const lxw_row_t first_series = row;
    for (const report::Series& s : c.series) write_series(s.name, s.values, false);
    const lxw_row_t target_row = row;
    const bool target_series = c.target && c.kind == Chart::Kind::kLine && !c.categories.empty();
    if (target_series) {
      write_series(T("目标", "Target"),
                   std::vector<std::optional<double>>(c.categories.size(), c.target->value), true);
    }
    // The native chart beside its data.
    if (!c.categories.empty() && !c.series.empty()) {
      lxw_chart* chart =
          workbook_add_chart(wb_, c.kind == Chart::Kind::kLine ? LXW_CHART_LINE : LXW_CHART_COLUMN);
      const lxw_col_t last_col = static_cast<lxw_col_t>(c.categories.size());
      const auto& palette = report::Palette();
      for (size_t si = 0; si < c.series.size(); ++si) {
        const lxw_row_t r = static_cast<lxw_row_t>(first_series + si);
        lxw_chart_series* s = chart_add_series(chart, nullptr, nullptr);
        chart_series_set_categories(s, sheet.c_str(), header_row, 1, header_row, last_col);
        chart_series_set_values(s, sheet.c_str(), r, 1, r, last_col);
        chart_series_set_name_range(s, sheet.c_str(), r, 0);
        const lxw_color_t color =
            ColorOf(palette[static_cast<size_t>(c.series[si].color) % palette.size()]);
        if (c.kind == Chart::Kind::kLine) {
          lxw_chart_line line = {};
          line.color = color;
          line.width = 2.25;
          chart_series_set_line(s, &line);
          chart_series_set_marker_type(s, LXW_CHART_MARKER_CIRCLE);
          chart_series_set_marker_size(s, 5);
          lxw_chart_fill fill = {};
          fill.color = color;
          chart_series_set_marker_fill(s, &fill);
          chart_series_set_marker_line(s, &line);
        } else {
          lxw_chart_fill fill = {};
          fill.color = color;
          chart_series_set_fill(s, &fill);
        }
      }
      if (target_series) {
        lxw_chart_series* s = chart_add_series(chart, nullptr, nullptr);
        chart_series_set_categories(s, sheet.c_str(), header_row, 1, header_row, last_col);
        chart_series_set_values(s, sheet.c_str(), target_row, 1, target_row, last_col);
        chart_series_set_name_range(s, sheet.c_str(), target_row, 0);
        lxw_chart_line line = {};
        line.color = kMissed;
        line.width = 1.5;
        line.dash_type = LXW_CHART_LINE_DASH_DASH;
        chart_series_set_line(s, &line);
        chart_series_set_marker_type(s, LXW_CHART_MARKER_NONE);
      }
      chart_title_set_name(chart, c.title.c_str());
      lxw_chart_font title_font = {};
      title_font.size = 11;
      title_font.bold = LXW_EXPLICIT_FALSE;
      chart_title_set_name_font(chart, &title_font);
      chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
      const report::AxisScale scale = report::ChartAxisScale(c);
      chart_axis_set_min(chart->y_axis, scale.lo);
      chart_axis_set_max(chart->y_axis, scale.hi);
      chart_axis_set_major_unit(chart->y_axis, scale.step);
      const std::string axis_format = c.unit == "ratio"
                                          ? RatioAxisFormat(scale.step)
                                          : report::ExcelNumberFormat(c.unit, scale.step, lang_);
      chart_axis_set_num_format(chart->y_axis, axis_format.c_str());
      lxw_chart_options opts = {};
      opts.x_scale = 1.1;
      opts.y_scale = 0.95;
      opts.x_offset = 8;
      worksheet_insert_chart_opt(ws, header_row - 1,
                                 static_cast<lxw_col_t>(c.categories.size() + 2), chart, &opts);
    }
    // A chart is about 14 rows tall: keep the next one clear of it.
    return std::max<lxw_row_t>(row + 1, header_row + 15);
  }

  void SectionSheet(const ReportDoc& doc, const Section& s) {
    const std::string name = SheetName(s.sheet_name, &sheet_names_);
    lxw_worksheet* ws = workbook_add_worksheet(wb_, name.c_str());
    worksheet_set_paper(ws, 9);  // A4
    worksheet_fit_to_pages(ws, 1, 0);
    first_table_ = false;
    const std::vector<double> widths = ColumnWidths(s);
    for (size_t i = 0; i < widths.size(); ++i) {
      worksheet_set_column(ws, static_cast<lxw_col_t>(i), static_cast<lxw_col_t>(i), widths[i],
                           nullptr);
    }
    lxw_row_t row = 0;
    FormatSpec title;
    title.bold = true;
    title.size = 14;
    title.color = kAccent;
    worksheet_write_string(ws, row, 0, s.title.c_str(), Format(title));
    worksheet_set_row(ws, row, 22, nullptr);
    row += 1;
    if (&s == &doc.sections.front()) {
      FormatSpec sub;
      sub.color = kMuted;
      worksheet_write_string(ws, row++, 0, Truncate(doc.title + " · " + doc.subtitle).c_str(),
                             Format(sub));
    }
    row += 1;
    for (const Block& b : s.blocks) {
      if (const Paragraph* p = std::get_if<Paragraph>(&b)) {
        FormatSpec spec;
        if (p->note) {
          spec.color = kMuted;
          spec.size = 9;
        }
        Text(ws, row++, p->text, spec, widths);
        row += p->note ? 1 : 0;
      } else if (const BulletList* l = std::get_if<BulletList>(&b)) {
        for (const std::string& item : l->items) Text(ws, row++, "• " + item, FormatSpec{}, widths);
        ++row;
      } else if (const Subheading* h = std::get_if<Subheading>(&b)) {
        FormatSpec spec;
        spec.bold = true;
        spec.size = 12;
        spec.color = kAccent;
        worksheet_write_string(ws, row++, 0, h->text.c_str(), Format(spec));
      } else if (const Table* t = std::get_if<Table>(&b)) {
        row = WriteTable(ws, row, *t);
      } else if (const ChartGrid* g = std::get_if<ChartGrid>(&b)) {
        for (const Chart& c : g->charts) row = WriteChart(ws, name, row, c);
      } else if (const report::PointMap* m = std::get_if<report::PointMap>(&b)) {
        // A spreadsheet cannot draw the map: point to where it is; the tables give the figures.
        Text(ws, row++,
             m->title + T("：地图见本报告的网页版或打印版，各小区的数值见下表。",
                          ": the map is in the HTML and PDF versions; the tables below give each "
                          "cell's figures."),
             FormatSpec{}, widths);
        ++row;
      }
    }
    // Freeze and filter the sheet's first table when it starts near the top, so its header stays
    // in view; further down the frozen rows would fill the screen.
    if (first_table_ && table_header_row_ <= 10) {
      worksheet_freeze_panes(ws, table_header_row_ + 1, 0);
      worksheet_autofilter(ws, table_header_row_, 0, table_last_row_,
                           static_cast<lxw_col_t>(table_cols_ - 1));
    }
  }

  // ---- every value with every breakdown -----------------------------------------------------

  void AllValuesSheet() {
    const std::string name = SheetName(T("全部数值", "All values"), &sheet_names_);
    lxw_worksheet* ws = workbook_add_worksheet(wb_, name.c_str());
    std::vector<Dim> dims;
    for (int d = 0; d < kDimCount; ++d) {
      const Dim dim = static_cast<Dim>(d);
      const bool used = std::any_of(in_.current.begin(), in_.current.end(),
                                    [&](const IndicatorValue& v) { return v.group.Find(dim); });
      if (used) dims.push_back(dim);
    }
    const bool prev = view_.has_previous();
    const bool yoy = view_.has_year_earlier();
    std::vector<std::string> header = {T("指标编号", "Indicator id"), T("指标", "Indicator")};
    for (Dim d : dims) header.push_back(DimHeader(d));
    header.insert(header.end(), {T("完成值", "Value"), T("单位", "Unit"), T("样本量", "n"),
                                 T("目标", "Target"), T("判定", "Verdict"), T("区间下限", "CI low"),
                                 T("区间上限", "CI high"), T("不确定", "Inconclusive")});
    if (prev) header.push_back(T("上期值", "Previous"));
    if (yoy) header.push_back(T("上年同期值", "Year earlier"));
    FormatSpec head;
    head.bold = true;
    head.fill = kHeaderFill;
    head.border = true;
    head.wrap = true;
    std::vector<double> widths(header.size(), kMinWidth);
    for (size_t i = 0; i < header.size(); ++i) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(i), header[i].c_str(), Format(head));
      Widen(&widths, i, header[i]);
    }
    // In presentation order: chapter, catalog order, then group.
    std::vector<const IndicatorValue*> values;
    for (const IndicatorValue& v : in_.current) values.push_back(&v);
    std::stable_sort(values.begin(), values.end(),
                     [this](const IndicatorValue* a, const IndicatorValue* b) {
                       if (a->id != b->id) return view_.IdLess(a->id, b->id);
                       return a->group < b->group;
                     });
    lxw_row_t row = 1;
    FormatSpec text;
    const auto number = [&](lxw_col_t col, std::optional<double> v, const std::string& unit) {
      if (!v) return;
      FormatSpec spec;
      spec.num_format = report::ExcelNumberFormat(unit, *v, lang_);
      worksheet_write_number(ws, row, col, *v, Format(spec));
    };
    for (const IndicatorValue* v : values) {
      const std::string unit = view_.Unit(v->id);
      lxw_col_t col = 0;
      const std::string name_text = view_.Name(v->id);
      worksheet_write_string(ws, row, col++, v->id.c_str(), nullptr);
      worksheet_write_string(ws, row, col++, name_text.c_str(), nullptr);
      Widen(&widths, 0, v->id);
      Widen(&widths, 1, name_text);
      for (Dim d : dims) {
        if (const std::string* value = v->group.Find(d)) {
          const std::string label = d == Dim::kMonth ? *value : view_.Label(*value);
          worksheet_write_string(ws, row, col, label.c_str(), nullptr);
          Widen(&widths, col, label);
        }
        ++col;
      }
      number(col++, v->value, unit);
      const std::string unit_text = unit == "ratio"   ? T("比率", "ratio")
                                    : unit == "count" ? T("计数", "count")
                                                      : report::UnitText(unit, lang_);
      worksheet_write_string(ws, row, col++, unit_text.c_str(), nullptr);
      number(col++, static_cast<double>(v->n), "count");
      if (v->target) {
        const std::string target = report::FormatTarget(*v->target, unit, lang_);
        worksheet_write_string(ws, row, col, target.c_str(), nullptr);
      }
      ++col;
      if (v->verdict != Verdict::kNone) {
        FormatSpec spec;
        spec.color = v->verdict == Verdict::kMet      ? kMet
                     : v->verdict == Verdict::kMissed ? kMissed
                                                      : kInsufficient;
        spec.bold = v->verdict == Verdict::kMissed;
        worksheet_write_string(ws, row, col, report::VerdictText(v->verdict, lang_).c_str(),
                               Format(spec));
      }
      ++col;
      if (v->ci) {
        number(col, v->ci->low, unit);
        number(col + 1, v->ci->high, unit);
        if (v->ci->inconclusive) {
          worksheet_write_string(ws, row, col + 2, T("是", "yes").c_str(), Format(text));
        }
      }
      col += 3;
      if (prev) {
        const IndicatorValue* p = view_.Previous(*v);
        if (p) number(col, p->value, unit);
        ++col;
      }
      if (yoy) {
        const IndicatorValue* y = view_.YearEarlier(*v);
        if (y) number(col, y->value, unit);
        ++col;
      }
      ++row;
    }
    for (size_t i = 0; i < widths.size(); ++i) {
      worksheet_set_column(ws, static_cast<lxw_col_t>(i), static_cast<lxw_col_t>(i),
                           std::max(widths[i], 11.0), nullptr);
    }
    worksheet_freeze_panes(ws, 1, 2);
    worksheet_autofilter(ws, 0, 0, std::max<lxw_row_t>(row - 1, 1),
                         static_cast<lxw_col_t>(header.size() - 1));
  }

  std::string DimHeader(Dim d) const {
    switch (d) {
      case Dim::kOperator:
        return T("运营商", "Operator");
      case Dim::kFromOperator:
        return T("携出运营商", "From operator");
      case Dim::kRegion:
        return T("地区", "Region");
      case Dim::kMonth:
        return T("月份", "Month");
      case Dim::kRat:
        return T("制式", "RAT");
      case Dim::kPlan:
        return T("套餐速率", "Plan");
      case Dim::kCategory:
        return T("类别", "Category");
      case Dim::kChannel:
        return T("渠道", "Channel");
      case Dim::kRejectReason:
        return T("拒绝原因", "Reject reason");
    }
    return DimName(d);
  }

  lxw_workbook* wb_;
  const ReportInput& in_;
  report::ReportView view_;
  Lang lang_;
  std::map<std::string, lxw_format*> formats_;
  std::set<std::string> sheet_names_;
  bool first_table_ = false;
  lxw_row_t table_header_row_ = 0;
  lxw_row_t table_last_row_ = 0;
  size_t table_cols_ = 0;
};

}  // namespace

Status WriteXlsxReport(const ReportInput& in, const std::string& path,
                       const ReportOptions& options) {
  // libxlsxwriter reports a missing directory only at the end (and on stderr): check it first.
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent)) {
    return Error(ErrorCode::kIo,
                 fmt::format("{}: directory {} does not exist", path, parent.string()));
  }
  const ReportDoc doc = report::BuildReportDoc(in, options);
  StagedFile staged(path);
  lxw_workbook_options opts = {};
  opts.constant_memory = LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(staged.staging_path().c_str(), &opts);
  if (wb == nullptr) {
    return Error(ErrorCode::kIo, fmt::format("{}: cannot create the workbook", path));
  }
  // Document properties; the creation time is the as-of time so that the same inputs give the
  // same workbook.
  std::string title = doc.title;
  std::string author = "tsq " + in.tsq_version;
  std::string comments = "catalog " + in.catalog_hash;
  std::string subject = in.period.label;
  lxw_doc_properties props = {};
  props.title = title.data();
  props.author = author.data();
  props.comments = comments.data();
  props.subject = subject.data();
  props.created = static_cast<time_t>(in.as_of / kMicrosPerSecond);
  workbook_set_properties(wb, &props);

  XlsxWriter writer(wb, in, in.lang);
  writer.WriteDoc(doc);
  const lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    return Error(ErrorCode::kIo,
                 fmt::format("{}: cannot write the workbook: {}", path, lxw_strerror(err)));
  }
  return staged.Commit();
}

}  // namespace tsq
