#include "io/csv_tokenizer.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "io/text_scan.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tsq {
namespace {

inline bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Over the 64 bytes at p (all readable): `structural` has bit i set when p[i] is ',', '\n' or
// '"'; `special` when it is '\n' or '"', the rarer two, so that a comma is told apart by a bit
// test instead of a load.
inline void ScanBlock(const char* p, uint64_t* structural, uint64_t* special) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i nl = _mm_set1_epi8('\n');
  const __m128i quote = _mm_set1_epi8('"');
  uint64_t all = 0;
  uint64_t rare = 0;
  for (int i = 0; i < 4; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    const __m128i r = _mm_or_si128(_mm_cmpeq_epi8(v, nl), _mm_cmpeq_epi8(v, quote));
    const __m128i a = _mm_or_si128(r, _mm_cmpeq_epi8(v, comma));
    all |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(a))) << (16 * i);
    rare |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(r))) << (16 * i);
  }
  *structural = all;
  *special = rare;
#else
  uint64_t all = 0;
  uint64_t rare = 0;
  for (int i = 0; i < 64; ++i) {
    const char c = p[i];
    rare |= static_cast<uint64_t>(c == '\n' || c == '"') << i;
    all |= static_cast<uint64_t>(c == ',' || c == '\n' || c == '"') << i;
  }
  *structural = all;
  *special = rare;
#endif
}

// 1 for the blanks values are trimmed of (space, tab).
constexpr auto kBlank = [] {
  std::array<uint8_t, 256> t{};
  t[' '] = t['\t'] = 1;
  return t;
}();

// Trims blanks off both ends; most values have none, which one test settles.
inline std::string_view Trim(const char* b, const char* e) {
  // Blanks are at most 0x20, as are few other bytes: one comparison of the smaller end decides.
  if (b < e && std::min(static_cast<uint8_t>(*b), static_cast<uint8_t>(e[-1])) <= 0x20) {
    while (b < e && IsBlank(*b)) ++b;
    while (e > b && IsBlank(e[-1])) --e;
  }
  return std::string_view(b, static_cast<size_t>(e - b));
}

// Discards fields: the splitter only needs extents.
struct NullSink {
  void Begin() {}
  void Add(const char*, size_t) {}
  void AddQuoted(const char*, size_t) {}
  void AddEscaped(const char*, size_t) {}
  void Finish() {}
  void Drop() {}
};

// Collects fields into the tokenizer's vectors. Unescaped text goes to `scratch`, which may
// reallocate while a record grows, so those fields are patched in when the record is complete.
struct CollectSink {
  std::vector<std::string_view>* fields;
  std::string* scratch;
  std::vector<std::pair<size_t, size_t>>* patches;  // (field index, scratch offset)

  void Begin() {
    fields->clear();
    scratch->clear();
    patches->clear();
  }
  void Add(const char* p, size_t n) { fields->emplace_back(p, n); }
  // The content of a quoted field, trimmed like any value.
  void AddQuoted(const char* p, size_t n) { fields->push_back(Trim(p, p + n)); }
  void AddEscaped(const char* p, size_t n) {
    size_t offset = scratch->size();
    for (size_t i = 0; i < n; ++i) {
      scratch->push_back(p[i]);
      if (p[i] == '"') ++i;  // the content holds only doubled quotes: keep one of each pair
    }
    size_t end = scratch->size();
    while (offset < end && IsBlank((*scratch)[offset])) ++offset;
    while (end > offset && IsBlank((*scratch)[end - 1])) --end;
    patches->emplace_back(fields->size(), offset);
    fields->emplace_back(nullptr, end - offset);
  }
  void Finish() {
    for (const auto& [index, offset] : *patches) {
      (*fields)[index] = std::string_view(scratch->data() + offset, (*fields)[index].size());
    }
  }
  void Drop() { fields->clear(); }
};

inline size_t StripCr(const char* t, size_t start, size_t end) {
  return end > start && t[end - 1] == '\r' ? end - 1 : end;
}

