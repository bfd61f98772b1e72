// The store in a PostgreSQL database, through libpq: the SQLite store's schema and semantics, for a
// team that shares one database. Every statement is parameterized; the schema version is a row of
// tsq_schema, PostgreSQL having no user_version.
#include <charconv>
#include <climits>
#include <deque>
#include <memory>

#include <fmt/format.h>
#include <libpq-fe.h>

#include "store/store.h"

namespace tsq {
namespace {

// The migrations, in order: migration i takes the schema from version i to i + 1. The same
// versions as the SQLite store's. COLLATE "C": byte order, as SQLite sorts.
constexpr const char* kPgMigrations[] = {
    R"sql(
CREATE TABLE periods (
  label TEXT COLLATE "C" PRIMARY KEY,
  period_from TEXT COLLATE "C" NOT NULL,
  period_to TEXT COLLATE "C" NOT NULL,
  as_of TEXT NOT NULL,
  catalog_sha256 TEXT NOT NULL,
  tsq_version TEXT NOT NULL,
  stored_at TEXT NOT NULL,
  kpi_json TEXT NOT NULL
);
CREATE TABLE indicator_values (
  period TEXT COLLATE "C" NOT NULL REFERENCES periods(label) ON DELETE CASCADE,
  id TEXT COLLATE "C" NOT NULL,
  grp TEXT COLLATE "C" NOT NULL,
  operator TEXT NOT NULL,
  region TEXT NOT NULL,
  month TEXT NOT NULL,
  value DOUBLE PRECISION,
  n BIGINT NOT NULL,
  verdict TEXT NOT NULL,
  PRIMARY KEY (period, id, grp)
);
CREATE INDEX indicator_values_by_id ON indicator_values (id, period);
)sql",
    // 2: exact groups and rates' numerators (to re-judge a period read back), and documents.
    R"sql(
ALTER TABLE indicator_values ADD COLUMN group_json TEXT NOT NULL DEFAULT '{}',
  ADD COLUMN is_rate BOOLEAN NOT NULL DEFAULT FALSE,
  ADD COLUMN successes BIGINT NOT NULL DEFAULT 0;
CREATE TABLE documents (
  period TEXT COLLATE "C" NOT NULL REFERENCES periods(label) ON DELETE CASCADE,
  name TEXT COLLATE "C" NOT NULL,
  media_type TEXT NOT NULL,
  body BYTEA NOT NULL,
  PRIMARY KEY (period, name)
);
)sql",
    // 3: the periods' partial states, apart from the documents the server hands out.
    R"sql(
CREATE TABLE states (
  period TEXT COLLATE "C" PRIMARY KEY REFERENCES periods(label) ON DELETE CASCADE,
  body BYTEA NOT NULL
);
)sql",
};
static_assert(std::size(kPgMigrations) == kStoreSchemaVersion);

// Advisory lock keys: one for creating or migrating the schema (a bigint key), one space of
// (int, int) keys for storing a period, by its label's hash. The two forms never conflict.
constexpr uint64_t kSchemaLock = 7530189;
constexpr uint64_t kPutLockSpace = 7530189;

// Values a statement carries: 12 parameters a row, well under PostgreSQL's 65535.
constexpr size_t kValuesPerInsert = 1000;

// Type OIDs of the parameters (pg_type.h is in the server's headers, not libpq's).
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kText = 25, kFloat8 = 701;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// The parameters of one statement: text, except bytes sent as they are.
class Params {
 public:
  Params& Text(const std::string& s) { return Add(s.c_str(), 0, 0, kText); }
  Params& Double(std::optional<double> d) {
    if (!d) return Add(nullptr, 0, 0, kFloat8);
    return Add(Own(fmt::format("{}", *d)), 0, 0, kFloat8);
  }
  Params& Int(uint64_t i) { return Add(Own(fmt::format("{}", i)), 0, 0, kInt8); }
  Params& Bool(bool b) { return Add(b ? "t" : "f", 0, 0, kBool); }
  Params& Bytes(const std::string& s) {
    return Add(s.data(), static_cast<int>(s.size()), 1, kBytea);
  }

