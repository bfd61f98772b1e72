// The Store contract, held against every store: SQLite always, PostgreSQL when
// TSQ_TEST_POSTGRES_URI names a database the tests may use (tests/pg/run_with_postgres.sh starts
// a throwaway server and sets it).
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include <gtest/gtest.h>
#include <sqlite3.h>
#if TSQ_WITH_POSTGRES
#include <libpq-fe.h>
#endif

#include "store/store.h"

namespace tsq {
namespace {

namespace fs = std::filesystem;

std::string TempStore(const std::string& name) {
  const fs::path p = fs::path(::testing::TempDir()) / ("tsq_store_" + name + ".db");
  fs::remove(p);
  fs::remove(p.string() + "-wal");
  fs::remove(p.string() + "-shm");
  return p.string();
}

// The running test's name as an identifier: letters, digits and '_'.
std::string TestId() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string id;
  for (char c : std::string(info->name())) {
    id += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  }
  return id;
}

// A kind of store: how to get an empty one, and how to reach behind its back (to write an old
// schema or a newer one).
class Backend {
 public:
  virtual ~Backend() = default;
  /// Why this kind of store cannot be tested here; empty when it can.
  virtual std::string Unavailable() const { return ""; }
  /// The OpenStore spec of an empty store of this test's own.
  virtual std::string Fresh() = 0;
  /// Runs `sql` on the store `spec` names, not through the Store.
  virtual void Exec(const std::string& spec, const std::string& sql) = 0;
  /// A version 1 schema holding a period 2022H1 with the value calls.attempts = 12.
  virtual std::string VersionOneSql() const = 0;
  virtual std::string SetVersionSql(int version) const = 0;
};

class SqliteBackend final : public Backend {
 public:
  std::string Fresh() override { return TempStore(TestId()); }
  void Exec(const std::string& spec, const std::string& sql) override {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(spec.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error != nullptr ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }
  std::string VersionOneSql() const override {
    return R"sql(
CREATE TABLE periods (label TEXT PRIMARY KEY, period_from TEXT NOT NULL, period_to TEXT NOT NULL,
  as_of TEXT NOT NULL, catalog_sha256 TEXT NOT NULL, tsq_version TEXT NOT NULL,
  stored_at TEXT NOT NULL, kpi_json TEXT NOT NULL);
CREATE TABLE indicator_values (period TEXT NOT NULL REFERENCES periods(label) ON DELETE CASCADE,
  id TEXT NOT NULL, grp TEXT NOT NULL, operator TEXT NOT NULL, region TEXT NOT NULL,
  month TEXT NOT NULL, value REAL, n INTEGER NOT NULL, verdict TEXT NOT NULL,
  PRIMARY KEY (period, id, grp));
CREATE INDEX indicator_values_by_id ON indicator_values (id, period);
INSERT INTO periods VALUES ('2022H1', 'a', 'b', 'b', 'h', '0.1.0', 'now', '{}');
INSERT INTO indicator_values VALUES ('2022H1', 'calls.attempts', '', '', '', '', 12, 12, 'none');
PRAGMA user_version = 1;
)sql";
  }
  std::string SetVersionSql(int version) const override {
    return "PRAGMA user_version = " + std::to_string(version);
  }
};

#if TSQ_WITH_POSTGRES
// Each test gets a schema of its own in the database (dropped and made again, so it starts empty,
// and tests running side by side do not meet), chosen with the URI's search_path.
class PostgresBackend final : public Backend {
 public:
  PostgresBackend() {
    const char* uri = std::getenv("TSQ_TEST_POSTGRES_URI");
    uri_ = uri != nullptr ? uri : "";
  }
  std::string Unavailable() const override {
    if (!uri_.empty()) return "";
    return "TSQ_TEST_POSTGRES_URI is not set: the PostgreSQL store is not tested (ctest -R pg, or "
           "tests/pg/run_with_postgres.sh, runs these tests with a throwaway server)";
  }
  std::string Fresh() override {
    const std::string schema = ("tsq_test_" + TestId()).substr(0, 63);
    Exec(uri_,
         "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE; CREATE SCHEMA \"" + schema + "\"");
    return uri_ + (uri_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
           schema;
  }
  void Exec(const std::string& spec, const std::string& sql) override {
    PGconn* conn = PQconnectdb(spec.c_str());
    ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << RedactUri(spec) << ": " << PQerrorMessage(conn);
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    PGresult* r = PQexec(conn, sql.c_str());
    EXPECT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(conn);
  }
  std::string VersionOneSql() const override {
    return R"sql(
CREATE TABLE tsq_schema (version INTEGER NOT NULL);
INSERT INTO tsq_schema VALUES (1);
CREATE TABLE periods (label TEXT COLLATE "C" PRIMARY KEY, period_from TEXT COLLATE "C" NOT NULL,
  period_to TEXT COLLATE "C" NOT NULL, as_of TEXT NOT NULL, catalog_sha256 TEXT NOT NULL,
  tsq_version TEXT NOT NULL, stored_at TEXT NOT NULL, kpi_json TEXT NOT NULL);
CREATE TABLE indicator_values (period TEXT COLLATE "C" NOT NULL REFERENCES periods(label)
  ON DELETE CASCADE, id TEXT COLLATE "C" NOT NULL, grp TEXT COLLATE "C" NOT NULL,
  operator TEXT NOT NULL, region TEXT NOT NULL, month TEXT NOT NULL, value DOUBLE PRECISION,
  n BIGINT NOT NULL, verdict TEXT NOT NULL, PRIMARY KEY (period, id, grp));
CREATE INDEX indicator_values_by_id ON indicator_values (id, period);
INSERT INTO periods VALUES ('2022H1', 'a', 'b', 'b', 'h', '0.1.0', 'now', '{}');
INSERT INTO indicator_values VALUES ('2022H1', 'calls.attempts', '', '', '', '', 12, 12, 'none');
)sql";
  }
  std::string SetVersionSql(int version) const override {
    return "UPDATE tsq_schema SET version = " + std::to_string(version);
  }

