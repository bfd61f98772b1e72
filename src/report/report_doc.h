// The report as a document: sections of paragraphs, tables and charts, built once from the
// ReportInput and then written as HTML (tables and inline SVG), Markdown (tables; charts as their
// data) and xlsx (one sheet per section, numbers as numbers). Building it here is what keeps the
// formats saying the same thing.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "report/report_input.h"
#include "report/report_options.h"

namespace tsq::report {

/// How a cell looks (HTML colour, Markdown emphasis, xlsx font).
enum class CellStyle : uint8_t {
  kText,
  kNumber,        // right-aligned figure
  kMet,           // verdict: met
  kMissed,        // verdict: missed
  kInsufficient,  // verdict: insufficient data
  kNoTarget,      // verdict column of a figure without target
  kBetter,        // a change for the better
  kWorse,         // a change for the worse
  kCode,          // identifiers, paths, digests (monospace, may break anywhere)
};

struct Cell {
  std::string text;
  CellStyle style = CellStyle::kText;
  std::optional<double> number;  // the figure behind `text`, for xlsx
  std::string num_format;        // its Excel number format ("0.00%", `0.00" h"`); empty = General
  std::string note;              // a second, smaller line (HTML) or a cell comment (xlsx)
  bool inconclusive = false;     // the 95 % interval straddles the target: marked in every format
};

struct Row {
  std::vector<Cell> cells;
  bool heading = false;  // a chapter row spanning the table ("（一）移动电话业务")
};

struct Table {
  std::string caption;
  std::vector<std::string> header;
  std::vector<Row> rows;
  /// Columns that hold figures (right-aligned).
  std::vector<bool> numeric;
  /// Relative widths for the HTML layout (empty = automatic).
  std::vector<int> widths;
};

struct Paragraph {
  std::string text;
  bool note = false;  // small print under a table or chart
};

struct BulletList {
  std::vector<std::string> items;
};

/// A series of a chart: one value per category (month or region); nullopt = no value.
struct Series {
  std::string name;
  std::vector<std::optional<double>> values;
  int color = 0;  // index into the palette (per operator, stable across charts)
};

struct Chart {
  enum class Kind { kLine, kBar };
  Kind kind = Kind::kLine;
  std::string title;
  std::string unit;  // catalog unit of the values ("ratio", "seconds"...)
  std::vector<std::string> categories;
  std::vector<Series> series;
  std::optional<Target> target;
};

struct ChartGrid {
  std::vector<Chart> charts;
};

struct Subheading {
  std::string text;
};

/// A map of points (cells at the centroid of their tests) coloured by class. HTML draws it as
/// inline SVG on a plain coordinate grid; Markdown and xlsx, which cannot, say so and leave the
/// figures to the tables beside it.
struct MapPoint {
  double lat = 0;
  double lon = 0;
  int cls = 0;          // index into PointMap::classes
  std::string label;    // the tooltip
  bool square = false;  // a tile rather than a cell
};

struct PointMap {
  std::string title;
  struct Class {
    std::string name;
    std::string color;  // hex
    double radius = 3;
  };
  std::vector<Class> classes;  // drawn in reverse order, so that the first lies on top
  std::vector<MapPoint> points;
  std::vector<std::pair<std::string, std::pair<double, double>>> places;  // name, (lat, lon)
};

using Block = std::variant<Paragraph, BulletList, Table, ChartGrid, Subheading, PointMap>;

struct Section {
  std::string anchor;      // HTML id
  std::string title;       // with its number: "一、总体情况"
  std::string sheet_name;  // short name for the xlsx sheet (≤ 31 characters)
  bool appendix = false;
  std::vector<Block> blocks;
};

struct ReportDoc {
  Lang lang = Lang::kZh;
  DocumentKind kind = DocumentKind::kAnalysis;
  std::string kicker;    // the line above the title ("电信服务质量通告")
  std::string title;     // "吉林省2022年下半年电信服务质量报告"
  std::string subtitle;  // statistics period and as-of time
  std::vector<std::pair<std::string, std::string>> meta;  // label, value (cover page)
  std::vector<Section> sections;
  std::string footer;
};

/// Builds the document that options.kind asks for.
/// REQUIRES: in.catalog is set.
ReportDoc BuildReportDoc(const ReportInput& in, const ReportOptions& options);

/// The palette of chart series and operator colours (hex), indexed by Series::color.
const std::vector<std::string>& Palette();

}  // namespace tsq::report
