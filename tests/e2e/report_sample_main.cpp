// tsq_report_sample: writes the report of the hand-built sample input (src/report/report_fixture)
// to a file, in the format its name asks for. The browser end-to-end test uses it to render the
// report without the data pipeline.
//
//   tsq_report_sample OUTPUT [--en] [--notice]
#include <cstdio>
#include <string>
#include <string_view>

#include "report/report_fixture.h"
#include "report/report_writer.h"

int main(int argc, char** argv) {
  std::string output;
  tsq::Lang lang = tsq::Lang::kZh;
  tsq::ReportOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--en") {
      lang = tsq::Lang::kEn;
    } else if (arg == "--notice") {
      options.notice = true;
    } else if (!arg.starts_with("--") && output.empty()) {
      output = arg;
    } else {
      std::fprintf(stderr, "usage: tsq_report_sample OUTPUT [--en] [--notice]\n");
      return 2;
    }
  }
  if (output.empty()) {
    std::fprintf(stderr, "usage: tsq_report_sample OUTPUT [--en] [--notice]\n");
    return 2;
  }
  const auto sample = tsq::MakeSampleReport(lang);
  const tsq::Status status = tsq::WriteReport(sample->input, output, options);
  if (!status) {
    std::fprintf(stderr, "tsq_report_sample: %s\n", status.error().ToString().c_str());
    return 1;
  }
  return 0;
}