 private:
  std::string uri_;
};
#else
class PostgresBackend final : public Backend {
 public:
  std::string Unavailable() const override { return "tsq is built without libpq"; }
  std::string Fresh() override { return ""; }
  void Exec(const std::string&, const std::string&) override {}
  std::string VersionOneSql() const override { return ""; }
  std::string SetVersionSql(int) const override { return ""; }
};
#endif

StoredPeriod Period(const std::string& label, const std::string& from, int values) {
  StoredPeriod p;
  p.label = label;
  p.from = from;
  p.to = from + "+6m";
  p.as_of = p.to;
  p.catalog_sha256 = "abc";
  p.tsq_version = "0.1.0";
  p.kpi_json = R"({"period": ")" + label + R"("})";
  for (int i = 0; i < values; ++i) {
    StoredValue v;
    v.id = "calls.connect_rate";
    v.group = i == 0 ? "" : "operator=移动,region=R" + std::to_string(i);
    v.group_json = i == 0 ? "{}" : R"({"operator":"移动","region":"R)" + std::to_string(i) + "\"}";
    v.is_rate = true;
    v.successes = 90 + static_cast<uint64_t>(i);
    v.op = i == 0 ? "" : "移动";
    v.region = i == 0 ? "" : "R" + std::to_string(i);
    v.value = i == 1 ? std::nullopt : std::optional<double>(0.9 + i * 0.001);
    v.n = 100 + static_cast<uint64_t>(i);
    v.verdict = i == 1 ? "insufficient" : "met";
    p.values.push_back(v);
  }
  p.documents.push_back({"cells.json", "application/json", R"({"cells": [])" + label + "]}"});
  p.documents.push_back({"report.zh.xlsx", "application/octet-stream", std::string("PK\0\x03", 4)});
  return p;
}

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      backend_ = std::make_unique<SqliteBackend>();
    } else {
      backend_ = std::make_unique<PostgresBackend>();
    }
    if (const std::string why = backend_->Unavailable(); !why.empty()) GTEST_SKIP() << why;
    spec_ = backend_->Fresh();
  }

  Result<std::unique_ptr<Store>> Open() const { return OpenStore(spec_); }

  std::unique_ptr<Backend> backend_;
  std::string spec_;
};

