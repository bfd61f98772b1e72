#include "app/validate.h"

#include <chrono>

#include <fmt/format.h>

#include "app/data_quality_collector.h"
#include "app/quarantine_writer.h"
#include "engine/runner.h"

namespace tsq {

Result<DataQuality> Validate(const ValidateRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  auto dataset = DiscoverDataSet(request.dir);
  if (!dataset) return std::move(dataset).error();
  if (dataset->files.empty()) {
    return Error(
        ErrorCode::kNotFound,
        fmt::format("{}: no record files found (expected files such as orders.csv, "
                    "calls.csv, calls-*.csv.zst, hotline.jsonl; see 'tsq validate --help')",
                    request.dir));
  }
  std::unique_ptr<QuarantineWriter> quarantine;
  if (!request.quarantine_path.empty()) {
    auto w = QuarantineWriter::Open(request.quarantine_path);
    if (!w) return std::move(w).error();
    quarantine = std::move(*w);
  }
  ReadOptions options;
  options.threads = request.threads;
  options.local_offset_s = request.local_offset_s;
  options.mapping = &request.mapping;
  options.show_numbers = request.show_numbers;
  if (request.on_progress) {
    options.on_progress = [&](const std::string& path, uint64_t done, uint64_t total) {
      request.on_progress(ProgressEvent{"reading " + path, done, total});
    };
  }
  DataQualityCollector collector(*dataset, WorkerCount(options));
  StringDictionary dict;
  EvalContext ctx;
  ctx.local_offset_s = request.local_offset_s;
  auto run = RunFamilies(
      *dataset, {}, ctx, options, &dict,
      [&](RecordType type, int worker, const Batch& b) { collector.Observe(type, worker, b); },
      quarantine ? BadRowSink([&](const std::vector<std::string>& files, const BadRow& row) {
        quarantine->Add(files, row);
      })
                 : BadRowSink());
  if (!run) return std::move(run).error();
  DataQuality dq = collector.Finish(run->reports, dict, request.local_offset_s);
  if (quarantine) {
    TSQ_TRY(quarantine->Commit());
    dq.quarantine_path = request.quarantine_path;
    dq.numbers_shown = request.show_numbers;
  }
  dq.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return dq;
}

}  // namespace tsq