// The bad record of a bad-quoting case: the first physical line from `start`.
CsvExtent FirstLine(const char* t, size_t n, size_t start, bool at_end) {
  const void* nl = std::memchr(t + start, '\n', n - start);
  if (nl == nullptr) {
    if (!at_end) return {0, 0, 0, CsvScan::kNeedMore};
    return {StripCr(t, start, n), n, 0, CsvScan::kBadQuoting};
  }
  const auto e = static_cast<size_t>(static_cast<const char*>(nl) - t);
  return {StripCr(t, start, e), e + 1, 1, CsvScan::kBadQuoting};
}

// The exact scanner. The record's fate depends only on text[start, record end], so the splitter
// (which may see more text) and a worker (which sees the chunk) decide every record alike.
template <typename Sink>
CsvExtent ScanSlow(const char* t, size_t n, size_t start, bool at_end, size_t expected,
                   Sink* sink) {
  sink->Begin();
  size_t pos = start;
  size_t fields = 0;
  bool crossed = false;  // a quoted field held a line break: a multi-line record
  // The text ends inside the record and more may follow: undecided, unless a multi-line record
  // already exceeds its limit, which makes it bad whatever follows.
  auto ran_out = [&]() -> CsvExtent {
    sink->Drop();
    if (crossed && n - start > kMaxMultilineRecordBytes) return FirstLine(t, n, start, at_end);
    return {0, 0, 0, CsvScan::kNeedMore};
  };
  auto bad = [&]() -> CsvExtent {
    sink->Drop();
    return FirstLine(t, n, start, at_end);
  };
  size_t record_end = 0;
  size_t next = 0;
  for (;;) {
    while (pos < n && IsBlank(t[pos])) ++pos;
    if (pos < n && t[pos] == '"') {
      const size_t content = ++pos;
      bool escaped = false;
      size_t close = 0;
      for (;;) {
        const void* q = std::memchr(t + pos, '"', n - pos);
        const size_t qpos = q == nullptr ? n : static_cast<size_t>(static_cast<const char*>(q) - t);
        if (!crossed && std::memchr(t + pos, '\n', qpos - pos) != nullptr) crossed = true;
        if (q == nullptr) return at_end ? bad() : ran_out();  // unclosed quote
        if (qpos + 1 < n && t[qpos + 1] == '"') {
          escaped = true;
          pos = qpos + 2;
          continue;
        }
        if (qpos + 1 >= n && !at_end) return ran_out();  // a doubled quote may follow
        close = qpos;
        pos = qpos + 1;
        break;
      }
      while (pos < n && IsBlank(t[pos])) ++pos;
      bool done = true;
      if (pos >= n) {
        if (!at_end) return ran_out();
        record_end = next = n;
      } else if (t[pos] == ',') {
        done = false;
      } else if (t[pos] == '\n') {
        record_end = pos;
        next = pos + 1;
      } else if (t[pos] == '\r' && pos + 1 < n && t[pos + 1] == '\n') {
        record_end = pos;
        next = pos + 2;
      } else if (t[pos] == '\r' && pos + 1 >= n) {
        if (!at_end) return ran_out();
        record_end = pos;
        next = n;
      } else {
        return bad();  // text after the closing quote
      }
      if (escaped) {
        sink->AddEscaped(t + content, close - content);
      } else {
        sink->AddQuoted(t + content, close - content);
      }
      ++fields;
      if (done) break;
      ++pos;
    } else {
      size_t p = pos;
      while (p < n && t[p] != ',' && t[p] != '\n' && t[p] != '"') ++p;
      if (p < n && t[p] == '"') return bad();  // a quote inside an unquoted field
      if (p >= n && !at_end) return ran_out();
      const bool last = p >= n || t[p] == '\n';
      size_t fe = last ? StripCr(t, pos, p) : p;
      while (fe > pos && IsBlank(t[fe - 1])) --fe;
      sink->Add(t + pos, fe - pos);
      ++fields;
      if (last) {
        record_end = StripCr(t, start, p);
        next = p < n ? p + 1 : n;
        break;
      }
      pos = p + 1;
    }
  }
  if (crossed &&
      ((expected != 0 && fields != expected) || record_end - start > kMaxMultilineRecordBytes)) {
    return bad();
  }
  sink->Finish();
  const uint64_t newlines =
      crossed ? CountNewlines(t + start, next - start) : (next > start && t[next - 1] == '\n');
  return {record_end, next, newlines, CsvScan::kRecord};
}

}  // namespace

