#include "app/period_queries.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <unistd.h>

#include "app/analysis.h"
#include "core/glob.h"
#include "core/period.h"
#include "core/timestamp.h"
#include "io/output_file.h"
#include "io/text_file.h"
#include "report/catalog_render.h"
#include "report/pdf_report.h"

namespace tsq {
namespace {

constexpr char kKeySep = '\x1f';

// "operator=移动,region=长春" from a group object, as Group::ToString() writes it.
std::string GroupKey(const Json& group) {
  std::string out;
  for (const auto& [dim, value] : group.items()) {
    if (!out.empty()) out += ',';
    out += dim + "=" + value.get<std::string>();
  }
  return out;
}

std::string ValueKey(const Json& v) {
  return v["id"].get<std::string>() + kKeySep + GroupKey(v["group"]);
}

std::string DimNames() {
  std::string out;
  for (int d = 0; d < kDimCount; ++d)
    out += std::string(d ? ", " : "") + DimName(static_cast<Dim>(d));
  return out;
}

// The group's dimensions are exactly `dims`, and its operator, region and month are those asked.
bool GroupSelected(const Json& group, const std::set<std::string>& dims, const std::string& op,
                   const std::string& region, const std::string& month) {
  if (group.size() != dims.size()) return false;
  for (const auto& [dim, value] : group.items()) {
    if (!dims.contains(dim)) return false;
  }
  const auto is = [&](const char* dim, const std::string& want) {
    return want.empty() || (group.contains(dim) && group[dim].get<std::string>() == want);
  };
  return (is("operator", op) || is("from_operator", op)) && is("region", region) &&
         is("month", month);
}

Status CheckLang(const std::string& lang) {
  if (lang == "zh" || lang == "en") return {};
  return Error(ErrorCode::kInvalidArgument, fmt::format("lang={}: zh or en", lang));
}

// A period label's preceding and year-earlier labels ("2022H2" -> "2022H1", "2021H2").
std::pair<std::string, std::string> EarlierLabels(const std::string& label) {
  auto p = ParsePeriod(label, kChinaOffsetSeconds);
  if (!p) return {};
  return {p->Previous(kChinaOffsetSeconds).label, p->YearEarlier(kChinaOffsetSeconds).label};
}

// Escapes a Prometheus label value.
std::string PromLabel(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<PeriodQueries>> PeriodQueries::Open(const std::string& store_spec,
                                                           const std::string& catalog_path) {
  auto catalog = LoadCatalog(catalog_path);
  if (!catalog) return std::move(catalog).error();
  auto store = OpenStore(store_spec);
  if (!store) return std::move(store).error();
  return std::unique_ptr<PeriodQueries>(new PeriodQueries(std::move(*store), std::move(*catalog)));
}

Result<std::vector<PeriodInfo>> PeriodQueries::PeriodInfos() {
  std::lock_guard lock(mu_);
  return store_->Periods();
}

Json PeriodQueries::PeriodJson(const PeriodInfo& p, const std::vector<PeriodInfo>& all) {
  const auto [previous, year_earlier] = EarlierLabels(p.label);
  const auto stored = [&](const std::string& label) {
    const bool has =
        std::any_of(all.begin(), all.end(), [&](const PeriodInfo& i) { return i.label == label; });
    return has ? Json(label) : Json(nullptr);
  };
  return Json{{"label", p.label},
              {"from", p.from},
              {"to", p.to},
              {"as_of", p.as_of},
              {"stored_at", p.stored_at},
              {"catalog_sha256", p.catalog_sha256},
              {"tsq_version", p.tsq_version},
              {"values", p.values},
              {"previous", stored(previous)},
              {"year_earlier", stored(year_earlier)}};
}

Result<Json> PeriodQueries::Periods() {
  auto infos = PeriodInfos();
  if (!infos) return std::move(infos).error();
  Json list = Json::array();
  for (const PeriodInfo& p : *infos) {
    Json j = PeriodJson(p, *infos);
    std::lock_guard lock(mu_);
    auto docs = store_->Documents(p.label);
    if (!docs) return std::move(docs).error();
    Json names = Json::array();
    for (const StoredDocument& d : *docs) names.push_back(d.name);
    j["documents"] = std::move(names);
    list.push_back(std::move(j));
  }
  return Json{{"store", Where()}, {"periods", std::move(list)}};
}

Result<std::shared_ptr<const PeriodQueries::Loaded>> PeriodQueries::Load(const std::string& label) {
  auto infos = PeriodInfos();
  if (!infos) return std::move(infos).error();
  auto it = std::find_if(infos->begin(), infos->end(),
                         [&](const PeriodInfo& p) { return p.label == label; });
  if (it == infos->end()) {
    std::string stored;
    for (const PeriodInfo& p : *infos) stored += (stored.empty() ? "" : ", ") + p.label;
    return Error(ErrorCode::kNotFound,
                 fmt::format("period {} is not in the store{}", label,
                             stored.empty() ? " (it holds none: run tsq ingest)"
                                            : " (it holds " + stored + ")"));
  }
  std::lock_guard lock(mu_);
  if (auto cached = loaded_.find(label);
      cached != loaded_.end() && cached->second->stored_at == it->stored_at) {
    return cached->second;
  }
  auto text = store_->KpiJson(label);
  if (!text) return std::move(text).error();
  auto loaded = std::make_shared<Loaded>();
  loaded->stored_at = it->stored_at;
  auto kpi = std::make_shared<Json>(Json::parse(text->value_or("{}"), nullptr, false));
  if (kpi->is_discarded() || !kpi->contains("indicators")) {
    return Error(ErrorCode::kCorrupt,
                 fmt::format("{}: the stored document of {} is not tsq's kpi JSON; ingest the "
                             "period again",
                             store_->Where(), label));
  }
  const Json& values = (*kpi)["indicators"];
  for (size_t i = 0; i < values.size(); ++i) loaded->index[ValueKey(values[i])] = i;
  loaded->kpi = std::move(kpi);
  auto earlier = store_->Document(label, "earlier.json");
  if (!earlier) return std::move(earlier).error();
  if (earlier->has_value()) {
    auto parsed = std::make_shared<Json>(Json::parse((*earlier)->body, nullptr, false));
    if (!parsed->is_discarded()) loaded->earlier = std::move(parsed);
  }
  loaded_[label] = loaded;
  return std::shared_ptr<const Loaded>(loaded);
}

Result<Json> PeriodQueries::Period(const std::string& label) {
  auto loaded = Load(label);
  if (!loaded) return std::move(loaded).error();
  auto infos = PeriodInfos();
  if (!infos) return std::move(infos).error();
  Json out;
  for (const PeriodInfo& p : *infos) {
    if (p.label == label) out = PeriodJson(p, *infos);
  }
  std::set<std::string> operators, regions, months;
  std::map<std::string, std::map<std::string, uint64_t>> verdicts;  // operator -> verdict -> n
  for (const Json& v : (*loaded)->kpi->at("indicators")) {
    const Json& g = v["group"];
    if (g.contains("operator")) operators.insert(g["operator"].get<std::string>());
    if (g.contains("region")) regions.insert(g["region"].get<std::string>());
    if (g.contains("month")) months.insert(g["month"].get<std::string>());
    if (g.size() == 1 && g.contains("operator") && v["verdict"].is_string()) {
      ++verdicts[g["operator"].get<std::string>()][v["verdict"].get<std::string>()];
    }
  }
  out["operators"] = operators;
  Json names = Json::object();  // the catalog's labels: 移动 → 中国移动 / China Mobile
  for (const std::string& op : operators) {
    names[op] = Json{{"zh", catalog_.Label(op, "zh")}, {"en", catalog_.Label(op, "en")}};
  }
  out["operator_names"] = std::move(names);
  out["regions"] = regions;
  out["months"] = months;
  Json summary = Json::array();
  for (const auto& [op, counts] : verdicts) {
    Json c{{"operator", op}};
    for (const char* k : {"met", "missed", "insufficient"}) {
      auto it = counts.find(k);
      c[k] = it == counts.end() ? 0 : it->second;
    }
    summary.push_back(std::move(c));
  }
  out["summary"] = std::move(summary);
  const Json& dq = (*loaded)->kpi->at("data_quality");
  out["data_quality"] = dq;
  std::lock_guard lock(mu_);
  auto docs = store_->Documents(label);
  if (!docs) return std::move(docs).error();
  Json doc_names = Json::array();
  for (const StoredDocument& d : *docs) doc_names.push_back(d.name);
  out["documents"] = std::move(doc_names);
  return out;
}

Json PeriodQueries::Definition(const std::string& id, const std::string& lang) const {
  Json d{{"name", catalog_.DisplayName(id, lang)}};
  const IndicatorDef* def = catalog_.Find(id);
  d["unit"] = def != nullptr ? def->unit : "";
  d["polarity"] = def != nullptr ? def->polarity : "none";
  const SectionDef* s = catalog_.SectionOf(id);
  d["section"] = s != nullptr ? s->key : "";
  return d;
}

Result<Json> PeriodQueries::Indicators(const IndicatorQuery& q) {
  TSQ_TRY(CheckLang(q.lang));
  std::set<std::string> dims;
  for (const std::string& d : q.breakdown) {
    if (!DimFromName(d)) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("breakdown={}: not a dimension (one of {})", d, DimNames()));
    }
    dims.insert(d);
  }
  if (!q.op.empty() && !dims.contains("from_operator")) dims.insert("operator");
  if (!q.region.empty()) dims.insert("region");
  if (!q.month.empty()) dims.insert("month");
  if (!q.id.empty()) TSQ_TRY(CheckIdPatterns({q.id}));

