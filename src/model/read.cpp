#include "model/read.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/glob.h"
#include "core/privacy.h"
#include "core/threads.h"
#include "io/byte_source.h"
#include "io/csv_tokenizer.h"
#include "io/jsonl_reader.h"
#include "io/record_splitter.h"
#include "io/text_scan.h"
#include "io/xlsx_source.h"
#include "model/presets.h"
#include "model/row_binder.h"

namespace tsq {
namespace {

constexpr const char* kReasonNames[kBadRowReasonCount] = {
    "bad_quoting", "column_count",     "invalid_utf8",     "undecodable",
    "bad_json",    "missing_required", "bad_timestamp",    "bad_number",
    "bad_bool",    "unknown_enum",     "end_before_start",
};

// A TOML array of strings, or nullopt when it holds anything else.
std::optional<std::vector<std::string>> StringsOf(const toml::array& a) {
  std::vector<std::string> out;
  for (const toml::node& n : a) {
    const std::optional<std::string> text = n.value<std::string>();
    if (!text) return std::nullopt;
    out.push_back(*text);
  }
  return out;
}

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view StripCompression(std::string_view name) {
  for (std::string_view ext : {".gz", ".zst"}) {
    if (name.ends_with(ext)) return name.substr(0, name.size() - ext.size());
  }
  return name;
}

bool IsJsonLinesPath(std::string_view path) {
  const std::string_view p = StripCompression(path);
  return p.ends_with(".jsonl") || p.ends_with(".ndjson");
}

}  // namespace

std::optional<RecordType> RecordTypeOfFile(std::string_view name) {
  std::string_view stem = StripCompression(name);
  bool matched = false;
  for (std::string_view ext : {".csv", ".jsonl", ".ndjson", ".xlsx"}) {
    if (stem.ends_with(ext)) {
      stem.remove_suffix(ext.size());
      matched = true;
      break;
    }
  }
  if (!matched) return std::nullopt;
  // No record type's name holds '-', so the first one starts the free part of the name.
  return RecordTypeFromName(stem.substr(0, stem.find('-')));
}

namespace {

// A sheet's name as compared with record types' names. Sheet names are typed by hand ("Calls",
// "calls "): the file naming rule's strictness would only make people rename tabs.
std::string SheetKey(std::string_view sheet_name) {
  std::string key(TrimBlanks(sheet_name));
  for (char& c : key) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return key;
}

}  // namespace

std::optional<RecordType> RecordTypeOfSheet(std::string_view sheet_name) {
  return RecordTypeFromName(SheetKey(sheet_name));
}

std::string InputFile::name() const { return WithSheet(path, sheet); }

std::string FileReport::name() const { return WithSheet(path, sheet); }

namespace {

std::string KnownTypes() {
  std::string out;
  for (RecordType t : AllRecordTypes()) {
    if (!out.empty()) out += ", ";
    out += SchemaOf(t).name;
  }
  return out;
}

// "; sheet 'call': did you mean calls?" for each of `sheets` close to a record type's name.
std::string SheetHints(const std::vector<std::string>& sheets) {
  std::vector<std::string> types;
  for (RecordType t : AllRecordTypes()) types.emplace_back(SchemaOf(t).name);
  std::string out;
  for (const std::string& sheet : sheets) {
    const std::vector<std::string> close = ClosestMatches(SheetKey(sheet), types, 1);
    if (!close.empty()) out += fmt::format("; sheet '{}': did you mean {}?", sheet, close.front());
  }
  return out;
}

// A workbook not named by a record type: each of its sheets named by one is that type's input,
// and the others are not read, with a warning. A workbook with no such sheet is not a data
// workbook (a saved report, notes) and is ignored, unless a sheet's name is close to a record
// type's: that is a typo that would silently drop the records, so it is an error.
Status AddWorkbookSheets(const std::string& path, DataSet* out) {
  auto sheets = ListXlsxSheets(path);
  if (!sheets) return std::move(sheets).error();
  std::vector<std::string> skipped;
  for (const XlsxSheet& sheet : *sheets) {
    if (const std::optional<RecordType> type = RecordTypeOfSheet(sheet.name)) {
      out->files[*type].push_back({path, sheet.name});
    } else {
      skipped.push_back(sheet.name);
    }
  }
  std::string names;
  for (const std::string& s : skipped) names += (names.empty() ? "" : ", ") + s;
  if (skipped.size() == sheets->size()) {
    const std::string hints = SheetHints(skipped);
    if (hints.empty()) {
      out->ignored.push_back(path);
      out->warnings.push_back(
          fmt::format("{}: no sheet is named by a record type (sheets: {}), so it is not read",
                      path, names.empty() ? "none" : names));
      return Ok();
    }
    return Error(ErrorCode::kSchema,
                 fmt::format("{}: none of its sheets ({}) is named by a record type ({}), so it "
                             "holds no records; name each sheet by the record type it holds, or "
                             "name the workbook so (calls.xlsx is read from its first sheet){}",
                             path, names, KnownTypes(), hints));
  }
  if (skipped.size() == 1) {
    out->warnings.push_back(
        fmt::format("{}: sheet {} is named by no record type, so it is not "
                    "read{}",
                    path, names, SheetHints(skipped)));
  } else if (!skipped.empty()) {
    out->warnings.push_back(
        fmt::format("{}: sheets {} are named by no record type, so they are "
                    "not read{}",
                    path, names, SheetHints(skipped)));
  }
  return Ok();
}

std::string KnownColumns(const RecordSchema& schema) {
  std::string out;
  for (const ColumnSpec& c : schema.columns) {
    if (!out.empty()) out += ", ";
    out += c.name;
  }
  return out;
}

// How a value of a bad row is masked before anyone sees it.
enum class Privacy : uint8_t {
  kPlain,     // a contract column that holds no subscriber number: shown as read
  kNumber,    // a subscriber number: MaskNumber
  kFreeText,  // not a contract column, so unknown content: MaskDigitRuns
};

struct MaskedValue {
  std::string_view value;  // a view into the row's raw text (or elsewhere: see MaskedRaw)
  Privacy privacy;
};

// The raw text of a bad row as a person may see it. Each value is masked in place where it lies
// inside `raw`. When the row's values are not all known and placed (`complete` false: the row does
// not line up with its header, or a value is an unescaped copy outside `raw`), every run of 7 or
// more digits in the rest of the text is masked too, since any of them may be a number.
std::string MaskedRaw(std::string_view raw, std::vector<MaskedValue>* values, bool complete) {
  const char* begin = raw.data();
  const char* end = begin + raw.size();
  auto& v = *values;
  v.erase(std::remove_if(v.begin(), v.end(),
                         [&](const MaskedValue& m) {
                           if (m.privacy == Privacy::kPlain || m.value.empty()) return true;
                           const bool inside =
                               m.value.data() >= begin && m.value.data() + m.value.size() <= end;
                           complete = complete && inside;
                           return !inside;
                         }),
          v.end());
  std::sort(v.begin(), v.end(), [](const MaskedValue& a, const MaskedValue& b) {
    return a.value.data() < b.value.data();
  });
  const auto plain = [complete](std::string_view text) {
    return complete ? std::string(text) : MaskDigitRuns(text);
  };
  std::string out;
  out.reserve(raw.size());
  const char* pos = begin;
  for (const MaskedValue& m : v) {
    if (m.value.data() < pos) continue;  // overlaps one already masked
    out += plain(std::string_view(pos, static_cast<size_t>(m.value.data() - pos)));
    out += m.privacy == Privacy::kNumber ? MaskNumber(m.value) : MaskDigitRuns(m.value);
    pos = m.value.data() + m.value.size();
  }
  out += plain(std::string_view(pos, static_cast<size_t>(end - pos)));
  return out;
}

// ----------------------------------------------------------------------------------------------
// The pipeline.

// A chunk with what its worker found: bad rows and counts, delivered in sequence order.
struct WorkChunk : Chunk {
  std::vector<BadRow> bad_rows;
  uint64_t accepted = 0;
  std::array<uint64_t, kBadRowReasonCount> by_reason{};