  int size() const { return static_cast<int>(values_.size()); }
  const Oid* types() const { return types_.data(); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  Params& Add(const char* value, int length, int format, Oid type) {
    values_.push_back(value);
    lengths_.push_back(length);
    formats_.push_back(format);
    types_.push_back(type);
    return *this;
  }
  const char* Own(std::string s) {
    owned_.push_back(std::move(s));  // a deque: earlier strings stay where they are
    return owned_.back().c_str();
  }

  std::vector<const char*> values_;
  std::vector<int> lengths_, formats_;
  std::vector<Oid> types_;
  std::deque<std::string> owned_;
};

// libpq's messages end lines with "\n" and indent hints with "\t": one line, "; " between.
std::string OneLine(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\n') {
      out += s[i] == '\t' ? ' ' : s[i];
      continue;
    }
    while (i + 1 < s.size() && (s[i + 1] == '\t' || s[i + 1] == ' ' || s[i + 1] == '\n')) ++i;
    if (i + 1 < s.size()) out += "; ";
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string Field(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), static_cast<size_t>(PQgetlength(r, row, col)));
}

template <typename T>
T Number(const PGresult* r, int row, int col) {
  T out{};
  const char* p = PQgetvalue(r, row, col);
  std::from_chars(p, p + PQgetlength(r, row, col), out);
  return out;
}

class PgStore final : public Store {
 public:
  PgStore(PGconn* conn, std::string where) : conn_(conn), where_(std::move(where)) {}
  ~PgStore() override { PQfinish(conn_); }

  Status Init() {
    // Already at this version: nothing to write, so a reader with SELECT rights only can open.
    auto version = SchemaVersion();
    if (!version) return std::move(version).error();
    if (*version == kStoreSchemaVersion) return {};
    return InTransaction([this] { return Migrate(); });
  }

  Status Put(const StoredPeriod& p) override {
    TSQ_TRY(Connected());
    return InTransaction([&] { return PutInTransaction(p); });
  }

  Result<std::vector<PeriodInfo>> Periods() override {
    TSQ_TRY(Connected());
    auto r = Run("reading the periods",
                 "SELECT p.label, p.period_from, p.period_to, p.as_of, p.catalog_sha256, "
                 "p.tsq_version, p.stored_at, (SELECT count(*) FROM indicator_values v WHERE "
                 "v.period = p.label), EXISTS (SELECT 1 FROM states t WHERE t.period = "
                 "p.label) FROM periods p ORDER BY p.period_from, p.period_to",
                 Params());
    if (!r) return std::move(r).error();
    std::vector<PeriodInfo> out;
    for (int row = 0; row < PQntuples(r->get()); ++row) {
      const PGresult* res = r->get();
      PeriodInfo i;
      i.label = Field(res, row, 0);
      i.from = Field(res, row, 1);
      i.to = Field(res, row, 2);
      i.as_of = Field(res, row, 3);
      i.catalog_sha256 = Field(res, row, 4);
      i.tsq_version = Field(res, row, 5);
      i.stored_at = Field(res, row, 6);
      i.values = Number<uint64_t>(res, row, 7);
      i.has_state = Field(res, row, 8) == "t";
      out.push_back(std::move(i));
    }
    return out;
  }

  Result<std::optional<std::string>> KpiJson(const std::string& label) override {
    TSQ_TRY(Connected());
    auto r = Run("reading a period", "SELECT kpi_json FROM periods WHERE label = $1",
                 Params().Text(label));
    if (!r) return std::move(r).error();
    if (PQntuples(r->get()) == 0) return std::optional<std::string>();
    return std::optional<std::string>(Field(r->get(), 0, 0));
  }

