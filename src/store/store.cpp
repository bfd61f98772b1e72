#include "store/store.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tsq {

bool IsPostgresUri(std::string_view spec) {
  return spec.starts_with("postgresql://") || spec.starts_with("postgres://");
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& spec) {
  if (spec.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "--store: give an SQLite file (tsq.db) or a postgresql:// URI");
  }
  if (IsPostgresUri(spec)) return OpenPostgresStore(spec);
  return OpenSqliteStore(spec);
}

namespace {

// scheme://user:password@host...: the password is between the first ':' after the scheme and
// the '@' that ends the user information.
std::string RedactUserInfo(std::string_view uri) {
  const size_t scheme = uri.find("://");
  if (scheme == std::string_view::npos) return std::string(uri);
  const size_t start = scheme + 3;
  const size_t at = uri.find('@', start);
  const size_t slash = uri.find('/', start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) {
    return std::string(uri);
  }
  const size_t colon = uri.find(':', start);
  if (colon == std::string_view::npos || colon > at) return std::string(uri);
  return fmt::format("{}***{}", uri.substr(0, colon + 1), uri.substr(at));
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A password given as a parameter: ?password=... or &password=... in a URI, password=... or
// password = '...' in libpq's key=value form (sslpassword too: any key ending so is hidden).
std::string RedactPasswordParameter(std::string s) {
  constexpr std::string_view kKey = "password";
  for (size_t pos = s.find(kKey); pos != std::string::npos; pos = s.find(kKey, pos)) {
    size_t i = pos + kKey.size();
    while (i < s.size() && IsSpace(s[i])) ++i;
    if (i >= s.size() || s[i] != '=') {
      pos += kKey.size();
      continue;
    }
    ++i;
    while (i < s.size() && IsSpace(s[i])) ++i;
    size_t end = i;
    if (end < s.size() && s[end] == '\'') {  // quoted, with \' and \\ escapes
      for (++end; end < s.size() && s[end] != '\''; ++end) {
        if (s[end] == '\\') ++end;
      }
      end = std::min(end + 1, s.size());
    } else {
      while (end < s.size() && s[end] != '&' && !IsSpace(s[end])) ++end;
    }
    s.replace(i, end - i, "***");
    pos = i + 3;
  }
  return s;
}

}  // namespace

std::string RedactUri(std::string_view uri) { return RedactPasswordParameter(RedactUserInfo(uri)); }

bool KeepsDims(const ValueFilter& filter, const StoredValue& v) {
  if (!filter.only_listed_dims) return true;
  const auto group = nlohmann::json::parse(v.group_json, nullptr, false);
  if (!group.is_object()) return false;
  for (const auto& [dim, value] : group.items()) {
    if (std::find(filter.dims.begin(), filter.dims.end(), dim) == filter.dims.end()) return false;
  }
  return true;
}

}  // namespace tsq