  auto loaded = Load(q.period);
  if (!loaded) return std::move(loaded).error();
  const auto [previous_label, year_earlier_label] = EarlierLabels(q.period);
  // The earlier periods: stored ones win (their latest ingest), else what the run compared with.
  struct Earlier {
    std::string label;
    std::shared_ptr<const Loaded> stored;
    std::map<std::string, const Json*> from_run;
  };
  auto earlier_of = [&](const std::string& label, const char* key) {
    Earlier e;
    e.label = label;
    if (auto s = Load(label)) {
      e.stored = *s;
    } else if ((*loaded)->earlier && (*(*loaded)->earlier)[key].is_object() &&
               (*(*loaded)->earlier)[key]["period"] == label) {
      for (const Json& v : (*(*loaded)->earlier)[key]["indicators"]) e.from_run[ValueKey(v)] = &v;
    }
    return e;
  };
  const Earlier previous = earlier_of(previous_label, "previous");
  const Earlier year_earlier = earlier_of(year_earlier_label, "year_earlier");
  const auto earlier_value = [](const Earlier& e, const std::string& key) -> Json {
    const Json* v = nullptr;
    if (e.stored) {
      auto it = e.stored->index.find(key);
      if (it != e.stored->index.end()) v = &e.stored->kpi->at("indicators")[it->second];
    } else if (auto it = e.from_run.find(key); it != e.from_run.end()) {
      v = it->second;
    }
    if (v == nullptr) return nullptr;
    return Json{{"period", e.label}, {"value", (*v)["value"]}, {"n", (*v)["n"]}};
  };

