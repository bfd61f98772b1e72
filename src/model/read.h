// Reading a data directory: which files hold which record type, and reading one record type's
// files as one table of typed batches. Bad rows are counted and quarantined, never thrown; fatal
// problems (missing file, missing required column, corrupt stream, binary file) are an Error.
//
// Threading: ReadTable() uses `threads` workers. The consumer is called concurrently from the
// workers, each call with the worker's index, so a consumer keeps one partial state per worker and
// merges them afterwards.
#pragma once

#include <array>
#include <atomic>
#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/string_dictionary.h"
#include "core/timestamp.h"
#include "core/value_forms.h"
#include "io/text_encoding.h"
#include "model/batch.h"
#include "model/schema.h"

namespace tsq {

/// Why a row was quarantined. The order is the order of the checks (data-contract "Details" 4).
enum class BadRowReason : uint8_t {
  kBadQuoting,       // a quote inside an unquoted field, text after a closing quote, unclosed quote
  kColumnCount,      // more or fewer fields than the header
  kInvalidUtf8,      // bytes that are not UTF-8
  kUndecodable,      // bytes the file's encoding (GB18030, GBK) cannot decode
  kBadJson,          // a JSON Lines line that is not one JSON object
  kMissingRequired,  // a required column is empty
  kBadTimestamp,     // a timestamp that does not parse
  kBadNumber,        // a number (or integer) that does not parse
  kBadBool,          // a boolean that is not 1/0, true/false, y/n
  kUnknownEnum,      // a value outside the column's vocabulary
  kEndBeforeStart,   // an end time before its start time
};
inline constexpr int kBadRowReasonCount = 11;

/// Stable snake_case name used in the quarantine file and JSON ("column_count").
const char* BadRowReasonName(BadRowReason reason);

/// One quarantined row.
struct BadRow {
  uint32_t file_index = 0;
  uint64_t line = 0;   // physical line where the record starts (header = line 1)
  std::string column;  // the offending contract column, empty for row-level reasons
  BadRowReason reason = BadRowReason::kColumnCount;
  /// The record's text as read (may span lines), with subscriber numbers masked unless
  /// ReadOptions::show_numbers (docs/data-contract.md, "Subscriber numbers").
  std::string raw;
};

/// Per contract column, the header name to look for instead of the contract name.
/// Key: "calls.caller" (record type + '.' + contract column); value: the operator's header.
/// A preset adds headers a column may also be read from (CSV); an explicit mapping wins.
struct ColumnMapping {
  std::map<std::string, std::string, std::less<>> headers;
  std::map<std::string, std::vector<std::string>, std::less<>> alternatives;  // from a preset
  std::string preset;  // its name, for messages
  /// Columns whose values take another form than the contract's ("calls.start_time" -> slash).
  std::map<std::string, ValueForm, std::less<>> forms;

  /// Parses "calls.caller=CALLING_NBR"; checks the record type and column exist.
  Status Add(std::string_view assignment);
  /// Reads a mapping file: TOML with one table per record type (`[calls]` `caller =
  /// "CALLING_NBR"`).
  Status AddFile(const std::string& path);
  /// Parses "calls.start_time=slash": the column's values take that form (core/value_forms.h);
  /// time forms only for timestamp columns, thousands only for numbers.
  Status AddForm(std::string_view assignment);
  /// Per column of `type`, its form (kContract unless set).
  std::vector<ValueForm> FormsFor(RecordType type) const;
  /// Adds headers column `type`.`column` may also be read from (a list in a mapping file or a
  /// preset); checks the record type and column.
  Status AddAlternatives(std::string_view type, std::string_view column,
                         const std::vector<std::string>& names);
  /// Adds the preset called `name` (model/presets.h).
  Status AddPreset(std::string_view name);
  /// The header to look for for `column` of `type` (JSON Lines keys; CSV without a preset).
  std::string_view HeaderFor(RecordType type, std::string_view column) const;
  /// Every header a CSV column may be read from, the one to prefer first: the explicit mapping
  /// alone when there is one, else the contract name and the preset's headers.
  std::vector<std::string_view> CandidatesFor(RecordType type, std::string_view column) const;
};

/// One input of a record type: a file, or one sheet of a workbook that holds several record types
/// (data-contract "Details" 1).
struct InputFile {
  std::string path;
  std::string sheet;  // the workbook's sheet to read; empty: the file (a workbook's first sheet)
  /// A plain file the ranks of a cluster share (app/cluster_read.h): only its bytes [begin, end)
  /// are read, whole records whose first is on physical line `first_line`; the header is read
  /// from the file's start. end == 0: the whole file.
  uint64_t begin = 0;
  uint64_t end = 0;
  uint64_t first_line = 1;