  void ResetResults() {
    bad_rows.clear();
    accepted = 0;
    by_reason.fill(0);
  }
};

// How one file's records map to contract columns. Read-only while workers run.
struct FileLayout {
  uint32_t file_index = 0;
  TextFormat format = TextFormat::kCsv;
  size_t header_fields = 0;          // CSV: the header's column count
  std::vector<int> field_of_column;  // CSV: header position of each contract column, -1 absent
  bool identity = false;             // CSV: the header is exactly the contract's columns, in order
  std::vector<std::string> keys;     // JSON Lines: the key of each contract column
  std::vector<uint8_t> present;      // per contract column
  std::vector<Privacy> field_privacy;           // CSV: per header position
  TextEncoding encoding = TextEncoding::kUtf8;  // resolved (never kAuto)
};

// The chunks of one file in flight. A fixed set of chunks circulates (free -> reader -> queue ->
// worker -> in-order completion -> free), so memory is bounded by their number times the chunk
// size whatever the file size; completing in sequence order is what lets bad rows be reported in
// file/line order while workers finish out of order.
class ChunkFlow {
 public:
  explicit ChunkFlow(size_t depth) : done_(depth, nullptr) {
    for (size_t i = 0; i < depth; ++i) {
      storage_.push_back(std::make_unique<WorkChunk>());
      free_.push_back(storage_.back().get());
    }
  }

  void StartFile() {
    std::lock_guard lock(mu_);
    next_seq_ = 0;
    closed_ = false;
    aborted_ = false;
  }

  // Blocks until a chunk is free.
  WorkChunk* TakeFree() {
    std::unique_lock lock(mu_);
    free_cv_.wait(lock, [&] { return !free_.empty(); });
    WorkChunk* c = free_.back();
    free_.pop_back();
    return c;
  }
  void ReturnFree(WorkChunk* c) {
    std::lock_guard lock(mu_);
    free_.push_back(c);
    free_cv_.notify_one();
  }

  void Push(WorkChunk* c) {
    std::lock_guard lock(mu_);
    ready_.push_back(c);
    ready_cv_.notify_one();
  }
  // Blocks; nullptr once the flow is closed and drained.
  WorkChunk* Pop() {
    std::unique_lock lock(mu_);
    ready_cv_.wait(lock, [&] { return !ready_.empty() || closed_; });
    if (ready_.empty()) return nullptr;
    WorkChunk* c = ready_.front();
    ready_.pop_front();
    return c;
  }
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    ready_cv_.notify_all();
  }
  void Abort() {
    std::lock_guard lock(mu_);
    aborted_ = true;
  }
  // An exception thrown while delivering a chunk (see Complete), or nullptr.
  std::exception_ptr delivery_error() {
    std::lock_guard lock(mu_);
    return delivery_error_;
  }
  bool aborted() {
    std::lock_guard lock(mu_);
    return aborted_;
  }