  Result<std::vector<StoredValue>> Values(const ValueFilter& f) override {
    TSQ_TRY(Connected());
    auto r = Run(
        "reading values",
        "SELECT v.period, v.id, v.grp, v.operator, v.region, v.month, v.value, v.n, "
        "v.verdict, v.group_json, v.is_rate, v.successes FROM indicator_values v "
        "JOIN periods p ON p.label = v.period WHERE ($1 = '' OR v.period = $1) AND "
        "($2 = '' OR v.id = $2) AND ($3 = '' OR v.operator = $3) AND ($4 = '' OR "
        "v.region = $4) AND ($5 = '' OR v.month = $5) AND ($6 = '' OR v.grp = $6) "
        "ORDER BY p.period_from, p.period_to, v.id, v.grp",
        Params().Text(f.period).Text(f.id).Text(f.op).Text(f.region).Text(f.month).Text(f.group));
    if (!r) return std::move(r).error();
    const PGresult* res = r->get();
    std::vector<StoredValue> out;
    for (int row = 0; row < PQntuples(res); ++row) {
      StoredValue v;
      v.period = Field(res, row, 0);
      v.id = Field(res, row, 1);
      v.group = Field(res, row, 2);
      v.op = Field(res, row, 3);
      v.region = Field(res, row, 4);
      v.month = Field(res, row, 5);
      if (!PQgetisnull(res, row, 6)) v.value = Number<double>(res, row, 6);
      v.n = Number<uint64_t>(res, row, 7);
      v.verdict = Field(res, row, 8);
      v.group_json = Field(res, row, 9);
      v.is_rate = Field(res, row, 10) == "t";
      v.successes = Number<uint64_t>(res, row, 11);
      if (KeepsDims(f, v)) out.push_back(std::move(v));
    }
    return out;
  }

  Result<std::optional<StoredDocument>> Document(const std::string& label,
                                                 const std::string& name) override {
    TSQ_TRY(Connected());
    // Binary results: the body's bytes as they are (text's binary form is its bytes too).
    auto r = Run("reading a document",
                 "SELECT media_type, body FROM documents WHERE period = $1 AND name = $2",
                 Params().Text(label).Text(name), /*binary_result=*/true);
    if (!r) return std::move(r).error();
    if (PQntuples(r->get()) == 0) return std::optional<StoredDocument>();
    return std::optional<StoredDocument>(
        StoredDocument{name, Field(r->get(), 0, 0), Field(r->get(), 0, 1)});
  }

  Result<std::vector<StoredDocument>> Documents(const std::string& label) override {
    TSQ_TRY(Connected());
    auto r = Run("listing documents",
                 "SELECT name, media_type FROM documents WHERE period = $1 ORDER BY name",
                 Params().Text(label));
    if (!r) return std::move(r).error();
    std::vector<StoredDocument> out;
    for (int row = 0; row < PQntuples(r->get()); ++row) {
      out.push_back({Field(r->get(), row, 0), Field(r->get(), row, 1), {}});
    }
    return out;
  }

  Result<std::optional<std::string>> State(const std::string& label) override {
    TSQ_TRY(Connected());
    auto r = Run("reading a state", "SELECT body FROM states WHERE period = $1",
                 Params().Text(label), /*binary_result=*/true);
    if (!r) return std::move(r).error();
    if (PQntuples(r->get()) == 0) return std::optional<std::string>();
    return std::optional<std::string>(Field(r->get(), 0, 0));
  }

  std::string Where() const override { return where_; }

 private:
  Error Fail(std::string_view what, const PGresult* r) const {
    const char* primary = r != nullptr ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string message = OneLine(primary != nullptr ? primary : PQerrorMessage(conn_));
    const char* detail = r != nullptr ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : nullptr;
    if (detail != nullptr) message += fmt::format(" ({})", OneLine(detail));
    return Error(ErrorCode::kIo, fmt::format("{}: {}: {}", where_, what, message));
  }

