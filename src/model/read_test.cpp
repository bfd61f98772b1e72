#include "model/read.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "io/io_test_util.h"

namespace tsq {

// Names an input in test failures.
void PrintTo(const InputFile& f, std::ostream* os) { *os << f.name(); }

namespace {

namespace fs = std::filesystem;

const std::string kBadRowsDir = std::string(TSQ_TESTDATA_DIR) + "/bad_rows";

class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() / fmt::format("tsq_read_test_{}_{}", ::getpid(), counter++);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string Write(const std::string& name, std::string_view bytes) const {
    const std::string p = (path_ / name).string();
    std::ofstream(p, std::ios::binary)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p;
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Gzip(std::string_view text) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, text.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string Zstd(std::string_view text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3));
  return out;
}

// Everything a read produced, in a comparable form.
struct Outcome {
  std::vector<FileReport> reports;
  std::vector<std::string> bad;   // "file:line:column:reason", in delivery order
  std::vector<std::string> rows;  // "file:line|v1|v2|...", sorted
  size_t batches = 0;
  size_t max_batch_rows = 0;
};

std::string FormatValue(const Batch& b, size_t c, size_t row, const StringDictionary& dict) {
  const ColumnData& col = b.columns[c];
  switch (col.type) {
    case ColumnType::kTimestamp:
    case ColumnType::kMonth:
    case ColumnType::kInt:
      return col.i64[row] == kMissingInt ? "-" : std::to_string(col.i64[row]);
    case ColumnType::kNumber:
      return IsMissing(col.f64[row]) ? "-" : fmt::format("{}", col.f64[row]);
    case ColumnType::kDict:
      return col.ids[row] == kMissingId ? "-" : std::string(dict.Get(col.ids[row]));
    case ColumnType::kBool:
    case ColumnType::kEnum:
      return col.u8[row] == kMissingCode ? "-" : std::to_string(col.u8[row]);
    case ColumnType::kText:
      return col.text.Get(row).empty() ? "-" : std::string(col.text.Get(row));
  }
  return "?";
}

Result<Outcome> Read(RecordType type, const std::vector<InputFile>& files, ReadOptions options,
                     StringDictionary* dict_out = nullptr) {
  StringDictionary local_dict;
  StringDictionary* dict = dict_out != nullptr ? dict_out : &local_dict;
  Outcome out;
  std::mutex mu;
  options.on_bad_row = [&](const BadRow& b) {
    out.bad.push_back(
        fmt::format("{}:{}:{}:{}", b.file_index, b.line, b.column, BadRowReasonName(b.reason)));
  };
  auto reports = ReadTable(type, files, dict, options, [&](int worker, const Batch& b) {
    EXPECT_GE(worker, 0);
    EXPECT_LT(worker, WorkerCount(options));
    std::vector<std::string> rows;
    for (size_t r = 0; r < b.rows; ++r) {
      std::string s = fmt::format("{}:{}", b.file_index, b.line[r]);
      for (size_t c = 0; c < b.columns.size(); ++c) {
        EXPECT_EQ(b.columns[c].i64.size() + b.columns[c].f64.size() + b.columns[c].ids.size() +
                      b.columns[c].u8.size() + b.columns[c].text.offsets.size() - 1,
                  b.rows);
        s += "|" + FormatValue(b, c, r, *dict);
      }
      rows.push_back(std::move(s));
    }
    std::lock_guard lock(mu);
    ++out.batches;
    out.max_batch_rows = std::max(out.max_batch_rows, b.rows);
    out.rows.insert(out.rows.end(), rows.begin(), rows.end());
  });
  if (!reports) return std::move(reports).error();
  out.reports = std::move(*reports);
  std::sort(out.rows.begin(), out.rows.end(), [](const std::string& a, const std::string& b) {
    const auto key = [](const std::string& s) {
      return std::make_pair(std::stoull(s.substr(0, s.find(':'))),
                            std::stoull(s.substr(s.find(':') + 1)));
    };
    return key(a) < key(b);
  });
  return out;
}

// Files read whole.
Result<Outcome> Read(RecordType type, const std::vector<std::string>& paths, ReadOptions options,
                     StringDictionary* dict_out = nullptr) {
  std::vector<InputFile> files;
  for (const std::string& p : paths) files.push_back({p});
  return Read(type, files, std::move(options), dict_out);
}

ReadOptions Options(int threads, size_t chunk_bytes, size_t batch_rows = 4096) {
  ReadOptions o;
  o.threads = threads;
  o.chunk_bytes = chunk_bytes;
  o.batch_rows = batch_rows;
  return o;
}

void ExpectAccounting(const FileReport& r, uint64_t accepted, uint64_t quarantined) {
  EXPECT_EQ(r.rows_accepted, accepted) << r.path;
  EXPECT_EQ(r.rows_quarantined, quarantined) << r.path;
  EXPECT_EQ(r.rows_read, accepted + quarantined) << r.path;
  uint64_t sum = 0;
  for (uint64_t n : r.quarantined_by_reason) sum += n;
  EXPECT_EQ(sum, quarantined) << r.path;
}

TEST(ReadTable, GoldenCallsEveryReasonAtItsLine) {
  StringDictionary dict;
  auto got = Read(RecordType::kCalls, {kBadRowsDir + "/calls.csv"}, Options(2, 4 << 20), &dict);
  ASSERT_TRUE(got) << got.error().Debug();
  EXPECT_EQ(got->bad, (std::vector<std::string>{
                          "0:7::bad_quoting",
                          "0:8::column_count",
                          "0:9::invalid_utf8",
                          "0:10:caller:missing_required",
                          "0:11:start_time:bad_timestamp",
                          "0:12:duration_s:bad_number",
                          "0:13:dropped:bad_bool",
                          "0:14:rat:unknown_enum",
                          "0:15:outcome:unknown_enum",
                          "0:17:start_time:bad_timestamp",
                          "0:18::bad_quoting",
                      }));
  ASSERT_EQ(got->reports.size(), 1u);
  const FileReport& r = got->reports[0];
  ExpectAccounting(r, 6, 11);
  const auto n = [&](BadRowReason reason) {
    return r.quarantined_by_reason[static_cast<size_t>(reason)];
  };
  EXPECT_EQ(n(BadRowReason::kBadQuoting), 2u);
  EXPECT_EQ(n(BadRowReason::kBadTimestamp), 2u);
  EXPECT_EQ(n(BadRowReason::kUnknownEnum), 2u);
  EXPECT_EQ(n(BadRowReason::kEndBeforeStart), 0u);
  EXPECT_EQ(r.type, RecordType::kCalls);
  EXPECT_EQ(r.size_bytes, fs::file_size(kBadRowsDir + "/calls.csv"));
  EXPECT_EQ(r.text_bytes, r.size_bytes);
  // Accepted rows, every column in contract order (start_time, caller, callee, operator, region,
  // cell_id, rat, outcome, duration_s, dropped, caller_imei).
  EXPECT_EQ(got->rows,
            (std::vector<std::string>{
                "0:2|1656634503000000|13800000001|13900000001|移动|长春|C0001|2|0|63.5|0|-",
                "0:3|1656634560000000|13800000002|13900000002|联通|吉林|-|1|1|-|-|-",
                "0:5|1656637200000000|13800000003|13900000003|电信|长春|C0002|2|0|12|1|-",
                "0:16|1656637200000000|13800000013|13900000013|移动|长春|C0001|2|0|7|1|-",
                "0:19|1656640800000000|13800000016|13900000016|移动|长春|C0001|0|2|-|0|-",
                "0:20|1656640800000000|13800000017|13900000017|移动|长春|C0001|2|5|0|0|-",
            }));
  // A value seen only in a rejected row never reaches the dictionary.
  EXPECT_EQ(dict.Find("四平"), kMissingId);
  EXPECT_NE(dict.Find("电信"), kMissingId);
}

TEST(ReadTable, GoldenOrdersAndHotline) {
  auto orders = Read(RecordType::kOrders, {kBadRowsDir + "/orders.csv"}, Options(2, 4 << 20));
  ASSERT_TRUE(orders) << orders.error().Debug();
  EXPECT_EQ(orders->bad, (std::vector<std::string>{
                             "0:3:completed_at:end_before_start",
                             "0:5:customer_age:bad_number",
                             "0:6:service:unknown_enum",
                             "0:7:channel:unknown_enum",
                             "0:8:area_type:unknown_enum",
                             "0:9:region:missing_required",
                             "0:10:completed_at:end_before_start",
                         }));
  ExpectAccounting(orders->reports[0], 3, 7);
  ASSERT_EQ(orders->rows.size(), 3u);
  EXPECT_EQ(orders->rows[0],
            "0:2|O1|移动|长春|朝阳区|0|0|1656633600000000|1656637200000000|0|70|0");

  auto hotline = Read(RecordType::kHotline, {kBadRowsDir + "/hotline.jsonl"}, Options(2, 4 << 20));
  ASSERT_TRUE(hotline) << hotline.error().Debug();
  EXPECT_EQ(hotline->bad, (std::vector<std::string>{
                              "0:2:ended_at:end_before_start",
                              "0:4:answered_at:end_before_start",
                              "0:5::bad_json",
                              "0:6:operator:bad_json",
                              "0:7:call_id:bad_json",
                              "0:8:call_id:missing_required",
                              "0:9:caller_age:bad_number",
                              "0:10:elderly_fast_lane:bad_bool",
                              "0:11::bad_json",
                              "0:13::invalid_utf8",
                              "0:14:arrived_at:bad_timestamp",
                          }));
  ExpectAccounting(hotline->reports[0], 2, 11);
  EXPECT_EQ(hotline->rows, (std::vector<std::string>{
                               "0:1|H1|移动|1656633600000000|-|-|1656633900000000|1|70",
                               "0:12|H9|联通|1656633600000000|-|-|1656633900000000|0|-",
                           }));
}

TEST(ReadTable, TinyChunksAndManyThreadsGiveIdenticalResults) {
  TempDir dir;
  // The golden calls plus a long tail of rows with quoted fields spanning lines, CRLF, blank
  // lines and bad rows, so that many chunk boundaries fall inside interesting records.
  std::string text = Slurp(kBadRowsDir + "/calls.csv");
  text += "\n";
  for (int i = 0; i < 3000; ++i) {
    const std::string t =
        fmt::format("2022-07-{:02d} {:02d}:{:02d}:00", 1 + i % 28, i % 24, i % 60);
    switch (i % 7) {
      case 0:
        text += fmt::format("1{},{},139,移动,长春,C{},5G,answered,{},0,\"a\nb,\"\"c\"\"\"\n", i, t,
                            i % 13, i % 100);
        break;
      case 1:
        text += fmt::format("1{},{},139,联通,吉林,,4G,busy,,,x\r\n\r\n", i, t);
        break;
      case 2:
        text += fmt::format("1{},{},139,移动,长春,C1,5G,answered,1,0,\"unclosed\n", i, t);
        break;
      case 3:
        text += fmt::format("1{},{},139,移动,长春,C1,5G,answered,1,0\n", i, t);
        break;
      default:
        text += fmt::format("1{},{},139,电信,四平,C{},2G,no_answer,0,n,\"q\"\n", i, t, i);
    }
  }
  const std::string path = dir.Write("calls.csv", text);
  auto reference = Read(RecordType::kCalls, {path}, Options(1, 4 << 20));
  ASSERT_TRUE(reference) << reference.error().Debug();
  EXPECT_GT(reference->rows.size(), 2000u);
  EXPECT_GT(reference->bad.size(), 800u);
  for (auto [threads, chunk] : {std::pair{3, size_t{64}}, std::pair{2, size_t{1}},
                                std::pair{4, size_t{1000}}, std::pair{2, size_t{4 << 20}}}) {
    auto got = Read(RecordType::kCalls, {path}, Options(threads, chunk, 7));
    ASSERT_TRUE(got) << got.error().Debug();
    EXPECT_EQ(got->rows, reference->rows) << threads << " threads, chunk " << chunk;
    EXPECT_EQ(got->bad, reference->bad) << threads << " threads, chunk " << chunk;
    EXPECT_EQ(got->reports[0].quarantined_by_reason, reference->reports[0].quarantined_by_reason);
    EXPECT_EQ(got->reports[0].rows_read, reference->reports[0].rows_read);
    EXPECT_LE(got->max_batch_rows, 7u);
  }
}

// What the ranks of a cluster read of one file (app/cluster_read.cpp): byte ranges cut just past
// line breaks, each with the physical line its first byte is on, give the whole file's rows, bad
// rows at their lines and accounting; the range from the start also gives the file's digest.
TEST(ReadTable, ByteRangesCutAtLineBreaksReadAsTheWholeFile) {
  TempDir dir;
  std::string text = "start_time,caller,callee,operator,region,cell_id,rat,outcome,duration_s\r\n";
  for (int i = 0; i < 2000; ++i) {
    const std::string t =
        fmt::format("2022-07-{:02d} {:02d}:{:02d}:00", 1 + i % 28, i % 24, i % 60);
    if (i % 11 == 0) text += "\n";  // blank lines count as lines
    if (i % 7 == 0) {
      text += fmt::format("{},1{},139,移动,长春,C1,5G,maybe,1\n", t, i);  // bad outcome
    } else {
      text += fmt::format("{},1{},139,联通,吉林,C{},4G,answered,{}\r\n", t, i, i % 9, i % 50);
    }
  }
  const std::string path = dir.Write("calls.csv", text);
  ReadOptions options = Options(2, 4 << 10);
  options.digest = true;
  auto whole = Read(RecordType::kCalls, {path}, options);
  ASSERT_TRUE(whole) << whole.error().Debug();
  ASSERT_GT(whole->bad.size(), 200u);

  // Cuts just past the first line break at or after a third and two thirds of the bytes.
  std::vector<InputFile> ranges;
  uint64_t begin = 0;
  for (size_t third : {text.size() / 3, text.size() * 2 / 3, text.size()}) {
    const uint64_t end = third == text.size() ? third : text.find('\n', third) + 1;
    InputFile f{path};
    f.begin = begin;
    f.end = end;
    f.first_line = 1 + static_cast<uint64_t>(std::count(text.begin(), text.begin() + begin, '\n'));
    ranges.push_back(f);
    begin = end;
  }
  auto parts = Read(RecordType::kCalls, ranges, options);
  ASSERT_TRUE(parts) << parts.error().Debug();
  const auto without_file = [](std::vector<std::string> v) {
    for (std::string& s : v) s.erase(0, s.find(':'));
    return v;
  };
  EXPECT_EQ(without_file(parts->rows), without_file(whole->rows));
  EXPECT_EQ(without_file(parts->bad), without_file(whole->bad));
  uint64_t accepted = 0, quarantined = 0, text_bytes = 0;
  for (const FileReport& r : parts->reports) {
    accepted += r.rows_accepted;
    quarantined += r.rows_quarantined;
    text_bytes += r.text_bytes;
  }
  EXPECT_EQ(accepted, whole->reports[0].rows_accepted);
  EXPECT_EQ(quarantined, whole->reports[0].rows_quarantined);
  EXPECT_EQ(text_bytes, whole->reports[0].text_bytes);
  EXPECT_EQ(parts->reports[0].sha256, whole->reports[0].sha256);
  EXPECT_FALSE(whole->reports[0].sha256.empty());
  EXPECT_TRUE(parts->reports[1].sha256.empty());
}

TEST(ReadTable, CompressedFilesAndSeveralFilesAreOneTable) {
  TempDir dir;
  const std::string text = Slurp(kBadRowsDir + "/calls.csv");
  const std::vector<std::string> files = {
      dir.Write("calls-1.csv.gz", Gzip(text.substr(0, 700)) + Gzip(text.substr(700))),
      dir.Write("calls-2.csv.zst", Zstd(text.substr(0, 500)) + Zstd(text.substr(500))),
      dir.Write("calls-3.csv", text),
  };
  auto got = Read(RecordType::kCalls, files, Options(2, 100));
  ASSERT_TRUE(got) << got.error().Debug();
  ASSERT_EQ(got->reports.size(), 3u);
  for (size_t f = 0; f < 3; ++f) {
    ExpectAccounting(got->reports[f], 6, 11);
    EXPECT_EQ(got->reports[f].path, files[f]);
    EXPECT_EQ(got->reports[f].text_bytes, text.size());
  }
  EXPECT_LT(got->reports[0].size_bytes, text.size());
  EXPECT_EQ(got->bad.size(), 33u);
  EXPECT_EQ(got->bad[11], "1:7::bad_quoting");
  EXPECT_EQ(got->bad[32], "2:18::bad_quoting");
  ASSERT_EQ(got->rows.size(), 18u);
  EXPECT_EQ(got->rows[6].substr(0, 4), "1:2|");
}

TEST(ReadTable, JsonLinesMatchCsv) {
  TempDir dir;
  const std::string csv =
      dir.Write("sms.csv",
                "sent_at,sender,receiver,operator,status,delivered_at\n"
                "2022-07-01 08:00:00,13800000000,10086,移动,delivered,2022-07-01 08:00:05\n"
                "2022-07-01 08:00:00,13800000001,10086,移动,failed,\n");
  const std::string jsonl = dir.Write(
      "sms.jsonl",
      "{\"sent_at\":\"2022-07-01 08:00:00\",\"sender\":13800000000,\"receiver\":\"10086\","
      "\"operator\":\"移动\",\"status\":\"delivered\",\"delivered_at\":\"2022-07-01 08:00:05\"}\n"
      "{\"status\":\"failed\",\"operator\":\"移动\",\"receiver\":10086,\"sender\":\"13800000001\","
      "\"sent_at\":\"2022-07-01 08:00:00\",\"delivered_at\":null}\n");
  auto a = Read(RecordType::kSms, {csv}, Options(2, 4 << 20));
  auto b = Read(RecordType::kSms, {jsonl}, Options(2, 4 << 20));
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->rows.size(), 2u);
  EXPECT_EQ(a->rows[0], "0:2|1656633600000000|13800000000|10086|移动|-|1656633605000000|0");
  // The same values; JSON Lines has no header, so its line numbers are one less.
  EXPECT_EQ(b->rows,
            (std::vector<std::string>{"0:1" + a->rows[0].substr(3), "0:2" + a->rows[1].substr(3)}));
}

