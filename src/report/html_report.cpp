#include "report/html_report.h"

#include <fmt/format.h>

#include "io/output_file.h"
#include "report/report_format.h"
#include "report/svg_chart.h"

namespace tsq {
namespace report {
namespace {

// System CJK fonts only: the file must render offline, so nothing is fetched or embedded.
constexpr std::string_view kCss = R"CSS(
:root {
  --font: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
          "Hiragino Sans GB", sans-serif;
  --mono: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", "Consolas", monospace;
  --ink: #1d2733; --muted: #5b6876; --line: #d5dce4; --head: #eaf0f6; --accent: #0b4f8a;
  --met: #1b7f3b; --met-bg: #e3f3e8; --missed: #b3261e; --missed-bg: #fbe5e3;
  --insufficient: #7a5d00; --insufficient-bg: #fff1c9;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #eef1f4; color: var(--ink); font-family: var(--font);
       font-size: 14px; line-height: 1.7; }
main.report { max-width: 1000px; margin: 24px auto; background: #fff; padding: 44px 60px 40px;
              box-shadow: 0 1px 6px rgba(20, 40, 60, .12); }
header.cover { border-bottom: 3px solid var(--accent); padding-bottom: 16px; }
.kicker { color: var(--accent); font-size: 13px; letter-spacing: .12em; font-weight: 600; }
h1 { font-size: 27px; line-height: 1.35; margin: 6px 0 4px; font-weight: 700; }
.subtitle { color: var(--muted); margin: 0 0 14px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 1px 18px; margin: 0;
          font-size: 13px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
nav.toc { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px;
          padding: 8px 18px 10px; margin: 20px 0 8px; font-size: 13.5px; }
nav.toc h2 { border: 0; padding: 0; margin: 0 0 2px; font-size: 14px; color: var(--muted); }
nav.toc ol { list-style: none; margin: 0; padding: 0; columns: 2; column-gap: 32px; }
nav.toc a { color: var(--ink); text-decoration: none; }
nav.toc a:hover { color: var(--accent); text-decoration: underline; }
section.section { margin-top: 40px; }
h2 { font-size: 20px; line-height: 1.4; border-left: 5px solid var(--accent); padding-left: 10px;
     margin: 0 0 12px; }
h3 { font-size: 15.5px; margin: 20px 0 8px; color: var(--accent); }
p { margin: 8px 0; text-align: justify; }
p.note { font-size: 12px; color: var(--muted); line-height: 1.6; }
ul.list { margin: 6px 0 10px; padding-left: 1.4em; }
ul.list li { margin: 2px 0; }
.table-wrap { overflow-x: auto; margin: 10px 0 12px; }
table { width: 100%; border-collapse: collapse; font-size: 13px;
        font-variant-numeric: tabular-nums; }
table.fixed { table-layout: fixed; }
table.fixed td.num { white-space: normal; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 2px 0 6px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: var(--head); font-weight: 600; text-align: left; word-break: keep-all;
     overflow-wrap: normal; }
th.num, td.num { text-align: right; }
td.num { white-space: nowrap; overflow-wrap: normal; word-break: keep-all; }
tbody tr:nth-child(even) td { background: #fafbfc; }
tr.chapter td { background: #f2f5f9 !important; font-weight: 600; color: var(--accent); }
td.code { font-family: var(--mono); font-size: 11.5px; word-break: break-all; }
.v { display: inline-block; padding: 0 9px; border-radius: 10px; font-size: 12px; font-weight: 600;
     white-space: nowrap; line-height: 1.7; }
.v.met { color: var(--met); background: var(--met-bg); }
.v.missed { color: var(--missed); background: var(--missed-bg); }
.v.insufficient { color: var(--insufficient); background: var(--insufficient-bg); }
.v.none { color: var(--muted); background: #eef0f2; font-weight: 400; }
td.cell-met { background: var(--met-bg) !important; }
td.cell-missed { background: var(--missed-bg) !important; color: var(--missed); font-weight: 600; }
td.cell-insufficient { background: var(--insufficient-bg) !important; }
td.better { color: var(--met); }
td.worse { color: var(--missed); }
.inc { display: inline-block; margin-left: 4px; padding: 0 6px; border: 1px dashed var(--insufficient);
       color: var(--insufficient); border-radius: 10px; font-size: 11px; font-weight: 400;
       white-space: nowrap; line-height: 1.6; }
.sub { display: block; font-size: 11.5px; color: var(--muted); font-weight: 400; }
.charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 14px 18px;
          margin: 12px 0; }
.charts.wide { grid-template-columns: minmax(0, 1fr); }
figure.map { margin: 0 0 12px; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
figure.map figcaption { font-weight: 600; margin-bottom: 4px; }
figure.map svg { width: 100%; height: auto; display: block; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px 2px;
               break-inside: avoid; }
figcaption { font-weight: 600; font-size: 13.5px; }
.chart-svg { display: block; height: auto; }
.chart-svg text { font-family: var(--font); fill: #4a5663; }
.chart-svg .tick, .chart-svg .legend { font-size: 13px; }
.chart-svg .legend { fill: var(--ink); }
.chart-svg .grid { stroke: #e7ebef; stroke-width: 1; }
.chart-svg .axis { stroke: #8b96a1; stroke-width: 1; }
.chart-svg .target { stroke: #b3261e; stroke-width: 1.5; stroke-dasharray: 6 4; }
.chart-svg .series { stroke-width: 2.2; stroke-linejoin: round; stroke-linecap: round; }
.chart-svg .bar-missed { stroke: #b3261e; stroke-width: 1.2; }
footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--line);
         color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
@page { size: A4; margin: 15mm 13mm 16mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #5b6876; } }
@page wide { size: A4 landscape; margin: 13mm 15mm 14mm; }
@media print {
  body { background: #fff; font-size: 10.5pt; }
  main.report { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  section.section { margin-top: 0; break-before: page; }
  section.section.first { break-before: auto; margin-top: 24px; }
  .table-wrap { overflow: visible; }
  table { font-size: 9pt; }
  th, td { padding: 3px 5px; }
  td.num { white-space: normal; }
  /* A header may wrap anywhere in print: an unbreakable header would push the last column off
     the page. Tables with many columns print smaller, the widest on a landscape page. */
  th { word-break: normal; overflow-wrap: anywhere; }
  .table-wrap.many table { font-size: 8pt; }
  .table-wrap.wide { page: wide; }
  .table-wrap.wide table { font-size: 8pt; }
  .sub { font-size: 7.5pt; }
  td.code { font-size: 7pt; }
  tr, figure, .inc, .v { break-inside: avoid; }
  thead { display: table-header-group; }
  h2, h3, caption { break-after: avoid; }
  nav.toc a { color: var(--ink); }
}
)CSS";

std::string E(std::string_view s) { return HtmlEscape(s); }

std::string VerdictClass(CellStyle style) {
  switch (style) {
    case CellStyle::kMet:
      return "met";
    case CellStyle::kMissed:
      return "missed";
    case CellStyle::kInsufficient:
      return "insufficient";
    case CellStyle::kNoTarget:
      return "none";
    default:
      return "";
  }
}

std::string InconclusiveTag(const Cell& c, Lang lang) {
  if (!c.inconclusive) return "";
  return fmt::format(
      R"(<span class="inc" title="{}">{}</span>)",
      E(L(lang, "95% 置信区间跨越目标值，结论不确定", "the 95 % interval straddles the target")),
      L(lang, "不确定", "inconclusive"));
}

std::string RenderCell(const Cell& c, bool numeric, Lang lang) {
  const std::string verdict = VerdictClass(c.style);
  std::string cls = numeric ? "num" : "";
  const auto add_class = [&](std::string_view name) {
    if (!cls.empty()) cls += ' ';
    cls += name;
  };
  std::string body;
  if (!verdict.empty() && !numeric) {
    // A verdict column: a coloured badge, the inconclusive mark beside it.
    body = fmt::format(R"(<span class="v {}">{}</span>)", verdict, E(c.text));
  } else {
    body = E(c.text);
    // A figure tinted by its verdict (the notice's side-by-side table, a missed value).
    if (!verdict.empty() && verdict != "none") add_class("cell-" + verdict);
    if (c.style == CellStyle::kBetter) add_class("better");
    if (c.style == CellStyle::kWorse) add_class("worse");
    if (c.style == CellStyle::kCode) add_class("code");
  }
  std::string out = cls.empty() ? "<td>" : fmt::format(R"(<td class="{}">)", cls);
  out += body;
  if (!c.note.empty()) out += fmt::format(R"(<span class="sub">{}</span>)", E(c.note));
  out += InconclusiveTag(c, lang);
  out += "</td>";
  return out;
}

std::string RenderTable(const Table& t, Lang lang) {
  const bool fixed = !t.widths.empty() && t.widths.size() == t.header.size();
  // Given widths are kept (fixed layout), so long figures wrap instead of crushing the name column.
  // Print: seven or more columns in smaller type, ten or more on a landscape page.
  const size_t columns = t.header.size();
  const char* wrap = columns >= 10  ? "table-wrap wide"
                     : columns >= 7 ? "table-wrap many"
                                    : "table-wrap";
  std::string out =
      fmt::format(R"(<div class="{}"><table{}>)", wrap, fixed ? R"( class="fixed")" : "");
  if (!t.caption.empty()) out += "<caption>" + E(t.caption) + "</caption>";
  if (fixed) {
    int total = 0;
    for (int w : t.widths) total += w;
    out += "<colgroup>";
    for (int w : t.widths) out += fmt::format(R"(<col style="width:{:.1f}%">)", 100.0 * w / total);
    out += "</colgroup>";
  }
  const auto numeric = [&](size_t i) { return i < t.numeric.size() && t.numeric[i]; };
  out += "<thead><tr>";
  for (size_t i = 0; i < t.header.size(); ++i) {
    out += numeric(i) ? R"(<th class="num">)" : "<th>";
    out += E(t.header[i]) + "</th>";
  }
  out += "</tr></thead><tbody>";
  for (const Row& r : t.rows) {
    if (r.heading) {
      out += fmt::format(R"(<tr class="chapter"><td colspan="{}">{}</td></tr>)", t.header.size(),
                         r.cells.empty() ? "" : E(r.cells[0].text));
      continue;
    }
    out += "<tr>";
    for (size_t i = 0; i < r.cells.size(); ++i) out += RenderCell(r.cells[i], numeric(i), lang);
    out += "</tr>";
  }
  out += "</tbody></table></div>\n";
  return out;
}

std::string RenderCharts(const ChartGrid& grid, Lang lang) {
  // Bar charts over many regions need the full width; monthly lines fit two abreast.
  bool wide = false;
  for (const Chart& c : grid.charts) wide = wide || IsWideChart(c);
  std::string out = wide ? R"(<div class="charts wide">)" : R"(<div class="charts">)";
  for (const Chart& c : grid.charts) {
    out += R"(<figure class="chart"><figcaption>)" + E(c.title) + "</figcaption>";
    out += RenderChartSvg(c, lang);
    out += "</figure>";
  }
  out += "</div>\n";
  return out;
}

struct BlockRenderer {
  Lang lang;
  std::string* out;
  void operator()(const Paragraph& p) const {
    *out += p.note ? R"(<p class="note">)" : "<p>";
    *out += E(p.text) + "</p>\n";
  }
  void operator()(const BulletList& l) const {
    *out += R"(<ul class="list">)";
    for (const std::string& item : l.items) *out += "<li>" + E(item) + "</li>";
    *out += "</ul>\n";
  }
  void operator()(const Table& t) const { *out += RenderTable(t, lang); }
  void operator()(const ChartGrid& g) const { *out += RenderCharts(g, lang); }
  void operator()(const Subheading& h) const { *out += "<h3>" + E(h.text) + "</h3>\n"; }
  void operator()(const PointMap& m) const {
    *out += R"(<figure class="map"><figcaption>)" + E(m.title) + "</figcaption>";
    *out += RenderPointMapSvg(m, lang) + "</figure>\n";
  }
};

}  // namespace

std::string RenderHtml(const ReportDoc& doc) {
  const Lang lang = doc.lang;
  std::string out;
  out += "<!DOCTYPE html>\n";
  out += fmt::format(R"(<html lang="{}">)", lang == Lang::kZh ? "zh-CN" : "en");
  out += "\n<head>\n<meta charset=\"utf-8\">\n";
  out += R"(<meta name="viewport" content="width=device-width, initial-scale=1">)";
  out += "\n<meta name=\"generator\" content=\"tsq\">\n";
  out += "<title>" + E(doc.title) + "</title>\n<style>" + std::string(kCss) + "</style>\n</head>\n";
  out += "<body>\n<main class=\"report\">\n<header class=\"cover\">\n";
  out += fmt::format(R"(<div class="kicker">{}</div>)", E(doc.kicker));
  out += "\n<h1>" + E(doc.title) + "</h1>\n";
  out += R"(<p class="subtitle">)" + E(doc.subtitle) + "</p>\n";
  out += R"(<dl class="meta">)";
  for (const auto& [k, v] : doc.meta) out += "<dt>" + E(k) + "</dt><dd>" + E(v) + "</dd>";
  out += "</dl>\n</header>\n";
  out += R"(<nav class="toc"><h2>)" + E(L(lang, "目录", "Contents")) + "</h2><ol>";
  for (const Section& s : doc.sections) {
    out += fmt::format(R"(<li><a href="#{}">{}</a></li>)", E(s.anchor), E(s.title));
  }
  out += "</ol></nav>\n";
  bool first = true;
  for (const Section& s : doc.sections) {
    out +=
        fmt::format(R"(<section class="section{}" id="{}">)", first ? " first" : "", E(s.anchor));
    first = false;
    out += "\n<h2>" + E(s.title) + "</h2>\n";
    for (const Block& b : s.blocks) std::visit(BlockRenderer{lang, &out}, b);
    out += "</section>\n";
  }
  out += "<footer>" + E(doc.footer) + "</footer>\n</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace report

std::string RenderHtmlReport(const ReportInput& in, const ReportOptions& options) {
  return report::RenderHtml(report::BuildReportDoc(in, options));
}

Status WriteHtmlReport(const ReportInput& in, const std::string& path,
                       const ReportOptions& options) {
  const std::string html = RenderHtmlReport(in, options);
  auto file = OutputFile::Create(path);
  if (!file) return std::move(file).error();
  TSQ_TRY((*file)->Write(html));
  return (*file)->Commit();
}

}  // namespace tsq
