#include "detectors/caller_lists.h"

#include <algorithm>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "core/privacy.h"
#include "detectors/callers.h"
#include "io/csv_tokenizer.h"

namespace tsq {
namespace {

// A phone number as files write it: digits, optionally after one '+'.
bool LooksLikeNumber(std::string_view s) {
  if (s.starts_with('+')) s.remove_prefix(1);
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::unordered_set<uint64_t>> ParseWhitelist(std::string_view text, std::string_view path) {
  std::unordered_set<uint64_t> out;
  std::istringstream lines{std::string(text)};
  std::string line;
  for (int n = 1; std::getline(lines, line); ++n) {
    std::string_view v = Trim(line);
    if (const size_t comma = v.find(','); comma != std::string_view::npos)
      v = Trim(v.substr(0, comma));
    if (v.empty() || v.starts_with('#')) continue;
    if (n == 1 && (v == "caller" || v == "number")) continue;
    if (!LooksLikeNumber(v)) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}:{}: '{}' is not a phone number", path, n, MaskDigitRuns(v)));
    }
    out.insert(NumberKey(v));
  }
  return out;
}

Result<CallerLabels> ParseCallerLabels(std::string_view text, std::string_view path) {
  CsvTokenizer tok;
  tok.Reset(text, 1, 0);
  CsvRecord rec;
  int caller = -1, label = -1;
  if (tok.Next(&rec) && !rec.bad_quoting) {
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      if (rec.fields[i] == "caller") caller = static_cast<int>(i);
      if (rec.fields[i] == "label") label = static_cast<int>(i);
    }
  }
  if (caller < 0 || label < 0) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}:1: the header needs the columns caller and label", path));
  }
  static const std::set<std::string, std::less<>> kYes = {"1",          "true",  "yes",
                                                          "harassment", "fraud", "spam"};
  static const std::set<std::string, std::less<>> kNo = {"0", "false", "no", "legitimate",
                                                         "normal"};
  const size_t width = rec.fields.size();
  CallerLabels out;
  while (tok.Next(&rec)) {
    if (rec.bad_quoting || rec.fields.size() != width) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}:{}: expected {} fields", path, rec.line, width));
    }
    const std::string_view number = Trim(rec.fields[static_cast<size_t>(caller)]);
    std::string value(Trim(rec.fields[static_cast<size_t>(label)]));
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!LooksLikeNumber(number)) {
      return Error(ErrorCode::kInvalidArgument, fmt::format("{}:{}: '{}' is not a phone number",
                                                            path, rec.line, MaskDigitRuns(number)));
    }
    const bool yes = kYes.contains(value);
    if (!yes && !kNo.contains(value)) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}:{}: label '{}' is neither positive (1, true, yes, harassment, "
                               "fraud, spam) nor negative (0, false, no, legitimate, normal)",
                               path, rec.line, value));
    }
    const uint64_t key = NumberKey(number);
    if (!out.positive.emplace(key, yes).second) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}:{}: {} is labelled twice", path, rec.line, MaskNumber(number)));
    }
    out.names.emplace(key, std::string(number));
  }
  return out;
}

}  // namespace tsq