TEST(ReadTable, QuotedValuesAreTrimmedLikeUnquotedOnes) {
  // Regression: blanks inside quotes were kept, so " 联通 " became its own operator and a quoted
  // blank required value was accepted (indicators.md, Reading 2: values are trimmed; a blank value
  // is missing). JSON Lines already trimmed; CSV must read the same.
  TempDir dir;
  const std::string csv =
      dir.Write("sms.csv",
                "sent_at,sender,receiver,operator,status,delivered_at\n"
                "\" 2022-07-01 08:00:00\",\"13800000000 \",10086,\" 移动 \",delivered,\"  \"\n"
                "2022-07-01 08:00:00,13800000001,10086,\"  \",failed,\n");
  auto got = Read(RecordType::kSms, {csv}, Options(1, 4 << 20));
  ASSERT_TRUE(got);
  ASSERT_EQ(got->rows.size(), 1u);
  EXPECT_EQ(got->rows[0], "0:2|1656633600000000|13800000000|10086|移动|-|-|0");
  ASSERT_EQ(got->bad.size(), 1u);
  EXPECT_EQ(got->bad[0], "0:3:operator:missing_required");
}

TEST(ReadTable, AbsentOptionalColumnsAreMissingAndFlagged) {
  TempDir dir;
  const std::string path = dir.Write("calls.csv",
                                     "outcome,region,operator,callee,caller,start_time\n"
                                     "busy,长春,移动,139,138,2022-07-01 08:00:00\n");
  StringDictionary dict;
  bool seen = false;
  auto reports =
      ReadTable(RecordType::kCalls, {{path}}, &dict, Options(1, 1 << 20), [&](int, const Batch& b) {
        seen = true;
        EXPECT_TRUE(b.columns[col::calls::kCaller].present);
        EXPECT_FALSE(b.columns[col::calls::kCellId].present);
        EXPECT_FALSE(b.columns[col::calls::kDurationS].present);
        EXPECT_EQ(b.Id(col::calls::kCellId, 0), kMissingId);
        EXPECT_TRUE(IsMissing(b.Number(col::calls::kDurationS, 0)));
        EXPECT_EQ(b.Code(col::calls::kRat, 0), kMissingCode);
        EXPECT_EQ(b.Text(col::calls::kCallerImei, 0), "");
        EXPECT_EQ(b.Code(col::calls::kOutcome, 0), 2);
      });
  ASSERT_TRUE(reports) << reports.error().Debug();
  EXPECT_TRUE(seen);
}

