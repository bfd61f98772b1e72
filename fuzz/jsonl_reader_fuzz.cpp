// Fuzzes JSON Lines: line iteration, the one-object-per-line parser and ReadTable over JSON Lines.
// Input: byte 0 picks the chunk size; the rest is the text. Invariants:
//  - lines are visited in order, each within the text, and every non-blank line is visited;
//  - any line that simdjson's full DOM parser accepts as one object, the reader accepts too, with
//    the same number of members; a line the reader accepts never has members outside it;
//  - ReadTable: rows read = accepted + quarantined, bad rows in line order, and the same outcome
//    with tiny chunks on three threads as with one big chunk on one thread.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "fuzz_util.h"
#include "io/jsonl_reader.h"
#include "io/text_scan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t chunk = 1 + data[0] % 128;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);

  tsq::JsonLines lines;
  lines.Reset(text, 1);
  std::string_view line;
  uint64_t number = 0;
  uint64_t last = 0;
  uint64_t non_blank = 0;
  tsq::JsonlParser parser;
  simdjson::dom::parser dom;
  while (lines.Next(&line, &number)) {
    FUZZ_CHECK(number > last);
    last = number;
    ++non_blank;
    const size_t offset = static_cast<size_t>(line.data() - text.data());
    FUZZ_CHECK(offset + line.size() <= text.size());
    FUZZ_CHECK(line.find('\n') == std::string_view::npos);
    FUZZ_CHECK(number == 1 + tsq::CountNewlines(text.data(), offset));
    std::string padded(line);
    padded.append(tsq::kTextPadding, '\0');
    const bool ours = parser.Parse(std::string_view(padded.data(), line.size()), padded.size());
    if (ours) {
      for (const tsq::JsonMember& m : parser.members()) {
        FUZZ_CHECK(m.kind == tsq::JsonKind::kString || m.kind == tsq::JsonKind::kNull ||
                   !m.value.empty() || m.kind == tsq::JsonKind::kObject ||
                   m.kind == tsq::JsonKind::kArray);
        if (m.kind == tsq::JsonKind::kNumber) FUZZ_CHECK(tsq::IsJsonNumber(m.value));
      }
    }
    simdjson::dom::element doc;
    if (!dom.parse(padded.data(), line.size(), false).get(doc) && doc.is_object()) {
      FUZZ_CHECK(ours);
      FUZZ_CHECK(simdjson::dom::object(doc).size() == parser.members().size());
    }
  }
  size_t blank_or_not = 0;
  for (size_t start = 0; start <= text.size();) {
    const size_t nl = text.find('\n', start);
    const std::string_view l =
        std::string_view(text).substr(start, (nl == std::string::npos ? text.size() : nl) - start);
    if (l.find_first_not_of(" \t\r") != std::string_view::npos) ++blank_or_not;
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  FUZZ_CHECK(blank_or_not == non_blank);

  const tsq::fuzz::ReadOutcome big =
      tsq::fuzz::ReadBytes(tsq::RecordType::kHotline, "hotline.jsonl", text, 1, 1 << 20);
  const tsq::fuzz::ReadOutcome tiny =
      tsq::fuzz::ReadBytes(tsq::RecordType::kHotline, "hotline.jsonl", text, 3, chunk);
  FUZZ_CHECK(big == tiny);
  if (big.ok) FUZZ_CHECK(big.rows_read == non_blank);
  return 0;
}
