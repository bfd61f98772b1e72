#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

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

TEST(SqliteStore, StoresListsFiltersAndReplacesPeriods) {
  const std::string path = TempStore("basic");
  {
    auto store = OpenSqliteStore(path);
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE((*store)->Put(Period("2022H2", "2022-07-01", 3)));
    ASSERT_TRUE((*store)->Put(Period("2022H1", "2022-01-01", 2)));
  }
  auto store = OpenSqliteStore(path);  // reopened: the data is on disk
  ASSERT_TRUE(store) << store.error().message;
  auto periods = (*store)->Periods();
  ASSERT_TRUE(periods);
  ASSERT_EQ(periods->size(), 2u);
  EXPECT_EQ((*periods)[0].label, "2022H1");  // by start
  EXPECT_EQ((*periods)[1].values, 3u);
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
  EXPECT_DOUBLE_EQ(*(*region)[0].value, 0.902);
  auto all = (*store)->Values({.period = "2022H2", .id = "calls.connect_rate"});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_FALSE((*all)[1].value.has_value());  // a value without a number stays null
  EXPECT_EQ((*all)[1].verdict, "insufficient");

  // Storing again replaces the period whole.
  ASSERT_TRUE((*store)->Put(Period("2022H2", "2022-07-01", 1)));
  all = (*store)->Values({.period = "2022H2"});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);
}

TEST(SqliteStore, KeepsExactGroupsRatesHistoryAndDocuments) {
  auto store = OpenSqliteStore(TempStore("v2"));
  ASSERT_TRUE(store);
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
  EXPECT_TRUE((*docs)[0].body.empty());

  // Replacing a period replaces its documents.
  StoredPeriod again = Period("2022H1", "2022-01-01", 1);
  again.documents.pop_back();
  ASSERT_TRUE((*store)->Put(again));
  docs = (*store)->Documents("2022H1");
  ASSERT_TRUE(docs);
  EXPECT_EQ(docs->size(), 1u);
}

TEST(SqliteStore, MigratesAVersionOneStore) {
  const std::string path = TempStore("v1");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const char* v1 = R"sql(
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
    ASSERT_EQ(sqlite3_exec(db, v1, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store) << store.error().message;
  auto values = (*store)->Values({.period = "2022H1"});
  ASSERT_TRUE(values);
  ASSERT_EQ(values->size(), 1u);
  EXPECT_EQ((*values)[0].group_json, "{}");
  ASSERT_TRUE((*store)->Put(Period("2022H2", "2022-07-01", 2)));  // the new columns work
  auto docs = (*store)->Documents("2022H2");
  ASSERT_TRUE(docs);
  EXPECT_EQ(docs->size(), 2u);
}

TEST(Store, RedactsPasswordsAndTellsStoresApart) {
  EXPECT_EQ(RedactUri("postgresql://tsq:s3cret@127.0.0.1:5432/tsq"),
            "postgresql://tsq:***@127.0.0.1:5432/tsq");
  EXPECT_EQ(RedactUri("postgresql://tsq@localhost/tsq"), "postgresql://tsq@localhost/tsq");
  EXPECT_EQ(RedactUri("postgresql://localhost/tsq?user=a"), "postgresql://localhost/tsq?user=a");
  EXPECT_EQ(RedactUri("tsq.db"), "tsq.db");
  EXPECT_TRUE(IsPostgresUri("postgres://x/y"));
  EXPECT_FALSE(IsPostgresUri("postgres.db"));
  auto empty = OpenStore("");
  ASSERT_FALSE(empty);
}

TEST(SqliteStore, AFailedPutLeavesTheStoredPeriodAsItWas) {
  auto store = OpenSqliteStore(TempStore("atomic"));
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->Put(Period("2022H2", "2022-07-01", 3)));
  StoredPeriod bad = Period("2022H2", "2022-07-01", 2);
  bad.values.push_back(bad.values.back());  // the same id and group twice
  const Status st = (*store)->Put(bad);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("storing calls.connect_rate"), std::string::npos)
      << st.error().message;
  auto all = (*store)->Values({.period = "2022H2"});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);  // the earlier version, untouched
}

TEST(SqliteStore, RefusesAStoreOfANewerSchemaAndANonStore) {
  const std::string path = TempStore("newer");
  ASSERT_TRUE(OpenSqliteStore(path));
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  auto newer = OpenSqliteStore(path);
  ASSERT_FALSE(newer);
  EXPECT_NE(newer.error().message.find("version 99"), std::string::npos);

  const std::string text = TempStore("text");
  { std::ofstream(text) << "not a database, just text that is long enough to be read as a header"; }
  auto not_store = OpenSqliteStore(text);
  ASSERT_FALSE(not_store);
  EXPECT_NE(not_store.error().message.find(text), std::string::npos);
}

}  // namespace
}  // namespace tsq