TEST_P(StoreContract, StoresListsFiltersAndReplacesPeriods) {
  {
    auto store = Open();
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE((*store)->Put(Period("2022H2", "2022-07-01", 3)));
    ASSERT_TRUE((*store)->Put(Period("2022H1", "2022-01-01", 2)));
  }
  auto store = Open();  // reopened: the data was kept
  ASSERT_TRUE(store) << store.error().message;
  auto periods = (*store)->Periods();
  ASSERT_TRUE(periods);
  ASSERT_EQ(periods->size(), 2u);
  EXPECT_EQ((*periods)[0].label, "2022H1");  // by start
  EXPECT_EQ((*periods)[1].values, 3u);
  EXPECT_EQ((*periods)[1].to, "2022-07-01+6m");
  EXPECT_EQ((*periods)[1].catalog_sha256, "abc");
  EXPECT_EQ((*periods)[1].stored_at.size(), 20u) << (*periods)[1].stored_at;  // ...T...Z
  auto json = (*store)->KpiJson("2022H2");
  ASSERT_TRUE(json);
  EXPECT_EQ(json->value_or(""), R"({"period": "2022H2"})");
  auto missing = (*store)->KpiJson("2021H2");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());

  auto region = (*store)->Values({.period = "2022H2", .region = "R2"});
  ASSERT_TRUE(region);
  ASSERT_EQ(region->size(), 1u);
  EXPECT_EQ((*region)[0].group, "operator=移动,region=R2");
  EXPECT_EQ((*region)[0].op, "移动");
  EXPECT_EQ((*region)[0].n, 102u);
  EXPECT_EQ((*region)[0].verdict, "met");
  EXPECT_DOUBLE_EQ(*(*region)[0].value, 0.902);
  auto all = (*store)->Values({.period = "2022H2", .id = "calls.connect_rate"});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].group, "");             // by id, then group
  EXPECT_FALSE((*all)[1].value.has_value());  // a value without a number stays null
  EXPECT_EQ((*all)[1].verdict, "insufficient");
  auto none = (*store)->Values({.period = "2022H2", .op = "电信"});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());

  // Storing again replaces the period whole.
  ASSERT_TRUE((*store)->Put(Period("2022H2", "2022-07-01", 1)));
  all = (*store)->Values({.period = "2022H2"});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);
}