  // A connection that dropped since the last call is opened again (only between transactions).
  Status Connected() {
    if (PQstatus(conn_) == CONNECTION_OK) return {};
    PQreset(conn_);
    if (PQstatus(conn_) == CONNECTION_OK) return {};
    return Error(ErrorCode::kIo, fmt::format("{}: the connection to PostgreSQL was lost: {}",
                                             where_, OneLine(PQerrorMessage(conn_))));
  }

  Result<PgResult> Run(std::string_view what, const char* sql, const Params& params,
                       bool binary_result = false) {
    PgResult r(PQexecParams(conn_, sql, params.size(), params.types(), params.values(),
                            params.lengths(), params.formats(), binary_result ? 1 : 0));
    const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return Fail(what, r.get());
    return r;
  }

  // A fixed statement, or several (a migration): no parameters, so PQexec.
  Status Exec(std::string_view what, const char* sql) {
    PgResult r(PQexec(conn_, sql));
    const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return Fail(what, r.get());
    return {};
  }

  template <typename F>
  Status InTransaction(F body) {
    TSQ_TRY(Exec("starting a transaction", "BEGIN"));
    Status st = body();
    if (st) st = Exec("committing", "COMMIT");
    if (!st) (void)Exec("rolling back", "ROLLBACK");
    return st;
  }

  // 0 when the database holds no tsq schema yet.
  Result<int> SchemaVersion() {
    auto exists =
        Run("reading the schema version", "SELECT to_regclass('tsq_schema') IS NOT NULL", Params());
    if (!exists) return std::move(exists).error();
    if (Field(exists->get(), 0, 0) != "t") return 0;
    return RecordedVersion();
  }

  Result<int> RecordedVersion() {
    auto r = Run("reading the schema version", "SELECT coalesce(max(version), 0) FROM tsq_schema",
                 Params());
    if (!r) return std::move(r).error();
    return Number<int>(r->get(), 0, 0);
  }

  Status Migrate() {
    // One opener at a time creates or migrates; the others wait, then find it done. Not
    // to_regclass here: it may answer from a cache that still misses the tables made meanwhile;
    // CREATE ... IF NOT EXISTS and a read of the table do see them.
    TSQ_TRY(
        Run("locking the schema", "SELECT pg_advisory_xact_lock($1)", Params().Int(kSchemaLock)));
    TSQ_TRY(Exec("creating the schema",
                 "CREATE TABLE IF NOT EXISTS tsq_schema (version INTEGER NOT NULL)"));
    auto version = RecordedVersion();
    if (!version) return std::move(version).error();
    if (*version > kStoreSchemaVersion) {
      return Error(ErrorCode::kUnsupported,
                   fmt::format("{}: the store's schema is version {}, this tsq knows up to {}; "
                               "use a newer tsq",
                               where_, *version, kStoreSchemaVersion));
    }
    for (int v = *version; v < kStoreSchemaVersion; ++v) {
      TSQ_TRY(Exec(v == 0 ? "creating the tables" : "migrating the schema", kPgMigrations[v]));
    }
    TSQ_TRY(Run("recording the schema version", "DELETE FROM tsq_schema", Params()));
    TSQ_TRY(Run("recording the schema version", "INSERT INTO tsq_schema (version) VALUES ($1)",
                Params().Int(kStoreSchemaVersion)));
    return {};
  }