CsvExtent ScanCsvRecord(const char* text, size_t n, size_t start, bool at_end,
                        size_t expected_fields) {
  NullSink sink;
  return ScanSlow(text, n, start, at_end, expected_fields, &sink);
}

void CsvTokenizer::Reset(std::string_view text, uint64_t first_line, size_t expected_fields) {
  text_ = text.data();
  size_ = text.size();
  pos_ = 0;
  line_ = first_line;
  expected_fields_ = expected_fields;
  if (fields_.size() < 32) fields_.resize(32);
  LoadBlock(0);
}

void CsvTokenizer::LoadBlock(size_t block) {
  block_ = block;
  if (block >= size_) {
    mask_ = special_ = 0;
  } else if (block + 64 <= size_) {
    ScanBlock(text_ + block, &mask_, &special_);
  } else {
    // The last partial block: copy it so that no read goes past the text.
    char tail[64] = {};
    std::memcpy(tail, text_ + block, size_ - block);
    ScanBlock(tail, &mask_, &special_);
  }
}

bool CsvTokenizer::SlowRecord(size_t start, CsvRecord* record) {
  CollectSink sink{&fields_, &scratch_, &patches_};
  const CsvExtent ext = ScanSlow(text_, size_, start, /*at_end=*/true, expected_fields_, &sink);
  record->line = line_;
  record->raw = std::string_view(text_ + start, ext.end - start);
  record->bad_quoting = ext.status == CsvScan::kBadQuoting;
  record->fields = std::span<const std::string_view>(fields_.data(), fields_.size());
  pos_ = ext.next;
  line_ += ext.newlines;
  LoadBlock(pos_ & ~size_t{63});
  if (pos_ > block_) mask_ &= ~uint64_t{0} << (pos_ - block_);
  return true;
}

bool CsvTokenizer::NextScalar(CsvRecord* record) {
  for (;;) {
    const size_t start = pos_;
    if (start >= size_) return false;
    const void* nl = std::memchr(text_ + start, '\n', size_ - start);
    const size_t line_end =
        nl == nullptr ? size_ : static_cast<size_t>(static_cast<const char*>(nl) - text_);
    const size_t content_end = StripCr(text_, start, line_end);
    size_t p = start;
    while (p < content_end && IsBlank(text_[p])) ++p;
    if (p < content_end) return SlowRecord(start, record);
    pos_ = nl == nullptr ? size_ : line_end + 1;
    line_ += nl != nullptr;
  }
}