TEST_P(StoreContract, KeepsExactGroupsRatesHistoryAndDocuments) {
  auto store = Open();
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_TRUE((*store)->Put(Period("2022H2", "2022-07-01", 3)));
  ASSERT_TRUE((*store)->Put(Period("2022H1", "2022-01-01", 3)));

  // One group's history: every period, by start.
  auto history = (*store)->Values({.id = "calls.connect_rate", .group = "operator=移动,region=R2"});
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].period, "2022H1");
  EXPECT_EQ((*history)[1].period, "2022H2");
  EXPECT_EQ((*history)[1].group_json, R"({"operator":"移动","region":"R2"})");
  EXPECT_TRUE((*history)[1].is_rate);
  EXPECT_EQ((*history)[1].successes, 92u);

  // Only the overall figures (no dimension allowed), then overall and per operator+region.
  auto overall = (*store)->Values({.period = "2022H2", .only_listed_dims = true});
  ASSERT_TRUE(overall);
  ASSERT_EQ(overall->size(), 1u);
  EXPECT_EQ((*overall)[0].group, "");
  auto by_region = (*store)->Values(
      {.period = "2022H2", .only_listed_dims = true, .dims = {"operator", "region"}});
  ASSERT_TRUE(by_region);
  EXPECT_EQ(by_region->size(), 3u);
  auto by_operator =
      (*store)->Values({.period = "2022H2", .only_listed_dims = true, .dims = {"operator"}});
  ASSERT_TRUE(by_operator);
  EXPECT_EQ(by_operator->size(), 1u);

  auto doc = (*store)->Document("2022H2", "report.zh.xlsx");
  ASSERT_TRUE(doc);
  ASSERT_TRUE(doc->has_value());
  EXPECT_EQ((*doc)->body, std::string("PK\0\x03", 4));  // bytes, NUL included
  EXPECT_EQ((*doc)->media_type, "application/octet-stream");
  auto none = (*store)->Document("2022H2", "report.en.pdf");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  auto docs = (*store)->Documents("2022H1");
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0].name, "cells.json");
  EXPECT_EQ((*docs)[0].media_type, "application/json");
  EXPECT_TRUE((*docs)[0].body.empty());

  // Replacing a period replaces its documents.
  StoredPeriod again = Period("2022H1", "2022-01-01", 1);
  again.documents.pop_back();
  ASSERT_TRUE((*store)->Put(again));
  docs = (*store)->Documents("2022H1");
  ASSERT_TRUE(docs);
  EXPECT_EQ(docs->size(), 1u);
}

TEST_P(StoreContract, KeepsEveryByteOfADocument) {
  auto store = Open();
  ASSERT_TRUE(store) << store.error().message;
  StoredPeriod p = Period("2022H2", "2022-07-01", 1);
  std::string bytes;
  for (int round = 0; round < 300; ++round) {
    for (int b = 0; b < 256; ++b) bytes += static_cast<char>((b + round) % 256);
  }
  p.documents.push_back({"all.bin", "application/octet-stream", bytes});
  p.documents.push_back({"empty.txt", "text/plain", ""});
  ASSERT_TRUE((*store)->Put(p));
  auto doc = (*store)->Document("2022H2", "all.bin");
  ASSERT_TRUE(doc);
  ASSERT_TRUE(doc->has_value());
  EXPECT_TRUE((*doc)->body == bytes) << (*doc)->body.size() << " bytes back of " << bytes.size();
  auto empty = (*store)->Document("2022H2", "empty.txt");
  ASSERT_TRUE(empty);
  ASSERT_TRUE(empty->has_value());
  EXPECT_EQ((*empty)->body, "");
  EXPECT_EQ((*empty)->media_type, "text/plain");
}

TEST_P(StoreContract, KeepsAStateApartFromTheDocuments) {
  auto store = Open();
  ASSERT_TRUE(store) << store.error().message;
  StoredPeriod p = Period("2022-07", "2022-07-01", 1);
  for (int b = 0; b < 4096; ++b) p.state += static_cast<char>(b * 7 % 256);
  ASSERT_TRUE((*store)->Put(p));
  ASSERT_TRUE((*store)->Put(Period("2022-08", "2022-08-01", 1)));  // without one
  auto state = (*store)->State("2022-07");
  ASSERT_TRUE(state) << state.error().message;
  ASSERT_TRUE(state->has_value());
  EXPECT_TRUE(**state == p.state) << (*state)->size() << " bytes back of " << p.state.size();
  auto none = (*store)->State("2022-08");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  auto periods = (*store)->Periods();
  ASSERT_TRUE(periods);
  ASSERT_EQ(periods->size(), 2u);
  EXPECT_TRUE((*periods)[0].has_state);
  EXPECT_FALSE((*periods)[1].has_state);
  // It is not one of the documents the server hands out.
  auto docs = (*store)->Documents("2022-07");
  ASSERT_TRUE(docs);
  for (const StoredDocument& d : *docs) EXPECT_EQ(d.name.find("state"), std::string::npos);
  // Storing the period again without a state drops the old one.
  ASSERT_TRUE((*store)->Put(Period("2022-07", "2022-07-01", 1)));
  auto dropped = (*store)->State("2022-07");
  ASSERT_TRUE(dropped);
  EXPECT_FALSE(dropped->has_value());
}

