#include "app/validate.h"

#include <algorithm>
#include <chrono>
#include <set>

#include <fmt/format.h>

#include "io/csv_writer.h"
#include "io/output_file.h"

namespace tsq {
namespace {

// Per-worker facts about each file; merged after the read.
struct FileFacts {
  Micros first = INT64_MAX;
  Micros last = INT64_MIN;
  std::set<uint32_t> operators;
  std::set<uint32_t> regions;

  void Merge(const FileFacts& o) {
    first = std::min(first, o.first);
    last = std::max(last, o.last);
    operators.insert(o.operators.begin(), o.operators.end());
    regions.insert(o.regions.begin(), o.regions.end());
  }
};

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

}  // namespace

Result<DataQuality> ScanDataSet(const DataSet& dataset, const ReadOptions& options,
                                StringDictionary* dict) {
  const auto start = std::chrono::steady_clock::now();
  DataQuality dq;
  dq.dir = dataset.dir;
  dq.local_offset_s = options.local_offset_s;
  dq.ignored = dataset.ignored;
  const int workers = WorkerCount(options);
  for (const auto& [type, files] : dataset.files) {
    const RecordSchema& schema = SchemaOf(type);
    const int time_col = schema.period_column;
    const int op_col = OperatorColumn(schema);
    const int region_col = ColumnIndex(schema, "region");
    std::vector<std::vector<FileFacts>> facts(workers, std::vector<FileFacts>(files.size()));
    auto reports = ReadTable(type, files, dict, options, [&](int worker, const Batch& b) {
      FileFacts& f = facts[worker][b.file_index];
      const auto& times = b.columns[time_col].i64;
      for (size_t r = 0; r < b.rows; ++r) {
        f.first = std::min(f.first, times[r]);
        f.last = std::max(f.last, times[r]);
      }
      // Few distinct values per batch: remember the previous id to skip most set inserts.
      uint32_t prev = kMissingId;
      for (uint32_t id : b.columns[op_col].ids) {
        if (id != prev && id != kMissingId) f.operators.insert(id);
        prev = id;
      }
      if (region_col >= 0 && b.columns[region_col].present) {
        prev = kMissingId;
        for (uint32_t id : b.columns[region_col].ids) {
          if (id != prev && id != kMissingId) f.regions.insert(id);
          prev = id;
        }
      }
    });
    if (!reports) return std::move(reports).error();
    for (size_t i = 0; i < files.size(); ++i) {
      FileFacts merged;
      for (int w = 0; w < workers; ++w) merged.Merge(facts[w][i]);
      FileQuality fq;
      fq.read = (*reports)[i];
      if (merged.first <= merged.last) {
        fq.first_time = merged.first;
        fq.last_time = merged.last;
      }
      fq.operators = Names(merged.operators, *dict);
      fq.regions = Names(merged.regions, *dict);
      dq.files.push_back(std::move(fq));
    }
  }
  dq.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return dq;
}

Result<DataQuality> Validate(const ValidateRequest& request) {
  auto dataset = DiscoverDataSet(request.dir);
  if (!dataset) return std::move(dataset).error();
  if (dataset->files.empty()) {
    return Error(
        ErrorCode::kNotFound,
        fmt::format("{}: no record files found (expected files such as orders.csv, "
                    "calls.csv, calls-*.csv.zst, hotline.jsonl; see 'tsq validate --help')",
                    request.dir));
  }
  std::unique_ptr<OutputFile> quarantine;
  std::string line;
  Status write_status;
  ReadOptions options;
  options.threads = request.threads;
  options.local_offset_s = request.local_offset_s;
  options.mapping = &request.mapping;
  if (!request.quarantine_path.empty()) {
    auto file = OutputFile::Create(request.quarantine_path);
    if (!file) return std::move(file).error();
    quarantine = std::move(*file);
    TSQ_TRY(quarantine->Write("file,line,column,reason,raw\n"));
  }
  // The reader calls on_bad_row in file/line order, one call at a time.
  const std::vector<std::string>* current_files = nullptr;
  if (quarantine) {
    options.on_bad_row = [&](const BadRow& bad) {
      if (!write_status) return;
      line.clear();
      AppendCsvField(&line, (*current_files)[bad.file_index]);
      fmt::format_to(std::back_inserter(line), ",{},", bad.line);
      AppendCsvField(&line, bad.column);
      line += ',';
      line += BadRowReasonName(bad.reason);
      line += ',';
      AppendCsvField(&line, bad.raw);
      line += '\n';
      write_status = quarantine->Write(line);
    };
  }
  if (request.on_progress) {
    options.on_progress = [&](const std::string& path, uint64_t done, uint64_t total) {
      request.on_progress(ProgressEvent{"reading " + path, done, total});
    };
  }
  StringDictionary dict;
  DataQuality dq;
  dq.dir = request.dir;
  dq.local_offset_s = request.local_offset_s;
  dq.ignored = dataset->ignored;
  // One record type at a time so the quarantine callback knows which file list it indexes.
  for (const auto& [type, files] : dataset->files) {
    DataSet one;
    one.dir = dataset->dir;
    one.files[type] = files;
    current_files = &one.files[type];
    auto part = ScanDataSet(one, options, &dict);
    if (!part) return std::move(part).error();
    for (FileQuality& f : part->files) dq.files.push_back(std::move(f));
    dq.seconds += part->seconds;
    if (!write_status) return write_status.error();
  }
  if (quarantine) {
    TSQ_TRY(quarantine->Commit());
    dq.quarantine_path = request.quarantine_path;
  }
  return dq;
}

}  // namespace tsq
