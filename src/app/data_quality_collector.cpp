#include "app/data_quality_collector.h"

#include <algorithm>

namespace tsq {
namespace {

// The column that names the operator: `operator` everywhere, `from_operator` for porting.
int OperatorColumn(const RecordSchema& s) {
  const int c = ColumnIndex(s, "operator");
  return c >= 0 ? c : ColumnIndex(s, "from_operator");
}

std::vector<std::string> Names(const std::set<uint32_t>& ids, const StringDictionary& dict) {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (uint32_t id : ids) out.emplace_back(dict.Get(id));
  std::sort(out.begin(), out.end());
  return out;
}

// Inserts the distinct ids of a column; consecutive repeats are skipped cheaply.
void InsertIds(const std::vector<uint32_t>& ids, std::set<uint32_t>* out) {
  uint32_t prev = kMissingId;
  for (uint32_t id : ids) {
    if (id != prev && id != kMissingId) out->insert(id);
    prev = id;
  }
}

}  // namespace

void DataQualityCollector::FileFacts::Merge(const FileFacts& o) {
  first = std::min(first, o.first);
  last = std::max(last, o.last);
  operators.insert(o.operators.begin(), o.operators.end());
  regions.insert(o.regions.begin(), o.regions.end());
}

DataQualityCollector::DataQualityCollector(const DataSet& dataset, int workers)
    : dataset_(&dataset), workers_(workers) {
  for (const auto& [type, files] : dataset.files) {
    facts_[type].assign(workers, std::vector<FileFacts>(files.size()));
  }
}

void DataQualityCollector::Observe(RecordType type, int worker, const Batch& b) {
  FileFacts& f = facts_.at(type)[worker][b.file_index];
  const RecordSchema& schema = *b.schema;
  for (int64_t t : b.columns[schema.period_column].i64) {
    f.first = std::min(f.first, t);
    f.last = std::max(f.last, t);
  }
  InsertIds(b.columns[OperatorColumn(schema)].ids, &f.operators);
  const int region_col = ColumnIndex(schema, "region");
  if (region_col >= 0 && b.columns[region_col].present) {
    InsertIds(b.columns[region_col].ids, &f.regions);
  }
}

DataQuality DataQualityCollector::Finish(
    const std::map<RecordType, std::vector<FileReport>>& reports, const StringDictionary& dict,
    int32_t local_offset_s) const {
  DataQuality dq;
  dq.dir = dataset_->dir;
  dq.local_offset_s = local_offset_s;
  dq.ignored = dataset_->ignored;
  dq.warnings = dataset_->warnings;
  for (const auto& [type, per_file] : reports) {
    const auto& facts = facts_.at(type);
    for (size_t i = 0; i < per_file.size(); ++i) {
      FileFacts merged;
      for (int w = 0; w < workers_; ++w) merged.Merge(facts[w][i]);
      FileQuality fq;
      fq.read = per_file[i];
      if (merged.first <= merged.last) {
        fq.first_time = merged.first;
        fq.last_time = merged.last;
      }
      fq.operators = Names(merged.operators, dict);
      fq.regions = Names(merged.regions, dict);
      dq.files.push_back(std::move(fq));
    }
  }
  return dq;
}

}  // namespace tsq