  // A worker is done with `c`: every chunk now complete in sequence is handed to `deliver` (under
  // the lock, so deliveries are serial and ordered) and returns to the free list.
  template <typename Deliver>
  void Complete(WorkChunk* c, const Deliver& deliver) {
    std::lock_guard lock(mu_);
    done_[c->seq % done_.size()] = c;
    for (;;) {
      WorkChunk*& slot = done_[next_seq_ % done_.size()];
      if (slot == nullptr || slot->seq != next_seq_) break;
      if (!aborted_) {
        // Whatever delivery throws, the chunk must still go back to the free list, or the
        // reader would wait for it forever; the first exception ends the file's read.
        try {
          deliver(slot);
        } catch (...) {
          aborted_ = true;
          delivery_error_ = std::current_exception();
        }
      }
      free_.push_back(slot);
      slot = nullptr;
      ++next_seq_;
    }
    free_cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable free_cv_;
  std::condition_variable ready_cv_;
  std::vector<std::unique_ptr<WorkChunk>> storage_;
  std::vector<WorkChunk*> free_;
  std::deque<WorkChunk*> ready_;
  std::vector<WorkChunk*> done_;  // completed, waiting for their turn; slot = seq % depth
  uint64_t next_seq_ = 0;
  bool closed_ = false;
  bool aborted_ = false;
  std::exception_ptr delivery_error_;
};

// Text a record cannot be read as: not UTF-8, or (in a decoded file) bytes its encoding does not
// decode, which the decoder left as 0xFF.
BadRowReason InvalidTextReason(const FileLayout& layout) {
  return layout.encoding == TextEncoding::kUtf8 ? BadRowReason::kInvalidUtf8
                                                : BadRowReason::kUndecodable;
}

// One worker's reusable state: its batch, tokenizers and dictionary fronts live across chunks and
// files, so the hot path allocates nothing once they have grown.
struct Worker {
  Worker(const RecordSchema& schema, StringDictionary* dict, size_t batch_rows)
      : batch(Batch::ForSchema(schema)), bind(schema, dict), values(schema.columns.size()) {
    for (ColumnData& c : batch.columns) c.Reserve(batch_rows);
    batch.line.reserve(batch_rows);
  }
  Batch batch;
  BindState bind;
  CsvTokenizer csv;
  JsonlParser json;
  // GB18030/GBK files: the decoder and the buffer a chunk is decoded into (swapped with the
  // chunk's, so buffers circulate and nothing is allocated once they have grown).
  std::unique_ptr<TextDecoder> decoder;
  TextEncoding decoder_encoding = TextEncoding::kUtf8;
  TextBuffer decoded;
  std::vector<std::string_view> values;  // per contract column, for the binder
  std::vector<int> json_seen;            // JSON Lines: per contract column, see ProcessJson
};

class TableReader {
 public:
  TableReader(RecordType type, const std::vector<InputFile>& files, StringDictionary* dict,
              const ReadOptions& options, const std::function<void(int, const Batch&)>& consumer)
      : schema_(SchemaOf(type)),
        files_(files),
        options_(options),
        consumer_(consumer),
        binder_(
            schema_, options.local_offset_s,
            options.mapping != nullptr ? options.mapping->FormsFor(type) : std::vector<ValueForm>{},
            options.unkept_columns),
        batch_rows_(std::max<size_t>(options.batch_rows, 1)),
        flow_(2 * static_cast<size_t>(WorkerCount(options)) + 2) {
    const int n = WorkerCount(options);
    for (int w = 0; w < n; ++w)
      workers_.push_back(std::make_unique<Worker>(schema_, dict, batch_rows_));
  }

  Result<std::vector<FileReport>> Run() {
    std::vector<FileReport> reports(files_.size());
    for (size_t i = 0; i < files_.size(); ++i) {
      TSQ_TRY(ReadFile(static_cast<uint32_t>(i), &reports[i]));
    }
    return reports;
  }

 private:
  Status BindHeader(const std::string& path, const std::vector<std::string>& names,
                    FileLayout* layout) const;
  Status ReadFile(uint32_t index, FileReport* report);
  // The reader thread's loop: cuts the file into chunks for the workers until it ends or the read
  // is aborted.
  void ReadChunks(const std::string& path, ByteSource* source, RecordSplitter* splitter,
                  FirstError* failure);
  void RunWorker(int w, const FileLayout& layout, const std::string& context, FirstError* failure);
  void ProcessCsv(Worker* ws, int w, const FileLayout& layout, WorkChunk* chunk);
  void ProcessJson(Worker* ws, int w, const FileLayout& layout, WorkChunk* chunk);
  // Called in sequence order, serially: adds a chunk's results to the current file's report.
  void Deliver(WorkChunk* chunk) {
    report_->rows_accepted += chunk->accepted;
    for (size_t r = 0; r < kBadRowReasonCount; ++r) {
      report_->quarantined_by_reason[r] += chunk->by_reason[r];
    }
    if (options_.on_bad_row) {
      for (const BadRow& b : chunk->bad_rows) options_.on_bad_row(b);
    }
  }
  void Accept(Worker* ws, int w, WorkChunk* chunk) {
    ++chunk->accepted;
    if (ws->batch.rows >= batch_rows_) {
      binder_.ResolveIds(&ws->batch, &ws->bind);
      consumer_(w, ws->batch);
      ws->batch.Clear();
    }
  }
  // Counts a bad row and, when someone keeps bad rows, records it with its text masked:
  // `fields` are the row's values by header position (CSV) and `complete` says whether they line
  // up with the header; JSON Lines rows pass their members instead.
  void Quarantine(const FileLayout& layout, WorkChunk* chunk, BadRowReason reason, int column,
                  uint64_t line, std::string_view raw, std::span<const std::string_view> fields,
                  bool complete) const {
    ++chunk->by_reason[static_cast<size_t>(reason)];
    if (!options_.on_bad_row) return;  // nobody keeps them: count only
    std::vector<MaskedValue> values;
    if (!options_.show_numbers) {
      for (size_t f = 0; f < fields.size() && f < layout.field_privacy.size(); ++f) {
        values.push_back({fields[f], layout.field_privacy[f]});
      }
    }
    Record(layout, chunk, reason, column, line, raw, &values, complete);
  }
  void QuarantineJson(const FileLayout& layout, WorkChunk* chunk, BadRowReason reason, int column,
                      uint64_t line, std::string_view raw, std::span<const JsonMember> members,
                      bool complete) const {
    ++chunk->by_reason[static_cast<size_t>(reason)];
    if (!options_.on_bad_row) return;
    std::vector<MaskedValue> values;
    if (!options_.show_numbers) {
      for (const JsonMember& m : members) {
        const auto key = std::find(layout.keys.begin(), layout.keys.end(), m.key);
        Privacy p = Privacy::kFreeText;
        if (key != layout.keys.end()) {
          p = schema_.columns[static_cast<size_t>(key - layout.keys.begin())].subscriber_number
                  ? Privacy::kNumber
                  : Privacy::kPlain;
        }
        values.push_back({m.value, p});
      }
    }
    Record(layout, chunk, reason, column, line, raw, &values, complete);
  }
  void Record(const FileLayout& layout, WorkChunk* chunk, BadRowReason reason, int column,
              uint64_t line, std::string_view raw, std::vector<MaskedValue>* values,
              bool complete) const {
    BadRow& b = chunk->bad_rows.emplace_back();
    b.file_index = layout.file_index;
    b.line = line;
    if (column >= 0) b.column = schema_.columns[column].name;
    b.reason = reason;
    b.raw = options_.show_numbers ? std::string(raw) : MaskedRaw(raw, values, complete);
  }