  /// How people see the input named: its path, "data/province.xlsx[calls]" for a sheet.
  std::string name() const;
  auto operator<=>(const InputFile&) const = default;
};

/// One input and its accounting after a read.
struct FileReport {
  std::string path;
  std::string sheet;  // as InputFile::sheet
  RecordType type = RecordType::kCalls;
  uint64_t size_bytes = 0;  // on disk
  uint64_t text_bytes = 0;  // after decompression
  std::string sha256;       // of the file on disk, with ReadOptions::digest; else empty
  TextEncoding encoding = TextEncoding::kUtf8;  // what the file was read as
  bool encoding_detected = false;               // chosen by --encoding auto
  uint64_t rows_read = 0;                       // = rows_accepted + rows_quarantined
  uint64_t rows_accepted = 0;
  uint64_t rows_quarantined = 0;
  std::array<uint64_t, kBadRowReasonCount> quarantined_by_reason{};

  /// As InputFile::name.
  std::string name() const;
};

/// The inputs of a data directory, per record type (data-contract "Details" 1).
struct DataSet {
  std::string dir;
  std::map<RecordType, std::vector<InputFile>> files;  // per type, sorted by path, then sheet
  std::vector<std::string> ignored;                    // files that match no record type
  /// What the user should hear of though the read goes on: a workbook's sheets that are named by
  /// no record type and so are not read.
  std::vector<std::string> warnings;
};

/// Lists `dir`: `<type>.csv`, `<type>-*.csv`, `.jsonl`/`.ndjson`, each optionally `.gz`/`.zst`,
/// `<type>.xlsx` (its first sheet), and the sheets named by a record type of any other workbook
/// (`province.xlsx`). A workbook with no such sheet is ignored with a warning, or is an error
/// naming it when one of its sheets is close to a record type's name (`call`).
Result<DataSet> DiscoverDataSet(const std::string& dir);

/// The record type a file of that name holds ("calls-0003.csv.gz" -> calls), or nullopt for a
/// name that is no record type's file: the one naming rule, for readers and writers of data sets.
std::optional<RecordType> RecordTypeOfFile(std::string_view file_name);

/// The record type a workbook's sheet of that name holds: its name without surrounding blanks,
/// in any case (" Calls " -> calls), or nullopt.
std::optional<RecordType> RecordTypeOfSheet(std::string_view sheet_name);

struct ReadOptions {
  int threads = 0;                // 0 = all hardware threads
  size_t chunk_bytes = 4u << 20;  // text handed to a worker at a time
  size_t batch_rows = 4096;       // rows per Batch given to the consumer
  int32_t local_offset_s = kChinaOffsetSeconds;
  const ColumnMapping* mapping = nullptr;  // optional
  /// The files' text encoding; kAuto decides per file from its first bytes (DetectEncoding).
  TextEncoding encoding = TextEncoding::kUtf8;
  /// Bit c: contract column c, if text or dictionary, is checked (a required one must be there)
  /// but not kept in the batches, since no one reads it. Saves copying and interning.
  uint32_t unkept_columns = 0;
  /// Also compute each file's SHA-256 while reading it (FileReport::sha256).
  bool digest = false;
  /// Leave subscriber numbers unmasked in BadRow::raw (the user asked with --show-numbers).
  bool show_numbers = false;
  /// Called (from any thread, in file/line order) with every quarantined row. Optional.
  std::function<void(const BadRow&)> on_bad_row;
  /// Called now and then with bytes consumed so far of the current input (on-disk bytes), which
  /// `name` names (InputFile::name). Optional.
  std::function<void(const std::string& name, uint64_t done, uint64_t total)> on_progress;
};

/// Reads every input of one record type as one table. `consumer(worker, batch)` sees each batch of
/// accepted rows once. `dict` interns the kDict columns. On success returns one FileReport per
/// input, in the order given; on a fatal problem returns an Error naming the input (and column).
Result<std::vector<FileReport>> ReadTable(
    RecordType type, const std::vector<InputFile>& files, StringDictionary* dict,
    const ReadOptions& options,
    const std::function<void(int worker, const Batch& batch)>& consumer);

/// The number of workers ReadTable uses for `options`.
int WorkerCount(const ReadOptions& options);
/// The same for a thread count as the options give it (0: every core).
int WorkerCount(int threads);

}  // namespace tsq