TEST_P(StoreContract, StoresAWholeProvincesPeriod) {
  // ~20 000 values, as a province's period has: every one back, in order, exact.
  StoredPeriod p = Period("2022H2", "2022-07-01", 0);
  for (int i = 0; i < 20000; ++i) {
    StoredValue v;
    v.id = "id" + std::to_string(i % 40);
    v.group = "cell=" + std::to_string(100000 + i / 40);
    v.group_json = R"({"cell":")" + std::to_string(100000 + i / 40) + "\"}";
    v.value = i % 7 == 0 ? std::nullopt : std::optional<double>(1.0 / (i + 3));
    v.n = static_cast<uint64_t>(i);
    v.verdict = "none";
    p.values.push_back(v);
  }
  auto store = Open();
  ASSERT_TRUE(store) << store.error().message;
  const auto start = std::chrono::steady_clock::now();
  const Status put = (*store)->Put(p);
  ASSERT_TRUE(put) << put.error().message;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  RecordProperty("put_ms", static_cast<int>(ms));
  auto back = (*store)->Values({.period = "2022H2"});
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), p.values.size());
  std::map<std::pair<std::string, std::string>, const StoredValue*> sent;
  for (const StoredValue& v : p.values) sent[{v.id, v.group}] = &v;
  size_t i = 0;
  for (const auto& [key, v] : sent) {
    const StoredValue& got = (*back)[i++];
    ASSERT_EQ(got.id, v->id);
    ASSERT_EQ(got.group, v->group);
    ASSERT_EQ(got.value, v->value);  // bit for bit
    ASSERT_EQ(got.n, v->n);
  }
}

TEST_P(StoreContract, MigratesAVersionOneStore) {
  backend_->Exec(spec_, backend_->VersionOneSql());
  auto store = Open();
  ASSERT_TRUE(store) << store.error().message;
  auto values = (*store)->Values({.period = "2022H1"});
  ASSERT_TRUE(values);
  ASSERT_EQ(values->size(), 1u);
  EXPECT_EQ((*values)[0].group_json, "{}");
  EXPECT_EQ((*values)[0].value, 12.0);
  ASSERT_TRUE((*store)->Put(Period("2022H2", "2022-07-01", 2)));  // the new columns work
  auto docs = (*store)->Documents("2022H2");
  ASSERT_TRUE(docs);
  EXPECT_EQ(docs->size(), 2u);
}

TEST_P(StoreContract, AFailedPutLeavesTheStoredPeriodAsItWas) {
  auto store = Open();
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_TRUE((*store)->Put(Period("2022H2", "2022-07-01", 3)));
  StoredPeriod bad = Period("2022H2", "2022-07-01", 2);
  bad.values.push_back(bad.values.back());  // the same id and group twice
  const Status st = (*store)->Put(bad);
  ASSERT_FALSE(st);
  EXPECT_TRUE(st.error().message.starts_with((*store)->Where())) << st.error().message;
  EXPECT_NE(st.error().message.find("storing"), std::string::npos) << st.error().message;
  EXPECT_NE(st.error().message.find("calls.connect_rate"), std::string::npos) << st.error().message;
  auto all = (*store)->Values({.period = "2022H2"});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);                                     // the earlier version, untouched
  ASSERT_TRUE((*store)->Put(Period("2022H2", "2022-07-01", 4)));  // and the store still works
}