  const RecordSchema& schema_;
  const std::vector<InputFile>& files_;
  const ReadOptions& options_;
  const std::function<void(int, const Batch&)>& consumer_;
  RowBinder binder_;
  size_t batch_rows_;
  ChunkFlow flow_;
  std::vector<std::unique_ptr<Worker>> workers_;
  FileReport* report_ = nullptr;  // of the file being read
};

Status TableReader::BindHeader(const std::string& path, const std::vector<std::string>& names,
                               FileLayout* layout) const {
  layout->header_fields = names.size();
  for (size_t c = 0; c < schema_.columns.size(); ++c) {
    const ColumnSpec& spec = schema_.columns[c];
    const std::vector<std::string_view> candidates =
        options_.mapping != nullptr ? options_.mapping->CandidatesFor(schema_.type, spec.name)
                                    : std::vector<std::string_view>{spec.name};
    const std::string_view want = candidates.front();
    int found = -1;
    for (size_t i = 0; i < names.size(); ++i) {
      const bool matches =
          std::find(candidates.begin(), candidates.end(), names[i]) != candidates.end();
      if (!matches) continue;
      if (found >= 0 && names[i] == names[static_cast<size_t>(found)]) {
        return Error(ErrorCode::kSchema,
                     fmt::format("{}: header has column '{}' twice (columns {} and {})", path,
                                 names[i], found + 1, i + 1));
      }
      if (found >= 0) {
        return Error(ErrorCode::kSchema,
                     fmt::format("{}: header has two columns for {}.{}: '{}' (column {}) and "
                                 "'{}' (column {}); name the one to read with --map {}.{}=HEADER",
                                 path, schema_.name, spec.name, names[static_cast<size_t>(found)],
                                 found + 1, names[i], i + 1, schema_.name, spec.name));
      }
      found = static_cast<int>(i);
    }
    if (found < 0 && spec.required && candidates.size() > 1) {
      std::string tried;
      for (std::string_view n : candidates)
        tried += fmt::format("{}'{}'", tried.empty() ? "" : ", ", n);
      return Error(ErrorCode::kSchema,
                   fmt::format("{}: header has no column for {}.{}, which is required (tried "
                               "{} of preset {}; map the file's header with --map {}.{}=HEADER)",
                               path, schema_.name, spec.name, tried, options_.mapping->preset,
                               schema_.name, spec.name));
    }
    if (found < 0 && spec.required) {
      if (want != spec.name) {
        return Error(ErrorCode::kSchema,
                     fmt::format("{}: header has no column '{}' (mapped from {}.{}, which is "
                                 "required)",
                                 path, want, schema_.name, spec.name));
      }
      return Error(ErrorCode::kSchema,
                   fmt::format("{}: header has no column '{}' (required for {}; map an "
                               "operator's header with --map {}.{}=HEADER)",
                               path, spec.name, schema_.name, schema_.name, spec.name));
    }
    layout->field_of_column[c] = found;
    layout->present[c] = found >= 0;
  }
  // What a bad row may show of each header position: unknown columns may hold anything.
  layout->field_privacy.assign(names.size(), Privacy::kFreeText);
  for (size_t c = 0; c < schema_.columns.size(); ++c) {
    const int f = layout->field_of_column[c];
    if (f >= 0) {
      layout->field_privacy[static_cast<size_t>(f)] =
          schema_.columns[c].subscriber_number ? Privacy::kNumber : Privacy::kPlain;
    }
  }
  return Ok();
}

Status TableReader::ReadFile(uint32_t index, FileReport* report) {
  const InputFile& input = files_[index];
  const std::string label = input.name();  // messages name the file, or the workbook and sheet
  report->path = input.path;
  report->sheet = input.sheet;
  report->type = schema_.type;
  // A byte range from the file's start is read as the file is; one from inside it gets the
  // header (and the encoding) from the start, then reads its own bytes through a second source.
  const bool mid_file = input.end != 0 && input.begin > 0;
  auto source = ByteSource::Open(input.path, options_.digest && !mid_file, input.sheet);
  if (!source) return std::move(source).error();
  report->size_bytes = (*source)->size_bytes();
  if (input.end != 0 && !mid_file) TSQ_TRY((*source)->Restrict(0, input.end));

  FileLayout layout;
  layout.file_index = index;
  // A workbook's XML is UTF-8 whatever --encoding says of the text files.
  layout.encoding = IsXlsxPath(input.path) ? TextEncoding::kUtf8 : options_.encoding;
  if (layout.encoding == TextEncoding::kAuto) {
    layout.encoding = DetectEncoding((*source)->head(), (*source)->head_is_whole());
    report->encoding_detected = true;
  }
  report->encoding = layout.encoding;
  layout.format = IsJsonLinesPath(input.path) ? TextFormat::kJsonLines : TextFormat::kCsv;
  const size_t ncols = schema_.columns.size();
  layout.field_of_column.assign(ncols, -1);
  layout.present.assign(ncols, 1);
  RecordSplitter splitter(source->get(), layout.format, options_.chunk_bytes);
  if (layout.format == TextFormat::kCsv) {
    std::vector<std::string> names;
    uint64_t header_line = 0;
    auto has_header = splitter.ReadHeader(&names, &header_line);
    if (!has_header) return std::move(has_header).error();
    if (!*has_header) {
      return Error(ErrorCode::kSchema,
                   fmt::format("{}: empty file: no header line (a {} file needs the columns {})",
                               label, schema_.name, KnownColumns(schema_)));
    }
    if (layout.encoding != TextEncoding::kUtf8) {
      TextDecoder decoder(layout.encoding);
      for (std::string& name : names) {
        std::string utf8;
        decoder.Decode(name, &utf8);
        name = std::move(utf8);
      }
      // GB18030's byte-order mark (84 31 95 33, as Excel writes it) decodes to U+FEFF.
      if (!names.empty() && names[0].starts_with("\xEF\xBB\xBF")) names[0].erase(0, 3);
    }
    TSQ_TRY(BindHeader(label, names, &layout));
    layout.identity = names.size() == ncols;
    for (size_t c = 0; c < ncols; ++c) {
      layout.identity = layout.identity && layout.field_of_column[c] == static_cast<int>(c);
    }
    splitter.set_expected_fields(names.size());
  } else {
    for (const ColumnSpec& spec : schema_.columns) {
      layout.keys.emplace_back(options_.mapping != nullptr
                                   ? options_.mapping->HeaderFor(schema_.type, spec.name)
                                   : spec.name);
    }
  }

  std::unique_ptr<ByteSource> range_source;
  std::optional<RecordSplitter> range_splitter;
  if (mid_file) {
    auto opened = ByteSource::Open(input.path, false);
    if (!opened) return std::move(opened).error();
    range_source = std::move(*opened);
    TSQ_TRY(range_source->Restrict(input.begin, input.end));
    range_splitter.emplace(range_source.get(), layout.format, options_.chunk_bytes);
    range_splitter->set_expected_fields(layout.header_fields);
    range_splitter->StartMidFile(input.first_line);
  }
  ByteSource* text = mid_file ? range_source.get() : source->get();
  RecordSplitter* records = mid_file ? &*range_splitter : &splitter;

  report_ = report;
  flow_.StartFile();
  const std::string context = fmt::format("reading {}", label);
  FirstError failure;
  // Thread 0 reads (the caller's thread); threads 1..N are the workers. Nothing a thread throws
  // escapes it: workers catch per chunk (RunWorker) so every chunk completes, and a failure
  // aborts the flow so the reader stops and the workers drain.
  Status threads = RunThreads(
      static_cast<int>(workers_.size()) + 1,
      [&](int t) {
        if (t > 0) {
          RunWorker(t - 1, layout, context, &failure);
          return;
        }
        try {
          ReadChunks(label, text, records, &failure);
        } catch (...) {
          failure.Set(ErrorFromException(std::current_exception(), context));
          flow_.Abort();
        }
        flow_.Close();  // workers drain the queue, then return
      },
      context,
      [this] {
        flow_.Abort();
        flow_.Close();
      });
  if (!threads) return threads;
  if (std::exception_ptr e = flow_.delivery_error()) return ErrorFromException(e, context);
  if (failure.failed()) return failure.status();
  report->text_bytes = text->text_bytes();
  if (options_.digest && !mid_file) {
    auto digest = (*source)->FinishDigest();
    if (!digest) return std::move(digest).error();
    report->sha256 = std::move(*digest);
  }
  for (uint64_t n : report->quarantined_by_reason) report->rows_quarantined += n;
  report->rows_read = report->rows_accepted + report->rows_quarantined;
  if (options_.on_progress) options_.on_progress(label, report->size_bytes, report->size_bytes);
  return Ok();
}

void TableReader::ReadChunks(const std::string& path, ByteSource* source, RecordSplitter* splitter,
                             FirstError* failure) {
  using Clock = std::chrono::steady_clock;
  auto last_progress = Clock::now();
  while (!flow_.aborted()) {
    WorkChunk* chunk = flow_.TakeFree();
    chunk->ResetResults();
    auto more = splitter->Next(chunk);
    if (!more || !*more) {
      flow_.ReturnFree(chunk);
      if (!more) {
        failure->Set(std::move(more).error());
        flow_.Abort();
      }
      return;
    }
    flow_.Push(chunk);
    if (options_.on_progress && Clock::now() - last_progress > std::chrono::milliseconds(200)) {
      last_progress = Clock::now();
      options_.on_progress(path, source->consumed_bytes(), source->size_bytes());
    }
  }
}

// Decodes a GB18030/GBK chunk to UTF-8 in place (through the worker's buffer). Line breaks stay
// where they were, so line numbers hold; undecodable bytes become 0xFF (see TextDecoder).
void Decode(Worker* ws, TextEncoding encoding, WorkChunk* chunk) {
  if (!ws->decoder || ws->decoder_encoding != encoding) {
    ws->decoder = std::make_unique<TextDecoder>(encoding);
    ws->decoder_encoding = encoding;
  }
  ws->decoded.Reserve(TextDecoder::MaxDecodedSize(chunk->text.size()));
  size_t undecodable = 0;
  ws->decoded.Resize(ws->decoder->DecodeInto(chunk->text.view(), ws->decoded.data(), &undecodable));
  chunk->text.Swap(ws->decoded);
}

void TableReader::RunWorker(int w, const FileLayout& layout, const std::string& context,
                            FirstError* failure) {
  Worker* ws = workers_[w].get();
  ws->batch.file_index = layout.file_index;
  for (size_t c = 0; c < ws->batch.columns.size(); ++c) {
    ws->batch.columns[c].present = layout.present[c] != 0;
  }
  const auto fail = [&] {
    failure->Set(ErrorFromException(std::current_exception(), context));
    flow_.Abort();
  };
  while (WorkChunk* chunk = flow_.Pop()) {
    if (!flow_.aborted()) {
      try {
        if (layout.encoding != TextEncoding::kUtf8) Decode(ws, layout.encoding, chunk);
        if (layout.format == TextFormat::kCsv) {
          ProcessCsv(ws, w, layout, chunk);
        } else {
          ProcessJson(ws, w, layout, chunk);
        }
      } catch (...) {
        fail();
      }
    }
    flow_.Complete(chunk, [this](WorkChunk* done) { Deliver(done); });
  }
  try {
    if (ws->batch.rows > 0 && !flow_.aborted()) consumer_(w, ws->batch);
  } catch (...) {
    fail();
  }
  ws->batch.Clear();
}

void TableReader::ProcessCsv(Worker* ws, int w, const FileLayout& layout, WorkChunk* chunk) {
  const std::string_view text = chunk->text.view();
  // One validation of the whole chunk spares a per-record check: records split valid UTF-8 only
  // at ASCII bytes, so each is valid too.
  const bool utf8_ok = IsValidUtf8(text.data(), text.size());
  const size_t ncols = layout.field_of_column.size();
  const int* field_of_column = layout.field_of_column.data();
  std::string_view* values = ws->values.data();
  CsvTokenizer& tok = ws->csv;
  tok.Reset(text, chunk->first_line, layout.header_fields);
  ws->bind.stable = text;  // fields in the chunk (not unescaped copies) stay valid until its end
  CsvRecord rec;
  BindFailure failure;
  while (tok.Next(&rec)) {
    if (rec.bad_quoting) {
      Quarantine(layout, chunk, BadRowReason::kBadQuoting, -1, rec.line, rec.raw, {}, false);
      continue;
    }
    if (rec.fields.size() != layout.header_fields) {
      // The fields do not line up with the header: mask them by position and any long digit run.
      Quarantine(layout, chunk, BadRowReason::kColumnCount, -1, rec.line, rec.raw, rec.fields,
                 false);
      continue;
    }
    if (!utf8_ok && !IsValidUtf8(rec.raw.data(), rec.raw.size())) {
      Quarantine(layout, chunk, InvalidTextReason(layout), -1, rec.line, rec.raw, rec.fields, true);
      continue;
    }
    // Fields come trimmed of blanks, inside quotes too (indicators.md, Reading 2: " 联通 " reads
    // as 联通 and a quoted blank is missing, as in JSON Lines).
    const std::string_view* row = rec.fields.data();
    if (!layout.identity) {
      for (size_t c = 0; c < ncols; ++c) {
        const int f = field_of_column[c];
        values[c] = f >= 0 ? rec.fields[static_cast<size_t>(f)] : std::string_view();
      }
      row = values;
    }
    if (binder_.Bind(row, rec.line, &ws->batch, &ws->bind, &failure)) {
      Accept(ws, w, chunk);
    } else {
      Quarantine(layout, chunk, failure.reason, failure.column, rec.line, rec.raw, rec.fields,
                 true);
    }
  }
  binder_.ResolveIds(&ws->batch, &ws->bind);
  ws->bind.stable = std::string_view();
}

void TableReader::ProcessJson(Worker* ws, int w, const FileLayout& layout, WorkChunk* chunk) {
  const std::string_view text = chunk->text.view();
  const bool utf8_ok = IsValidUtf8(text.data(), text.size());
  const char* readable_end = text.data() + text.size() + kTextPadding;
  const size_t ncols = layout.keys.size();
  std::string_view* values = ws->values.data();
  std::vector<int>& seen = ws->json_seen;
  JsonLines lines;
  lines.Reset(text, chunk->first_line);
  std::string_view line;
  uint64_t number = 0;
  BindFailure failure;
  while (lines.Next(&line, &number)) {
    if (!utf8_ok && !IsValidUtf8(line.data(), line.size())) {
      QuarantineJson(layout, chunk, InvalidTextReason(layout), -1, number, line, {}, false);
      continue;
    }
    if (!ws->json.Parse(line, static_cast<size_t>(readable_end - line.data()))) {
      QuarantineJson(layout, chunk, BadRowReason::kBadJson, -1, number, line, {}, false);
      continue;
    }
    // seen[c]: 0 = absent, 1 = one scalar value, 2 = a problem (repeated key, object or array).
    seen.assign(ncols, 0);
    for (size_t c = 0; c < ncols; ++c) values[c] = std::string_view();
    for (const JsonMember& m : ws->json.members()) {
      size_t c = 0;
      while (c < ncols && layout.keys[c] != m.key) ++c;
      if (c == ncols) continue;  // unknown keys are ignored
      const bool structured = m.kind == JsonKind::kObject || m.kind == JsonKind::kArray;
      seen[c] = seen[c] != 0 || structured ? 2 : 1;
      values[c] = m.kind == JsonKind::kNull ? std::string_view() : TrimBlanks(m.value);
    }
    const auto problem = std::find(seen.begin(), seen.end(), 2);
    if (problem != seen.end()) {
      // A repeated key or a structured value: its contents are not one known value.
      QuarantineJson(layout, chunk, BadRowReason::kBadJson,
                     static_cast<int>(problem - seen.begin()), number, line, ws->json.members(),
                     false);
      continue;
    }
    if (binder_.Bind(values, number, &ws->batch, &ws->bind, &failure)) {
      Accept(ws, w, chunk);
    } else {
      QuarantineJson(layout, chunk, failure.reason, failure.column, number, line,
                     ws->json.members(), true);
    }
  }
}

}  // namespace

// ----------------------------------------------------------------------------------------------

const char* BadRowReasonName(BadRowReason reason) {
  return kReasonNames[static_cast<size_t>(reason)];
}

}  // namespace tsq

