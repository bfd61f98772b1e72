// The reader's throughput on a big calls.csv: (a) a plain newline scan of the file as the floor,
// (b) splitting + tokenizing only, (c) the full ReadTable (tokenize, validate, typed batches).
// The file is TSQ_BENCH_CALLS if set, else generated once (TSQ_BENCH_MB megabytes, default 1024)
// in the temp directory and reused by later runs.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "core/timestamp.h"
#include "io/byte_source.h"
#include "io/csv_tokenizer.h"
#include "io/record_splitter.h"
#include "io/text_scan.h"
#include "model/read.h"
#include "model/row_binder.h"

namespace tsq {
namespace {

// Writes `bytes` of calls rows shaped like an operator's export.
void GenerateCalls(const std::string& path, uint64_t bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    std::exit(1);
  }
  constexpr const char* kOperators[] = {"移动", "移动", "移动", "联通", "联通", "电信", "广电"};
  constexpr const char* kRegions[] = {"长春", "吉林", "四平", "辽源", "通化",
                                      "白山", "松原", "白城", "延边"};
  constexpr const char* kOutcomes[] = {"answered", "answered",     "answered", "answered",
                                       "answered", "answered",     "answered", "no_answer",
                                       "busy",     "network_fail", "rejected", "congested"};
  constexpr const char* kRats[] = {"4G", "5G", "5G", "4G", "2G"};
  std::mt19937_64 rng(42);
  std::string out =
      "start_time,caller,callee,operator,region,cell_id,rat,outcome,duration_s,"
      "dropped,caller_imei\n";
  uint64_t written = 0;
  int64_t second = 0;
  while (written < bytes) {
    for (int i = 0; i < 10000; ++i) {
      const uint64_t r = rng();
      second += static_cast<int64_t>(r % 3);
      // July to December 2022.
      const CivilDate date = CivilFromDays(DaysFromCivil(2022, 7, 1) + second / 86400 % 184);
      const int64_t sod = second % 86400;
      const char* outcome = kOutcomes[(r >> 8) % 12];
      const bool answered = outcome[0] == 'a';
      const std::string duration =
          answered ? fmt::format("{}.{}", (r >> 16) % 600, (r >> 26) % 10) : "0";
      const char* dropped = answered ? (((r >> 30) % 100) == 0 ? "1" : "0") : "";
      fmt::format_to(std::back_inserter(out),
                     "2022-{:02d}-{:02d} {:02d}:{:02d}:{:02d},138{:08d},139{:08d},{},{},C{:07d},{},"
                     "{},{},{},86{:013d}\n",
                     date.month, date.day, sod / 3600, sod / 60 % 60, sod % 60,
                     (r >> 3) % 100000000, (r >> 13) % 100000000, kOperators[(r >> 33) % 7],
                     kRegions[(r >> 36) % 9], (r >> 40) % 20000, kRats[(r >> 50) % 5], outcome,
                     duration, dropped, (r >> 20) % 10000000000000ull);
    }
    std::fwrite(out.data(), 1, out.size(), f);
    written += out.size();
    out.clear();
  }
  std::fclose(f);
}

const std::string& CallsPath() {
  static const std::string path = [] {
    if (const char* p = std::getenv("TSQ_BENCH_CALLS")) return std::string(p);
    const char* mb = std::getenv("TSQ_BENCH_MB");
    const uint64_t bytes = (mb != nullptr ? std::strtoull(mb, nullptr, 10) : 1024) << 20;
    const std::string p = (std::filesystem::temp_directory_path() /
                           fmt::format("tsq_read_bench_calls_{}mb.csv", bytes >> 20))
                              .string();
    std::error_code ec;
    if (std::filesystem::file_size(p, ec) < bytes || ec) {
      std::fprintf(stderr, "generating %s ...\n", p.c_str());
      GenerateCalls(p, bytes);
    }
    return p;
  }();
  return path;
}

double ProcessCpuSeconds() {
  timespec ts;
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Rates per wall-clock second, plus bytes per CPU-second of the whole process: the machine is
// shared, and the CPU figure shows the reader's cost whatever else is running
// (1 GB/s on two cores needs at least 0.5 GB per CPU-second).
void Report(benchmark::State& state, uint64_t bytes, uint64_t rows, double cpu_seconds) {
  const double iterations = static_cast<double>(state.iterations());
  state.counters["bytes_per_cpu_second"] =
      benchmark::Counter(static_cast<double>(bytes) * iterations / cpu_seconds,
                         benchmark::Counter::kDefaults, benchmark::Counter::kIs1024);
  state.counters["bytes_per_second"] =
      benchmark::Counter(static_cast<double>(bytes) * iterations, benchmark::Counter::kIsRate,
                         benchmark::Counter::kIs1024);
  state.counters["rows_per_second"] =
      benchmark::Counter(static_cast<double>(rows) * iterations, benchmark::Counter::kIsRate);
}

// (a) The floor: read the file in 4 MiB blocks and count its lines.
void BM_NewlineScan(benchmark::State& state) {
  const std::string& path = CallsPath();
  std::unique_ptr<char[]> buf(new char[4 << 20]);
  uint64_t bytes = 0;
  uint64_t lines = 0;
  const double cpu_start = ProcessCpuSeconds();
  for (auto _ : state) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    bytes = lines = 0;
    for (;;) {
      const ssize_t n = ::read(fd, buf.get(), 4 << 20);
      if (n <= 0) break;
      bytes += static_cast<uint64_t>(n);
      lines += CountNewlines(buf.get(), static_cast<size_t>(n));
    }
    ::close(fd);
    benchmark::DoNotOptimize(lines);
  }
  Report(state, bytes, lines - 1, ProcessCpuSeconds() - cpu_start);
}

// (b) Splitting and tokenizing on one thread: no value parsing, no batches.
void BM_Tokenize(benchmark::State& state) {
  const std::string& path = CallsPath();
  uint64_t bytes = 0;
  uint64_t rows = 0;
  const double cpu_start = ProcessCpuSeconds();
  for (auto _ : state) {
    auto source = ByteSource::Open(path);
    if (!source) {
      state.SkipWithError(source.error().message.c_str());
      return;
    }
    RecordSplitter splitter(source->get(), TextFormat::kCsv, 4 << 20);
    std::vector<std::string> header;
    uint64_t header_line = 0;
    (void)splitter.ReadHeader(&header, &header_line);
    splitter.set_expected_fields(header.size());
    Chunk chunk;
    CsvTokenizer tok;
    CsvRecord rec;
    rows = 0;
    uint64_t field_bytes = 0;
    for (;;) {
      auto more = splitter.Next(&chunk);
      if (!more || !*more) break;
      tok.Reset(chunk.text.view(), chunk.first_line, header.size());
      while (tok.Next(&rec)) {
        ++rows;
        field_bytes += rec.fields.size();
      }
    }
    benchmark::DoNotOptimize(field_bytes);
    bytes = (*source)->text_bytes();
  }
  Report(state, bytes, rows, ProcessCpuSeconds() - cpu_start);
}

double ThreadCpuSeconds() {
  timespec ts;
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The first 64 MiB of whole records after the header, in memory: the per-core cost of the
// worker's loop without reading, splitting or threads.
const TextBuffer& MemoryChunk() {
  static const TextBuffer chunk = [] {
    TextBuffer b;
    auto source = ByteSource::Open(CallsPath());
    if (!source) std::exit(1);
    RecordSplitter splitter(source->get(), TextFormat::kCsv, 64 << 20);
    std::vector<std::string> header;
    uint64_t line = 0;
    if (!splitter.ReadHeader(&header, &line)) std::exit(1);
    splitter.set_expected_fields(header.size());
    Chunk c;
    if (!splitter.Next(&c)) std::exit(1);
    b.Assign(c.text.view());
    return b;
  }();
  return chunk;
}

// (b') Tokenizing an in-memory chunk on one thread.
void BM_TokenizeMemory(benchmark::State& state) {
  const TextBuffer& chunk = MemoryChunk();
  CsvTokenizer tok;
  CsvRecord rec;
  uint64_t rows = 0;
  double cpu = 0;
  for (auto _ : state) {
    const double start = ThreadCpuSeconds();
    tok.Reset(chunk.view(), 2, 11);
    rows = 0;
    while (tok.Next(&rec)) ++rows;
    cpu += ThreadCpuSeconds() - start;
  }
  Report(state, chunk.size(), rows, cpu);
}

// (c') Tokenizing, checking and binding an in-memory chunk into batches on one thread.
void BM_BindMemory(benchmark::State& state) {
  const TextBuffer& chunk = MemoryChunk();
  const RecordSchema& schema = SchemaOf(RecordType::kCalls);
  StringDictionary dict;
  BindState bind(schema, &dict);
  RowBinder binder(schema, kChinaOffsetSeconds);
  Batch batch = Batch::ForSchema(schema);
  for (ColumnData& c : batch.columns) c.Reserve(4096);
  CsvTokenizer tok;
  CsvRecord rec;
  BindFailure failure;
  uint64_t rows = 0;
  double cpu = 0;
  for (auto _ : state) {
    const double start = ThreadCpuSeconds();
    const bool utf8 = IsValidUtf8(chunk.data(), chunk.size());
    benchmark::DoNotOptimize(utf8);
    tok.Reset(chunk.view(), 2, 11);
    bind.stable = chunk.view();
    rows = 0;
    while (tok.Next(&rec)) {
      if (rec.fields.size() != 11 ||
          !binder.Bind(rec.fields.data(), rec.line, &batch, &bind, &failure)) {
        state.SkipWithError("bad row");
        return;
      }
      if (batch.rows == 4096) {
        binder.ResolveIds(&batch, &bind);
        batch.Clear();
      }
      ++rows;
    }
    binder.ResolveIds(&batch, &bind);
    batch.Clear();
    cpu += ThreadCpuSeconds() - start;
  }
  Report(state, chunk.size(), rows, cpu);
}

// (c) The whole reader: chunks, workers, row checks, typed batches.
void BM_ReadTable(benchmark::State& state) {
  const std::string& path = CallsPath();
  ReadOptions options;
  options.threads = static_cast<int>(state.range(0));
  options.chunk_bytes = static_cast<size_t>(state.range(1)) << 10;
  uint64_t bytes = 0;
  uint64_t rows = 0;
  const double cpu_start = ProcessCpuSeconds();
  for (auto _ : state) {
    StringDictionary dict;
    std::atomic<uint64_t> seen{0};
    auto reports = ReadTable(RecordType::kCalls, {{path}}, &dict, options,
                             [&](int, const Batch& b) { seen += b.rows; });
    if (!reports) {
      state.SkipWithError(reports.error().message.c_str());
      return;
    }
    bytes = (*reports)[0].text_bytes;
    rows = (*reports)[0].rows_read;
    if ((*reports)[0].rows_quarantined != 0 || seen != rows) {
      state.SkipWithError("unexpected bad rows");
      return;
    }
  }
  Report(state, bytes, rows, ProcessCpuSeconds() - cpu_start);
}

BENCHMARK(BM_NewlineScan)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();
BENCHMARK(BM_Tokenize)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();
BENCHMARK(BM_TokenizeMemory)->Unit(benchmark::kMillisecond)->Iterations(5)->UseRealTime();
BENCHMARK(BM_BindMemory)->Unit(benchmark::kMillisecond)->Iterations(5)->UseRealTime();
// Arguments: worker threads (0 = all cores), chunk KiB.
BENCHMARK(BM_ReadTable)
    ->Args({0, 4096})
    ->Args({1, 4096})
    ->Args({0, 1024})
    ->Args({0, 256})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();

}  // namespace
}  // namespace tsq

BENCHMARK_MAIN();
