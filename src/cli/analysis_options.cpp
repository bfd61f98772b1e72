#include "cli/analysis_options.h"

#include "cli/options.h"
#include "cli/progress_bar.h"

namespace tsq {

void AddPeriodOptions(CLI::App* cmd, PeriodOptions* o) {
  cmd->add_option(
      "--period,-p", o->period,
      "The period: a half-year 2022H2 (the regulator's unit), a quarter 2022Q4,\n"
      "a month 2022-11 or a year 2022. Records belong to the period of their start time.");
  cmd->add_option("--from", o->from, "Start date of a custom period, YYYY-MM-DD (inclusive)");
  cmd->add_option("--to", o->to, "End date of a custom period, YYYY-MM-DD (exclusive)");
  cmd->add_option("--as-of", o->as_of,
                  "Judge open items (no end time) at this time instead of the period end,\n"
                  "e.g. '2023-01-05 00:00:00'");
  cmd->add_option("--catalog", o->catalog,
                  "A TOML file overriding targets, limits and names of the built-in catalog,\n"
                  "per operator too; see 'tsq indicators --help'. An unknown id, parameter or\n"
                  "key in it is an error naming the file, line and key")
      ->check(CLI::ExistingFile);
  cmd->add_option("--quarantine", o->quarantine,
                  "Also write every bad row to this CSV (file,line,column,reason,raw), with\n"
                  "subscriber numbers masked");
  cmd->add_option("--max-bad-share", o->max_bad_share,
                  "Fail (exit status 3, nothing written) when any file's quarantined share of\n"
                  "rows exceeds this fraction, e.g. 0.01 for 1%")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--state", o->states,
                  "Merge states saved by --save-state (repeatable): each fills the window that\n"
                  "contains its period, e.g. six months' states make a half-year, and a state of\n"
                  "the preceding period gives 环比. DIR may then be left out. Refused when two\n"
                  "overlap, when DIR has records of their time, or under other catalog limits")
      ->check(CLI::ExistingFile);
  cmd->add_option("--save-state", o->save_state,
                  "Also save this run's partial state of its period to FILE (binary, versioned,\n"
                  "compressed), to merge later with --state instead of reading the records again");
}

void AddFindingOptions(CLI::App* cmd, FindingRequest* o) {
  cmd->add_option("--baseline", o->baseline,
                  "The period the poor cells' remediation is measured against, e.g. 2022H1\n"
                  "(default: the preceding period of the same length)");
  cmd->add_option("--work-orders", o->work_orders_path,
                  "A CSV of fixes (cell_id, order_id, fixed_at): a fixed cell's before and\n"
                  "after are split at its fix date")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--per-device-day", o->per_device_day,
                "Judge cells on one sample per device per day (the mean of its tests)");
  cmd->add_option("--places", o->places_path,
                  "Place labels for the maps (city centres): a CSV with name, lat, lon")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--signal-rule", o->signal_rule,
                "Call a test bad by RSRP < -110 dBm or SINR < 0 dB instead of by its rate");
}

void AddCallerOptions(CLI::App* cmd, FindingRequest* o) {
  cmd->add_option("--whitelist", o->whitelist_path,
                  "Numbers a reviewer cleared (one per line): listed as cleared, never suspected")
      ->check(CLI::ExistingFile);
  cmd->add_option("--model", o->caller_model_path,
                  "Score callers with this model from 'tsq callers train' instead of the rules")
      ->check(CLI::ExistingFile);
  cmd->add_option("--memory-mb", o->caller_memory_mb,
                  "Call records the caller features keep in memory, all threads together, before\n"
                  "they spill to disk (default 1024)")
      ->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--spill-dir", o->spill_dir,
                  "Where spilled call records go (default: $TMPDIR or /tmp); removed afterwards")
      ->check(CLI::ExistingDirectory);
}

void AddStoreOption(CLI::App* cmd, PeriodOptions* o, bool ingest) {
  if (ingest) {
    o->store = "tsq.db";
    cmd->add_option("--store", o->store,
                    "The store: an SQLite file (default tsq.db, created if missing) or a\n"
                    "postgresql://user:password@host/db URI. The preceding period and the\n"
                    "period a year earlier are read from it when DIR has no rows for them");
    return;
  }
  cmd->add_option("--store", o->store,
                  "A store of ingested periods (SQLite file or postgresql:// URI): the\n"
                  "preceding period and the period a year earlier (环比, 同比) and the cells of\n"
                  "the remediation baseline are read from it when DIR has none of their records");
}

void AddMergeStoredOption(CLI::App* cmd, PeriodOptions* o) {
  cmd->add_flag("--merge-stored", o->merge_stored,
                "Merge the states the store keeps of periods inside this one (tsq ingest keeps\n"
                "each period's): stored months make their quarter or half-year without reading\n"
                "their records again; a stored quarter is taken before its months. DIR may then\n"
                "be left out; it is refused when it has records of a merged period");
}

std::optional<Analysis> RunAnalysisFromCli(const std::string& dir, const PeriodOptions& p,
                                           const CommonOptions& c,
                                           const std::vector<std::string>& id_patterns,
                                           ExitStatus* status, const FindingRequest& findings) {
  AnalysisRequest req;
  if (dir.empty() && p.states.empty() && !p.merge_stored) {
    *status = Fail(Error(ErrorCode::kInvalidArgument,
                         "DIR is required: the data directory (or states given with --state or "
                         "--merge-stored)"));
    return std::nullopt;
  }
  if (auto st = ApplyCommonOptions(dir, c, &req.input); !st) {
    *status = Fail(st.error());
    return std::nullopt;
  }
  req.period = p.period;
  req.from_date = p.from;
  req.to_date = p.to;
  req.as_of = p.as_of;
  req.catalog_path = p.catalog;
  req.input.quarantine_path = p.quarantine;
  req.max_bad_share = p.max_bad_share;
  req.store = p.store;
  req.state_paths = p.states;
  req.merge_stored = p.merge_stored;
  req.save_state_path = p.save_state;
  req.id_patterns = id_patterns;
  req.findings = findings;
  ProgressBar bar(!c.no_progress);
  req.input.on_progress = bar.Callback();
  auto analysis = RunAnalysis(req);
  bar.Clear();
  if (!analysis) {
    *status = Fail(analysis.error());
    return std::nullopt;
  }
  if (!analysis->outputs) return std::nullopt;  // another rank: rank 0 writes (status: ok)
  for (const std::string& w : analysis->warnings) PrintWarning(w);
  for (const std::string& n : analysis->notes) PrintNote(n);
  return std::move(*analysis);
}

}  // namespace tsq
