// The store of computed periods behind `tsq ingest`, the dashboard and the comparisons of later
// runs: per period, every indicator value with its group and verdict (a table the API filters),
// and the whole `tsq kpi --format json` document (values, data quality, input digests, catalog
// hash) from which a later run reads the period back. An embedded SQLite file; storing a period
// again replaces it in one transaction; the schema carries its version and is migrated forward.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace tsq {

/// One indicator value as the store keeps it.
struct StoredValue {
  std::string id;
  std::string group;  // Group::ToString(): "operator=移动,month=2022-11"; "" for all
  std::string op;     // the group's operator, region and month, "" when it has none (filters)
  std::string region;
  std::string month;
  std::optional<double> value;
  uint64_t n = 0;
  std::string verdict;  // "met", "missed", "insufficient", "none"
};

struct StoredPeriod {
  std::string label;  // "2022H2"
  std::string from;   // ISO 8601 with offset, as the kpi JSON writes them
  std::string to;
  std::string as_of;
  std::string catalog_sha256;
  std::string tsq_version;
  std::string kpi_json;  // the whole `tsq kpi --format json` document
  std::vector<StoredValue> values;
};

struct PeriodInfo {
  std::string label, from, to, as_of, catalog_sha256, tsq_version, stored_at;
  uint64_t values = 0;
};

struct ValueFilter {
  std::string period;             // required
  std::string id;                 // exact id, or empty for every id
  std::string op, region, month;  // exact, or empty for any
};

class Store {
 public:
  virtual ~Store() = default;
  /// Stores `p`, replacing a period of the same label, in one transaction.
  virtual Status Put(const StoredPeriod& p) = 0;
  /// Every stored period, by start.
  virtual Result<std::vector<PeriodInfo>> Periods() = 0;
  /// The kpi JSON of a period; nullopt when it is not stored.
  virtual Result<std::optional<std::string>> KpiJson(const std::string& label) = 0;
  virtual Result<std::vector<StoredValue>> Values(const ValueFilter& filter) = 0;
};

/// The schema version this build writes; a store of a newer one is refused.
inline constexpr int kStoreSchemaVersion = 1;

/// Opens (creating if missing) the SQLite store at `path`, migrating an older schema.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);

}  // namespace tsq
