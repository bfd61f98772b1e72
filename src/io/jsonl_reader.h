// JSON Lines: iterating the lines of a chunk and parsing one line as exactly one JSON object whose
// members the model layer matches to contract columns. Numbers keep their JSON text exactly as
// written (a phone number 13800000000 stays "13800000000").
// Not thread-safe: one parser per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace tsq {

enum class JsonKind : uint8_t { kString, kNumber, kBool, kNull, kObject, kArray };

/// One member of a parsed object. `value`: unescaped string text; a number's JSON text; "true" or
/// "false"; empty for null, objects and arrays.
struct JsonMember {
  std::string_view key;
  std::string_view value;
  JsonKind kind = JsonKind::kString;
};

class JsonlParser {
 public:
  JsonlParser();
  ~JsonlParser();
  JsonlParser(const JsonlParser&) = delete;
  JsonlParser& operator=(const JsonlParser&) = delete;

  /// Parses `line` as exactly one valid JSON object (surrounding whitespace allowed). `readable`:
  /// bytes readable from line.data(), at least line.size() + kTextPadding (io/text_scan.h).
  /// Returns false for anything else. Members stay valid until the next call.
  bool Parse(std::string_view line, size_t readable);
  std::span<const JsonMember> members() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The non-blank lines of a run of JSON Lines text with their physical line numbers.
class JsonLines {
 public:
  void Reset(std::string_view text, uint64_t first_line) {
    text_ = text;
    pos_ = 0;
    line_ = first_line;
  }
  /// The next line that holds more than blanks (a trailing '\r' is kept: JSON whitespace).
  bool Next(std::string_view* line, uint64_t* number);

 private:
  std::string_view text_;
  size_t pos_ = 0;
  uint64_t line_ = 1;
};

/// True when `text` is a JSON number (RFC 8259 grammar).
bool IsJsonNumber(std::string_view text);

}  // namespace tsq