  Json values = Json::array();
  std::set<std::string> sections;
  for (const Json& v : (*loaded)->kpi->at("indicators")) {
    const std::string id = v["id"].get<std::string>();
    if (!q.id.empty() && !GlobMatch(q.id, id)) continue;
    if (!GroupSelected(v["group"], dims, q.op, q.region, q.month)) continue;
    Json out{{"id", id}};
    const Json def = Definition(id, q.lang);
    for (const auto& [k, x] : def.items()) out[k] = x;
    for (const char* k : {"group", "value", "n", "target", "verdict", "ci"}) out[k] = v[k];
    const std::string key = ValueKey(v);
    out["previous"] = earlier_value(previous, key);
    out["year_earlier"] = earlier_value(year_earlier, key);
    sections.insert(out["section"].get<std::string>());
    values.push_back(std::move(out));
  }
  Json section_list = Json::array();
  for (const SectionDef& s : catalog_.sections()) {
    if (!sections.contains(s.key)) continue;
    section_list.push_back(Json{
        {"key", s.key}, {"order", s.order}, {"title", q.lang == "zh" ? s.title_zh : s.title_en}});
  }
  return Json{{"period", q.period},
              {"lang", q.lang},
              {"previous", previous.stored || !previous.from_run.empty() ? Json(previous.label)
                                                                         : Json(nullptr)},
              {"year_earlier", year_earlier.stored || !year_earlier.from_run.empty()
                                   ? Json(year_earlier.label)
                                   : Json(nullptr)},
              {"sections", std::move(section_list)},
              {"values", std::move(values)}};
}

Result<Json> PeriodQueries::History(const HistoryQuery& q) {
  TSQ_TRY(CheckLang(q.lang));
  const std::vector<std::string> known = KnownIndicatorIds();
  if (std::find(known.begin(), known.end(), q.id) == known.end()) {
    const std::vector<std::string> close = ClosestMatches(q.id, known);
    return Error(ErrorCode::kNotFound,
                 fmt::format("no indicator {}{}", q.id,
                             close.empty() ? "" : "; did you mean " + close.front() + "?"));
  }
  auto infos = PeriodInfos();
  if (!infos) return std::move(infos).error();
  std::vector<StoredValue> stored;
  {
    std::lock_guard lock(mu_);
    auto values = store_->Values({.id = q.id, .op = q.op, .region = q.region});
    if (!values) return std::move(values).error();
    stored = std::move(*values);
  }
  std::set<std::string> dims;
  if (!q.op.empty()) dims.insert("operator");
  if (!q.region.empty()) dims.insert("region");
  std::set<std::string> by_month = dims;
  by_month.insert("month");
  Json periods = Json::array();
  Json months = Json::array();
  for (const StoredValue& v : stored) {
    const Json group = Json::parse(v.group_json, nullptr, false);
    if (!group.is_object()) continue;
    const auto info = std::find_if(infos->begin(), infos->end(),
                                   [&](const PeriodInfo& p) { return p.label == v.period; });
    Json point{{"period", v.period},
               {"value", v.value ? Json(*v.value) : Json(nullptr)},
               {"n", v.n},
               {"verdict", v.verdict == "none" ? Json(nullptr) : Json(v.verdict)}};
    if (GroupSelected(group, dims, q.op, q.region, "")) {
      if (info != infos->end()) {
        point["from"] = info->from;
        point["to"] = info->to;
      }
      periods.push_back(std::move(point));
    } else if (GroupSelected(group, by_month, q.op, q.region, "")) {
      point["month"] = group["month"];
      months.push_back(std::move(point));
    }
  }
  // Months may repeat across periods (a quarter and its half-year): keep the latest period's.
  std::map<std::string, Json> unique_months;
  for (Json& m : months) {
    const std::string month = m["month"].get<std::string>();  // before m is moved from
    unique_months[month] = std::move(m);
  }
  Json month_list = Json::array();
  for (auto& [month, m] : unique_months) month_list.push_back(std::move(m));
  Json out{{"id", q.id}};
  const Json def = Definition(q.id, q.lang);
  for (const auto& [k, x] : def.items()) out[k] = x;
  const auto target = catalog_.TargetFor(q.id, q.op);
  out["target"] = target ? Json{{"op", target->OpText()},
                                {"value", target->value},
                                {"basis", TargetBasisName(catalog_.BasisFor(q.id, q.op))}}
                         : Json(nullptr);
  Json group = Json::object();
  if (!q.op.empty()) group["operator"] = q.op;
  if (!q.region.empty()) group["region"] = q.region;
  out["group"] = std::move(group);
  out["periods"] = std::move(periods);
  out["months"] = std::move(month_list);
  return out;
}

Result<Json> PeriodQueries::DocumentJson(const std::string& label, const std::string& name) {
  auto loaded = Load(label);  // a clear error when the period is not stored
  if (!loaded) return std::move(loaded).error();
  Result<std::optional<StoredDocument>> doc = std::optional<StoredDocument>();
  {
    std::lock_guard lock(mu_);
    doc = store_->Document(label, name);
  }
  if (!doc) return std::move(doc).error();
  if (!doc->has_value()) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("period {} has no {}: its data had no such records", label, name));
  }
  Json j = Json::parse((*doc)->body, nullptr, false);
  if (j.is_discarded()) {
    return Error(ErrorCode::kCorrupt,
                 fmt::format("{}: {} of {} is not JSON", store_->Where(), name, label));
  }
  return j;
}

