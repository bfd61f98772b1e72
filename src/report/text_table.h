// TextTable: aligned plain-text tables for the terminal. Widths are display columns, so Chinese
// text (two columns per character) lines up with ASCII.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tsq {

/// Display width of UTF-8 text in terminal columns (East Asian wide characters count 2).
size_t DisplayWidth(std::string_view utf8);

class TextTable {
 public:
  enum class Align { kLeft, kRight };

  /// Sets the header row and each column's alignment (default: left).
  void SetHeader(std::vector<std::string> header, std::vector<Align> align = {});
  void AddRow(std::vector<std::string> row);
  /// A full-width line of text between rows (e.g. a section title or a note).
  void AddNote(std::string text);
  std::string Render() const;

 private:
  struct Row {
    std::vector<std::string> cells;
    bool note = false;
  };
  std::vector<std::string> header_;
  std::vector<Align> align_;
  std::vector<Row> rows_;
};

/// "1,234,567": thousands separators for counts.
std::string GroupThousands(uint64_t n);

}  // namespace tsq
