// Helpers for writing RFC 4180 CSV: fields are quoted only when they must be.
#pragma once

#include <string>
#include <string_view>

namespace tsq {

/// Appends `field` to `out`, quoted (with doubled quotes) if it holds a comma, quote, CR or LF, or
/// starts or ends with a blank (readers trim unquoted blanks).
inline void AppendCsvField(std::string* out, std::string_view field) {
  bool quote = !field.empty() && (field.front() == ' ' || field.back() == ' ');
  for (char c : field) {
    if (c == ',' || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace tsq