namespace tsq {

Status ColumnMapping::Add(std::string_view assignment) {
  const size_t eq = assignment.find('=');
  const size_t dot = assignment.substr(0, eq).find('.');
  if (eq == std::string_view::npos || dot == std::string_view::npos) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("mapping '{}': expected TYPE.COLUMN=HEADER, e.g. "
                             "calls.caller=CALLING_NBR",
                             assignment));
  }
  const std::string_view type_name = TrimBlanks(assignment.substr(0, dot));
  const std::string_view column = TrimBlanks(assignment.substr(dot + 1, eq - dot - 1));
  const std::string_view header = TrimBlanks(assignment.substr(eq + 1));
  const std::optional<RecordType> type = RecordTypeFromName(type_name);
  if (!type) {
    return Error(ErrorCode::kSchema,
                 fmt::format("mapping '{}': no record type '{}' (record types: {})", assignment,
                             type_name, KnownTypes()));
  }
  const RecordSchema& schema = SchemaOf(*type);
  if (ColumnIndex(schema, column) < 0) {
    return Error(ErrorCode::kSchema,
                 fmt::format("mapping '{}': {} has no column '{}' (columns: {})", assignment,
                             schema.name, column, KnownColumns(schema)));
  }
  if (header.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("mapping '{}': the header name is empty", assignment));
  }
  headers[fmt::format("{}.{}", schema.name, column)] = std::string(header);
  return Ok();
}