TEST(ReadTable, FatalProblemsNameTheFile) {
  TempDir dir;
  const auto read = [](const std::string& path) {
    return Read(RecordType::kCalls, {path}, Options(2, 1 << 20));
  };
  // A required column absent from the header.
  const std::string no_caller =
      dir.Write("calls.csv", "start_time,callee,operator,region,outcome\n");
  auto got = read(no_caller);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kSchema);
  EXPECT_EQ(got.error().message,
            no_caller +
                ": header has no column 'caller' (required for calls; map an operator's header "
                "with --map calls.caller=HEADER)");
  // Missing, truncated, binary, empty.
  got = read(dir.path() + "/absent.csv");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  const std::string text = Slurp(kBadRowsDir + "/calls.csv");
  const std::string gz = Gzip(text);
  const std::string truncated = dir.Write("cut.csv.gz", gz.substr(0, gz.size() - 10));
  got = read(truncated);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(got.error().message.find(truncated), std::string::npos);
  const std::string zst = Zstd(text);
  got = read(dir.Write("cut.csv.zst", zst.substr(0, zst.size() - 4)));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kCorrupt);
  const std::string misnamed = dir.Write("gz.csv", gz);
  got = read(misnamed);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().message.rfind(misnamed + ": not a text file", 0), 0u);
  got = read(dir.Write("empty.csv", ""));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kSchema);
  // Two columns with the header of one contract column are ambiguous.
  got = read(dir.Write("dup.csv", "caller,start_time,callee,operator,region,outcome,caller\n"));
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().message.find("'caller' twice"), std::string::npos);
  // A header alone is a table without rows.
  got = read(dir.Write("header.csv", "caller,start_time,callee,operator,region,outcome\r\n"));
  ASSERT_TRUE(got);
  ExpectAccounting(got->reports[0], 0, 0);
}