Result<Json> PeriodQueries::Finding(const std::string& label, const std::string& kind,
                                    const std::string& op) {
  static const std::map<std::string, std::pair<const char*, const char*>> kDocs = {
      {"cells", {"cells.json", "cells"}},
      {"cells.geojson", {"cells.geojson", "features"}},
      {"broadband", {"broadband.json", "lines"}},
      {"callers", {"callers.json", "list"}}};
  auto it = kDocs.find(kind);
  if (it == kDocs.end()) return Error(ErrorCode::kNotFound, "no such finding: " + kind);
  auto j = DocumentJson(label, it->second.first);
  if (!j) return j;
  if (op.empty()) return j;
  Json& rows = (*j)[it->second.second];
  if (!rows.is_array()) return j;
  Json kept = Json::array();
  for (Json& row : rows) {
    const Json& props = row.contains("properties") ? row["properties"] : row;
    if (props.contains("operator") && props["operator"] == op) kept.push_back(std::move(row));
  }
  rows = std::move(kept);
  return j;
}

Result<Json> PeriodQueries::DataQuality(const std::string& label) {
  auto loaded = Load(label);
  if (!loaded) return std::move(loaded).error();
  return (*loaded)->kpi->at("data_quality");
}

Result<StoredDocument> PeriodQueries::Report(const std::string& label, const std::string& lang,
                                             const std::string& format) {
  TSQ_TRY(CheckLang(lang));
  if (format != "html" && format != "xlsx" && format != "pdf") {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("report format {}: html, xlsx or pdf", format));
  }
  auto loaded = Load(label);
  if (!loaded) return std::move(loaded).error();
  const std::string stored_at = (*loaded)->stored_at;
  const std::string html_name = "report." + lang + ".html";
  Result<std::optional<StoredDocument>> doc = std::optional<StoredDocument>();
  {
    std::lock_guard lock(mu_);
    doc = store_->Document(label, format == "pdf" ? html_name : "report." + lang + "." + format);
    if (format == "pdf") {
      auto it = pdfs_.find(label + "." + lang);
      if (it != pdfs_.end() && it->second.first == stored_at) {
        return StoredDocument{"report." + lang + ".pdf", "application/pdf", it->second.second};
      }
    }
  }
  if (!doc) return std::move(doc).error();
  if (!doc->has_value()) {
    return Error(
        ErrorCode::kNotFound,
        fmt::format("period {} has no {} report in the store: it was ingested with --no-reports; "
                    "ingest it again without it",
                    label, format));
  }
  if (format != "pdf") return std::move(**doc);
  // Printed outside the lock: the browser may take seconds, other requests go on.
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path();
  const std::string stem = fmt::format("tsq-serve-{}-{}-{}", getpid(), label, lang);
  const fs::path html = dir / (stem + ".html");
  const fs::path pdf = dir / (stem + ".pdf");
  TSQ_TRY(WriteFileAtomically(html.string(), (*doc)->body));
  const Status printed = PrintHtmlToPdf(html.string(), pdf.string(), ReportOptions{});
  std::error_code ec;
  fs::remove(html, ec);
  if (!printed) return printed.error();
  auto bytes = ReadTextFile(pdf.string(), "the printed report");
  fs::remove(pdf, ec);
  if (!bytes) return std::move(bytes).error();
  std::lock_guard lock(mu_);
  pdfs_[label + "." + lang] = {stored_at, *bytes};
  return StoredDocument{"report." + lang + ".pdf", "application/pdf", std::move(*bytes)};
}

