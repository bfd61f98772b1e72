// What a run learned about its inputs: per file the reader's accounting plus the time range and
// the operators and regions seen. `tsq validate` prints it; the report's data-quality appendix
// shows it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/timestamp.h"
#include "model/read.h"

namespace tsq {

struct FileQuality {
  FileReport read;
  std::optional<Micros> first_time;  // earliest / latest value of the record type's start time
  std::optional<Micros> last_time;
  std::vector<std::string> operators;  // distinct, sorted
  std::vector<std::string> regions;    // distinct, sorted; empty when the type has no region
};

struct DataQuality {
  std::string dir;
  int32_t local_offset_s = kChinaOffsetSeconds;
  std::vector<FileQuality> files;     // in record-type order, then path (and sheet) order
  std::vector<std::string> ignored;   // files in the directory that match no record type
  std::vector<std::string> warnings;  // DataSet::warnings: for the user to hear of
  std::string quarantine_path;        // where bad rows were written, if asked
  bool numbers_shown = false;         // subscriber numbers were written unmasked (--show-numbers)
  double seconds = 0;                 // wall-clock time of the read

  uint64_t TotalRead() const;
  uint64_t TotalAccepted() const;
  uint64_t TotalQuarantined() const;
};

}  // namespace tsq