TEST(ReadTable, ProgressReachesTheEnd) {
  ReadOptions o = Options(2, 64);
  uint64_t last_done = 0;
  uint64_t last_total = 1;
  o.on_progress = [&](const std::string& path, uint64_t done, uint64_t total) {
    EXPECT_EQ(path, kBadRowsDir + "/calls.csv");
    last_done = done;
    last_total = total;
  };
  StringDictionary dict;
  auto r = ReadTable(RecordType::kCalls, {{kBadRowsDir + "/calls.csv"}}, &dict, o,
                     [](int, const Batch&) {});
  ASSERT_TRUE(r);
  EXPECT_EQ(last_done, last_total);
  EXPECT_EQ(last_total, fs::file_size(kBadRowsDir + "/calls.csv"));
}

// Bad rows' raw text as the quarantine file shows it, by line.
std::map<uint64_t, std::string> BadRaw(RecordType type, const std::string& path, bool show,
                                       const ColumnMapping* mapping = nullptr) {
  std::map<uint64_t, std::string> raw;
  ReadOptions options = Options(2, 4 << 20);
  options.show_numbers = show;
  options.mapping = mapping;
  options.on_bad_row = [&](const BadRow& b) { raw[b.line] = b.raw; };
  StringDictionary dict;
  auto reports = ReadTable(type, {{path}}, &dict, options, [](int, const Batch&) {});
  EXPECT_TRUE(reports) << reports.error().Debug();
  return raw;
}

