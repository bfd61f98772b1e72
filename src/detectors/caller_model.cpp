#include "detectors/caller_model.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <xgboost/c_api.h>

#include "core/threads.h"

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
  if (j.value("format", "") != kFormatName) return bad("no \"format\": \"tsq-caller-model\"");
  if (j.value("version", 0) != kFormatVersion) {
    return bad(
        fmt::format("format version {}, this tsq reads {}", j.value("version", 0), kFormatVersion));
  }
  if (!j.contains("features") || j["features"] != nlohmann::json(CallerFeatureNames())) {
    return bad("its features differ from this version's");
  }
  if (!j.contains("threshold") || !j["threshold"].is_number()) return bad("no threshold");
  if (!j.contains("xgboost") || !j["xgboost"].is_object()) return bad("no XGBoost model");
  const std::string model = j["xgboost"].dump();
  auto booster = std::make_unique<Booster>();
  if (XGBoosterCreate(nullptr, 0, &booster->h) != 0 ||
      XGBoosterLoadModelFromBuffer(booster->h, model.data(), model.size()) != 0) {
    return bad(fmt::format("XGBoost cannot read it: {}", XGBGetLastError()));
  }
  XGBoosterSetParam(booster->h, "nthread", "1");
  return std::shared_ptr<const CallerScorer>(
      std::make_shared<XgbScorer>(std::move(booster), j["threshold"].get<double>(), name));
}

Result<std::shared_ptr<const CallerScorer>> LoadCallerModel(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kNotFound, fmt::format("{}: cannot open the model", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseCallerModel(ss.str(), std::filesystem::path(path).filename().string());
}

}  // namespace tsq
