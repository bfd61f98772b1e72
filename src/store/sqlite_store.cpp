#include <fmt/format.h>
#include <sqlite3.h>

#include "store/store.h"

namespace tsq {
namespace {

// The migrations, in order: migration i takes the schema from version i to i + 1.
constexpr const char* kSqliteMigrations[] = {
    R"sql(
CREATE TABLE periods (
  label TEXT PRIMARY KEY,
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  as_of TEXT NOT NULL,
  catalog_sha256 TEXT NOT NULL,
  tsq_version TEXT NOT NULL,
  stored_at TEXT NOT NULL,
  kpi_json TEXT NOT NULL
);
CREATE TABLE indicator_values (
  period TEXT NOT NULL REFERENCES periods(label) ON DELETE CASCADE,
  id TEXT NOT NULL,
  grp TEXT NOT NULL,
  operator TEXT NOT NULL,
  region TEXT NOT NULL,
  month TEXT NOT NULL,
  value REAL,
  n INTEGER NOT NULL,
  verdict TEXT NOT NULL,
  PRIMARY KEY (period, id, grp)
);
CREATE INDEX indicator_values_by_id ON indicator_values (id, period);
)sql",
    // 2: exact groups and rates' numerators (to re-judge a period read back), and documents.
    R"sql(
ALTER TABLE indicator_values ADD COLUMN group_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE indicator_values ADD COLUMN is_rate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE indicator_values ADD COLUMN successes INTEGER NOT NULL DEFAULT 0;
CREATE TABLE documents (
  period TEXT NOT NULL REFERENCES periods(label) ON DELETE CASCADE,
  name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY (period, name)
);
)sql",
    // 3: the periods' partial states, apart from the documents the server hands out.
    R"sql(
CREATE TABLE states (
  period TEXT PRIMARY KEY REFERENCES periods(label) ON DELETE CASCADE,
  body BLOB NOT NULL
);
)sql",
};
static_assert(std::size(kSqliteMigrations) == kStoreSchemaVersion);

class SqliteStore final : public Store {
 public:
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteStore() override { sqlite3_close_v2(db_); }

  Status Init() {
    // The busy timeout first: a second process opening a new store waits for the first.
    TSQ_TRY(
        Exec("PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;"));
    auto version = UserVersion();
    if (!version) return std::move(version).error();
    if (*version == kStoreSchemaVersion) return {};
    TSQ_TRY(Exec("BEGIN IMMEDIATE"));
    Status st = Migrate();
    if (st) st = Exec("COMMIT");
    if (!st) (void)Exec("ROLLBACK");
    return st;
  }

  Status Put(const StoredPeriod& p) override {
    TSQ_TRY(Exec("BEGIN IMMEDIATE"));
    Status st = PutInTransaction(p);
    if (!st) {
      (void)Exec("ROLLBACK");
      return st;
    }
    return Exec("COMMIT");
  }

  Result<std::vector<PeriodInfo>> Periods() override {
    Statement s(db_);
    TSQ_TRY(Prepare(&s,
                    "SELECT p.label, p.period_from, p.period_to, p.as_of, p.catalog_sha256, "
                    "p.tsq_version, p.stored_at, (SELECT count(*) FROM indicator_values v WHERE "
                    "v.period = p.label), EXISTS (SELECT 1 FROM states t WHERE t.period = "
                    "p.label) FROM periods p ORDER BY p.period_from, p.period_to"));
    std::vector<PeriodInfo> out;
    for (;;) {
      const int rc = sqlite3_step(s.get());
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Fail("reading the periods");
      PeriodInfo i;
      i.label = Text(s.get(), 0);
      i.from = Text(s.get(), 1);
      i.to = Text(s.get(), 2);
      i.as_of = Text(s.get(), 3);
      i.catalog_sha256 = Text(s.get(), 4);
      i.tsq_version = Text(s.get(), 5);
      i.stored_at = Text(s.get(), 6);
      i.values = static_cast<uint64_t>(sqlite3_column_int64(s.get(), 7));
      i.has_state = sqlite3_column_int(s.get(), 8) != 0;
      out.push_back(std::move(i));
    }
    return out;
  }

  Result<std::optional<std::string>> KpiJson(const std::string& label) override {
    Statement s(db_);
    TSQ_TRY(Prepare(&s, "SELECT kpi_json FROM periods WHERE label = ?1"));
    sqlite3_bind_text(s.get(), 1, label.data(), static_cast<int>(label.size()), SQLITE_TRANSIENT);
    const int rc = sqlite3_step(s.get());
    if (rc == SQLITE_DONE) return std::optional<std::string>();
    if (rc != SQLITE_ROW) return Fail("reading a period");
    return std::optional<std::string>(Text(s.get(), 0));
  }

