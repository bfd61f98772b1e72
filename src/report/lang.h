// The language of what a person reads: Chinese by default, English on request.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tsq {

enum class Lang { kZh, kEn };

inline std::optional<Lang> ParseLang(std::string_view s) {
  if (s == "zh" || s == "zh-CN" || s == "cn") return Lang::kZh;
  if (s == "en") return Lang::kEn;
  return std::nullopt;
}

/// Picks the text for the language: L(lang, "文件", "file").
inline std::string_view L(Lang lang, std::string_view zh, std::string_view en) {
  return lang == Lang::kZh ? zh : en;
}

/// L as an owned string, for text that goes into JSON and tables.
inline std::string T(Lang lang, std::string_view zh, std::string_view en) {
  return std::string(L(lang, zh, en));
}

}  // namespace tsq
