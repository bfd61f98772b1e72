#include <cstdio>
#include <sstream>

#include "app/callers.h"
#include "cli/analysis_options.h"
#include "cli/options.h"

namespace tsq {
namespace {

struct CallersArgs {
  CommonOptions common;
  PeriodOptions period;
  FindingRequest findings;
  std::string dir;
  std::string format = "table";
  std::string out;
  std::string operator_name;
  bool all = false;
  size_t top = 0;
  // eval and train
  std::string labels;
  bool labelled_only = false;
  std::string ks = "10,100";
  CallerTrainingOptions training;
};

Result<std::vector<size_t>> ParseKs(const std::string& text) {
  std::vector<size_t> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t k = 0;
    try {
      size_t used = 0;
      k = std::stoul(item, &used);
      if (used != item.size() || k == 0) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      return Error(ErrorCode::kInvalidArgument,
                   "--k " + text +
                       ": expected positive whole numbers separated by commas, e.g. "
                       "10,100");
    }
    out.push_back(k);
  }
  return out;
}

std::optional<Analysis> Analyse(const CallersArgs& args, ExitStatus* status,
                                FindingRequest findings) {
  CommonOptions common = args.common;
  common.no_digests = true;
  return RunAnalysisFromCli(args.dir, args.period, common, CallerIdPatterns(), status, findings);
}

ExitStatus RunList(const CallersArgs& args) {
  if (args.dir.empty() && args.period.states.empty()) {
    PrintError(
        "tsq callers: DIR is required, or states given with --state (see tsq callers --help)");
    return ExitStatus::kUsage;
  }
  auto format = ParseFindingFormat(args.format);
  if (!format) return Fail(format.error());
  ExitStatus status = ExitStatus::kOk;
  auto analysis = Analyse(args, &status, args.findings);
  if (!analysis) return status;
  CallersView view;
  view.lang = LangOf(args.common);
  view.operator_name = args.operator_name;
  view.all = args.all;
  view.top = args.top;
  auto text = RenderCallers(*analysis, *format, view);
  if (!text) return Fail(text.error());
  return Emit(args.out, *text);
}

ExitStatus RunEval(const CallersArgs& args) {
  auto format = ParseFindingFormat(args.format);
  if (!format) return Fail(format.error());
  auto ks = ParseKs(args.ks);
  if (!ks) return Fail(ks.error());
  auto labels = ReadCallerLabels(args.labels);
  if (!labels) return Fail(labels.error());
  FindingRequest findings = args.findings;
  findings.caller_labels_path = args.labels;
  ExitStatus status = ExitStatus::kOk;
  auto analysis = Analyse(args, &status, findings);
  if (!analysis) return status;
  EvaluationRequest request;
  request.ks = *ks;
  request.labelled_only = args.labelled_only;
  request.format = *format;
  request.lang = LangOf(args.common);
  auto text = RenderCallerEvaluation(*analysis, *labels, request);
  if (!text) return Fail(text.error());
  return Emit(args.out, *text);
}

ExitStatus RunTrain(const CallersArgs& args) {
  auto labels = ReadCallerLabels(args.labels);
  if (!labels) return Fail(labels.error());
  FindingRequest findings = args.findings;
  findings.caller_labels_path = args.labels;
  findings.caller_all_features = !args.labelled_only;
  findings.caller_model_path.clear();
  ExitStatus status = ExitStatus::kOk;
  auto analysis = Analyse(args, &status, findings);
  if (!analysis) return status;
  CallerTrainingOptions training = args.training;
  training.threads = args.common.threads;
  auto model = TrainCallerModelOn(*analysis, *labels, args.labelled_only, training);
  if (!model) return Fail(model.error());
  std::fprintf(stderr, "tsq: trained on %zu numbers: %zu positive, %zu negative\n",
               model->positives + model->negatives, model->positives, model->negatives);
  return Emit(args.out, model->text);
}

}  // namespace

void AddCallersCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<CallersArgs>();
  CLI::App* cmd = app.add_subcommand(
      "callers",
      std::string(
          "List suspected harassment and fraud callers (疑似骚扰诈骗号码) of a period, with\n"
          "the evidence for each: its score, the rules that fired and every feature (calls\n"
          "per day, distinct callees, calls per callee, answer rate, short calls, call-backs,\n"
          "devices, gaps between calls, hours). A number is judged from 20 calls; it is\n"
          "suspected when it calls a lot, almost never twice to the same number and is\n"
          "hardly ever called back, and its calls are mostly unanswered, short or made from\n"
          "several devices (thresholds: the catalog's callers.* parameters). A model from\n"
          "'tsq callers train' replaces the rules' verdict (--model). Numbers are masked\n"
          "unless --show-numbers. --format csv|json has a column per feature.\n"
          "Examples:\n"
          "  tsq callers demo/data --period 2022H2\n"
          "  tsq callers demo/data -p 2022H2 --format csv --out callers.csv\n"
          "  tsq callers demo/data -p 2022H2 --whitelist cleared.txt --model callers.model\n"
          "  tsq callers eval demo/data -p 2022H2 --labels demo/data/caller_labels.csv\n"
          "  tsq callers train demo/data -p 2022H2 --labels labels.csv --out callers.model\n") +
          kExitStatusHelp);
  cmd->add_option("DIR", args->dir, "Data directory")->check(CLI::ExistingDirectory);
  AddPeriodOptions(cmd, &args->period);
  AddCallerOptions(cmd, &args->findings);
  cmd->add_option("--format", args->format, "table (default), json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  cmd->add_option("--out,-o", args->out, "Write to this file instead of standard output");
  cmd->add_option("--operator", args->operator_name, "Only this operator's numbers");
  cmd->add_flag("--all", args->all,
                "Also the numbers some rule fired for that are not suspected (near misses,\n"
                "cleared numbers)");
  cmd->add_option("--top", args->top, "At most this many numbers");
  AddCommonOptions(cmd, &args->common);

  CLI::App* eval = cmd->add_subcommand(
      "eval",
      "Measure the list against labels: the confusion matrix, precision, recall, F1, the\n"
      "area under the precision-recall curve of the scores (PR-AUC) and precision among\n"
      "the top k. Numbers the labels do not name count as negatives unless\n"
      "--labelled-only. Labels: a CSV with the columns caller and label (1/0, true/false,\n"
      "harassment, fraud, spam / legitimate, normal).\n"
      "Example:\n"
      "  tsq callers eval demo/data -p 2022H2 --labels demo/data/caller_labels.csv");
  eval->add_option("DIR", args->dir, "Data directory")->required()->check(CLI::ExistingDirectory);
  eval->add_option("--labels", args->labels, "The labels (CSV: caller, label)")
      ->required()
      ->check(CLI::ExistingFile);
  eval->add_flag("--labelled-only", args->labelled_only, "Only the labelled numbers count");
  eval->add_option("--k", args->ks, "Precision at these k, comma-separated (default 10,100)");
  eval->add_option("--format", args->format, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  eval->add_option("--out,-o", args->out, "Write to this file instead of standard output");
  AddPeriodOptions(eval, &args->period);
  AddCallerOptions(eval, &args->findings);
  AddCommonOptions(eval, &args->common);

  CLI::App* train = cmd->add_subcommand(
      "train",
      "Fit gradient-boosted trees (XGBoost) on labelled numbers of a period and write the\n"
      "model file that --model reads. Every judged number the labels do not name is a\n"
      "negative example unless --labelled-only. Evaluate it on another period or seed:\n"
      "a model scored on its own training data looks better than it is.\n"
      "Example:\n"
      "  tsq callers train demo/data -p 2022H2 --labels labels.csv --out callers.model");
  train->add_option("DIR", args->dir, "Data directory")->required()->check(CLI::ExistingDirectory);
  train->add_option("--labels", args->labels, "The labels (CSV: caller, label)")
      ->required()
      ->check(CLI::ExistingFile);
  train->add_option("--out,-o", args->out, "The model file to write")->required();
  train->add_flag("--labelled-only", args->labelled_only, "Train on the labelled numbers only");
  train->add_option("--rounds", args->training.rounds, "Boosting rounds (default 200)")
      ->check(CLI::Range(1, 100000));
  train->add_option("--max-depth", args->training.max_depth, "Depth of each tree (default 4)")
      ->check(CLI::Range(1, 20));
  train
      ->add_option("--threshold", args->training.threshold,
                   "Suspected at or above this probability (default 0.5)")
      ->check(CLI::Range(0.0, 1.0));
  AddPeriodOptions(train, &args->period);
  AddCommonOptions(train, &args->common);

  cmd->callback([ctx, args, eval, train] {
    if (eval->parsed()) {
      ctx->run = [args] { return RunEval(*args); };
    } else if (train->parsed()) {
      ctx->run = [args] { return RunTrain(*args); };
    } else {
      ctx->run = [args] { return RunList(*args); };
    }
  });
}

}  // namespace tsq
