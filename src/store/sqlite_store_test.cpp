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
    v.op = i == 0 ? "" : "移动";
    v.region = i == 0 ? "" : "R" + std::to_string(i);
    v.value = i == 1 ? std::nullopt : std::optional<double>(0.9 + i * 0.001);
    v.n = 100 + static_cast<uint64_t>(i);
    v.verdict = i == 1 ? "insufficient" : "met";
    p.values.push_back(v);
  }
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
