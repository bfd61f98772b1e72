// Fuzzes the files a reviewer hands to `tsq callers`: the whitelist, the labels and the model.
// Invariants: each either parses or fails with a message that names the file; a parsed model
// scores a row of its features to a number; nothing a reviewer writes crashes tsq.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "detectors/caller_lists.h"
#include "detectors/caller_model.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto whitelist = tsq::ParseWhitelist(text, "cleared.txt");
  if (!whitelist) FUZZ_CHECK(whitelist.error().message.starts_with("cleared.txt:"));
  auto labels = tsq::ParseCallerLabels(text, "labels.csv");
  if (labels) {
    FUZZ_CHECK(labels->names.size() == labels->positive.size());
  } else {
    FUZZ_CHECK(labels.error().message.starts_with("labels.csv:"));
  }
  auto model = tsq::ParseCallerModel(text, "model.json");
  if (model) {
    const std::vector<std::vector<double>> rows(
        1, std::vector<double>(tsq::CallerFeatureNames().size(), 1.0));
    const std::vector<double> p = (*model)->ScoreBatch(rows);  // loading checked it predicts
    FUZZ_CHECK(p.size() == 1);
  } else {
    FUZZ_CHECK(model.error().message.starts_with("model.json:"));
  }
  return 0;
}
