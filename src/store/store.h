// The store of computed periods behind `tsq ingest`, the dashboard and the comparisons of later
// runs: per period, every indicator value with its group and verdict (a table the API filters),
// the whole `tsq kpi --format json` document (values, data quality, input digests, catalog hash),
// and the period's documents (the findings as JSON, the rendered reports) that the server hands
// out. Beside them, apart from everything served, the period's partial state (what --save-state
// writes), so that stored months merge into their quarter or half-year: it holds subscriber
// numbers in full, so no API hands it out. An embedded SQLite file, or a PostgreSQL database for
// a team; storing a period again
// replaces it in one transaction; the schema carries its version and is migrated forward.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tsq {

/// One indicator value as the store keeps it.
struct StoredValue {
  std::string period;  // filled when read back
  std::string id;
  std::string group;       // Group::ToString(): "operator=移动,month=2022-11"; "" for all
  std::string group_json;  // the same group as a JSON object, exactly: {"operator":"移动",...}
  std::string op;          // the group's operator, region and month, "" when it has none (filters)
  std::string region;
  std::string month;
  std::optional<double> value;
  uint64_t n = 0;
  bool is_rate = false;    // a proportion of n (re-judged with an interval when read back)
  uint64_t successes = 0;  // a rate's numerator
  std::string verdict;     // "met", "missed", "insufficient", "none"
};

/// A file of a period the server hands out as it is: "cells.json", "report.zh.html", ...
struct StoredDocument {
  std::string name;
  std::string media_type;  // "application/json", "text/html; charset=utf-8", ...
  std::string body;        // bytes
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
  std::vector<StoredDocument> documents;
  /// The period's partial state (state file bytes); empty: none kept. Never served: it holds
  /// subscriber numbers in full.
  std::string state;
};

struct PeriodInfo {
  std::string label, from, to, as_of, catalog_sha256, tsq_version, stored_at;
  uint64_t values = 0;
  bool has_state = false;  // the store keeps its partial state (Store::State)
};

struct ValueFilter {
  std::string period;             // exact, or empty for every period (one indicator's history)
  std::string id;                 // exact id, or empty for every id
  std::string group;              // exact Group::ToString(), or empty for any
  std::string op, region, month;  // exact, or empty for any
  /// Only values whose group has no dimension but these (e.g. {"operator"}: the per-operator
  /// figures and the overall one, not those per region or month); empty: no such limit.
  bool only_listed_dims = false;
  std::vector<std::string> dims;
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
  /// The values `filter` selects, by period start, id and group.
  virtual Result<std::vector<StoredValue>> Values(const ValueFilter& filter) = 0;
  /// A document of a period; nullopt when the period or the document is not stored.
  virtual Result<std::optional<StoredDocument>> Document(const std::string& label,
                                                         const std::string& name) = 0;
  /// The names and media types of a period's documents (bodies left empty), by name.
  virtual Result<std::vector<StoredDocument>> Documents(const std::string& label) = 0;
  /// The partial state kept with a period; nullopt when the period or its state is not stored.
  virtual Result<std::optional<std::string>> State(const std::string& label) = 0;
  /// Where the store is, for messages: the file, or the database URI without its password.
  virtual std::string Where() const = 0;
};

/// The schema version this build writes; a store of a newer one is refused.
inline constexpr int kStoreSchemaVersion = 3;

/// Opens (creating if missing) the SQLite store at `path`, migrating an older schema.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);

/// Opens the PostgreSQL store at `uri` (postgresql://user:password@host:port/db or the key=value
/// form libpq takes), creating its tables or migrating them. An error when tsq was built without
/// libpq.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri);

/// True when `spec` names a PostgreSQL database (postgresql:// or postgres://).
bool IsPostgresUri(std::string_view spec);

/// The store `spec` names: a PostgreSQL URI, else an SQLite file path.
Result<std::unique_ptr<Store>> OpenStore(const std::string& spec);

/// `uri` with its password replaced by "***", for messages and logs.
std::string RedactUri(std::string_view uri);

/// Whether `filter` keeps `v` beyond what the query selects (the dims limit). Both stores use it.
bool KeepsDims(const ValueFilter& filter, const StoredValue& v);

}  // namespace tsq
