#include "indicators/catalog.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "io/sha256.h"

namespace tsq {

extern const std::string_view kEmbeddedCatalogToml;

namespace {

Result<Target> ParseTarget(std::string_view text, std::string_view where) {
  std::string_view s = text;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  Target t;
  if (s.starts_with(">=")) {
    t.op = TargetOp::kAtLeast;
  } else if (s.starts_with("<=")) {
    t.op = TargetOp::kAtMost;
  } else {
    return Error(
        ErrorCode::kInvalidArgument,
        fmt::format("{}: target '{}' must look like \">= 0.99\" or \"<= 30\"", where, text));
  }
  s.remove_prefix(2);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), t.value);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}: target '{}' has no number after the comparison", where, text));
  }
  return t;
}

std::optional<double> NumberOf(const toml::node& n) {
  if (auto v = n.value<double>()) return *v;
  if (auto v = n.value<int64_t>()) return static_cast<double>(*v);
  return std::nullopt;
}

// Reads the fields of one [indicators."id"] table into `def` (only those present).
Status ReadDef(const toml::table& t, std::string_view where, IndicatorDef* def) {
  const auto str = [&](const char* key, std::string* out) {
    if (auto v = t[key].value<std::string>()) *out = *v;
  };
  str("name_zh", &def->name_zh);
  str("name_en", &def->name_en);
  str("formula_zh", &def->formula_zh);
  str("formula_en", &def->formula_en);
  str("unit", &def->unit);
  str("polarity", &def->polarity);
  str("source", &def->source);
  if (const toml::node* n = t.get("target")) {
    if (auto s = n->value<std::string>()) {
      if (s->empty() || *s == "none") {
        def->target.reset();
      } else {
        auto target = ParseTarget(*s, where);
        if (!target) return target.error();
        def->target = *target;
      }
    } else {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}: target must be a string such as \">= 0.99\"", where));
    }
  }
  if (const toml::node* n = t.get("min_sample")) {
    auto v = n->value<int64_t>();
    if (!v || *v < 0) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}: min_sample must be a non-negative integer", where));
    }
    def->min_sample = static_cast<uint64_t>(*v);
  }
  for (const auto& [key, value] : t) {
    static constexpr std::string_view kKnown[] = {"name_zh",    "name_en", "formula_zh",
                                                  "formula_en", "unit",    "polarity",
                                                  "source",     "target",  "min_sample"};
    if (std::find(std::begin(kKnown), std::end(kKnown), key.str()) == std::end(kKnown)) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}: unknown field '{}'", where, key.str()));
    }
  }
  return Ok();
}

// Pattern specificity: fewer '*' segments is more specific.
int Wildcards(std::string_view id) {
  return static_cast<int>(std::count(id.begin(), id.end(), '*'));
}

bool PatternMatches(std::string_view pattern, std::string_view id) {
  while (true) {
    const size_t pp = pattern.find('.');
    const size_t ip = id.find('.');
    const std::string_view ps = pattern.substr(0, pp);
    const std::string_view is = id.substr(0, ip);
    if (ps != "*" && ps != is) return false;
    if (pp == std::string_view::npos || ip == std::string_view::npos) {
      return pp == std::string_view::npos && ip == std::string_view::npos;
    }
    pattern.remove_prefix(pp + 1);
    id.remove_prefix(ip + 1);
  }
}

std::vector<std::string_view> Segments(std::string_view id) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t dot = id.find('.', start);
    out.push_back(id.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

}  // namespace

Result<Catalog> Catalog::Default() { return Parse(kEmbeddedCatalogToml, "built-in catalog"); }

Result<Catalog> Catalog::Parse(std::string_view text, std::string_view origin) {
  Catalog c;
  TSQ_TRY(c.Override(text, origin));
  return c;
}

Status Catalog::OverrideFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kNotFound, fmt::format("{}: cannot open catalog file", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return Override(ss.str(), path);
}

