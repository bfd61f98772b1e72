#include <cstdio>
#include <cstdlib>

#include "app/findings.h"
#include "cli/analysis_options.h"
#include "cli/options.h"
#include "io/output_file.h"

namespace tsq {
namespace {

struct CellsArgs {
  CommonOptions common;
  PeriodOptions period;
  FindingRequest findings;
  std::string dir;
  std::string format = "table";
  std::string out;
  std::string geojson;
  std::string map;
  std::string tiles;
  std::string attribution;
  std::string operator_name;
  bool all = false;
};

ExitStatus RunCells(const CellsArgs& args) {
  auto format = ParseFindingFormat(args.format);
  if (!format) return Fail(format.error());
  if (!args.map.empty() && !args.map.ends_with(".html") && !args.map.ends_with(".htm")) {
    return Fail(Error(ErrorCode::kInvalidArgument,
                      "--map-page " + args.map + ": the map is an HTML page; name it *.html"));
  }
  CellMapOptions map;
  map.tile_url = !args.tiles.empty() ? args.tiles : [] {
    const char* env = std::getenv("TSQ_TILE_URL");
    return std::string(env != nullptr ? env : "");
  }();
  map.tile_attribution = args.attribution;
  CommonOptions common = args.common;
  common.no_digests = true;  // nothing here shows them
  ExitStatus status = ExitStatus::kOk;
  auto analysis =
      RunAnalysisFromCli(args.dir, args.period, common, CellIdPatterns(), &status, args.findings);
  if (!analysis) return status;
  CellsView view;
  view.lang = LangOf(args.common);
  view.operator_name = args.operator_name;
  view.all = args.all;
  auto text = RenderCells(*analysis, *format, view);
  if (!text) return Fail(text.error());
  if (!args.geojson.empty()) {
    auto geo = RenderCellsGeoJson(*analysis, view);
    if (!geo) return Fail(geo.error());
    if (ExitStatus st = Emit(args.geojson, *geo); st != ExitStatus::kOk) return st;
  }
  if (!args.map.empty()) {
    for (const auto& [name, ll] : analysis->report.places) {
      map.places.push_back({name, ll.first, ll.second});
    }
    const ExitStatus st = Emit(args.map, RenderCellMap(analysis->report, view, map));
    if (st != ExitStatus::kOk) return st;
  }
  return Emit(args.out, *text);
}

}  // namespace

void AddCellsCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<CellsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "cells",
      std::string(
          "Find the poor-quality cells (质差小区) of a period in crowdsourced speed tests, and\n"
          "how many of the baseline's poor cells were fixed (整治率).\n"
          "A test is bad below 100 Mbit/s on 5G or 10 Mbit/s on 4G; a cell with at least 20\n"
          "tests is poor when the one-sided 95% Wilson lower bound of its bad share exceeds\n"
          "20% (the catalog's speedtests.* parameters; see 'tsq indicators'). Tests without a\n"
          "cell id are judged on ~500 m quadkey tiles. Against the baseline (default: the\n"
          "preceding period of the same length) each poor cell is remediated, still poor, or\n"
          "unverified (too few tests now), shown beside how much comparable cells that were not\n"
          "poor changed, so that a reader can tell the fixes from regression to the mean.\n"
          "The table lists the poor cells and the baseline's; --format csv|json lists every\n"
          "cell and tile; --geojson writes points for QGIS; --map-page writes a page to open in a\n"
          "browser (offline grid, or your tile server with --tiles).\n"
          "Examples:\n"
          "  tsq cells demo/data --period 2022H2\n"
          "  tsq cells demo/data -p 2022H2 --baseline 2022H1 --format csv --out cells.csv\n"
          "  tsq cells demo/data -p 2022H2 --geojson cells.geojson --map-page cells.html \\\n"
          "      --places demo/data/places.csv\n"
          "  tsq cells demo/data -p 2022H2 --work-orders fixes.csv --per-device-day\n") +
          kExitStatusHelp);
  cmd->add_option("DIR", args->dir, "Data directory (optional with --state or --merge-stored)")
      ->check(CLI::ExistingDirectory);
  AddPeriodOptions(cmd, &args->period);
  AddStoreOption(cmd, &args->period, /*ingest=*/false);
  AddMergeStoredOption(cmd, &args->period);
  AddFindingOptions(cmd, &args->findings);
  cmd->add_option("--format", args->format, "table (default), json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  cmd->add_option("--out,-o", args->out, "Write to this file instead of standard output");
  cmd->add_option("--geojson", args->geojson,
                  "Also write every cell and tile as a GeoJSON FeatureCollection (RFC 7946)");
  cmd->add_option("--map-page", args->map,
                  "Also write a map page (one self-contained HTML file) of the cells");
  cmd->add_option("--tiles", args->tiles,
                  "Map tiles for --map-page, e.g. https://tiles.example.com/{z}/{x}/{y}.png\n"
                  "(default: $TSQ_TILE_URL, else an offline grid)");
  cmd->add_option("--attribution", args->attribution, "The tiles' attribution text");
  cmd->add_option("--operator", args->operator_name, "Only this operator's cells");
  cmd->add_flag("--all", args->all, "Table: every cell and tile, not only the poor ones");
  AddCommonOptions(cmd, &args->common);
  cmd->callback([ctx, args] { ctx->run = [args] { return RunCells(*args); }; });
}

}  // namespace tsq
