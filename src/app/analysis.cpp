#include "app/analysis.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include <fmt/format.h>

#include "app/data_quality_collector.h"
#include "app/quarantine_writer.h"
#include "engine/runner.h"
#include "indicators/families.h"
#include "indicators/judge.h"
#include "io/sha256.h"

namespace tsq {
namespace {

Result<Period> ResolvePeriod(const AnalysisRequest& r) {
  const bool range = !r.from_date.empty() || !r.to_date.empty();
  if (range && !r.period.empty()) {
    return Error(ErrorCode::kInvalidArgument, "give either --period or --from/--to, not both");
  }
  if (range) {
    if (r.from_date.empty() || r.to_date.empty()) {
      return Error(ErrorCode::kInvalidArgument, "--from and --to go together");
    }
    return CustomPeriod(r.from_date, r.to_date, r.local_offset_s);
  }
  if (r.period.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "which period? give --period (2022H2, 2022Q4, 2022-11, 2022) or --from/--to");
  }
  return ParsePeriod(r.period, r.local_offset_s);
}

// SHA-256 of each file, files spread over `threads` threads.
Result<std::vector<InputDigest>> DigestFiles(const std::vector<std::string>& paths, int threads) {
  std::vector<InputDigest> out(paths.size());
  std::vector<std::string> errors(paths.size());
  std::atomic<size_t> next{0};
  const auto work = [&] {
    std::vector<char> buf(1 << 20);
    for (size_t i = next++; i < paths.size(); i = next++) {
      std::ifstream in(paths[i], std::ios::binary);
      if (!in) {
        errors[i] = fmt::format("{}: cannot read", paths[i]);
        continue;
      }
      Sha256 h;
      uint64_t size = 0;
      while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto got = static_cast<size_t>(in.gcount());
        h.Update(std::string_view(buf.data(), got));
        size += got;
      }
      out[i] = InputDigest{paths[i], size, h.HexDigest()};
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  for (const std::string& e : errors) {
    if (!e.empty()) return Error(ErrorCode::kIo, e);
  }
  return out;
}

// Whether a family named `family` can print an id matching `pattern`: the pattern's literal
// prefix (up to its first '*') and "<family>." must agree as far as both go. Over-inclusive by
// design: a family that might match runs.
bool FamilyMayMatch(std::string_view family, std::string_view pattern) {
  const std::string_view prefix = pattern.substr(0, pattern.find('*'));
  const std::string name = std::string(family) + ".";
  const size_t n = std::min(prefix.size(), name.size());
  return prefix.substr(0, n) == std::string_view(name).substr(0, n);
}

}  // namespace

const char* TsqVersion() { return TSQ_VERSION; }

Result<Catalog> LoadCatalog(const std::string& override_path) {
  auto catalog = Catalog::Default();
  if (!catalog) return catalog;
  if (!override_path.empty()) TSQ_TRY(catalog->OverrideFile(override_path));
  return catalog;
}

Result<Analysis> RunAnalysis(const AnalysisRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  auto period = ResolvePeriod(request);
  if (!period) return std::move(period).error();
  const int32_t offset = request.local_offset_s;

  Analysis analysis;
  {
    auto catalog = LoadCatalog(request.catalog_path);
    if (!catalog) return std::move(catalog).error();
    analysis.catalog = std::make_unique<Catalog>(std::move(*catalog));
  }
  EvalContext ctx;
  ctx.local_offset_s = offset;
  ctx.periods = {*period, period->Previous(offset), period->YearEarlier(offset)};
  for (int s = 0; s < kSlotCount; ++s) ctx.as_of[s] = ctx.periods[s].to;
  if (!request.as_of.empty()) {
    auto t = ParseTimestamp(request.as_of, offset);
    if (!t) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("--as-of {}: expected a timestamp such as '2023-01-01 00:00:00' "
                               "or 2023-01-01T00:00:00+08:00",
                               request.as_of));
    }
    ctx.as_of[kCurrentSlot] = *t;
  }

  auto dataset = DiscoverDataSet(request.dir);
  if (!dataset) return std::move(dataset).error();
  if (dataset->files.empty()) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("{}: no record files found (expected files such as orders.csv, "
                             "calls.csv, calls-*.csv.zst, hotline.jsonl)",
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
  options.local_offset_s = offset;
  options.mapping = &request.mapping;
  options.show_numbers = request.show_numbers;
  if (request.on_progress) {
    options.on_progress = [&](const std::string& path, uint64_t done, uint64_t total) {
      request.on_progress(ProgressEvent{"reading " + path, done, total});
    };
  }
  StringDictionary dict;
  FamilyConfig cfg{offset, analysis.catalog.get(), &dict};
  const std::vector<FamilySpec> specs = DefaultFamilies(cfg);
  std::vector<const FamilySpec*> families;
  for (const FamilySpec& s : specs) {
    bool wanted = request.id_patterns.empty();
    for (const std::string& p : request.id_patterns) wanted = wanted || FamilyMayMatch(s.name, p);
    if (wanted) families.push_back(&s);
  }
  if (!request.id_patterns.empty()) {
    // Read only the record types the chosen families need.
    std::map<RecordType, std::vector<std::string>> needed;
    for (const FamilySpec* f : families) {
      auto it = dataset->files.find(f->type);
      if (it != dataset->files.end()) needed[f->type] = it->second;
    }
    dataset->files = std::move(needed);
  }

  DataQualityCollector collector(*dataset, WorkerCount(options));
  auto run = RunFamilies(
      *dataset, families, ctx, options, &dict,
      [&](RecordType type, int worker, const Batch& b) { collector.Observe(type, worker, b); },
      quarantine ? BadRowSink([&](const std::vector<std::string>& files, const BadRow& row) {
        quarantine->Add(files, row);
      })
                 : BadRowSink());
  if (!run) return std::move(run).error();

  ReportInput& report = analysis.report;
  report.period = *period;
  report.as_of = ctx.as_of[kCurrentSlot];
  report.local_offset_s = offset;
  report.catalog = analysis.catalog.get();
  report.catalog_hash = analysis.catalog->Hash();
  report.tsq_version = TsqVersion();
  report.current = run->Finalize(kCurrentSlot);
  Judge(*analysis.catalog, &report.current);
  bool has_previous = false;
  bool has_year_earlier = false;
  for (size_t f = 0; f < run->families.size(); ++f) {
    has_previous = has_previous || run->HasRows(f, kPreviousSlot);
    has_year_earlier = has_year_earlier || run->HasRows(f, kYearEarlierSlot);
  }
  if (has_previous) {
    report.previous = ctx.periods[kPreviousSlot];
    report.previous_values = run->Finalize(kPreviousSlot);
    Judge(*analysis.catalog, &report.previous_values);
  }
  if (has_year_earlier) {
    report.year_earlier = ctx.periods[kYearEarlierSlot];
    report.year_earlier_values = run->Finalize(kYearEarlierSlot);
    Judge(*analysis.catalog, &report.year_earlier_values);
  }
  report.data_quality = collector.Finish(run->reports, dict, offset);
  if (quarantine) {
    TSQ_TRY(quarantine->Commit());
    report.data_quality.quarantine_path = request.quarantine_path;
    report.data_quality.numbers_shown = request.show_numbers;
  }
  if (request.input_digests) {
    std::vector<std::string> paths;
    for (const FileQuality& f : report.data_quality.files) paths.push_back(f.read.path);
    auto digests = DigestFiles(paths, WorkerCount(options));
    if (!digests) return std::move(digests).error();
    report.digests = std::move(*digests);
  }
  analysis.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.data_quality.seconds = analysis.seconds;
  return analysis;
}

}  // namespace tsq
