#include "core/privacy.h"

#include <vector>

namespace tsq {
namespace {

constexpr size_t kKeepHead = 3;
constexpr size_t kKeepTail = 4;
constexpr size_t kShortKeepTail = 2;
constexpr size_t kFullMaskFrom = 11;  // a mobile number's length
constexpr size_t kDigitRunFrom = 7;   // shorter runs are dates, times, counts

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

std::string MaskNumber(std::string_view number) {
  // Byte offsets where each code point starts.
  std::vector<size_t> starts;
  starts.reserve(number.size());
  for (size_t i = 0; i < number.size(); ++i) {
    if (!IsContinuation(static_cast<unsigned char>(number[i]))) starts.push_back(i);
  }
  const size_t n = starts.size();
  const auto from = [&](size_t cp) { return cp < n ? starts[cp] : number.size(); };
  if (n >= kFullMaskFrom) {
    std::string out(number.substr(0, from(kKeepHead)));
    out += "****";
    out += number.substr(from(n - kKeepTail));
    return out;
  }
  if (n <= kShortKeepTail) return std::string(n, '*');
  std::string out(n - kShortKeepTail, '*');
  out += number.substr(from(n - kShortKeepTail));
  return out;
}

std::string MaskDigitRuns(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') {
      out += text[i++];
      continue;
    }
    size_t j = i;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
    const std::string_view run = text.substr(i, j - i);
    if (run.size() >= kDigitRunFrom) {
      out += MaskNumber(run);
    } else {
      out += run;
    }
    i = j;
  }
  return out;
}

}  // namespace tsq