TEST(ReadTable, BadRowsShowSubscriberNumbersMasked) {
  TempDir dir;
  const std::string path = dir.Write(
      "calls.csv",
      "start_time,caller,callee,operator,region,outcome,contact\n"
      "2022-07-01 08:00:00,13812345678,10086,移动,长春,answered,\n"             // good
      "2022-07-01 8h,13812345678,13987654321,移动,长春,answered,13511112222\n"  // bad time
      "2022-07-01 08:00:00,13812345678,13987654321,移动,长春\n"                 // count
      "2022-07-01 08:00:00,\"138\"12345678,13987654321,移动,长春,answered,\n"   // quoting
      "2022-07-01 08:00:00,13812345678,13987654321,移动,长春,nope,CT20220101000001\n");
  const auto masked = BadRaw(RecordType::kCalls, path, false);
  ASSERT_EQ(masked.size(), 4u);
  // Lined up with the header: the number columns masked in place, an unknown column's digit runs
  // too, the other contract columns as read.
  EXPECT_EQ(masked.at(3), "2022-07-01 8h,138****5678,139****4321,移动,长春,answered,135****2222");
  EXPECT_EQ(masked.at(6),
            "2022-07-01 08:00:00,138****5678,139****4321,移动,长春,nope,CT202****0001");
  // Not lined up: every run of 7+ digits.
  EXPECT_EQ(masked.at(4), "2022-07-01 08:00:00,138****5678,139****4321,移动,长春");
  EXPECT_EQ(masked.at(5), "2022-07-01 08:00:00,\"138\"******78,139****4321,移动,长春,answered,");
  // --show-numbers: as read.
  const auto shown = BadRaw(RecordType::kCalls, path, true);
  EXPECT_EQ(shown.at(3), "2022-07-01 8h,13812345678,13987654321,移动,长春,answered,13511112222");
}

TEST(ReadTable, BadRowsMaskMappedNumberColumns) {
  TempDir dir;
  const std::string path = dir.Write("sms.csv",
                                     "SENT,SRC,DST,operator,status\n"
                                     "2022-07-01 08:00:00,13812345678,13987654321,移动,lost\n");
  ColumnMapping mapping;
  ASSERT_TRUE(mapping.Add("sms.sent_at=SENT"));
  ASSERT_TRUE(mapping.Add("sms.sender=SRC"));
  ASSERT_TRUE(mapping.Add("sms.receiver=DST"));
  const auto masked = BadRaw(RecordType::kSms, path, false, &mapping);
  EXPECT_EQ(masked.at(2), "2022-07-01 08:00:00,138****5678,139****4321,移动,lost");
}

TEST(ReadTable, BadJsonLinesShowSubscriberNumbersMasked) {
  TempDir dir;
  const std::string path = dir.Write(
      "porting.jsonl",
      R"({"request_id":"r1","msisdn":"13812345678","from_operator":"移动","to_operator":"联通","requested_at":"2022-07-01 08:00:00","status":"odd","note":"13511112222"})"
      "\n"
      R"({"request_id":"r2","msisdn":"13812345678","from_operator":)"
      "\n");
  const auto masked = BadRaw(RecordType::kPorting, path, false);
  ASSERT_EQ(masked.size(), 2u);
  EXPECT_EQ(
      masked.at(1),
      R"({"request_id":"r1","msisdn":"138****5678","from_operator":"移动","to_operator":"联通","requested_at":"2022-07-01 08:00:00","status":"odd","note":"135****2222"})");
  EXPECT_EQ(masked.at(2), R"({"request_id":"r2","msisdn":"138****5678","from_operator":)");
}