Status ColumnMapping::AddFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return Error(ErrorCode::kNotFound, fmt::format("{}: no such mapping file", path));
    }
    return Error(ErrorCode::kIo, fmt::format("{}: cannot read the mapping file", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  toml::table root;
  // The installed toml++ is built with exceptions; its parse error is caught here, at the edge,
  // and becomes an Error like any other.
  try {
    root = toml::parse(text.str(), path);
  } catch (const toml::parse_error& e) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}:{}:{}: {}", path, e.source().begin.line, e.source().begin.column,
                             e.description()));
  }
  for (const auto& [type_key, node] : root) {
    if (type_key.str() == "preset") continue;  // a preset's own description (tsq presets NAME)
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}: '{}' must be a table of one record type, e.g. [calls] with "
                               "caller = \"CALLING_NBR\"",
                               path, type_key.str()));
    }
    for (const auto& [column_key, value] : *table) {
      if (column_key.str() == "forms" && value.is_table()) {
        // [calls.forms] start_time = "slash": the forms of the type's values.
        for (const auto& [form_column, form] : *value.as_table()) {
          const std::optional<std::string_view> name = form.value<std::string_view>();
          Status s =
              name ? AddForm(fmt::format("{}.{}={}", type_key.str(), form_column.str(), *name))
                   : Error(ErrorCode::kInvalidArgument,
                           fmt::format("{}.forms.{} must be a string", type_key.str(),
                                       form_column.str()));
          if (!s) return Error(s.error().code, fmt::format("{}: {}", path, s.error().message));
        }
        continue;
      }
      if (const toml::array* names = value.as_array()) {
        // A list, as presets write it: the column may be read from any one of these headers.
        auto strings = StringsOf(*names);
        Status s = strings ? AddAlternatives(type_key.str(), column_key.str(), *strings)
                           : Error(ErrorCode::kInvalidArgument,
                                   fmt::format("{}.{} must be a list of header names (strings)",
                                               type_key.str(), column_key.str()));
        if (!s) return Error(s.error().code, fmt::format("{}: {}", path, s.error().message));
        continue;
      }
      const std::optional<std::string_view> header = value.value<std::string_view>();
      if (!header) {
        return Error(ErrorCode::kInvalidArgument,
                     fmt::format("{}: {}.{} must be a string (the operator's header name)", path,
                                 type_key.str(), column_key.str()));
      }
      Status s = Add(fmt::format("{}.{}={}", type_key.str(), column_key.str(), *header));
      if (!s) return Error(s.error().code, fmt::format("{}: {}", path, s.error().message));
    }
  }
  return Ok();
}