  Result<std::vector<StoredValue>> Values(const ValueFilter& f) override {
    Statement s(db_);
    TSQ_TRY(Prepare(&s,
                    "SELECT v.period, v.id, v.grp, v.operator, v.region, v.month, v.value, v.n, "
                    "v.verdict, v.group_json, v.is_rate, v.successes FROM indicator_values v "
                    "JOIN periods p ON p.label = v.period WHERE (?1 = '' OR v.period = ?1) AND "
                    "(?2 = '' OR v.id = ?2) AND (?3 = '' OR v.operator = ?3) AND (?4 = '' OR "
                    "v.region = ?4) AND (?5 = '' OR v.month = ?5) AND (?6 = '' OR v.grp = ?6) "
                    "ORDER BY p.period_from, p.period_to, v.id, v.grp"));
    const std::string* args[] = {&f.period, &f.id, &f.op, &f.region, &f.month, &f.group};
    for (int i = 0; i < 6; ++i) Bind(&s, i + 1, *args[i]);
    std::vector<StoredValue> out;
    for (;;) {
      const int rc = sqlite3_step(s.get());
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Fail("reading values");
      StoredValue v;
      v.period = Text(s.get(), 0);
      v.id = Text(s.get(), 1);
      v.group = Text(s.get(), 2);
      v.op = Text(s.get(), 3);
      v.region = Text(s.get(), 4);
      v.month = Text(s.get(), 5);
      if (sqlite3_column_type(s.get(), 6) != SQLITE_NULL)
        v.value = sqlite3_column_double(s.get(), 6);
      v.n = static_cast<uint64_t>(sqlite3_column_int64(s.get(), 7));
      v.verdict = Text(s.get(), 8);
      v.group_json = Text(s.get(), 9);
      v.is_rate = sqlite3_column_int(s.get(), 10) != 0;
      v.successes = static_cast<uint64_t>(sqlite3_column_int64(s.get(), 11));
      if (KeepsDims(f, v)) out.push_back(std::move(v));
    }
    return out;
  }

  Result<std::optional<StoredDocument>> Document(const std::string& label,
                                                 const std::string& name) override {
    Statement s(db_);
    TSQ_TRY(Prepare(&s, "SELECT media_type, body FROM documents WHERE period = ?1 AND name = ?2"));
    Bind(&s, 1, label);
    Bind(&s, 2, name);
    const int rc = sqlite3_step(s.get());
    if (rc == SQLITE_DONE) return std::optional<StoredDocument>();
    if (rc != SQLITE_ROW) return Fail("reading a document");
    StoredDocument d;
    d.name = name;
    d.media_type = Text(s.get(), 0);
    d.body = Blob(s.get(), 1);
    return std::optional<StoredDocument>(std::move(d));
  }

  Result<std::vector<StoredDocument>> Documents(const std::string& label) override {
    Statement s(db_);
    TSQ_TRY(Prepare(&s, "SELECT name, media_type FROM documents WHERE period = ?1 ORDER BY name"));
    Bind(&s, 1, label);
    std::vector<StoredDocument> out;
    for (;;) {
      const int rc = sqlite3_step(s.get());
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Fail("listing documents");
      out.push_back({Text(s.get(), 0), Text(s.get(), 1), {}});
    }
    return out;
  }

  Result<std::optional<std::string>> State(const std::string& label) override {
    Statement s(db_);
    TSQ_TRY(Prepare(&s, "SELECT body FROM states WHERE period = ?1"));
    Bind(&s, 1, label);
    const int rc = sqlite3_step(s.get());
    if (rc == SQLITE_DONE) return std::optional<std::string>();
    if (rc != SQLITE_ROW) return Fail("reading a state");
    return std::optional<std::string>(Blob(s.get(), 0));
  }

  std::string Where() const override { return path_; }

 private:
  // A prepared statement, finalized when it goes.
  class Statement {
   public:
    explicit Statement(sqlite3*) {}
    ~Statement() { sqlite3_finalize(s_); }
    sqlite3_stmt* get() const { return s_; }
    sqlite3_stmt** out() { return &s_; }

   private:
    sqlite3_stmt* s_ = nullptr;
  };

  static void Bind(Statement* s, int index, const std::string& text) {
    sqlite3_bind_text(s->get(), index, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
  }

  static std::string Blob(sqlite3_stmt* s, int col) {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(s, col));
    return p == nullptr ? std::string()
                        : std::string(p, static_cast<size_t>(sqlite3_column_bytes(s, col)));
  }

