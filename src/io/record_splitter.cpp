#include "io/record_splitter.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "io/csv_tokenizer.h"
#include "io/text_scan.h"

namespace tsq {
namespace {

const char* LastNewline(const char* p, size_t n) {
  return static_cast<const char*>(::memrchr(p, '\n', n));
}

// Masks of '"' and '\n' over the n <= 64 bytes at p.
void QuoteAndLineMasks(const char* p, size_t n, uint64_t* quotes, uint64_t* lines) {
  char tail[64];
  if (n < 64) {
    std::memset(tail, 0, sizeof(tail));
    std::memcpy(tail, p, n);
    p = tail;
  }
  uint64_t q = 0;
  uint64_t l = 0;
#if defined(__SSE2__)
  for (int i = 0; i < 4; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    q |= static_cast<uint64_t>(
             static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')))))
         << (16 * i);
    l |= static_cast<uint64_t>(
             static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')))))
         << (16 * i);
  }
#else
  for (int i = 0; i < 64; ++i) {
    q |= static_cast<uint64_t>(p[i] == '"') << i;
    l |= static_cast<uint64_t>(p[i] == '\n') << i;
  }
#endif
  *quotes = q;
  *lines = l;
}

bool IsBlankLine(const char* p, size_t n) {
  if (n > 0 && p[n - 1] == '\r') --n;
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != ' ' && p[i] != '\t') return false;
  }
  return true;
}

}  // namespace

void TextBuffer::Reserve(size_t cap) {
  if (cap <= capacity_) return;
  std::unique_ptr<char[]> bigger(new char[cap + kTextPadding]);
  if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
  // Padding is read by block loads but never decides anything; zero it to keep tools quiet.
  std::memset(bigger.get() + cap, 0, kTextPadding);
  data_ = std::move(bigger);
  capacity_ = cap;
}

void TextBuffer::Assign(std::string_view bytes) {
  Reserve(bytes.size());
  if (!bytes.empty()) std::memmove(data_.get(), bytes.data(), bytes.size());
  size_ = bytes.size();
}

RecordSplitter::RecordSplitter(ByteSource* source, TextFormat format, size_t chunk_bytes)
    : source_(source), format_(format), chunk_bytes_(std::max<size_t>(chunk_bytes, 1)) {}

Status RecordSplitter::Fill(TextBuffer* buf, size_t target) {
  if (buf->size() >= target || eof_) return Ok();
  buf->Reserve(target);
  while (buf->size() < target && !eof_) {
    auto n = source_->Read(buf->data() + buf->size(), target - buf->size());
    if (!n) return std::move(n).error();
    if (*n == 0) {
      eof_ = true;
    } else {
      buf->Resize(buf->size() + *n);
    }
  }
  return Ok();
}

Status RecordSplitter::SkipBom(TextBuffer* buf) {
  if (bom_checked_) return Ok();
  TSQ_TRY(Fill(buf, 3));
  bom_checked_ = true;
  if (buf->size() >= 3 && std::memcmp(buf->data(), "\xEF\xBB\xBF", 3) == 0) {
    buf->Assign(buf->view().substr(3));
  }
  return Ok();
}

Error RecordSplitter::TooLong(uint64_t line) const {
  return Error(ErrorCode::kCorrupt,
               fmt::format("{}: line {} is longer than {} MiB: not a CSV or JSON Lines file",
                           source_->name(), line, kMaxRecordBytes >> 20));
}

size_t FindRecordCut(const char* t, size_t n, TextFormat format, size_t expected_fields,
                     uint64_t* newlines) {
  *newlines = kUncounted;
  const LineStats stats = ScanLines(t, n);
  if (format == TextFormat::kJsonLines || !stats.has_quote) {
    // No quote: every line break ends a record, and all of them lie before the cut.
    const char* nl = LastNewline(t, n);
    *newlines = stats.newlines;
    return nl == nullptr ? 0 : static_cast<size_t>(nl - t) + 1;
  }
  // Quotes. Walk from the start (a record boundary) line by line: a line that starts a record and
  // holds an even number of quotes ends it. (A well-formed record whose quoted field spans the
  // line break has an odd count on its first line: its closed quoted fields hold two quotes plus
  // doubled pairs each, the open one one plus pairs, unquoted fields none. Any other record ends
  // at its first line break, being either complete or bad quoting.) So only lines with an odd
  // count need the exact scanner; the parity of every line comes from 64-byte quote masks.
  size_t pos = 0;
  size_t cut = 0;
  while (pos < n) {
    size_t odd_line = n;  // start of the first line with an odd quote count, if any
    uint64_t parity = 0;  // of the quotes since pos, before the current block
    for (size_t block = pos; block < n; block += 64) {
      uint64_t quotes = 0;
      uint64_t lines = 0;
      QuoteAndLineMasks(t + block, std::min<size_t>(64, n - block), &quotes, &lines);
      // Bit i of `odd`: an odd number of quotes in [pos, block + i].
      uint64_t odd = quotes;
      for (int shift = 1; shift < 64; shift *= 2) odd ^= odd << shift;
      odd ^= 0 - parity;
      const uint64_t even_breaks = lines & ~odd;
      const uint64_t odd_breaks = lines & odd;
      const uint64_t before = odd_breaks != 0 ? (odd_breaks & (0 - odd_breaks)) - 1 : ~uint64_t{0};
      if ((even_breaks & before) != 0) {
        cut = block + 64 - static_cast<size_t>(__builtin_clzll(even_breaks & before));
      }
      if (odd_breaks != 0) {
        odd_line = std::max(cut, pos);
        break;
      }
      parity = odd >> 63;
    }
    if (odd_line == n) return cut;
    const CsvExtent ext = ScanCsvRecord(t, n, odd_line, /*at_end=*/false, expected_fields);
    if (ext.status == CsvScan::kNeedMore) return cut;
    pos = cut = ext.next;
  }
  return cut;
}

Result<bool> RecordSplitter::ReadHeader(std::vector<std::string>* names, uint64_t* line) {
  names->clear();
  TSQ_TRY(SkipBom(&carry_));
  size_t target = chunk_bytes_;
  size_t start = 0;
  uint64_t blank_lines = 0;
  for (;;) {
    TSQ_TRY(Fill(&carry_, target));
    const char* t = carry_.data();
    const size_t n = carry_.size();
    // Blank lines before the header are skipped (and counted).
    bool need_more = false;
    while (start < n) {
      const auto* nl = static_cast<const char*>(std::memchr(t + start, '\n', n - start));
      const size_t end = nl == nullptr ? n : static_cast<size_t>(nl - t);
      if (nl == nullptr && !eof_) {
        need_more = true;
        break;
      }
      if (!IsBlankLine(t + start, end - start)) break;
      start = nl == nullptr ? n : end + 1;
      blank_lines += nl != nullptr;
    }
    if (!need_more && start >= n && eof_) {
      carry_.Clear();
      done_ = true;
      return false;
    }
    if (!need_more && start < n) {
      const CsvExtent ext = ScanCsvRecord(t, n, start, eof_, 0);
      if (ext.status == CsvScan::kBadQuoting) {
        return Error(ErrorCode::kSchema, fmt::format("{}: line {}: bad quoting in the header",
                                                     source_->name(), line_ + blank_lines));
      }
      if (ext.status == CsvScan::kRecord) {
        CsvTokenizer tokenizer;
        tokenizer.Reset(std::string_view(t + start, ext.next - start), line_ + blank_lines, 0);
        CsvRecord record;
        if (tokenizer.Next(&record)) {
          for (std::string_view f : record.fields) names->emplace_back(f);
        }
        *line = line_ + blank_lines;
        line_ += blank_lines + ext.newlines;
        carry_.Assign(carry_.view().substr(ext.next));
        return true;
      }
    }
    if (n - start > kMaxRecordBytes) return TooLong(line_ + blank_lines);
    target = std::min(std::max(target, n) * 2, start + kMaxRecordBytes + 1);
  }
}

Result<bool> RecordSplitter::Next(Chunk* chunk) {
  if (done_) return false;
  TextBuffer& buf = chunk->text;
  buf.Reserve(chunk_bytes_);
  buf.Assign(carry_.view());
  carry_.Clear();
  TSQ_TRY(SkipBom(&buf));
  size_t target = chunk_bytes_;
  size_t cut = 0;
  uint64_t newlines = kUncounted;
  for (;;) {
    TSQ_TRY(Fill(&buf, target));
    newlines = kUncounted;
    cut = eof_ ? buf.size()
               : FindRecordCut(buf.data(), buf.size(), format_, expected_fields_, &newlines);
    if (cut > 0 || eof_) break;
    if (buf.size() > kMaxRecordBytes) return TooLong(line_);
    target = std::min(std::max(target, buf.size()) * 2, kMaxRecordBytes + 1);
  }
  carry_.Assign(buf.view().substr(cut));
  buf.Resize(cut);
  if (cut == 0) {
    done_ = true;
    return false;
  }
  chunk->seq = seq_++;
  chunk->first_line = line_;
  chunk->last = eof_ && carry_.size() == 0;
  line_ += newlines != kUncounted ? newlines : CountNewlines(buf.data(), cut);
  if (chunk->last) done_ = true;
  return true;
}

}  // namespace tsq
