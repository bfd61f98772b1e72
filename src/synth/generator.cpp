#include "synth/generator.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "core/threads.h"
#include "io/output_file.h"
#include "synth/gen.h"
#include "synth/plan.h"
#include "synth/truth.h"

namespace tsq {
namespace {

namespace fs = std::filesystem;
using synth::ChunkOutput;
using synth::Plan;

// Generated text waiting for its turn to be written is capped, so a run at a large scale keeps
// its memory flat: workers pause when this much is buffered.
constexpr size_t kMaxBufferedBytes = size_t{96} << 20;

// --cell-tests: a planted cell's period tests are planned in memory, one by one.
constexpr int kMaxCellTests = 100'000;

// One output file's writer state. Chunks arrive in any order from the workers and are written
// strictly in chunk order by whichever worker finds the next one ready.
struct FileState {
  std::mutex mu;
  std::unique_ptr<OutputFile> out;
  std::map<uint32_t, ChunkOutput> ready;
  uint32_t next = 0;
  bool writing = false;
  bool pending_newline = false;  // a held-back line end (files without a final one)
  uint64_t lines = 0;            // physical lines written so far (header included)
  synth::FileResult result;
};

class Pipeline {
 public:
  Pipeline(const Plan& plan, const GenerateOptions& options, std::vector<FileState>* files)
      : plan_(plan), options_(options), files_(*files), stats_(plan.tasks.size()) {
    for (const synth::Task& t : plan.tasks) total_expected_ += t.expected_rows;
  }

  Status Run(int threads) {
    // An exception in a worker (out of memory) stops the others and becomes the error.
    TSQ_TRY(RunThreads(
        threads, [this](int) { Work(); }, "generating the province", [this] { Stop(); }));
    std::lock_guard<std::mutex> lock(error_mu_);
    return status_;
  }

  std::vector<synth::ChunkStats>& stats() { return stats_; }

 private:
  void Work() {
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(buffer_mu_);
        buffer_cv_.wait(lock, [this] { return buffered_ < kMaxBufferedBytes || failed_; });
      }
      if (failed_) return;
      const size_t i = next_task_.fetch_add(1);
      if (i >= plan_.tasks.size()) return;
      const synth::Task& task = plan_.tasks[i];
      ChunkOutput out;
      synth::GenerateChunk(plan_, task, &out);
      stats_[i] = std::move(out.stats);
      out.stats = {};
      Report(task.expected_rows);
      Deposit(task, std::move(out));
    }
  }

  void Report(double rows) {
    if (!options_.on_progress) return;
    std::lock_guard<std::mutex> lock(progress_mu_);
    done_expected_ += rows;
    const double fraction = total_expected_ > 0 ? done_expected_ / total_expected_ : 1.0;
    if (fraction - last_reported_ >= 0.01 || fraction >= 1.0) {
      last_reported_ = fraction;
      options_.on_progress("generate", std::min(1.0, fraction));
    }
  }

  void Deposit(const synth::Task& task, ChunkOutput&& out) {
    FileState& f = files_[task.file];
    const size_t bytes = out.text.size();
    {
      std::lock_guard<std::mutex> lock(buffer_mu_);
      buffered_ += bytes;
    }
    std::unique_lock<std::mutex> lock(f.mu);
    f.ready.emplace(task.chunk, std::move(out));
    if (f.writing) return;
    f.writing = true;
    const synth::OutputFileSpec& spec = plan_.files[task.file];
    for (;;) {
      auto it = f.ready.find(f.next);
      if (it == f.ready.end()) break;
      ChunkOutput chunk = std::move(it->second);
      f.ready.erase(it);
      const bool in_period = plan_.tasks[spec.tasks[f.next]].span == synth::SpanKind::kPeriod;
      f.next++;
      // Line numbers of this chunk's malformed rows are known now that every earlier chunk of
      // the file is written.
      for (const synth::PlacedBadRow& b : chunk.bad) {
        f.result.bad.push_back({f.lines + b.line, b.reason, b.column});
      }
      f.lines += chunk.lines;
      f.result.rows += chunk.rows;
      if (in_period) f.result.rows_in_period += chunk.rows;
      lock.unlock();
      const Status s = Write(f, spec, chunk.text);
      {
        std::lock_guard<std::mutex> block(buffer_mu_);
        buffered_ -= chunk.text.size();
      }
      buffer_cv_.notify_all();
      if (!s) Fail(s);
      lock.lock();
    }
    f.writing = false;
  }