  static std::string Text(sqlite3_stmt* s, int col) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
    return p == nullptr ? std::string()
                        : std::string(p, static_cast<size_t>(sqlite3_column_bytes(s, col)));
  }

  Error Fail(std::string_view what) const {
    return Error(ErrorCode::kIo, fmt::format("{}: {}: {}", path_, what, sqlite3_errmsg(db_)));
  }

  Status Exec(const std::string& sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
      Error e(ErrorCode::kIo, fmt::format("{}: {}", path_, msg != nullptr ? msg : "error"));
      sqlite3_free(msg);
      return e;
    }
    return {};
  }

  Status Prepare(Statement* s, const char* sql) {
    if (sqlite3_prepare_v2(db_, sql, -1, s->out(), nullptr) != SQLITE_OK) {
      return Fail("preparing a query");
    }
    return {};
  }

  Result<int> UserVersion() {
    Statement s(db_);
    TSQ_TRY(Prepare(&s, "PRAGMA user_version"));
    if (sqlite3_step(s.get()) != SQLITE_ROW) return Fail("reading the schema version");
    return sqlite3_column_int(s.get(), 0);
  }

  // Under the write lock, the version read again: another opener may have migrated meanwhile.
  Status Migrate() {
    auto version = UserVersion();
    if (!version) return std::move(version).error();
    if (*version > kStoreSchemaVersion) {
      return Error(ErrorCode::kUnsupported,
                   fmt::format("{}: the store's schema is version {}, this tsq knows up to {}; "
                               "use a newer tsq",
                               path_, *version, kStoreSchemaVersion));
    }
    for (int v = *version; v < kStoreSchemaVersion; ++v) TSQ_TRY(Exec(kSqliteMigrations[v]));
    return Exec(fmt::format("PRAGMA user_version = {}", kStoreSchemaVersion));
  }

  Status PutInTransaction(const StoredPeriod& p) {
    {
      Statement del(db_);
      TSQ_TRY(Prepare(&del, "DELETE FROM periods WHERE label = ?1"));
      sqlite3_bind_text(del.get(), 1, p.label.data(), static_cast<int>(p.label.size()),
                        SQLITE_TRANSIENT);
      if (sqlite3_step(del.get()) != SQLITE_DONE) return Fail("replacing the period");
    }
    {
      Statement ins(db_);
      TSQ_TRY(Prepare(&ins,
                      "INSERT INTO periods (label, period_from, period_to, as_of, catalog_sha256, "
                      "tsq_version, stored_at, kpi_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                      "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?7)"));
      const std::string* args[] = {&p.label,          &p.from,        &p.to,      &p.as_of,
                                   &p.catalog_sha256, &p.tsq_version, &p.kpi_json};
      for (int i = 0; i < 7; ++i) {
        sqlite3_bind_text(ins.get(), i + 1, args[i]->data(), static_cast<int>(args[i]->size()),
                          SQLITE_TRANSIENT);
      }
      if (sqlite3_step(ins.get()) != SQLITE_DONE) return Fail("storing the period");
    }
    Statement v(db_);
    TSQ_TRY(Prepare(&v,
                    "INSERT INTO indicator_values (period, id, grp, operator, region, month, "
                    "value, n, verdict, group_json, is_rate, successes) VALUES (?1, ?2, ?3, ?4, "
                    "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
    for (const StoredValue& x : p.values) {
      sqlite3_reset(v.get());
      const std::string* args[] = {&p.label, &x.id, &x.group, &x.op, &x.region, &x.month};
      for (int i = 0; i < 6; ++i) Bind(&v, i + 1, *args[i]);
      if (x.value) {
        sqlite3_bind_double(v.get(), 7, *x.value);
      } else {
        sqlite3_bind_null(v.get(), 7);
      }
      sqlite3_bind_int64(v.get(), 8, static_cast<sqlite3_int64>(x.n));
      Bind(&v, 9, x.verdict);
      Bind(&v, 10, x.group_json.empty() ? std::string("{}") : x.group_json);
      sqlite3_bind_int(v.get(), 11, x.is_rate ? 1 : 0);
      sqlite3_bind_int64(v.get(), 12, static_cast<sqlite3_int64>(x.successes));
      if (sqlite3_step(v.get()) != SQLITE_DONE) {
        return Fail(fmt::format("storing {} {{{}}}", x.id, x.group));
      }
    }
    Statement d(db_);
    TSQ_TRY(Prepare(
        &d, "INSERT INTO documents (period, name, media_type, body) VALUES (?1, ?2, ?3, ?4)"));
    for (const StoredDocument& doc : p.documents) {
      sqlite3_reset(d.get());
      Bind(&d, 1, p.label);
      Bind(&d, 2, doc.name);
      Bind(&d, 3, doc.media_type);
      sqlite3_bind_blob64(d.get(), 4, doc.body.data(), doc.body.size(), SQLITE_TRANSIENT);
      if (sqlite3_step(d.get()) != SQLITE_DONE) {
        return Fail(fmt::format("storing the document {}", doc.name));
      }
    }
    if (!p.state.empty()) {
      Statement st(db_);
      TSQ_TRY(Prepare(&st, "INSERT INTO states (period, body) VALUES (?1, ?2)"));
      Bind(&st, 1, p.label);
      sqlite3_bind_blob64(st.get(), 2, p.state.data(), p.state.size(), SQLITE_TRANSIENT);
      if (sqlite3_step(st.get()) != SQLITE_DONE) return Fail("storing the state");
    }
    return {};
  }

  sqlite3* db_;
  std::string path_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error e(ErrorCode::kIo, fmt::format("{}: cannot open the store: {}", path,
                                        db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_close_v2(db);
    return e;
  }
  auto store = std::make_unique<SqliteStore>(db, path);
  TSQ_TRY(store->Init());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace tsq
