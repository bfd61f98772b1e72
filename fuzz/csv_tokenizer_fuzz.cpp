// Fuzzes the CSV tokenizer, the chunking rule and ReadTable over CSV. Input: byte 0 picks the
// header's column count (0 = any) and whether ReadTable runs, byte 1 the splitter's window; the
// rest is the text.
// Invariants:
//  - the SIMD path and the scalar reference tokenize every input identically;
//  - every byte is accounted for: records come in order, each within the text, the tokenizer
//    ends at the end of the text on line 1 + (line breaks);
//  - cutting the text where the splitter would, and tokenizing the pieces, gives the records of
//    the whole text (so chunk boundaries never change a result);
//  - ReadTable: rows read = accepted + quarantined, bad rows in line order, and the same outcome
//    with tiny chunks on three threads as with one big chunk on one thread.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "io/csv_tokenizer.h"
#include "io/record_splitter.h"
#include "io/text_scan.h"

namespace {

using tsq::CsvRecord;
using tsq::CsvTokenizer;

struct Rec {
  uint64_t line;
  size_t offset;  // of raw in the text
  std::string raw;
  bool bad;
  std::vector<std::string> fields;
  bool operator==(const Rec&) const = default;
};

std::vector<Rec> Tokenize(std::string_view text, size_t base_offset, uint64_t first_line,
                          size_t expected, bool scalar, uint64_t* end_line) {
  CsvTokenizer tok;
  tok.set_scalar_only(scalar);
  tok.Reset(text, first_line, expected);
  std::vector<Rec> out;
  CsvRecord r;
  size_t last_end = 0;
  while (tok.Next(&r)) {
    const size_t offset = static_cast<size_t>(r.raw.data() - text.data());
    FUZZ_CHECK(offset >= last_end && offset + r.raw.size() <= text.size());
    FUZZ_CHECK(tok.position() >= offset + r.raw.size() && tok.position() <= text.size());
    FUZZ_CHECK(!r.bad_quoting || r.fields.empty());
    FUZZ_CHECK(r.bad_quoting || !r.fields.empty());
    FUZZ_CHECK(r.raw.find('\n') == std::string_view::npos || !r.bad_quoting);
    last_end = tok.position();
    Rec rec{r.line, base_offset + offset, std::string(r.raw), r.bad_quoting, {}};
    for (std::string_view f : r.fields) rec.fields.emplace_back(f);
    out.push_back(std::move(rec));
  }
  FUZZ_CHECK(tok.position() == text.size());
  FUZZ_CHECK(tok.line() == first_line + tsq::CountNewlines(text.data(), text.size()));
  *end_line = tok.line();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t expected = data[0] % 8;
  const size_t window = 1 + data[1] % 64;
  const std::string text(reinterpret_cast<const char*>(data) + 2, size - 2);

  uint64_t end_line = 0;
  const std::vector<Rec> whole = Tokenize(text, 0, 1, expected, false, &end_line);
  FUZZ_CHECK(whole == Tokenize(text, 0, 1, expected, true, &end_line));
  for (size_t i = 1; i < whole.size(); ++i) FUZZ_CHECK(whole[i].line > whole[i - 1].line);

  // Chunk the text as the splitter does: a window that grows until it holds a whole record.
  std::vector<Rec> chunked;
  size_t pos = 0;
  uint64_t line = 1;
  while (pos < text.size()) {
    size_t len = std::min(window, text.size() - pos);
    size_t cut = 0;
    uint64_t newlines = tsq::kUncounted;
    for (;;) {
      if (pos + len >= text.size()) {
        cut = text.size() - pos;
        newlines = tsq::kUncounted;
        break;
      }
      cut = tsq::FindRecordCut(text.data() + pos, len, tsq::TextFormat::kCsv, expected, &newlines);
      if (cut > 0) break;
      len = std::min(len * 2, text.size() - pos);
    }
    const std::string_view piece(text.data() + pos, cut);
    const uint64_t counted = tsq::CountNewlines(piece.data(), piece.size());
    FUZZ_CHECK(newlines == tsq::kUncounted || newlines == counted);
    std::vector<Rec> recs = Tokenize(piece, pos, line, expected, false, &end_line);
    chunked.insert(chunked.end(), recs.begin(), recs.end());
    line += counted;
    pos += cut;
  }
  FUZZ_CHECK(chunked == whole);

  // The whole reader, under a header of the required calls columns: for a quarter of the inputs,
  // as it costs far more than the checks above.
  if (expected != 0 && (data[0] & 0x18) == 0x18) {
    const std::string file = "start_time,caller,callee,operator,region,outcome\n" + text;
    const tsq::fuzz::ReadOutcome big =
        tsq::fuzz::ReadBytes(tsq::RecordType::kCalls, "calls.csv", file, 1, 1 << 20);
    const tsq::fuzz::ReadOutcome tiny =
        tsq::fuzz::ReadBytes(tsq::RecordType::kCalls, "calls.csv", file, 3, window);
    FUZZ_CHECK(big == tiny);
    uint64_t last = 0;
    for (const std::string& b : big.bad) {
      const uint64_t l = std::stoull(b);
      FUZZ_CHECK(l > last);
      last = l;
    }
  }
  return 0;
}
