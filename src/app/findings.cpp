#include "app/findings.h"

#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "core/glob.h"
#include "io/csv_tokenizer.h"
#include "io/text_file.h"

namespace tsq {

Status CheckOperator(const std::string& wanted, const std::set<std::string>& present) {
  if (wanted.empty() || present.contains(wanted)) return Ok();
  const std::vector<std::string> names(present.begin(), present.end());
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  const std::vector<std::string> close = ClosestMatches(wanted, names);
  return Error(ErrorCode::kInvalidArgument,
               fmt::format("--operator {}: no such operator in the period's data ({}){}", wanted,
                           list.empty() ? "none" : list,
                           close.empty() ? "" : "; did you mean " + close.front() + "?"));
}

namespace {

Status CheckCells(const Analysis& analysis, const CellsView& view) {
  if (!analysis.report.cells) {
    return Error(ErrorCode::kNotFound,
                 "the data directory has no speed tests (speedtests.csv or .jsonl)");
  }
  std::set<std::string> ops;
  for (const JudgedCell& c : analysis.report.cells->cells) ops.insert(c.key.op);
  return CheckOperator(view.operator_name, ops);
}

std::optional<double> ParseNumber(std::string_view s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

Result<FindingFormat> ParseFindingFormat(std::string_view name) {
  if (name == "table") return FindingFormat::kTable;
  if (name == "json") return FindingFormat::kJson;
  if (name == "csv") return FindingFormat::kCsv;
  return Error(ErrorCode::kInvalidArgument,
               fmt::format("--format {}: expected table, json or csv", name));
}

std::vector<std::string> CellIdPatterns() { return {"speedtests.*"}; }
std::vector<std::string> BroadbandIdPatterns() { return {"broadband_tests.*"}; }

Result<std::string> RenderCells(const Analysis& analysis, FindingFormat format,
                                const CellsView& view) {
  TSQ_TRY(CheckCells(analysis, view));
  switch (format) {
    case FindingFormat::kJson:
      return RenderCellsJson(analysis.report, view);
    case FindingFormat::kCsv:
      return RenderCellsCsv(analysis.report, view);
    case FindingFormat::kTable:
      break;
  }
  return RenderCellsTable(analysis.report, view);
}

Result<std::string> RenderCellsGeoJson(const Analysis& analysis, const CellsView& view) {
  TSQ_TRY(CheckCells(analysis, view));
  return CellsGeoJson(analysis.report, view).dump(1) + "\n";
}

Result<std::vector<MapPlace>> ReadPlaces(const std::string& path) {
  auto read = ReadTextFile(path, "the places file");
  if (!read) return std::move(read).error();
  std::string text = std::move(*read);
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  CsvTokenizer tok;
  tok.Reset(text, 1, 0);
  CsvRecord rec;
  int name = -1, lat = -1, lon = -1;
  if (tok.Next(&rec) && !rec.bad_quoting) {
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      if (rec.fields[i] == "name") name = static_cast<int>(i);
      if (rec.fields[i] == "lat") lat = static_cast<int>(i);
      if (rec.fields[i] == "lon") lon = static_cast<int>(i);
    }
  }
  if (name < 0 || lat < 0 || lon < 0) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}:1: the header needs the columns name, lat and lon", path));
  }
  const size_t width = rec.fields.size();
  std::vector<MapPlace> out;
  while (tok.Next(&rec)) {
    if (rec.bad_quoting || rec.fields.size() != width) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}:{}: expected {} fields", path, rec.line, width));
    }
    const auto la = ParseNumber(rec.fields[static_cast<size_t>(lat)]);
    const auto lo = ParseNumber(rec.fields[static_cast<size_t>(lon)]);
    if (!la || !lo || std::fabs(*la) > 90 || std::fabs(*lo) > 180) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}:{}: lat and lon must be WGS 84 degrees", path, rec.line));
    }
    out.push_back({std::string(rec.fields[static_cast<size_t>(name)]), *la, *lo});
  }
  return out;
}

Result<std::string> RenderBroadband(const Analysis& analysis, FindingFormat format,
                                    const BroadbandView& view) {
  const ReportInput& in = analysis.report;
  if (!in.broadband) {
    return Error(ErrorCode::kNotFound,
                 "the data directory has no broadband tests (broadband_tests.csv or .jsonl)");
  }
  std::set<std::string> ops;
  bool line_found = view.line_id.empty();
  for (const JudgedLine& l : in.broadband->lines) {
    ops.insert(l.op);
    line_found = line_found || l.line_id == view.line_id;
  }
  TSQ_TRY(CheckOperator(view.operator_name, ops));
  if (!line_found) {
    return Error(ErrorCode::kInvalidArgument, fmt::format("--line {}: no test of this line in {}",
                                                          view.line_id, in.broadband->period));
  }
  switch (format) {
    case FindingFormat::kJson:
      return RenderBroadbandJson(in, view);
    case FindingFormat::kCsv:
      return RenderBroadbandCsv(in, view);
    case FindingFormat::kTable:
      break;
  }
  return RenderBroadbandTable(in, view);
}

}  // namespace tsq
