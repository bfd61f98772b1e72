#include "report/text_table.h"

#include <algorithm>

namespace tsq {
namespace {

// Decodes one UTF-8 code point at s[i], advancing i; invalid bytes count as one narrow character.
uint32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto c = static_cast<unsigned char>(s[*i]);
  int len = 1;
  uint32_t cp = c;
  if (c >= 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else if (c >= 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xC0) {
    len = 2;
    cp = c & 0x1F;
  }
  if (*i + len > s.size()) {
    ++*i;
    return c;
  }
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  *i += len;
  return cp;
}

bool IsWide(uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

void Pad(std::string* out, std::string_view cell, size_t width, TextTable::Align align) {
  const size_t w = DisplayWidth(cell);
  const size_t pad = width > w ? width - w : 0;
  if (align == TextTable::Align::kRight) out->append(pad, ' ');
  out->append(cell);
  if (align == TextTable::Align::kLeft) out->append(pad, ' ');
}

}  // namespace

size_t DisplayWidth(std::string_view s) {
  size_t width = 0;
  size_t i = 0;
  while (i < s.size()) {
    const uint32_t cp = NextCodePoint(s, &i);
    width += IsWide(cp) ? 2 : 1;
  }
  return width;
}

void TextTable::SetHeader(std::vector<std::string> header, std::vector<Align> align) {
  header_ = std::move(header);
  align_ = std::move(align);
  align_.resize(header_.size(), Align::kLeft);
}

void TextTable::AddRow(std::vector<std::string> row) { rows_.push_back({std::move(row), false}); }

void TextTable::AddNote(std::string text) { rows_.push_back({{std::move(text)}, true}); }

std::string TextTable::Render() const {
  std::vector<size_t> widths(header_.size(), 0);
  for (size_t c = 0; c < header_.size(); ++c) widths[c] = DisplayWidth(header_[c]);
  for (const Row& row : rows_) {
    if (row.note) continue;
    for (size_t c = 0; c < row.cells.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row.cells[c]));
    }
  }
  std::string out;
  const auto emit = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < widths.size(); ++c) {
      if (c > 0) line += "  ";
      Pad(&line, c < cells.size() ? cells[c] : "", widths[c], align_[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
  };
  emit(header_);
  size_t total = 0;
  for (size_t w : widths) total += w + 2;
  std::string rule;
  for (size_t k = 0; k + 2 < total; ++k) rule += "─";
  out += rule + '\n';
  for (const Row& row : rows_) {
    if (row.note) {
      out += row.cells[0] + '\n';
    } else {
      emit(row.cells);
    }
  }
  return out;
}

std::string GroupThousands(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace tsq