TEST(ReadTable, AFailingConsumerEndsTheReadWithAnErrorNotTerminate) {
  TempDir dir;
  std::string text = "start_time,caller,callee,operator,region,outcome\n";
  // 20001 rows: however the workers share them, one of them ends on a partial batch (mode 2).
  for (int i = 0; i < 20001; ++i) {
    text += fmt::format("2022-07-01 08:00:00,138{:08},139{:08},移动,长春,answered\n", i, i);
  }
  text += "bad,row\n";
  const std::string path = dir.Write("calls.csv", text);
  // Every batch, only some batches, only the last (partial) one, and the bad-row callback.
  for (int mode = 0; mode < 4; ++mode) {
    StringDictionary dict;
    ReadOptions options = Options(3, 64 << 10, 1000);
    std::atomic<int> batches{0};
    if (mode == 3) options.on_bad_row = [](const BadRow&) { throw std::bad_alloc(); };
    auto reports =
        ReadTable(RecordType::kCalls, {{path}}, &dict, options, [&](int, const Batch& b) {
          const int n = ++batches;
          if (mode == 0 || (mode == 1 && n == 7) || (mode == 2 && b.rows < 1000)) {
            throw std::bad_alloc();
          }
        });
    ASSERT_FALSE(reports) << "mode " << mode;
    EXPECT_EQ(reports.error().message,
              "reading " + path + ": out of memory (try fewer --threads, or free memory)")
        << "mode " << mode;
  }
  // And the same reader works normally afterwards.
  StringDictionary dict;
  auto ok = ReadTable(RecordType::kCalls, {{path}}, &dict, Options(3, 64 << 10),
                      [](int, const Batch&) {});
  ASSERT_TRUE(ok);
  EXPECT_EQ((*ok)[0].rows_accepted, 20001u);
}

TEST(ColumnMapping, FlagForm) {
  ColumnMapping m;
  ASSERT_TRUE(m.Add("calls.caller=CALLING_NBR"));
  ASSERT_TRUE(m.Add(" calls.callee = CALLED NBR "));
  EXPECT_EQ(m.HeaderFor(RecordType::kCalls, "caller"), "CALLING_NBR");
  EXPECT_EQ(m.HeaderFor(RecordType::kCalls, "callee"), "CALLED NBR");
  EXPECT_EQ(m.HeaderFor(RecordType::kCalls, "operator"), "operator");
  EXPECT_EQ(m.HeaderFor(RecordType::kSms, "sender"), "sender");
  for (const char* bad :
       {"calls.caller", "caller=X", "call.caller=X", "calls.calling=X", "calls.caller=", "=X"}) {
    Status s = m.Add(bad);
    EXPECT_FALSE(s) << bad;
    if (!s) {
      EXPECT_NE(s.error().message.find(bad), std::string::npos) << s.error().message;
    }
  }
  Status s = m.Add("calls.calling=X");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kSchema);
  EXPECT_NE(s.error().message.find("calls has no column 'calling'"), std::string::npos);
}

TEST(ColumnMapping, TomlFileAndReadingWithIt) {
  TempDir dir;
  const std::string file = dir.Write("map.toml",
                                     "# operator export\n[calls]\ncaller = \"CALLING_NBR\"\n"
                                     "start_time = \"START TIME\"\n[sms]\nsender = \"FROM\"\n");
  ColumnMapping m;
  ASSERT_TRUE(m.AddFile(file));
  EXPECT_EQ(m.HeaderFor(RecordType::kCalls, "caller"), "CALLING_NBR");
  EXPECT_EQ(m.HeaderFor(RecordType::kCalls, "start_time"), "START TIME");
  EXPECT_EQ(m.HeaderFor(RecordType::kSms, "sender"), "FROM");

  const std::string data = dir.Write("calls.csv",
                                     "START TIME,CALLING_NBR,callee,operator,region,outcome\n"
                                     "2022-07-01 08:00:00,138,139,移动,长春,busy\n");
  ReadOptions o = Options(1, 1 << 20);
  o.mapping = &m;
  auto got = Read(RecordType::kCalls, {data}, o);
  ASSERT_TRUE(got) << got.error().Debug();
  ASSERT_EQ(got->rows.size(), 1u);
  EXPECT_EQ(got->rows[0], "0:2|1656633600000000|138|139|移动|长春|-|-|2|-|-|-");
  // A mapped header that the file lacks names both.
  const std::string plain =
      dir.Write("calls-2.csv", "start_time,caller,callee,operator,region,outcome\n");
  got = Read(RecordType::kCalls, {plain}, o);
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().message.find("'START TIME' (mapped from calls.start_time"),
            std::string::npos);

  for (const char* bad : {"[calls]\ncaller = 5\n", "caller = \"X\"\n", "[calls\n",
                          "[calls]\nnope = \"X\"\n", "[nope]\ncaller = \"X\"\n"}) {
    ColumnMapping b;
    Status s = b.AddFile(dir.Write("bad.toml", bad));
    ASSERT_FALSE(s) << bad;
    EXPECT_NE(s.error().message.find("bad.toml"), std::string::npos) << s.error().message;
  }
  ColumnMapping missing;
  Status s = missing.AddFile(dir.path() + "/none.toml");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
}