  Status Write(FileState& f, const synth::OutputFileSpec& spec, std::string_view text) {
    if (text.empty() || failed_) return Ok();
    if (f.pending_newline) {
      TSQ_TRY(f.out->Write("\n"));
      f.pending_newline = false;
    }
    if (!spec.final_newline && text.back() == '\n') {
      // Hold the line end back: if no chunk follows, the file ends without one.
      text.remove_suffix(1);
      f.pending_newline = true;
    }
    return f.out->Write(text);
  }

  void Fail(const Status& s) {
    {
      std::lock_guard<std::mutex> lock(error_mu_);
      if (status_) status_ = s;
    }
    Stop();
  }

  // Makes every worker return (one waiting for buffer room included).
  void Stop() {
    {
      // Set under the buffer lock so that a worker about to wait cannot miss the wake-up.
      std::lock_guard<std::mutex> lock(buffer_mu_);
      failed_ = true;
    }
    buffer_cv_.notify_all();
  }

  const Plan& plan_;
  const GenerateOptions& options_;
  std::vector<FileState>& files_;
  std::vector<synth::ChunkStats> stats_;
  std::atomic<size_t> next_task_{0};
  std::atomic<bool> failed_{false};
  std::mutex buffer_mu_;
  std::condition_variable buffer_cv_;
  size_t buffered_ = 0;
  std::mutex progress_mu_;
  double total_expected_ = 0;
  double done_expected_ = 0;
  double last_reported_ = -1;
  std::mutex error_mu_;
  Status status_;
};

Status PrepareDirectory(const std::string& dir, const std::set<std::string>& ours) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return Error(ErrorCode::kIo, fmt::format("{}: cannot create directory: {}", dir, ec.message()));
  }
  std::vector<fs::path> stale;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && RecordTypeOfFile(name).has_value() && !ours.count(name)) {
      stale.push_back(e.path());
    }
  }
  if (ec) return Error(ErrorCode::kIo, fmt::format("{}: cannot list: {}", dir, ec.message()));
  if (stale.empty()) return Ok();
  // Stale files of an earlier generate run would be read as part of this data set; files of
  // anything else are not ours to delete.
  if (!fs::exists(fs::path(dir) / "truth.json")) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{} holds data files that tsq generate did not write (e.g. {}); "
                             "choose an empty directory",
                             dir, stale.front().filename().string()));
  }
  for (const fs::path& p : stale) {
    fs::remove(p, ec);
    if (ec)
      return Error(ErrorCode::kIo, fmt::format("{}: cannot remove: {}", p.string(), ec.message()));
  }
  return Ok();
}

}  // namespace

