// What a caller may choose about a report beyond its input: the regulator's notice instead of the
// operators' report, and how the PDF is printed.
#pragma once

#include <string>

namespace tsq {

struct ReportOptions {
  /// The regulator's province-wide notice (通告): operators side by side, appeals statistics and a
  /// ranking, instead of one chapter per operator.
  bool notice = false;
  /// PDF only: the Chromium (or Chrome) binary; empty = $TSQ_CHROMIUM, then chromium,
  /// chromium-browser, google-chrome on PATH.
  std::string chromium;
  /// PDF only: how long the browser may take to print before it is stopped.
  int pdf_timeout_s = 120;
};

}  // namespace tsq
