#include "report/report_test_input.h"

#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>
#include <unistd.h>

#include "synth/generator.h"

namespace tsq {

const Analysis& ComputedAnalysis() {
  static const Analysis* analysis = [] {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / fmt::format("tsq_report_input_{}", ::getpid());
    GenerateOptions g;
    g.out_dir = (dir / "data").string();
    g.scale = 0.02;
    g.seed = 1;
    g.period = "2022H2";
    g.plant_bad_rows = true;
    g.threads = 2;
    auto generated = GenerateProvince(g);
    if (!generated) {
      std::fprintf(stderr, "report tests: %s\n", generated.error().Debug().c_str());
      std::abort();
    }
    AnalysisRequest r;
    r.input.dir = g.out_dir;
    r.input.threads = 2;
    r.period = "2022H2";
    auto result = RunAnalysis(r);
    fs::remove_all(dir);
    if (!result) {
      std::fprintf(stderr, "report tests: %s\n", result.error().Debug().c_str());
      std::abort();
    }
    // The directory is gone: show a stable name in reports rendered from it.
    result->report.data_quality.dir = "data";
    return new Analysis(std::move(*result));
  }();
  return *analysis;
}

ReportInput ComputedReport(Lang lang) {
  ReportInput in = ComputedAnalysis().report;
  in.lang = lang;
  in.province = "吉林省";
  return in;
}

const IndicatorValue* FindValue(const ReportInput& in, Verdict verdict,
                                std::initializer_list<Dim> dims, std::string_view op) {
  for (const IndicatorValue& v : in.current) {
    if (v.verdict != verdict || v.group.dims.size() != dims.size()) continue;
    bool match = true;
    size_t i = 0;
    for (Dim d : dims) match = match && v.group.dims[i++].first == d;
    if (!op.empty()) {
      const std::string* o = v.group.Find(Dim::kOperator);
      match = match && o != nullptr && *o == op;
    }
    if (match) return &v;
  }
  return nullptr;
}

}  // namespace tsq
