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

std::string RedactUri(std::string_view uri) {
  // scheme://user:password@host...: the password is between the first ':' after the scheme and
  // the '@' that ends the user information.
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
