#include "report/catalog_render.h"

#include <fmt/format.h>

#include "report/format.h"
#include "report/report_format.h"
#include "report/text_table.h"

namespace tsq {
namespace {

// The first `n` characters of a long text for a terminal cell, with an ellipsis.
std::string Shorten(const std::string& text, size_t n) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars++ == n) return text.substr(0, i) + "…";
  }
  return text;
}

}  // namespace

nlohmann::ordered_json CatalogJson(const Catalog& catalog) {
  using Json = nlohmann::ordered_json;
  Json j;
  j["catalog_sha256"] = catalog.Hash();
  j["sections"] = Json::array();
  for (const SectionDef& s : catalog.sections()) {
    j["sections"].push_back(Json{
        {"key", s.key}, {"order", s.order}, {"title_zh", s.title_zh}, {"title_en", s.title_en}});
  }
  j["indicators"] = Json::array();
  for (const IndicatorDef& d : catalog.defs()) {
    Json e;
    e["id"] = d.id;
    e["section"] = d.section;
    e["name_zh"] = d.name_zh;
    e["name_en"] = d.name_en;
    e["formula_zh"] = d.formula_zh;
    e["formula_en"] = d.formula_en;
    e["unit"] = d.unit;
    e["polarity"] = d.polarity;
    e["target"] = d.target ? Json{{"op", d.target->OpText()},
                                  {"value", d.target->value},
                                  {"basis", TargetBasisName(d.basis)}}
                           : Json(nullptr);
    e["source_zh"] = d.source_zh;
    e["source_en"] = d.source_en;
    e["min_sample"] = d.min_sample;
    Json breakdowns = Json::array();
    for (const Breakdown& b : d.breakdowns) breakdowns.push_back(BreakdownName(b));
    e["breakdowns"] = std::move(breakdowns);
    e["headline"] = d.headline;
    e["additive"] = d.additive;
    j["indicators"].push_back(std::move(e));
  }
  Json params = Json::object();
  for (const std::string& name : catalog.ParamNames()) {
    const LimitSource l = catalog.LimitSourceFor(name);
    params[name] = Json{{"value", *catalog.Param(name)},
                        {"basis", TargetBasisName(l.basis)},
                        {"source_zh", l.source_zh},
                        {"source_en", l.source_en}};
  }
  j["params"] = std::move(params);
  Json operators = Json::object();
  for (const std::string& op : catalog.OperatorNames()) {
    Json o = Json::object();
    for (const std::string& name : catalog.ParamNames()) {
      if (catalog.Param(name, op) != catalog.Param(name)) o[name] = *catalog.Param(name, op);
    }
    operators[op] = Json{{"params", std::move(o)}};
  }
  j["operators"] = std::move(operators);
  return j;
}

std::string RenderCatalogTable(const Catalog& catalog, Lang lang) {
  const std::string code = lang == Lang::kEn ? "en" : "zh";
  TextTable t;
  t.SetHeader({"id", std::string(L(lang, "名称", "name")), std::string(L(lang, "目标", "target")),
               std::string(L(lang, "最小样本", "min n")), std::string(L(lang, "分组", "groups")),
               std::string(L(lang, "依据", "source"))});
  std::string section;
  for (const IndicatorDef& d : catalog.defs()) {
    const SectionDef* s = catalog.SectionOf(d.id);
    // A pattern's section may depend on its segments ("{1}"): named by the family then.
    std::string title = s != nullptr ? (lang == Lang::kEn ? s->title_en : s->title_zh)
                                     : d.id.substr(0, d.id.find('.'));
    if (title != section) {
      section = title;
      t.AddNote(fmt::format("【{}】", section));
    }
    const std::string target =
        d.target ? report::TargetText(*d.target, d.basis, d.unit, lang) : std::string();
    const std::string& source = lang == Lang::kEn ? d.source_en : d.source_zh;
    t.AddRow({d.id, catalog.DisplayName(d.id, code), target, std::to_string(d.min_sample),
              std::to_string(d.breakdowns.size()), source.empty() ? "-" : Shorten(source, 48)});
  }
  std::string out = t.Render();
  TextTable p;
  p.SetHeader({std::string(L(lang, "参数", "parameter")), std::string(L(lang, "取值", "value")),
               std::string(L(lang, "依据", "basis")),
               std::string(L(lang, "运营商自定", "per operator"))});
  for (const std::string& name : catalog.ParamNames()) {
    std::string per_operator;
    for (const std::string& op : catalog.OperatorNames()) {
      if (catalog.Param(name, op) == catalog.Param(name)) continue;
      per_operator +=
          fmt::format("{}{} {}", per_operator.empty() ? "" : ", ", op, *catalog.Param(name, op));
    }
    p.AddRow({name, fmt::format("{}", *catalog.Param(name)),
              report::BasisText(catalog.LimitSourceFor(name).basis, lang), per_operator});
  }
  out += "\n" + p.Render();
  out += fmt::format("{} {}, {} {} · catalog sha256 {}\n", catalog.defs().size(),
                     L(lang, "项指标", "indicators"), catalog.ParamNames().size(),
                     L(lang, "个参数", "parameters"), catalog.Hash().substr(0, 16));
  return out;
}

}  // namespace tsq