Result<std::string> PeriodQueries::Metrics() {
  auto infos = PeriodInfos();
  if (!infos) return std::move(infos).error();
  std::string out =
      "# HELP tsq_periods_stored Periods in the store.\n# TYPE tsq_periods_stored gauge\n";
  out += fmt::format("tsq_periods_stored {}\n", infos->size());
  if (infos->empty()) return out;
  // The latest period: the one that ends last (then starts last).
  const PeriodInfo& latest =
      *std::max_element(infos->begin(), infos->end(), [](const PeriodInfo& a, const PeriodInfo& b) {
        return std::tie(a.to, a.from) < std::tie(b.to, b.from);
      });
  auto loaded = Load(latest.label);
  if (!loaded) return std::move(loaded).error();
  std::string value_lines, met_lines;
  std::map<std::pair<std::string, std::string>, uint64_t> verdicts;
  for (const Json& v : (*loaded)->kpi->at("indicators")) {
    const Json& g = v["group"];
    const bool overall = g.empty();
    if (!overall && !(g.size() == 1 && g.contains("operator"))) continue;
    const std::string op = overall ? "" : g["operator"].get<std::string>();
    const std::string labels =
        fmt::format("period=\"{}\",id=\"{}\",operator=\"{}\"", PromLabel(latest.label),
                    PromLabel(v["id"].get<std::string>()), PromLabel(op));
    if (v["value"].is_number()) {
      value_lines +=
          fmt::format("tsq_indicator_value{{{}}} {}\n", labels, v["value"].get<double>());
    }
    if (v["verdict"] == "met" || v["verdict"] == "missed") {
      met_lines += fmt::format("tsq_indicator_met{{{}}} {}\n", labels, v["verdict"] == "met");
    }
    if (v["verdict"].is_string()) ++verdicts[{op, v["verdict"].get<std::string>()}];
  }
  out +=
      "# HELP tsq_indicator_value The latest period's figure, overall (operator=\"\") and per "
      "operator; rates as fractions.\n# TYPE tsq_indicator_value gauge\n" +
      value_lines;
  out +=
      "# HELP tsq_indicator_met 1 when the figure met its target, 0 when it missed it.\n"
      "# TYPE tsq_indicator_met gauge\n" +
      met_lines;
  out +=
      "# HELP tsq_verdicts Verdicts of the latest period by operator.\n"
      "# TYPE tsq_verdicts gauge\n";
  for (const auto& [key, n] : verdicts) {
    out += fmt::format("tsq_verdicts{{period=\"{}\",operator=\"{}\",verdict=\"{}\"}} {}\n",
                       PromLabel(latest.label), PromLabel(key.first), PromLabel(key.second), n);
  }
  return out;
}

Result<std::string> PeriodQueries::Generation() {
  auto infos = PeriodInfos();
  if (!infos) return std::move(infos).error();
  std::string g;
  for (const PeriodInfo& p : *infos) g += p.label + '@' + p.stored_at + ';';
  return g;
}

Json PeriodQueries::CatalogJson() const { return tsq::CatalogJson(catalog_); }

}  // namespace tsq
