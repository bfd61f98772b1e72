#include "detectors/caller_model.h"

#include <cmath>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tsq {
namespace {

// Positives call back rarely (callback_ratio low) at any volume; negatives are called back.
// A hard negative calls as much as a positive: volume alone cannot separate them.
std::vector<CallerExample> Examples() {
  const size_t n = CallerFeatureNames().size();
  const auto index = [](const std::string& name) {
    const auto& names = CallerFeatureNames();
    return static_cast<size_t>(std::find(names.begin(), names.end(), name) - names.begin());
  };
  std::vector<CallerExample> out;
  for (int i = 0; i < 200; ++i) {
    CallerExample e;
    e.positive = i % 4 == 0;
    e.features.assign(n, NAN);
    e.features[index("calls")] = 100 + (i * 37) % 900;
    e.features[index("callback_ratio")] = e.positive ? 0.001 * (i % 10) : 0.2 + 0.005 * (i % 50);
    out.push_back(std::move(e));
  }
  return out;
}

TEST(CallerModel, TrainsSavesLoadsAndScores) {
  CallerTrainingOptions o;
  o.rounds = 30;
  o.threads = 1;
  auto text = TrainCallerModel(Examples(), o);
  ASSERT_TRUE(text) << text.error().message;
  auto model = ParseCallerModel(*text, "m.json");
  ASSERT_TRUE(model) << model.error().message;
  EXPECT_EQ((*model)->name(), "m.json");
  EXPECT_EQ((*model)->threshold(), 0.5);
  std::vector<std::vector<double>> rows;
  std::vector<bool> want;
  for (const CallerExample& e : Examples()) {
    rows.push_back(e.features);
    want.push_back(e.positive);
  }
  const std::vector<double> p = (*model)->ScoreBatch(rows);
  ASSERT_EQ(p.size(), rows.size());
  for (size_t i = 0; i < p.size(); ++i) {
    EXPECT_EQ(p[i] >= 0.5, want[i]) << i << ": " << p[i];
  }
}

TEST(CallerModel, NeedsBothLabels) {
  std::vector<CallerExample> only_positive = Examples();
  for (CallerExample& e : only_positive) e.positive = true;
  auto text = TrainCallerModel(only_positive, {});
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().message.find("both labels"), std::string::npos);
}

TEST(CallerModel, RefusesFilesOfAnotherFormat) {
  CallerTrainingOptions o;
  o.rounds = 2;
  auto text = TrainCallerModel(Examples(), o);
  ASSERT_TRUE(text);
  auto j = nlohmann::json::parse(*text);
  EXPECT_FALSE(ParseCallerModel("not json", "x"));
  auto other_version = j;
  other_version["version"] = 99;
  auto e = ParseCallerModel(other_version.dump(), "x");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("format version 99"), std::string::npos) << e.error().message;
  auto other_features = j;
  other_features["features"][0] = "something_else";
  e = ParseCallerModel(other_features.dump(), "x");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("features differ"), std::string::npos);
  auto broken = j;
  broken["xgboost"] = nlohmann::json::object({{"learner", 1}});
  EXPECT_FALSE(ParseCallerModel(broken.dump(), "x"));
  // XGBoost trusts a loaded tree and crashes on a child outside it (found by fuzzing): such a
  // file is refused before XGBoost sees it; so is a split on a feature the build lacks.
  auto& tree = j["xgboost"]["learner"]["gradient_booster"]["model"]["trees"][0];
  ASSERT_GT(tree["left_children"].size(), 1u);
  auto outside = j;
  outside["xgboost"]["learner"]["gradient_booster"]["model"]["trees"][0]["left_children"][0] = 999;
  e = ParseCallerModel(outside.dump(), "x");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("a child outside the tree"), std::string::npos)
      << e.error().message;
  auto feature = j;
  feature["xgboost"]["learner"]["gradient_booster"]["model"]["trees"][0]["split_indices"][0] = 500;
  e = ParseCallerModel(feature.dump(), "x");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("a feature it does not have"), std::string::npos);
  // One XGBoost loads but cannot predict with (found by fuzzing): refused when loaded.
  auto base = j;
  base["xgboost"]["learner"]["learner_model_param"]["base_score"] = "5E0";
  e = ParseCallerModel(base.dump(), "x");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("base_score"), std::string::npos) << e.error().message;
  EXPECT_FALSE(LoadCallerModel("/nonexistent/model.json"));
}

}  // namespace
}  // namespace tsq
