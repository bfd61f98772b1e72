#include "core/glob.h"

#include <algorithm>
#include <numeric>

namespace tsq {

bool GlobMatch(std::string_view p, std::string_view s) {
  // Iterative match that backtracks to the last '*': linear in practice, never exponential.
  size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = si;
    } else if (pi < p.size() && p[pi] == s[si]) {
      ++pi;
      ++si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

int WildcardCount(std::string_view pattern) {
  return static_cast<int>(std::count(pattern.begin(), pattern.end(), '*'));
}

namespace {

// Code points of UTF-8 text, so that a misspelt Chinese name is one edit away, not three.
std::u32string CodePoints(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

}  // namespace

size_t EditDistance(std::string_view a_text, std::string_view b_text) {
  const std::u32string a = CodePoints(a_text);
  const std::u32string b = CodePoints(b_text);
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> ClosestMatches(std::string_view wrong,
                                        const std::vector<std::string>& candidates, size_t limit) {
  // Plausible: at most a third of the longer string differs (and at least 2 edits allowed).
  std::vector<std::pair<size_t, size_t>> scored;  // distance, candidate index
  for (size_t i = 0; i < candidates.size(); ++i) {
    const size_t d = EditDistance(wrong, candidates[i]);
    const size_t longer = std::max(CodePoints(wrong).size(), CodePoints(candidates[i]).size());
    const size_t allowed = std::max<size_t>(2, longer / 3);
    if (d <= allowed) scored.emplace_back(d, i);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (const auto& [d, i] : scored) {
    if (out.size() == limit) break;
    if (std::find(out.begin(), out.end(), candidates[i]) == out.end()) {
      out.push_back(candidates[i]);
    }
  }
  return out;
}

}  // namespace tsq
