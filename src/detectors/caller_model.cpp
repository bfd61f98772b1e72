#include "detectors/caller_model.h"

#include <cmath>
#include <filesystem>
#include <mutex>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <xgboost/c_api.h>

#include "core/threads.h"
#include "io/text_file.h"

namespace tsq {
namespace {

constexpr int kFormatVersion = 1;
constexpr const char* kFormatName = "tsq-caller-model";

Error XgbError(std::string_view what) {
  return Error(ErrorCode::kInternal, fmt::format("{}: {}", what, XGBGetLastError()));
}

// Owns an XGBoost handle.
struct Booster {
  BoosterHandle h = nullptr;
  ~Booster() {
    if (h != nullptr) XGBoosterFree(h);
  }
};
struct Matrix {
  DMatrixHandle h = nullptr;
  ~Matrix() {
    if (h != nullptr) XGDMatrixFree(h);
  }
};

std::vector<float> Dense(const std::vector<std::vector<double>>& rows) {
  std::vector<float> out;
  for (const auto& r : rows) {
    for (double v : r) out.push_back(std::isnan(v) ? NAN : static_cast<float>(v));
  }
  return out;
}

class XgbScorer final : public CallerScorer {
 public:
  XgbScorer(std::unique_ptr<Booster> booster, double threshold, std::string name)
      : booster_(std::move(booster)), threshold_(threshold), name_(std::move(name)) {}

  std::vector<double> ScoreBatch(const std::vector<std::vector<double>>& rows) const override {
    std::vector<double> out;
    if (rows.empty()) return out;
    const std::vector<float> dense = Dense(rows);
    Matrix m;
    std::lock_guard lock(mu_);  // one prediction at a time: the booster's buffers are shared
    if (XGDMatrixCreateFromMat(dense.data(), rows.size(), rows[0].size(), NAN, &m.h) != 0) {
      throw ErrorException(XgbError("scoring callers"));
    }
    bst_ulong n = 0;
    const float* p = nullptr;
    if (XGBoosterPredict(booster_->h, m.h, 0, 0, 0, &n, &p) != 0) {
      throw ErrorException(XgbError("scoring callers"));
    }
    out.assign(p, p + n);
    return out;
  }
  double threshold() const override { return threshold_; }
  std::string name() const override { return name_; }