Status ColumnMapping::AddForm(std::string_view assignment) {
  const size_t dot = assignment.find('.');
  const size_t eq = assignment.find('=');
  if (dot == std::string_view::npos || eq == std::string_view::npos || dot > eq) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("form '{}': expected TYPE.COLUMN=FORM, e.g. calls.start_time=slash",
                             assignment));
  }
  const std::string_view type_name = TrimBlanks(assignment.substr(0, dot));
  const std::string_view column = TrimBlanks(assignment.substr(dot + 1, eq - dot - 1));
  const std::optional<RecordType> type = RecordTypeFromName(type_name);
  if (!type) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("form '{}': no record type '{}' (record types: {})", assignment,
                             type_name, KnownTypes()));
  }
  const RecordSchema& schema = SchemaOf(*type);
  const int c = ColumnIndex(schema, column);
  if (c < 0) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("form '{}': {} has no column '{}' (columns: {})", assignment,
                             schema.name, column, KnownColumns(schema)));
  }
  auto form = ParseValueForm(TrimBlanks(assignment.substr(eq + 1)));
  if (!form) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("form '{}': {}", assignment, form.error().message));
  }
  const ColumnType t = schema.columns[static_cast<size_t>(c)].type;
  const bool fits = *form == ValueForm::kContract ||
                    (IsTimeForm(*form) ? t == ColumnType::kTimestamp || t == ColumnType::kMonth
                                       : t == ColumnType::kNumber || t == ColumnType::kInt);
  if (!fits) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("form '{}': {}.{} is not a {} column", assignment, schema.name, column,
                             IsTimeForm(*form) ? "timestamp" : "number"));
  }
  forms[fmt::format("{}.{}", schema.name, column)] = *form;
  return Ok();
}

