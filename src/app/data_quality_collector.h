// Collects the data-quality facts of a read (time range, operators, regions per file) from the
// batches as they stream past, one partial per worker, so any command's single pass over the
// data also yields its data-quality appendix.
#pragma once

#include <map>
#include <set>
#include <vector>

#include "model/data_quality.h"
#include "model/read.h"

namespace tsq {

class DataQualityCollector {
 public:
  DataQualityCollector(const DataSet& dataset, int workers);

  /// Called from worker `worker` with each batch of `type` (thread-safe across workers).
  void Observe(RecordType type, int worker, const Batch& batch);
  /// Combines the partials with the reader's accounting. `reports` per type, per file.
  DataQuality Finish(const std::map<RecordType, std::vector<FileReport>>& reports,
                     const StringDictionary& dict, int32_t local_offset_s) const;

 private:
  struct FileFacts {
    Micros first = INT64_MAX;
    Micros last = INT64_MIN;
    std::set<uint32_t> operators;
    std::set<uint32_t> regions;
    void Merge(const FileFacts& o);
  };
  const DataSet* dataset_;
  int workers_;
  // facts_[type][worker][file]
  std::map<RecordType, std::vector<std::vector<FileFacts>>> facts_;
};

}  // namespace tsq