Status Catalog::Override(std::string_view text, std::string_view origin) {
  toml::table root;
  try {
    root = toml::parse(text, std::string(origin));
  } catch (const toml::parse_error& e) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}:{}:{}: {}", origin, e.source().begin.line, e.source().begin.column,
                             e.description()));
  }
  for (const auto& [key, node] : root) {
    const std::string_view k = key.str();
    if (k != "params" && k != "indicators" && k != "operators" && k != "labels" && k != "catalog") {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}: unknown section [{}]; expected [params], [indicators.\"ID\"], "
                               "[operators.\"NAME\"] or [labels]",
                               origin, k));
    }
  }
  if (const toml::table* params = root["params"].as_table()) {
    for (const auto& [key, node] : *params) {
      auto v = NumberOf(node);
      if (!v) {
        return Error(ErrorCode::kInvalidArgument,
                     fmt::format("{}: params.{} must be a number", origin, key.str()));
      }
      params_[std::string(key.str())] = *v;
    }
  }
  if (const toml::table* labels = root["labels"].as_table()) {
    for (const auto& [key, node] : *labels) {
      const toml::array* pair = node.as_array();
      if (pair == nullptr || pair->size() != 2 || !(*pair)[0].is_string() ||
          !(*pair)[1].is_string()) {
        return Error(
            ErrorCode::kInvalidArgument,
            fmt::format("{}: labels.{} must be [\"中文\", \"English\"]", origin, key.str()));
      }
      labels_[std::string(key.str())] = {*(*pair)[0].value<std::string>(),
                                         *(*pair)[1].value<std::string>()};
    }
  }
  if (const toml::table* indicators = root["indicators"].as_table()) {
    for (const auto& [key, node] : *indicators) {
      const std::string id(key.str());
      const toml::table* t = node.as_table();
      const std::string where = fmt::format("{}: indicators.\"{}\"", origin, id);
      if (t == nullptr) return Error(ErrorCode::kInvalidArgument, where + " must be a table");
      auto it = std::find_if(defs_.begin(), defs_.end(),
                             [&](const IndicatorDef& d) { return d.id == id; });
      if (it == defs_.end()) {
        defs_.push_back(IndicatorDef{});
        defs_.back().id = id;
        it = defs_.end() - 1;
      }
      TSQ_TRY(ReadDef(*t, where, &*it));
    }
  }
  if (const toml::table* operators = root["operators"].as_table()) {
    for (const auto& [op_key, op_node] : *operators) {
      const std::string op(op_key.str());
      const toml::table* ot = op_node.as_table();
      if (ot == nullptr) {
        return Error(ErrorCode::kInvalidArgument,
                     fmt::format("{}: operators.\"{}\" must be a table", origin, op));
      }
      if (const toml::table* params = (*ot)["params"].as_table()) {
        for (const auto& [key, node] : *params) {
          auto v = NumberOf(node);
          if (!v) {
            return Error(ErrorCode::kInvalidArgument,
                         fmt::format("{}: operators.\"{}\".params.{} must be a number", origin, op,
                                     key.str()));
          }
          op_params_[op][std::string(key.str())] = *v;
        }
      }
      if (const toml::table* inds = (*ot)["indicators"].as_table()) {
        for (const auto& [key, node] : *inds) {
          const std::string where =
              fmt::format("{}: operators.\"{}\".indicators.\"{}\"", origin, op, key.str());
          const toml::table* t = node.as_table();
          if (t == nullptr) return Error(ErrorCode::kInvalidArgument, where + " must be a table");
          if (auto s = (*t)["target"].value<std::string>()) {
            auto target = ParseTarget(*s, where);
            if (!target) return target.error();
            op_targets_[op][std::string(key.str())] = *target;
          }
          if (auto m = (*t)["min_sample"].value<int64_t>()) {
            op_min_samples_[op][std::string(key.str())] = static_cast<uint64_t>(*m);
          }
        }
      }
    }
  }
  texts_.emplace_back(text);
  return Ok();
}

const IndicatorDef* Catalog::Find(std::string_view id) const {
  const IndicatorDef* best = nullptr;
  for (const IndicatorDef& d : defs_) {
    if (d.id == id) return &d;
    if (PatternMatches(d.id, id) && (best == nullptr || Wildcards(d.id) < Wildcards(best->id))) {
      best = &d;
    }
  }
  return best;
}

std::optional<Target> Catalog::TargetFor(std::string_view id, std::string_view op) const {
  if (!op.empty()) {
    auto it = op_targets_.find(op);
    if (it != op_targets_.end()) {
      auto t = it->second.find(id);
      if (t != it->second.end()) return t->second;
      // A per-operator override may use a pattern too.
      for (const auto& [pattern, target] : it->second) {
        if (PatternMatches(pattern, id)) return target;
      }
    }
  }
  const IndicatorDef* d = Find(id);
  return d != nullptr ? d->target : std::nullopt;
}

uint64_t Catalog::MinSampleFor(std::string_view id, std::string_view op) const {
  if (!op.empty()) {
    auto it = op_min_samples_.find(op);
    if (it != op_min_samples_.end()) {
      auto m = it->second.find(id);
      if (m != it->second.end()) return m->second;
    }
  }
  const IndicatorDef* d = Find(id);
  return d != nullptr ? d->min_sample : 1;
}

std::optional<double> Catalog::Param(std::string_view key, std::string_view op) const {
  if (!op.empty()) {
    auto it = op_params_.find(op);
    if (it != op_params_.end()) {
      auto p = it->second.find(key);
      if (p != it->second.end()) return p->second;
    }
  }
  auto p = params_.find(key);
  if (p == params_.end()) return std::nullopt;
  return p->second;
}

std::string Catalog::Label(std::string_view raw, std::string_view lang) const {
  auto it = labels_.find(raw);
  if (it == labels_.end()) return std::string(raw);
  return lang == "en" ? it->second.second : it->second.first;
}

std::string Catalog::DisplayName(std::string_view id, std::string_view lang) const {
  const IndicatorDef* d = Find(id);
  if (d == nullptr) return std::string(id);
  std::string name = lang == "en" ? d->name_en : d->name_zh;
  if (name.empty()) return std::string(id);
  const std::vector<std::string_view> segs = Segments(id);
  for (size_t i = 1; i < segs.size() && i < 10; ++i) {
    const std::string marker = fmt::format("{{{}}}", i);
    const size_t pos = name.find(marker);
    if (pos != std::string::npos) name.replace(pos, marker.size(), Label(segs[i], lang));
  }
  return name;
}

std::string Catalog::Hash() const {
  Sha256 h;
  for (const std::string& t : texts_) {
    h.Update(t);
    h.Update(std::string_view("\0", 1));
  }
  return h.HexDigest();
}

}  // namespace tsq