TEST_P(StoreContract, RefusesAStoreOfANewerSchema) {
  ASSERT_TRUE(Open());
  backend_->Exec(spec_, backend_->SetVersionSql(99));
  auto newer = Open();
  ASSERT_FALSE(newer);
  EXPECT_NE(newer.error().message.find("version 99"), std::string::npos) << newer.error().message;
  EXPECT_NE(newer.error().message.find("use a newer tsq"), std::string::npos);
}

TEST_P(StoreContract, OpenersAndWritersSideBySide) {
  // Two processes' first opening of an empty store, each storing the same period: both succeed,
  // and the period stored is one of the two, whole.
  Status puts[2];
  std::thread threads[2];
  for (int t = 0; t < 2; ++t) {
    threads[t] = std::thread([&, t] {
      auto store = Open();
      if (!store) {
        puts[t] = std::move(store).error();
        return;
      }
      for (int round = 0; round < 5 && puts[t]; ++round) {
        puts[t] = (*store)->Put(Period("2022H2", "2022-07-01", 3 + 2 * t));
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const Status& st : puts) ASSERT_TRUE(st) << st.error().message;
  auto store = Open();
  ASSERT_TRUE(store) << store.error().message;
  auto all = (*store)->Values({.period = "2022H2"});
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->size() == 3u || all->size() == 5u) << all->size();
  auto periods = (*store)->Periods();
  ASSERT_TRUE(periods);
  EXPECT_EQ(periods->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreContract, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

TEST(Store, RedactsPasswordsAndTellsStoresApart) {
  EXPECT_EQ(RedactUri("postgresql://tsq:s3cret@127.0.0.1:5432/tsq"),
            "postgresql://tsq:***@127.0.0.1:5432/tsq");
  EXPECT_EQ(RedactUri("postgresql://tsq@localhost/tsq"), "postgresql://tsq@localhost/tsq");
  EXPECT_EQ(RedactUri("postgresql://localhost/tsq?user=a"), "postgresql://localhost/tsq?user=a");
  EXPECT_EQ(RedactUri("postgresql://localhost/tsq?user=a&password=s3cret&sslmode=require"),
            "postgresql://localhost/tsq?user=a&password=***&sslmode=require");
  EXPECT_EQ(RedactUri("host=db user=tsq password = 's3 cret\\'' dbname=tsq"),
            "host=db user=tsq password = *** dbname=tsq");
  EXPECT_EQ(RedactUri("tsq.db"), "tsq.db");
  EXPECT_TRUE(IsPostgresUri("postgres://x/y"));
  EXPECT_FALSE(IsPostgresUri("postgres.db"));
  auto empty = OpenStore("");
  ASSERT_FALSE(empty);
}

TEST(Store, NamesAnUnreachableDatabaseWithoutItsPassword) {
  // Port 1 on loopback: nothing listens there.
  auto store = OpenStore("postgresql://tsq:s3cret@127.0.0.1:1/tsq");
  ASSERT_FALSE(store);
  const std::string& message = store.error().message;
  EXPECT_TRUE(message.starts_with("postgresql://tsq:***@127.0.0.1:1/tsq: ")) << message;
  EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
#if TSQ_WITH_POSTGRES
  EXPECT_NE(message.find("cannot connect"), std::string::npos) << message;
  EXPECT_NE(message.find("that the server is running"), std::string::npos) << message;
  EXPECT_NE(message.find("pg_isready -h 127.0.0.1 -p 1"), std::string::npos) << message;
#endif
}

TEST(SqliteStore, RefusesAFileThatIsNotAStore) {
  const std::string text = TempStore("text");
  { std::ofstream(text) << "not a database, just text that is long enough to be read as a header"; }
  auto not_store = OpenSqliteStore(text);
  ASSERT_FALSE(not_store);
  EXPECT_NE(not_store.error().message.find(text), std::string::npos);
}

}  // namespace
}  // namespace tsq