 private:
  std::unique_ptr<Booster> booster_;
  double threshold_;
  std::string name_;
  mutable std::mutex mu_;
};

// XGBoost trusts the trees of a model it loads: a child index out of range or a split on a
// feature it does not have crashes prediction. So the trees are checked here first: the
// structure `tsq callers train` writes (gbtree, numerical splits, one output), children after
// their parent and inside the tree, splits on this build's features. Returns what is wrong.
std::optional<std::string> CheckTrees(const nlohmann::json& xgb) {
  using J = nlohmann::json;
  // A member of an object, or null: the file may put anything anywhere.
  const auto At = [](const J& o, const char* key) -> const J& {
    static const J kNull;
    return o.is_object() && o.contains(key) ? o[key] : kNull;
  };
  const auto number = [](const J& v) -> std::optional<long long> {
    if (v.is_number_integer()) return v.get<long long>();
    if (!v.is_string()) return std::nullopt;
    try {
      size_t used = 0;
      const long long n = std::stoll(v.get<std::string>(), &used);
      if (used == v.get<std::string>().size()) return n;
    } catch (const std::exception&) {
    }
    return std::nullopt;
  };
  const auto features = static_cast<long long>(CallerFeatureNames().size());
  const J& learner = At(xgb, "learner");
  const J& param = At(learner, "learner_model_param");
  if (number(At(param, "num_feature")) != features) return "its feature count differs";
  if (number(At(param, "num_class")) != 0 || number(At(param, "num_target")) != 1) {
    return "not a single-output model";
  }
  const J& booster = At(learner, "gradient_booster");
  if (At(booster, "name") != "gbtree") return "not a tree booster";
  const J& model = At(booster, "model");
  const J& trees = At(model, "trees");
  const J& info = At(model, "tree_info");
  const auto count = number(At(At(model, "gbtree_model_param"), "num_trees"));
  if (!trees.is_array() || !info.is_array() || count != static_cast<long long>(trees.size()) ||
      info.size() != trees.size()) {
    return "its tree count does not add up";
  }
  for (size_t t = 0; t < trees.size(); ++t) {
    const J& tree = trees[t];
    if (!tree.is_object() || info[t] != 0) return fmt::format("tree {} is malformed", t);
    const J& tp = At(tree, "tree_param");
    const auto n = number(At(tp, "num_nodes"));
    if (!n || *n < 1 || *n > (1 << 24) || number(At(tp, "num_feature")) != features ||
        number(At(tp, "size_leaf_vector")) != 0 ||
        number(At(tree, "id")) != static_cast<long long>(t)) {
      return fmt::format("tree {} is malformed", t);
    }
    const auto nodes = static_cast<size_t>(*n);
    for (const char* key :
         {"left_children", "right_children", "split_indices", "split_conditions", "default_left",
          "base_weights", "parents", "split_type", "loss_changes", "sum_hessian"}) {
      const J& a = At(tree, key);
      if (!a.is_array() || a.size() != nodes)
        return fmt::format("tree {}: {} is malformed", t, key);
    }
    for (const char* key :
         {"categories", "categories_nodes", "categories_segments", "categories_sizes"}) {
      const J& a = At(tree, key);
      if (!a.is_null() && (!a.is_array() || !a.empty())) {
        return fmt::format("tree {} has categorical splits", t);
      }
    }
    for (size_t i = 0; i < nodes; ++i) {
      const J& l = tree["left_children"][i];
      const J& r = tree["right_children"][i];
      const J& f = tree["split_indices"][i];
      if (!l.is_number_integer() || !r.is_number_integer() || !f.is_number_integer() ||
          !tree["split_conditions"][i].is_number() || !tree["base_weights"][i].is_number() ||
          tree["split_type"][i] != 0) {
        return fmt::format("tree {}, node {} is malformed", t, i);
      }
      const long long left = l.get<long long>(), right = r.get<long long>();
      const bool leaf = left == -1 && right == -1;
      const auto inside = [&](long long c) {
        return c > static_cast<long long>(i) && c < static_cast<long long>(nodes);
      };
      if (!leaf && (!inside(left) || !inside(right) || left == right)) {
        return fmt::format("tree {}, node {}: a child outside the tree", t, i);
      }
      if (!leaf && (f.get<long long>() < 0 || f.get<long long>() >= features)) {
        return fmt::format("tree {}, node {}: a split on a feature it does not have", t, i);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> TrainCallerModel(const std::vector<CallerExample>& examples,
                                     const CallerTrainingOptions& o) {
  size_t positives = 0;
  std::vector<std::vector<double>> rows;
  std::vector<float> labels;
  for (const CallerExample& e : examples) {
    positives += e.positive;
    rows.push_back(e.features);
    labels.push_back(e.positive ? 1.0f : 0.0f);
  }
  if (positives == 0 || positives == examples.size()) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("training needs judged numbers of both labels; the labelled numbers "
                             "with enough calls are {} positive and {} negative",
                             positives, examples.size() - positives));
  }
  const std::vector<float> dense = Dense(rows);
  Matrix m;
  if (XGDMatrixCreateFromMat(dense.data(), rows.size(), CallerFeatureNames().size(), NAN, &m.h) !=
      0) {
    return XgbError("training");
  }
  if (XGDMatrixSetFloatInfo(m.h, "label", labels.data(), labels.size()) != 0) {
    return XgbError("training");
  }
  Booster b;
  if (XGBoosterCreate(&m.h, 1, &b.h) != 0) return XgbError("training");
  const std::vector<std::pair<std::string, std::string>> params = {
      {"objective", "binary:logistic"},
      {"eval_metric", "aucpr"},
      {"max_depth", std::to_string(o.max_depth)},
      {"eta", fmt::format("{}", o.learning_rate)},
      {"subsample", "0.8"},
      {"min_child_weight", "1"},
      {"seed", std::to_string(o.seed)},
      {"nthread", std::to_string(o.threads)},
      {"verbosity", "0"},
  };
  for (const auto& [k, v] : params) {
    if (XGBoosterSetParam(b.h, k.c_str(), v.c_str()) != 0) return XgbError("training");
  }
  for (int i = 0; i < o.rounds; ++i) {
    if (XGBoosterUpdateOneIter(b.h, i, m.h) != 0) return XgbError("training");
  }
  bst_ulong len = 0;
  const char* buf = nullptr;
  if (XGBoosterSaveModelToBuffer(b.h, R"({"format": "json"})", &len, &buf) != 0) {
    return XgbError("saving the model");
  }
  nlohmann::ordered_json j;
  j["format"] = kFormatName;
  j["version"] = kFormatVersion;
  j["features"] = CallerFeatureNames();
  j["threshold"] = o.threshold;
  j["training"] = {{"examples", examples.size()},
                   {"positives", positives},
                   {"rounds", o.rounds},
                   {"max_depth", o.max_depth},
                   {"learning_rate", o.learning_rate}};
  j["xgboost"] = nlohmann::ordered_json::parse(std::string_view(buf, len));
  return j.dump() + "\n";
}

Result<std::shared_ptr<const CallerScorer>> ParseCallerModel(const std::string& text,
                                                             const std::string& name) {
  const auto bad = [&](std::string_view why) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}: not a caller model of this tsq ({}); train one with "
                             "`tsq callers train`",
                             name, why));
  };
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return bad("not JSON");
  if (!j.contains("format") || j["format"] != kFormatName) {
    return bad("no \"format\": \"tsq-caller-model\"");
  }
  if (!j.contains("version") || !j["version"].is_number_integer() ||
      j["version"] != kFormatVersion) {
    const std::string version = j.contains("version") ? j["version"].dump() : "none";
    return bad(fmt::format("format version {}, this tsq reads {}", version, kFormatVersion));
  }
  if (!j.contains("features") || j["features"] != nlohmann::json(CallerFeatureNames())) {
    return bad("its features differ from this version's");
  }
  if (!j.contains("threshold") || !j["threshold"].is_number()) return bad("no threshold");
  if (!j.contains("xgboost") || !j["xgboost"].is_object()) return bad("no XGBoost model");
  if (auto wrong = CheckTrees(j["xgboost"])) return bad(*wrong);
  const std::string model = j["xgboost"].dump();
  auto booster = std::make_unique<Booster>();
  if (XGBoosterCreate(nullptr, 0, &booster->h) != 0 ||
      XGBoosterLoadModelFromBuffer(booster->h, model.data(), model.size()) != 0) {
    return bad(fmt::format("XGBoost cannot read it: {}", XGBGetLastError()));
  }
  XGBoosterSetParam(booster->h, "nthread", "1");
  auto scorer = std::make_shared<XgbScorer>(std::move(booster), j["threshold"].get<double>(), name);
  // A model XGBoost loads may still fail to predict (a base score out of range): find out now,
  // not in the middle of a run.
  try {
    scorer->ScoreBatch({std::vector<double>(CallerFeatureNames().size(), NAN)});
  } catch (const ErrorException& e) {
    return bad(e.error().message);
  }
  return std::shared_ptr<const CallerScorer>(std::move(scorer));
}

Result<std::shared_ptr<const CallerScorer>> LoadCallerModel(const std::string& path) {
  auto text = ReadTextFile(path, "the model");
  if (!text) return std::move(text).error();
  return ParseCallerModel(*text, std::filesystem::path(path).filename().string());
}

}  // namespace tsq