std::vector<ValueForm> ColumnMapping::FormsFor(RecordType type) const {
  const RecordSchema& schema = SchemaOf(type);
  std::vector<ValueForm> out(schema.columns.size(), ValueForm::kContract);
  for (size_t c = 0; c < schema.columns.size(); ++c) {
    auto it = forms.find(fmt::format("{}.{}", schema.name, schema.columns[c].name));
    if (it != forms.end()) out[c] = it->second;
  }
  return out;
}

Status ColumnMapping::AddAlternatives(std::string_view type_name, std::string_view column,
                                      const std::vector<std::string>& names) {
  const std::optional<RecordType> type = RecordTypeFromName(type_name);
  if (!type) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("[{}]: no record type '{}' (record types: {})", type_name, type_name,
                             KnownTypes()));
  }
  const RecordSchema& schema = SchemaOf(*type);
  if (ColumnIndex(schema, column) < 0) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}.{}: {} has no column '{}' (columns: {})", type_name, column,
                             schema.name, column, KnownColumns(schema)));
  }
  std::vector<std::string>& list = alternatives[fmt::format("{}.{}", schema.name, column)];
  for (const std::string& name : names) {
    if (name.empty()) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}.{}: a header name is empty", type_name, column));
    }
    list.push_back(name);
  }
  return Ok();
}

Status ColumnMapping::AddPreset(std::string_view name) {
  auto found = FindMappingPreset(name);
  if (!found) return std::move(found).error();
  const MappingPreset& p = **found;
  toml::table root;
  try {
    root = toml::parse((*found)->toml, std::string("preset ") + std::string(name));
  } catch (const toml::parse_error& e) {
    return Error(ErrorCode::kInternal,
                 fmt::format("preset {}:{}: {}", p.name, e.source().begin.line, e.description()));
  }
  for (const auto& [type_key, node] : root) {
    if (type_key.str() == "preset") continue;
    const std::optional<RecordType> type = RecordTypeFromName(type_key.str());
    const toml::table* table = node.as_table();
    if (!type || table == nullptr) {
      return Error(ErrorCode::kInternal,
                   fmt::format("preset {}: [{}] is no record type", p.name, type_key.str()));
    }
    for (const auto& [column_key, value] : *table) {
      if (ColumnIndex(SchemaOf(*type), column_key.str()) < 0 || !value.is_array()) {
        return Error(ErrorCode::kInternal, fmt::format("preset {}: {}.{} is no column's list",
                                                       p.name, type_key.str(), column_key.str()));
      }
      auto strings = StringsOf(*value.as_array());
      if (!strings) {
        return Error(ErrorCode::kInternal, fmt::format("preset {}: {}.{} holds a non-string",
                                                       p.name, type_key.str(), column_key.str()));
      }
      TSQ_TRY(AddAlternatives(type_key.str(), column_key.str(), *strings));
    }
  }
  preset = std::string(name);
  return Ok();
}

std::vector<std::string_view> ColumnMapping::CandidatesFor(RecordType type,
                                                           std::string_view column) const {
  const std::string key = fmt::format("{}.{}", SchemaOf(type).name, column);
  if (auto it = headers.find(key); it != headers.end()) return {it->second};
  std::vector<std::string_view> out = {column};
  if (auto it = alternatives.find(key); it != alternatives.end()) {
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
  return out;
}

std::string_view ColumnMapping::HeaderFor(RecordType type, std::string_view column) const {
  const auto it = headers.find(fmt::format("{}.{}", SchemaOf(type).name, column));
  return it == headers.end() ? column : std::string_view(it->second);
}

Result<DataSet> DiscoverDataSet(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(dir, ec);
  if (ec || !fs::exists(st)) {
    return Error(ErrorCode::kNotFound, fmt::format("{}: no such directory", dir));
  }
  if (!fs::is_directory(st)) {
    return Error(ErrorCode::kInvalidArgument, fmt::format("{}: not a directory", dir));
  }
  DataSet out;
  out.dir = dir;
  std::vector<std::string> workbooks;  // not named by a record type: read by their sheets' names
  fs::directory_iterator it(dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code file_ec;
    if (!it->is_regular_file(file_ec)) continue;  // directories and the like are not data
    const std::string name = it->path().filename().string();
    const std::string path = it->path().string();
    if (const std::optional<RecordType> type = RecordTypeOfFile(name)) {
      out.files[*type].push_back({path});
    } else if (IsXlsxPath(name) && !name.starts_with("~$")) {  // ~$: Excel's lock file
      workbooks.push_back(path);
    } else {
      out.ignored.push_back(path);
    }
  }
  if (ec) {
    return Error(ErrorCode::kIo,
                 fmt::format("{}: cannot list the directory: {}", dir, ec.message()));
  }
  std::sort(workbooks.begin(), workbooks.end());
  for (const std::string& path : workbooks) TSQ_TRY(AddWorkbookSheets(path, &out));
  for (auto& [type, inputs] : out.files) std::sort(inputs.begin(), inputs.end());
  std::sort(out.ignored.begin(), out.ignored.end());
  return out;
}

int WorkerCount(const ReadOptions& options) { return WorkerCount(options.threads); }

int WorkerCount(int threads) {
  if (threads > 0) return threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

Result<std::vector<FileReport>> ReadTable(
    RecordType type, const std::vector<InputFile>& files, StringDictionary* dict,
    const ReadOptions& options,
    const std::function<void(int worker, const Batch& batch)>& consumer) {
  assert(dict != nullptr);
  TableReader reader(type, files, dict, options, consumer);
  return reader.Run();
}

}  // namespace tsq
