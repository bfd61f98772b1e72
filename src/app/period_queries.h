// What the dashboard and its API ask of the store of periods: the periods, one period's values
// (filtered, with the names of today's catalog and their 环比 and 同比), one indicator's history,
// the findings, the data quality, the reports, and the Prometheus text of the latest period.
// `tsq serve` calls these; every answer is JSON built from what `tsq ingest` stored, so a period
// shows what its run computed.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "indicators/catalog.h"
#include "store/store.h"

namespace tsq {

using Json = nlohmann::ordered_json;

/// One period's values, selected by their group: the dimensions of the group are exactly those
/// named by operator/region/month (when set) plus `breakdown`; none at all is the overall figure.
struct IndicatorQuery {
  std::string period;
  std::string id;  // exact id, or a glob ("calls.*"); empty for every id
  std::string op, region, month;
  std::vector<std::string> breakdown;  // dimension names: "operator", "region", "month", ...
  std::string lang = "zh";
};

/// One indicator's figure across the stored periods, and per month within them, for one group.
struct HistoryQuery {
  std::string id;
  std::string op, region;
  std::string lang = "zh";
};

class PeriodQueries {
 public:
  /// Opens the store; names come from the built-in catalog with `catalog_path` on top (if any).
  static Result<std::unique_ptr<PeriodQueries>> Open(const std::string& store_spec,
                                                     const std::string& catalog_path);

  /// {"periods": [{label, from, to, as_of, stored_at, values, documents, previous,
  /// year_earlier}]}, by start; previous/year_earlier: the label when that period is stored.
  Result<Json> Periods();
  /// One period: as in Periods(), plus its operators, regions and months, and per operator the
  /// verdict counts.
  Result<Json> Period(const std::string& label);
  Result<Json> Indicators(const IndicatorQuery& q);
  Result<Json> History(const HistoryQuery& q);
  /// A finding document ("cells", "cells.geojson", "broadband", "callers"), optionally only
  /// one operator's rows. kNotFound when the period's data had no such records.
  Result<Json> Finding(const std::string& label, const std::string& kind, const std::string& op);
  Result<Json> DataQuality(const std::string& label);
  /// A report: lang "zh"/"en", format "html", "xlsx" or "pdf" (printed from the stored
  /// html by headless Chromium the first time it is asked for, then kept).
  Result<StoredDocument> Report(const std::string& label, const std::string& lang,
                                const std::string& format);
  /// The latest period's headline figures in Prometheus' text format: overall and per operator,
  /// each indicator's value and whether it met its target, and the verdict counts.
  Result<std::string> Metrics();
  /// Changes whenever a period is stored, replaced or removed: the answers of a generation can be
  /// kept and handed out again.
  Result<std::string> Generation();
  /// The catalog as `tsq indicators --format json` prints it.
  Json CatalogJson() const;
  std::string Where() const { return store_->Where(); }

 private:
  // A stored period's parsed documents, kept while its stored_at is unchanged.
  struct Loaded {
    std::string stored_at;
    std::shared_ptr<const Json> kpi;      // the kpi document
    std::shared_ptr<const Json> earlier;  // {"previous": {...}, "year_earlier": {...}} of ingest
    std::map<std::string, size_t> index;  // "id\x1fgroup" -> position in kpi["indicators"]
  };

  PeriodQueries(std::unique_ptr<Store> store, Catalog catalog)
      : store_(std::move(store)), catalog_(std::move(catalog)) {}
  Result<std::vector<PeriodInfo>> PeriodInfos();
  Result<std::shared_ptr<const Loaded>> Load(const std::string& label);
  Result<Json> DocumentJson(const std::string& label, const std::string& name);
  Json PeriodJson(const PeriodInfo& p, const std::vector<PeriodInfo>& all);
  Json Definition(const std::string& id, const std::string& lang) const;

  std::mutex mu_;  // the store's connection and the caches are used by one request at a time
  std::unique_ptr<Store> store_;
  Catalog catalog_;
  std::map<std::string, std::shared_ptr<const Loaded>> loaded_;
  std::map<std::string, std::pair<std::string, std::string>> pdfs_;  // key -> (stored_at, bytes)
};

}  // namespace tsq