bool CsvTokenizer::Next(CsvRecord* record) {
  if (scalar_only_) return NextScalar(record);
  // The block state lives in locals while fields are cut (the compiler could not keep members
  // in registers across the stores into fields_) and is saved whenever the loop is left.
  const char* const t = text_;
  const size_t size = size_;
  size_t block = block_;
  uint64_t mask = mask_;
  uint64_t special = special_;
  std::string_view* fields = fields_.data();
  size_t capacity = fields_.size();
  auto save = [&] {
    block_ = block;
    mask_ = mask;
    special_ = special;
  };
  auto load = [&](size_t at) {
    if (at + 64 <= size) {
      ScanBlock(t + at, &mask, &special);
    } else {
      char tail[64] = {};
      std::memcpy(tail, t + at, size - at);
      ScanBlock(tail, &mask, &special);
    }
  };
  // A block yields at most 64 fields; with room for them and a last field at the end of the
  // text, the loops below need no bounds check per field.
  auto reserve = [&](size_t n) {
    if (n + 66 > capacity) {
      fields_.resize(std::max(2 * capacity, n + 66));
      fields = fields_.data();
      capacity = fields_.size();
    }
  };
  for (;;) {
    const size_t start = pos_;
    if (start >= size) {
      save();
      return false;
    }
    size_t n = 0;
    size_t field_start = start;
    reserve(0);
    for (;;) {
      // The commas before the next '\n' or '"' of this block end fields; nothing else to decide.
      const uint64_t rare = special & mask;
      const uint64_t before = rare != 0 ? (rare & (0 - rare)) - 1 : ~uint64_t{0};
      uint64_t commas = mask & before;
      mask &= ~before;
      while (commas != 0) {
        const size_t p = block + static_cast<size_t>(__builtin_ctzll(commas));
        commas &= commas - 1;
        fields[n++] = Trim(t + field_start, t + p);
        field_start = p + 1;
      }
      if (mask == 0) {
        block += 64;
        if (block >= size) {
          // End of text: the last record lacks a line end.
          fields[n++] = Trim(t + field_start, t + StripCr(t, field_start, size));
          pos_ = size;
          save();
          if (n == 1 && fields[0].empty()) return false;  // trailing blanks
          record->line = line_;
          record->raw = std::string_view(t + start, StripCr(t, start, size) - start);
          record->bad_quoting = false;
          record->fields = std::span<const std::string_view>(fields, n);
          return true;
        }
        load(block);
        reserve(n);
        continue;
      }
      const size_t p = block + static_cast<size_t>(__builtin_ctzll(mask));
      mask &= mask - 1;
      if (t[p] == '"') {
        // A quoted field that opens the field, closes on the same line without doubled quotes
        // and is followed (after blanks) by a delimiter is cut here; anything else goes to the
        // exact scanner, which decides it the same way. (Leaving the loop after moving to later
        // blocks is fine: the scanner starts over from the record's start.)
        size_t b = field_start;
        while (b < p && kBlank[static_cast<uint8_t>(t[b])]) ++b;
        uint64_t next = special & mask;  // the closing quote, or a line break inside the quotes
        while (next == 0 && b == p && block + 64 < size) {
          block += 64;
          load(block);
          reserve(n);  // a new block can end up to 64 more fields
          next = special & mask;
        }
        const size_t q = next != 0 ? block + static_cast<size_t>(__builtin_ctzll(next)) : size;
        size_t r = q + 1;
        while (r < size && kBlank[static_cast<uint8_t>(t[r])]) ++r;
        size_t end = r;  // the delimiter ending the field
        if (end < size && t[end] == '\r' && end + 1 < size && t[end + 1] == '\n') ++end;
        if (b != p || q >= size || t[q] != '"' || r >= size || (t[r] != ',' && t[end] != '\n')) {
          save();
          return SlowRecord(start, record);
        }
        while (end >= block + 64) {
          block += 64;
          load(block);
        }
        reserve(n);  // the block moved on: room for its fields
        const size_t consumed = end - block + 1;
        mask = consumed >= 64 ? 0 : mask & (~uint64_t{0} << consumed);
        fields[n++] = Trim(t + p + 1, t + q);
        if (t[r] == ',') {
          field_start = r + 1;
          continue;
        }
        pos_ = end + 1;
        const uint64_t line = line_++;
        save();
        record->line = line;
        record->raw = std::string_view(t + start, StripCr(t, start, end) - start);
        record->bad_quoting = false;
        record->fields = std::span<const std::string_view>(fields, n);
        return true;
      }
      fields[n++] = Trim(t + field_start, t + StripCr(t, field_start, p));
      pos_ = p + 1;
      const uint64_t line = line_++;
      if (n == 1 && fields[0].empty()) break;  // a blank line is not a row
      save();
      record->line = line;
      record->raw = std::string_view(t + start, StripCr(t, start, p) - start);
      record->bad_quoting = false;
      record->fields = std::span<const std::string_view>(fields, n);
      return true;
    }
  }
}

}  // namespace tsq
