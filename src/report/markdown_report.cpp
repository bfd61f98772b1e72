#include "report/markdown_report.h"

#include <fmt/format.h>

#include "io/output_file.h"
#include "report/report_format.h"

namespace tsq {
namespace report {
namespace {

// Escapes what Markdown would read as markup; a table cell also must not contain '|' or a line
// break.
std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '\\':
      case '*':
      case '_':
      case '`':
      case '<':
      case '|':
        out += '\\';
        out += c;
        break;
      case '\n':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Code(std::string_view s) {
  std::string out = "`";
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c != '`' && c != '\n') {
      out += c;
    }
  }
  return out + "`";
}

std::string Aside(std::string_view text, Lang lang) {
  return lang == Lang::kZh ? fmt::format("（{}）", text) : fmt::format(" ({})", text);
}

std::string RenderCell(const Cell& c, Lang lang) {
  std::string out = c.style == CellStyle::kCode ? Code(c.text) : Escape(c.text);
  if (c.style == CellStyle::kMissed) out = "**" + out + "**";
  if (!c.note.empty()) out += Aside(Escape(c.note), lang);
  if (c.inconclusive) out += Aside(L(lang, "不确定", "inconclusive"), lang);
  return out;
}

std::string MarkdownTable(const Table& t, Lang lang) {
  std::string out;
  if (!t.caption.empty()) out.append("**").append(Escape(t.caption)).append("**\n\n");
  out += "|";
  for (const std::string& h : t.header) out.append(" ").append(Escape(h)).append(" |");
  out += "\n|";
  for (size_t i = 0; i < t.header.size(); ++i) {
    out += i < t.numeric.size() && t.numeric[i] ? " ---: |" : " --- |";
  }
  out += "\n";
  for (const Row& r : t.rows) {
    out += "|";
    if (r.heading) {
      out.append(" **").append(Escape(r.cells.empty() ? "" : r.cells[0].text)).append("** |");
      for (size_t i = 1; i < t.header.size(); ++i) out += "  |";
    } else {
      for (size_t i = 0; i < t.header.size(); ++i) {
        out.append(" ")
            .append(i < r.cells.size() ? RenderCell(r.cells[i], lang) : std::string())
            .append(" |");
      }
    }
    out += "\n";
  }
  return out + "\n";
}

std::string MarkdownChart(const Chart& c, Lang lang) {
  std::string out = "**";
  out.append(Escape(c.title)).append("**");
  if (c.target) {
    out += Aside(std::string(L(lang, "目标 ", "target ")) + FormatTarget(*c.target, c.unit, lang),
                 lang);
  }
  out += "\n\n|";
  out.append(" ").append(L(lang, "运营商", "Operator")).append(" |");
  for (const std::string& cat : c.categories) out.append(" ").append(Escape(cat)).append(" |");
  out += "\n| --- |";
  for (size_t i = 0; i < c.categories.size(); ++i) out += " ---: |";
  out += "\n";
  for (const Series& s : c.series) {
    out.append("| ").append(Escape(s.name)).append(" |");
    for (size_t i = 0; i < c.categories.size(); ++i) {
      const std::optional<double> v = i < s.values.size() ? s.values[i] : std::nullopt;
      std::string text = FormatValue(v, c.unit, lang);
      if (v && c.target && !c.target->Met(*v)) text = "**" + text + "**";
      out += " " + text + " |";
    }
    out += "\n";
  }
  return out + "\n";
}

struct MarkdownBlock {
  Lang lang;
  std::string* out;
  void operator()(const Paragraph& p) const {
    *out += p.note ? "> " + Escape(p.text) + "\n\n" : Escape(p.text) + "\n\n";
  }
  void operator()(const BulletList& l) const {
    for (const std::string& item : l.items) *out += "- " + Escape(item) + "\n";
    *out += "\n";
  }
  void operator()(const Table& t) const { *out += MarkdownTable(t, lang); }
  void operator()(const ChartGrid& g) const {
    for (const Chart& c : g.charts) *out += MarkdownChart(c, lang);
  }
  void operator()(const Subheading& h) const { *out += "### " + Escape(h.text) + "\n\n"; }
  void operator()(const PointMap& m) const {
    *out += "> " + Escape(m.title) +
            std::string(L(lang, "：地图见本报告的网页版或打印版，各小区的数值见下表。",
                          ": the map is in the HTML and PDF versions of this report; the tables "
                          "below give each cell's figures.")) +
            "\n\n";
  }
};

}  // namespace

std::string RenderMarkdown(const ReportDoc& doc) {
  const Lang lang = doc.lang;
  std::string out = "# " + Escape(doc.title) + "\n\n";
  out += Escape(doc.subtitle) + "\n\n";
  out += fmt::format("| {} | {} |\n| --- | --- |\n", L(lang, "项目", "Item"),
                     L(lang, "内容", "Value"));
  for (const auto& [k, v] : doc.meta) out += "| " + Escape(k) + " | " + Escape(v) + " |\n";
  out += "\n";
  for (const Section& s : doc.sections) {
    out += "## " + Escape(s.title) + "\n\n";
    for (const Block& b : s.blocks) std::visit(MarkdownBlock{lang, &out}, b);
  }
  out += "---\n\n" + Escape(doc.footer) + "\n";
  return out;
}

}  // namespace report

std::string RenderMarkdownReport(const ReportInput& in, const ReportOptions& options) {
  return report::RenderMarkdown(report::BuildReportDoc(in, options));
}

Status WriteMarkdownReport(const ReportInput& in, const std::string& path,
                           const ReportOptions& options) {
  const std::string md = RenderMarkdownReport(in, options);
  auto file = OutputFile::Create(path);
  if (!file) return std::move(file).error();
  TSQ_TRY((*file)->Write(md));
  return (*file)->Commit();
}

}  // namespace tsq