TEST(RecordTypeOfFile, TheOneNamingRule) {
  EXPECT_EQ(RecordTypeOfFile("calls.csv"), RecordType::kCalls);
  EXPECT_EQ(RecordTypeOfFile("calls-0003.csv.gz"), RecordType::kCalls);
  EXPECT_EQ(RecordTypeOfFile("broadband_tests-2022-07.jsonl.zst"), RecordType::kBroadbandTests);
  EXPECT_EQ(RecordTypeOfFile("hotline.ndjson"), RecordType::kHotline);
  EXPECT_EQ(RecordTypeOfFile("callsx.csv"), std::nullopt);
  EXPECT_EQ(RecordTypeOfFile("calls.txt"), std::nullopt);
  EXPECT_EQ(RecordTypeOfFile("truth.json"), std::nullopt);
  EXPECT_EQ(RecordTypeOfFile("Calls.csv"), std::nullopt);  // names are case-sensitive
}

TEST(DiscoverDataSet, FindsEveryRecordTypeFile) {
  TempDir dir;
  for (const char* name : {"calls.csv", "calls-2022-08.csv.zst", "calls-a.jsonl.gz",
                           "orders.ndjson", "sms-x.csv.gz", "broadband_tests-1.csv", "readme.txt",
                           "calls.csv.bak", "CALLS.csv", "call.csv", "calls.tsv", "callsx.csv"}) {
    dir.Write(name, "");
  }
  fs::create_directories(dir.path() + "/hotline.csv");  // a directory is no file
  auto ds = DiscoverDataSet(dir.path());
  ASSERT_TRUE(ds) << ds.error().Debug();
  const std::string d = dir.path() + "/";
  EXPECT_EQ(ds->files[RecordType::kCalls],
            (std::vector<InputFile>{
                {d + "calls-2022-08.csv.zst"}, {d + "calls-a.jsonl.gz"}, {d + "calls.csv"}}));
  EXPECT_EQ(ds->files[RecordType::kOrders], (std::vector<InputFile>{{d + "orders.ndjson"}}));
  EXPECT_EQ(ds->files[RecordType::kSms], (std::vector<InputFile>{{d + "sms-x.csv.gz"}}));
  EXPECT_EQ(ds->files[RecordType::kBroadbandTests],
            (std::vector<InputFile>{{d + "broadband_tests-1.csv"}}));
  EXPECT_TRUE(ds->warnings.empty());
  EXPECT_EQ(ds->files.count(RecordType::kHotline), 0u);
  EXPECT_EQ(ds->ignored,
            (std::vector<std::string>{d + "CALLS.csv", d + "call.csv", d + "calls.csv.bak",
                                      d + "calls.tsv", d + "callsx.csv", d + "readme.txt"}));
  auto missing = DiscoverDataSet(dir.path() + "/nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("nope"), std::string::npos);
}

TEST(RecordTypeOfSheet, TrimmedAndInAnyCase) {
  EXPECT_EQ(RecordTypeOfSheet("calls"), RecordType::kCalls);
  EXPECT_EQ(RecordTypeOfSheet(" Broadband_Tests\t"), RecordType::kBroadbandTests);
  EXPECT_EQ(RecordTypeOfSheet("CALLS"), RecordType::kCalls);
  EXPECT_EQ(RecordTypeOfSheet("call"), std::nullopt);
  EXPECT_EQ(RecordTypeOfSheet("说明"), std::nullopt);
  EXPECT_EQ(RecordTypeOfSheet(""), std::nullopt);
}

// sheetData rows of inline strings, one row per line of `csv` (no quoting); a line "-" is a row
// Excel leaves out.
std::string SheetRows(std::string_view csv) {
  std::string out;
  int r = 0;
  while (!csv.empty()) {
    const std::string_view line = csv.substr(0, csv.find('\n'));
    csv.remove_prefix(std::min(csv.size(), line.size() + 1));
    ++r;
    if (line == "-") continue;
    out += fmt::format("<row r=\"{}\">", r);
    for (std::string_view rest = line;;) {
      const std::string_view cell = rest.substr(0, rest.find(','));
      out += fmt::format("<c t=\"inlineStr\"><is><t>{}</t></is></c>", cell);
      if (cell.size() == rest.size()) break;
      rest.remove_prefix(cell.size() + 1);
    }
    out += "</row>";
  }
  return out;
}

const char* kCallsSheet =
    "caller,start_time,callee,operator,region,cell_id,rat,outcome,duration_s,dropped\n"
    "13800000001,2022-07-01 08:15:03,13900000001,移动,长春,C0001,5G,answered,63.5,0\n"
    "-\n"
    "13800000002,yesterday,13900000002,联通,吉林,,4G,no_answer,,\n";

TEST(DiscoverDataSet, ReadsTheRecordTypeSheetsOfAnyOtherWorkbook) {
  TempDir dir;
  const std::string d = dir.path() + "/";
  // Tabs 说明, " Calls ", ORDERS; and a workbook named by its type, read from its first sheet
  // whatever that sheet's name.
  ASSERT_TRUE(testing::WriteZip(d + "province.xlsx",
                                testing::WorkbookParts({{"说明", SheetRows("notes")},
                                                        {" Calls ", SheetRows(kCallsSheet)},
                                                        {"ORDERS", SheetRows("order_id")}})));
  ASSERT_TRUE(testing::WriteZip(d + "calls-2.xlsx",
                                testing::WorkbookParts({{"orders", SheetRows(kCallsSheet)}})));
  dir.Write("calls.csv", "");
  dir.Write("~$province.xlsx", "Excel's lock file while the workbook is open");
  auto ds = DiscoverDataSet(dir.path());
  ASSERT_TRUE(ds) << ds.error().Debug();
  EXPECT_EQ(ds->files[RecordType::kCalls],
            (std::vector<InputFile>{
                {d + "calls-2.xlsx"}, {d + "calls.csv"}, {d + "province.xlsx", " Calls "}}));
  EXPECT_EQ(ds->files[RecordType::kOrders],
            (std::vector<InputFile>{{d + "province.xlsx", "ORDERS"}}));
  EXPECT_EQ(ds->ignored, (std::vector<std::string>{d + "~$province.xlsx"}));
  EXPECT_EQ(ds->warnings, (std::vector<std::string>{d + "province.xlsx: sheet 说明 is named by no "
                                                        "record type, so it is not read"}));

  // The sheet reads as its workbook's first sheet would: Excel's row numbers as lines.
  const InputFile sheet{d + "province.xlsx", " Calls "};
  auto got = Read(RecordType::kCalls, std::vector<InputFile>{sheet}, Options(2, 1 << 20));
  ASSERT_TRUE(got) << got.error().Debug();
  ASSERT_EQ(got->reports.size(), 1u);
  ExpectAccounting(got->reports[0], 1, 1);
  EXPECT_EQ(got->reports[0].path, d + "province.xlsx");
  EXPECT_EQ(got->reports[0].sheet, " Calls ");
  EXPECT_EQ(got->reports[0].name(), d + "province.xlsx[ Calls ]");
  EXPECT_EQ(got->bad, (std::vector<std::string>{"0:4:start_time:bad_timestamp"}));
  // Errors name the workbook and the sheet.
  const InputFile orders_sheet{d + "province.xlsx", "ORDERS"};
  auto orders =
      Read(RecordType::kOrders, std::vector<InputFile>{orders_sheet}, Options(1, 1 << 20));
  ASSERT_FALSE(orders);
  EXPECT_NE(orders.error().message.find(d + "province.xlsx[ORDERS]: header has no column"),
            std::string::npos)
      << orders.error().message;
}

TEST(DiscoverDataSet, AWorkbookWithNoRecordTypeSheetIsAnError) {
  TempDir dir;
  const std::string d = dir.path() + "/";
  ASSERT_TRUE(testing::WriteZip(d + "吉林-2022H2.xlsx",
                                testing::WorkbookParts({{"call", ""}, {"说明", ""}})));
  auto ds = DiscoverDataSet(dir.path());
  ASSERT_FALSE(ds);
  EXPECT_EQ(ds.error().code, ErrorCode::kSchema);
  const std::string& m = ds.error().message;
  EXPECT_NE(
      m.find(d + "吉林-2022H2.xlsx: none of its sheets (call, 说明) is named by a record type "
                 "(orders, calls, sms,"),
      std::string::npos)
      << m;
  EXPECT_NE(m.find("sheet 'call': did you mean calls?"), std::string::npos) << m;

  // Beside a record type's sheet, a misspelt one is read past with a warning that says so.
  TempDir other;
  ASSERT_TRUE(testing::WriteZip(other.path() + "/province.xlsx",
                                testing::WorkbookParts({{"calls", ""}, {"smss", ""}, {"x", ""}})));
  auto warned = DiscoverDataSet(other.path());
  ASSERT_TRUE(warned) << warned.error().Debug();
  EXPECT_EQ(warned->warnings,
            (std::vector<std::string>{other.path() + "/province.xlsx: sheets smss, x are named by "
                                                     "no record type, so they are not read; "
                                                     "sheet 'smss': did you mean sms?"}));

  // A workbook with nothing like a record type's sheet (a saved report) is ignored, and said so.
  TempDir report;
  report.Write("calls.csv", "start_time\n");
  ASSERT_TRUE(testing::WriteZip(report.path() + "/report.xlsx",
                                testing::WorkbookParts({{"概览", ""}, {"Sheet1", ""}})));
  auto ignored = DiscoverDataSet(report.path());
  ASSERT_TRUE(ignored) << ignored.error().Debug();
  EXPECT_EQ(ignored->ignored, std::vector<std::string>{report.path() + "/report.xlsx"});
  EXPECT_EQ(ignored->warnings,
            std::vector<std::string>{report.path() + "/report.xlsx: no sheet is named by a record "
                                                     "type (sheets: 概览, Sheet1), so it is not "
                                                     "read"});
  EXPECT_EQ(ignored->files.size(), 1u);

  // A file named as a workbook that is none is an error, not ignored.
  TempDir text;
  text.Write("notes.xlsx", "a,b\n");
  auto not_zip = DiscoverDataSet(text.path());
  ASSERT_FALSE(not_zip);
  EXPECT_NE(not_zip.error().message.find("notes.xlsx: not a zip archive"), std::string::npos);
}

TEST(BadRowReasonName, SnakeCaseNames) {
  EXPECT_STREQ(BadRowReasonName(BadRowReason::kBadQuoting), "bad_quoting");
  EXPECT_STREQ(BadRowReasonName(BadRowReason::kColumnCount), "column_count");
  EXPECT_STREQ(BadRowReasonName(BadRowReason::kEndBeforeStart), "end_before_start");
}

}  // namespace
}  // namespace tsq
