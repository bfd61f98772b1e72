#include "app/inputs.h"

#include <chrono>
#include <memory>

#include <fmt/format.h>

#include "app/data_quality_collector.h"
#include "app/quarantine_writer.h"

namespace tsq {

Result<DataSet> OpenDataSet(const std::string& dir) {
  auto dataset = DiscoverDataSet(dir);
  if (!dataset) return dataset;
  if (dataset->files.empty()) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("{}: no record files found (expected files such as orders.csv, "
                             "calls.csv, calls-*.csv.zst, hotline.jsonl; see "
                             "docs/data-contract.md)",
                             dir));
  }
  return dataset;
}

Result<InputsRead> ReadInputs(const InputOptions& in, const DataSet& dataset,
                              const std::vector<const FamilySpec*>& families,
                              const EvalContext& ctx, StringDictionary* dict,
                              const BeforeComplete& before_complete) {
  auto read = ReadInputsPartial(in, dataset, families, ctx, dict);
  if (!read) return read;
  if (before_complete) TSQ_TRY(before_complete(&read->run, &read->quality));
  TSQ_TRY(CompleteInputs(in, &*read));
  return read;
}

Status CompleteInputs(const InputOptions& options, InputsRead* read) {
  return CompleteFamilies(&read->run, WorkerCount(options.threads));
}

Result<InputsRead> ReadInputsPartial(const InputOptions& in, const DataSet& dataset,
                                     const std::vector<const FamilySpec*>& families,
                                     const EvalContext& ctx, StringDictionary* dict) {
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<QuarantineWriter> quarantine;
  if (in.quarantine_to_memory) {
    quarantine = QuarantineWriter::InMemory();
  } else if (!in.quarantine_path.empty()) {
    auto w = QuarantineWriter::Open(in.quarantine_path);
    if (!w) return std::move(w).error();
    quarantine = std::move(*w);
  }
  ReadOptions options;
  options.threads = in.threads;
  options.local_offset_s = in.local_offset_s;
  options.mapping = &in.mapping;
  options.show_numbers = in.show_numbers;
  options.digest = in.digests;
  options.encoding = in.encoding;
  if (in.on_progress) {
    options.on_progress = [&in](const std::string& name, uint64_t done, uint64_t total) {
      in.on_progress(ProgressEvent{"reading " + name, done, total});
    };
  }
  DataQualityCollector collector(dataset, WorkerCount(options));
  BadRowSink sink;
  if (quarantine) {
    sink = [&quarantine](const std::vector<InputFile>& files, const BadRow& row) {
      quarantine->Add(files, row);
    };
  }
  auto run = ReadFamilies(
      dataset, families, ctx, options, dict,
      [&collector](RecordType type, int worker, const Batch& b) {
        collector.Observe(type, worker, b);
      },
      sink);
  if (!run) return std::move(run).error();
  InputsRead out;
  out.quality = collector.Finish(run->reports, *dict, in.local_offset_s);
  out.run = std::move(*run);
  if (quarantine) {
    TSQ_TRY(quarantine->Commit());
    out.quarantine_rows = quarantine->TakeRows();
    out.quality.quarantine_path = in.quarantine_path;
    out.quality.numbers_shown = in.show_numbers;
  }
  out.quality.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace tsq