Result<GenerateSummary> GenerateProvince(const GenerateOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  synth::PlanOptions po;
  po.seed = options.seed;
  po.scale = options.scale;
  po.period = options.period;
  po.plant_bad_rows = options.plant_bad_rows;
  po.calls_files = options.calls_files;
  po.cell_tests = options.cell_tests;
  po.overlapping_callers = options.callers == "overlapping";
  po.local_offset_s = options.local_offset_s;
  if (options.format == "csv") {
    po.format = synth::OutputFormat::kCsv;
    po.extension = ".csv";
  } else if (options.format == "jsonl") {
    po.format = synth::OutputFormat::kJsonl;
    po.extension = ".jsonl";
  } else {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("unknown format '{}'; use csv or jsonl", options.format));
  }
  if (options.compression == "gz" || options.compression == "zst") {
    po.extension += "." + options.compression;
  } else if (options.compression != "none") {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("unknown compression '{}'; use none, gz or zst", options.compression));
  }
  if (options.callers != "plain" && options.callers != "overlapping") {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("--callers {}: expected plain or overlapping", options.callers));
  }
  if (options.cell_tests < 0 || options.cell_tests > kMaxCellTests) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("--cell-tests must be between 0 and {}", kMaxCellTests));
  }
  if (options.out_dir.empty()) {
    return Error(ErrorCode::kInvalidArgument, "an output directory is required");
  }
  auto plan_or = synth::MakePlan(po);
  if (!plan_or) return std::move(plan_or).error();
  const Plan& plan = *plan_or;

  std::set<std::string> names;
  for (const synth::OutputFileSpec& f : plan.files) names.insert(f.name);
  TSQ_TRY(PrepareDirectory(options.out_dir, names));

  std::vector<FileState> files(plan.files.size());
  for (size_t i = 0; i < plan.files.size(); ++i) {
    const synth::OutputFileSpec& spec = plan.files[i];
    // gzip at level 1: a generator's output is rewritten often, and level 1 is ~4x faster for
    // ~10 % more bytes. zstd's default (3) is already fast.
    const int level = options.compression == "gz" ? 1 : 0;
    auto out = OutputFile::Create((fs::path(options.out_dir) / spec.name).string(), level);
    if (!out) return std::move(out).error();
    files[i].out = std::move(*out);
    files[i].result.name = spec.name;
    const std::string header = spec.layout.Header();
    if (!header.empty()) {
      TSQ_TRY(files[i].out->Write(header));
      files[i].lines = 1;
    }
  }

  int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::clamp(threads, 1, static_cast<int>(std::max<size_t>(1, plan.tasks.size())));
  Pipeline pipeline(plan, options, &files);
  TSQ_TRY(pipeline.Run(threads));

  GenerateSummary summary;
  summary.period = plan.period.label;
  summary.baseline_period = plan.previous.label;
  std::vector<synth::FileResult> results;
  for (size_t i = 0; i < files.size(); ++i) {
    TSQ_TRY(files[i].out->Commit());
    std::error_code ec;
    const auto size = fs::file_size(fs::path(options.out_dir) / plan.files[i].name, ec);
    files[i].result.bytes = ec ? 0 : size;
    const synth::FileResult& r = files[i].result;
    GeneratedFile g;
    g.path = (fs::path(options.out_dir) / r.name).string();
    g.type = plan.files[i].layout.type;
    g.rows = r.rows;
    g.rows_in_period = r.rows_in_period;
    g.bad_rows = r.bad.size();
    g.bytes = r.bytes;
    summary.total_rows += g.rows;
    summary.rows_in_period += g.rows_in_period;
    summary.bad_rows += g.bad_rows;
    summary.files.push_back(std::move(g));
    results.push_back(r);
  }

  if (options.on_progress) options.on_progress("truth", 0.0);
  synth::MergedStats merged;
  for (size_t i = 0; i < plan.tasks.size(); ++i) {
    merged.Add(plan.tasks[i].type, std::move(pipeline.stats()[i]));
  }
  const std::string truth = synth::TruthJson(plan, results, merged, options.compression);
  summary.truth_path = (fs::path(options.out_dir) / "truth.json").string();
  auto truth_file = OutputFile::Create(summary.truth_path);
  if (!truth_file) return std::move(truth_file).error();
  TSQ_TRY((*truth_file)->Write(truth));
  TSQ_TRY((*truth_file)->Commit());
  if (options.on_progress) options.on_progress("truth", 1.0);
  // The regions' centres, for the labels of an offline map (tsq cells --places).
  std::string places = "name,lat,lon\n";
  for (int r = 0; r < synth::kRegionCount; ++r) {
    const synth::RegionInfo& info = synth::Region(r);
    places += fmt::format("{},{:.3f},{:.3f}\n", info.name, info.lat, info.lon);
  }
  auto places_file = OutputFile::Create((fs::path(options.out_dir) / "places.csv").string());
  if (!places_file) return std::move(places_file).error();
  TSQ_TRY((*places_file)->Write(places));
  TSQ_TRY((*places_file)->Commit());
  // The planted callers' labels, for `tsq callers eval --labels` and `train --labels`.
  auto labels_file = OutputFile::Create((fs::path(options.out_dir) / "caller_labels.csv").string());
  if (!labels_file) return std::move(labels_file).error();
  TSQ_TRY((*labels_file)->Write(synth::CallerLabelsCsv(plan)));
  TSQ_TRY((*labels_file)->Commit());
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace tsq