  Status PutInTransaction(const StoredPeriod& p) {
    // Writers of the same period take turns, so the second one's DELETE sees the first's rows.
    TSQ_TRY(Run("locking the period", "SELECT pg_advisory_xact_lock($1::integer, hashtext($2))",
                Params().Int(kPutLockSpace).Text(p.label)));
    TSQ_TRY(Run("replacing the period", "DELETE FROM periods WHERE label = $1",
                Params().Text(p.label)));
    TSQ_TRY(Run("storing the period",
                "INSERT INTO periods (label, period_from, period_to, as_of, catalog_sha256, "
                "tsq_version, stored_at, kpi_json) VALUES ($1, $2, $3, $4, $5, $6, "
                "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), $7)",
                Params()
                    .Text(p.label)
                    .Text(p.from)
                    .Text(p.to)
                    .Text(p.as_of)
                    .Text(p.catalog_sha256)
                    .Text(p.tsq_version)
                    .Text(p.kpi_json)));
    static const std::string kEmptyGroup = "{}";
    for (size_t start = 0; start < p.values.size(); start += kValuesPerInsert) {
      const size_t end = std::min(p.values.size(), start + kValuesPerInsert);
      // The SQL text holds $n placeholders, never a value; $1 is the period of every row.
      std::string sql =
          "INSERT INTO indicator_values (period, id, grp, operator, region, month, value, n, "
          "verdict, group_json, is_rate, successes) VALUES ";
      Params params;
      params.Text(p.label);
      for (size_t i = start; i < end; ++i) {
        const StoredValue& x = p.values[i];
        const int b = params.size();
        fmt::format_to(std::back_inserter(sql),
                       "{}($1, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                       i == start ? "" : ", ", b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7,
                       b + 8, b + 9, b + 10, b + 11);
        params.Text(x.id)
            .Text(x.group)
            .Text(x.op)
            .Text(x.region)
            .Text(x.month)
            .Double(x.value)
            .Int(x.n)
            .Text(x.verdict)
            .Text(x.group_json.empty() ? kEmptyGroup : x.group_json)
            .Bool(x.is_rate)
            .Int(x.successes);
      }
      TSQ_TRY(Run(fmt::format("storing the values of {} ({} to {})", p.label, p.values[start].id,
                              p.values[end - 1].id),
                  sql.c_str(), params));
    }
    for (const StoredDocument& doc : p.documents) {
      if (doc.body.size() > static_cast<size_t>(INT_MAX)) {
        return Error(ErrorCode::kUnsupported,
                     fmt::format("{}: the document {} is too large to store ({} bytes)", where_,
                                 doc.name, doc.body.size()));
      }
      TSQ_TRY(Run(fmt::format("storing the document {}", doc.name),
                  "INSERT INTO documents (period, name, media_type, body) VALUES ($1, $2, $3, $4)",
                  Params().Text(p.label).Text(doc.name).Text(doc.media_type).Bytes(doc.body)));
    }
    if (!p.state.empty()) {
      if (p.state.size() > static_cast<size_t>(INT_MAX)) {
        return Error(ErrorCode::kUnsupported,
                     fmt::format("{}: the state of {} is too large to store ({} bytes); ingest "
                                 "it with --no-state or by shorter periods",
                                 where_, p.label, p.state.size()));
      }
      TSQ_TRY(Run("storing the state", "INSERT INTO states (period, body) VALUES ($1, $2)",
                  Params().Text(p.label).Bytes(p.state)));
    }
    return {};
  }

  PGconn* conn_;
  std::string where_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri) {
  const std::string where = RedactUri(uri);
  // connect_timeout before dbname: a default the URI may override; client_encoding after: tsq's
  // strings are UTF-8 whatever the URI says.
  const char* keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding",
                        nullptr};
  const char* values[] = {"10", "tsq", uri.c_str(), "UTF8", nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    return Error(ErrorCode::kResources, where + ": cannot connect to PostgreSQL: out of memory");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    const char* host = PQhost(conn);
    const char* port = PQport(conn);
    Error e(ErrorCode::kIo,
            fmt::format("{}: cannot connect to PostgreSQL: {}; check the host and port in the URI, "
                        "that the server is running and accepts connections there "
                        "(pg_isready -h {} -p {}), and the user name and password",
                        where, OneLine(PQerrorMessage(conn)),
                        host != nullptr && *host != '\0' ? host : "HOST",
                        port != nullptr && *port != '\0' ? port : "5432"));
    PQfinish(conn);
    return e;
  }
  // The server's notices ("... already exists, skipping") are not for tsq's users.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  auto store = std::make_unique<PgStore>(conn, where);
  TSQ_TRY(store->Init());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace tsq
