#include "indicators/catalog.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/glob.h"
#include "io/sha256.h"
#include "io/text_file.h"

namespace tsq {

extern const std::string_view kEmbeddedCatalogToml;

namespace {

constexpr std::string_view kUnits[] = {"ratio",   "count", "hours", "seconds",
                                       "minutes", "cny",   "mbps",  "per_million"};
constexpr std::string_view kPolarities[] = {"higher", "lower", "none"};

template <typename Range>
bool Contains(const Range& r, std::string_view v) {
  return std::find(std::begin(r), std::end(r), v) != std::end(r);
}

template <typename Range>
std::string JoinQuoted(const Range& r) {
  std::string out;
  for (const auto& v : r) {
    if (!out.empty()) out += ", ";
    out += v;
  }
  return out;
}

std::string DidYouMean(std::string_view wrong, const std::vector<std::string>& candidates) {
  const std::vector<std::string> close = ClosestMatches(wrong, candidates);
  if (close.empty()) return "";
  return fmt::format("; did you mean {}?", JoinQuoted(close));
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

std::string FormatParam(double v) { return fmt::format("{}", v); }

Result<Target> ParseTarget(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  Target t;
  if (s.starts_with(">=")) {
    t.op = TargetOp::kAtLeast;
  } else if (s.starts_with("<=")) {
    t.op = TargetOp::kAtMost;
  } else {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("target '{}' must look like \">= 0.99\" or \"<= 30\"", text));
  }
  s.remove_prefix(2);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), t.value);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(t.value)) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("target '{}' has no number after the comparison", text));
  }
  return t;
}

Result<Breakdown> ParseBreakdown(std::string_view text) {
  Breakdown b;
  if (text == "all") return b;
  size_t start = 0;
  const std::string_view sep = "×";
  while (start <= text.size()) {
    size_t end = text.find(sep, start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view name = text.substr(start, end - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    const std::optional<Dim> dim = DimFromName(name);
    if (dim) b.push_back(*dim);
    if (!dim) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("breakdown '{}': '{}' is no dimension (all, operator, "
                               "from_operator, region, month, rat, plan, category, channel, "
                               "reject_reason, joined by ×)",
                               text, name));
    }
    start = end + sep.size();
  }
  std::sort(b.begin(), b.end());
  return b;
}

}  // namespace

std::string BreakdownName(const Breakdown& b) {
  if (b.empty()) return "all";
  std::string out;
  for (Dim d : b) {
    if (!out.empty()) out += " × ";
    out += DimName(d);
  }
  return out;
}

// Reads one TOML text into a catalog: the built-in one (`base`: it defines indicators, sections,
// families and parameters) or a user's override (it may only change what exists).
class CatalogReader {
 public:
  CatalogReader(Catalog* catalog, std::string_view origin, bool base,
                const std::vector<std::string>* known_ids)
      : c_(*catalog), origin_(origin), base_(base), known_ids_(known_ids) {}

  Status Read(std::string_view text) {
    toml::table root;
    try {
      root = toml::parse(text, std::string(origin_));
    } catch (const toml::parse_error& e) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}:{}:{}: {}", origin_, e.source().begin.line,
                               e.source().begin.column, e.description()));
    }
    static constexpr std::string_view kSections[] = {
        "catalog", "labels", "params", "limits", "families", "sections", "indicators", "operators"};
    for (const auto& [key, node] : root) {
      if (!Contains(kSections, key.str())) {
        return Fail(node, key.str(),
                    fmt::format("unknown section [{}]; a catalog has [params], [labels], "
                                "[sections.KEY], [indicators.\"ID\"] and [operators.\"NAME\"]",
                                key.str()));
      }
      if (!node.is_table()) return Fail(node, key.str(), "must be a table");
    }
    // Order matters: sections and families before the indicators that refer to them.
    if (const toml::table* t = root["catalog"].as_table()) TSQ_TRY(ReadMeta(*t));
    if (const toml::table* t = root["labels"].as_table()) TSQ_TRY(ReadLabels(*t));
    if (const toml::table* t = root["params"].as_table()) {
      TSQ_TRY(ReadParams(*t, "params", &c_.params_));
      if (!base_) {
        for (const auto& [key, node] : *t) c_.params_overridden_.insert(std::string(key.str()));
      }
    }
    if (const toml::table* t = root["limits"].as_table()) TSQ_TRY(ReadLimits(*t));
    if (const toml::table* t = root["sections"].as_table()) TSQ_TRY(ReadSections(*t));
    if (const toml::table* t = root["families"].as_table()) TSQ_TRY(ReadFamilies(*t));
    if (const toml::table* t = root["indicators"].as_table()) TSQ_TRY(ReadIndicators(*t));
    if (const toml::table* t = root["operators"].as_table()) TSQ_TRY(ReadOperators(*t));
    if (base_) {
      TSQ_TRY(CompleteBase());
      if (!c_.limits_.empty()) TSQ_TRY(CompleteLimits());
    }
    return Ok();
  }

 private:
  struct FamilyDefaults {
    std::string section;
    std::vector<Breakdown> breakdowns;
  };

  Error Fail(const toml::node& at, std::string_view key, std::string_view message) const {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}:{}: {}: {}", origin_, at.source().begin.line, key, message));
  }

  Status CheckKeys(const toml::table& t, std::string_view where,
                   std::initializer_list<std::string_view> allowed) const {
    for (const auto& [key, node] : t) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      std::vector<std::string> names(allowed.begin(), allowed.end());
      return Fail(node, fmt::format("{}.{}", where, key.str()),
                  fmt::format("unknown key (keys here: {}){}", JoinQuoted(allowed),
                              DidYouMean(key.str(), names)));
    }
    return Ok();
  }

  Result<std::string> String(const toml::node& n, std::string_view key) const {
    if (auto v = n.value<std::string>()) return *v;
    return Fail(n, key, "must be a string");
  }

  Result<bool> Bool(const toml::node& n, std::string_view key) const {
    if (auto v = n.value<bool>()) return *v;
    return Fail(n, key, "must be true or false");
  }

  Status ReadMeta(const toml::table& t) {
    TSQ_TRY(CheckKeys(t, "catalog", {"name", "description"}));
    for (const auto& [key, node] : t) {
      auto s = String(node, fmt::format("catalog.{}", key.str()));
      if (!s) return s.error();
    }
    return Ok();
  }

  Status ReadLabels(const toml::table& t) {
    for (const auto& [key, node] : t) {
      const toml::array* pair = node.as_array();
      if (pair == nullptr || pair->size() != 2 || !(*pair)[0].is_string() ||
          !(*pair)[1].is_string()) {
        return Fail(node, fmt::format("labels.{}", key.str()), "must be [\"中文\", \"English\"]");
      }
      c_.labels_[std::string(key.str())] = {*(*pair)[0].value<std::string>(),
                                            *(*pair)[1].value<std::string>()};
    }
    return Ok();
  }

  // A parameter's value: a finite number. Time limits (…max_hours) may be negative, which removes
  // the limit, and signal levels (…_dbm, …_db) are; shares (…_share) lie in [0, 1]; minimum
  // counts (…min_tests) are whole and at least 1; everything else is a length of time, a rate or
  // a ratio and must not be negative.
  Result<double> ParamValue(const toml::node& n, std::string_view key,
                            std::string_view name) const {
    std::optional<double> v;
    if (auto d = n.value_exact<double>()) v = *d;
    if (auto i = n.value_exact<int64_t>()) v = static_cast<double>(*i);
    if (!v || !std::isfinite(*v)) return Fail(n, key, "must be a number");
    const bool signed_ok =
        name.ends_with(".max_hours") || name.ends_with("_dbm") || name.ends_with("_db");
    if (*v < 0 && !signed_ok) return Fail(n, key, "must not be negative");
    if (name.ends_with("_share") && *v > 1) {
      return Fail(n, key, "is a share: give a fraction between 0 and 1, e.g. 0.2 for 20%");
    }
    if (name.ends_with("min_tests") && (*v < 1 || *v != std::floor(*v))) {
      return Fail(n, key, "must be a whole number of at least 1");
    }
    return *v;
  }

  Status ReadParams(const toml::table& t, std::string_view where,
                    std::map<std::string, double, std::less<>>* out) {
    for (const auto& [key, node] : t) {
      const std::string name(key.str());
      const std::string path = fmt::format("{}.\"{}\"", where, name);
      if (!base_ && !c_.params_.contains(name)) {
        return Fail(node, path,
                    fmt::format("no such parameter{}", DidYouMean(name, c_.ParamNames())));
      }
      auto v = ParamValue(node, path, name);
      if (!v) return v.error();
      (*out)[name] = *v;
    }
    return Ok();
  }

  Result<TargetBasis> Basis(const toml::node& n, std::string_view key) const {
    auto s = String(n, key);
    if (!s) return s.error();
    if (*s == "regulation") return TargetBasis::kRegulation;
    if (*s == "tool_default") return TargetBasis::kToolDefault;
    return Fail(n, key, "must be \"regulation\" or \"tool_default\"");
  }

  // Where each parameter's default comes from (the built-in catalog only).
  Status ReadLimits(const toml::table& t) {
    for (const auto& [key, node] : t) {
      const std::string name(key.str());
      const std::string path = fmt::format("limits.\"{}\"", name);
      if (!base_) {
        return Fail(node, path,
                    "the sources of the built-in limits cannot be overridden; set the limit "
                    "itself under [params]");
      }
      const toml::table* f = node.as_table();
      if (f == nullptr) return Fail(node, path, "must be a table");
      if (!c_.params_.contains(name)) {
        return Fail(node, path,
                    fmt::format("no such parameter{}", DidYouMean(name, c_.ParamNames())));
      }
      TSQ_TRY(
          CheckKeys(*f, path, {"name_zh", "name_en", "basis", "source_zh", "source_en", "unit"}));
      LimitSource& l = c_.limits_[name];
      if (name.ends_with("_s")) l.unit = "seconds";
      for (const auto& [field, value] : *f) {
        const std::string fpath = fmt::format("{}.{}", path, field.str());
        if (field.str() == "basis") {
          auto b = Basis(value, fpath);
          if (!b) return b.error();
          l.basis = *b;
        } else if (field.str() == "unit") {
          static const std::vector<std::string> kUnits = {"hours",  "seconds", "ratio", "count",
                                                          "number", "mbps",    "dbm",   "db"};
          auto text = String(value, fpath);
          if (!text) return text.error();
          if (std::find(kUnits.begin(), kUnits.end(), *text) == kUnits.end()) {
            return Fail(value, fpath,
                        fmt::format("unknown unit '{}'{}", *text, DidYouMean(*text, kUnits)));
          }
          l.unit = *text;
        } else {
          auto text = String(value, fpath);
          if (!text) return text.error();
          const std::string_view k = field.str();
          (k == "source_zh"   ? l.source_zh
           : k == "source_en" ? l.source_en
           : k == "name_zh"   ? l.name_zh
                              : l.name_en) = *text;
        }
      }
    }
    return Ok();
  }

  Status ReadSections(const toml::table& t) {
    for (const auto& [key, node] : t) {
      const std::string path = fmt::format("sections.{}", key.str());
      const toml::table* s = node.as_table();
      if (s == nullptr) return Fail(node, path, "must be a table");
      TSQ_TRY(CheckKeys(*s, path, {"order", "title_zh", "title_en"}));
      const std::string_view name = key.str();
      auto it = std::find_if(c_.sections_.begin(), c_.sections_.end(),
                             [name](const SectionDef& d) { return d.key == name; });
      if (it == c_.sections_.end()) {
        if (!base_) {
          std::vector<std::string> keys;
          for (const SectionDef& d : c_.sections_) keys.push_back(d.key);
          return Fail(node, path, fmt::format("no such section{}", DidYouMean(key.str(), keys)));
        }
        c_.sections_.push_back(SectionDef{std::string(key.str())});
        it = c_.sections_.end() - 1;
      }
      for (const auto& [field, value] : *s) {
        const std::string fpath = fmt::format("{}.{}", path, field.str());
        if (field.str() == "order") {
          auto v = value.value_exact<int64_t>();
          if (!v) return Fail(value, fpath, "must be an integer");
          it->order = static_cast<int>(*v);
          continue;
        }
        auto text = String(value, fpath);
        if (!text) return text.error();
        (field.str() == "title_zh" ? it->title_zh : it->title_en) = *text;
      }
    }
    return Ok();
  }

  Result<std::vector<Breakdown>> Breakdowns(const toml::node& n, std::string_view key) const {
    const toml::array* a = n.as_array();
    if (a == nullptr || a->empty()) {
      return Fail(n, key, "must be a list such as [\"all\", \"operator\", \"operator × month\"]");
    }
    std::vector<Breakdown> out;
    for (const toml::node& e : *a) {
      auto s = String(e, key);
      if (!s) return s.error();
      auto b = ParseBreakdown(*s);
      if (!b) return Fail(e, key, b.error().message);
      if (std::find(out.begin(), out.end(), *b) != out.end()) {
        return Fail(e, key, fmt::format("breakdown '{}' is listed twice", *s));
      }
      out.push_back(std::move(*b));
    }
    return out;
  }

  Status ReadFamilies(const toml::table& t) {
    for (const auto& [key, node] : t) {
      const std::string path = fmt::format("families.{}", key.str());
      if (!base_) {
        return Fail(node, path,
                    "families describe what tsq computes (sections, breakdowns) and cannot be "
                    "overridden");
      }
      const toml::table* f = node.as_table();
      if (f == nullptr) return Fail(node, path, "must be a table");
      TSQ_TRY(CheckKeys(*f, path, {"section", "breakdowns"}));
      FamilyDefaults& d = families_[std::string(key.str())];
      if (const toml::node* s = f->get("section")) {
        auto v = String(*s, path + ".section");
        if (!v) return v.error();
        d.section = *v;
      }
      if (const toml::node* b = f->get("breakdowns")) {
        auto v = Breakdowns(*b, path + ".breakdowns");
        if (!v) return v.error();
        d.breakdowns = std::move(*v);
      }
    }
    return Ok();
  }

  // Whether a user's key names something tsq can produce.
  bool KnownId(std::string_view id) const {
    if (known_ids_ == nullptr) return true;
    for (const std::string& k : *known_ids_) {
      if (GlobMatch(id, k)) return true;
    }
    return false;
  }

  std::vector<std::string> AllIds() const {
    std::vector<std::string> ids;
    for (const IndicatorDef& d : c_.defs_) ids.push_back(d.id);
    if (known_ids_ != nullptr) ids.insert(ids.end(), known_ids_->begin(), known_ids_->end());
    return ids;
  }

  // The entry a user's key refers to: an existing entry, or a new specific entry under a pattern.
  Result<IndicatorDef*> EntryFor(const toml::node& at, std::string_view path,
                                 const std::string& id) {
    auto exact = std::find_if(c_.defs_.begin(), c_.defs_.end(),
                              [&](const IndicatorDef& d) { return d.id == id; });
    if (exact != c_.defs_.end()) return &*exact;
    const IndicatorDef* pattern = id.find('*') == std::string::npos ? c_.Find(id) : nullptr;
    if (pattern == nullptr || !KnownId(id)) {
      return Fail(at, path, fmt::format("no such indicator{}", DidYouMean(id, AllIds())));
    }
    IndicatorDef specific = *pattern;
    specific.id = id;
    c_.defs_.push_back(std::move(specific));
    return &c_.defs_.back();
  }

  Status ReadIndicators(const toml::table& t) {
    // TOML tables iterate by key; the catalog keeps the order of the file, which is the order
    // tables and reports list the indicators in.
    std::vector<std::pair<std::string_view, const toml::node*>> entries;
    for (const auto& [key, node] : t) entries.emplace_back(key.str(), &node);
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return a.second->source().begin.line < b.second->source().begin.line;
    });
    for (const auto& [key_text, node_ptr] : entries) {
      const toml::node& node = *node_ptr;
      const std::string id(key_text);
      const std::string path = fmt::format("indicators.\"{}\"", id);
      const toml::table* fields = node.as_table();
      if (fields == nullptr) return Fail(node, path, "must be a table");
      IndicatorDef* def = nullptr;
      if (base_) {
        if (std::any_of(c_.defs_.begin(), c_.defs_.end(),
                        [&](const IndicatorDef& d) { return d.id == id; })) {
          return Fail(node, path, "is defined twice");
        }
        c_.defs_.push_back(IndicatorDef{});
        def = &c_.defs_.back();
        def->id = id;
        TSQ_TRY(CheckKeys(*fields, path,
                          {"name_zh", "name_en", "formula_zh", "formula_en", "unit", "polarity",
                           "target", "basis", "source_zh", "source_en", "min_sample", "section",
                           "breakdowns", "headline", "additive"}));
      } else {
        auto entry = EntryFor(node, path, id);
        if (!entry) return entry.error();
        def = *entry;
        TSQ_TRY(CheckKeys(*fields, path,
                          {"name_zh", "name_en", "formula_zh", "formula_en", "target", "source_zh",
                           "source_en", "min_sample", "section", "headline"}));
      }
      TSQ_TRY(ReadDef(*fields, path, def));
    }
    return Ok();
  }

  Status ReadDef(const toml::table& t, const std::string& path, IndicatorDef* def) {
    for (const auto& [key, node] : t) {
      const std::string_view k = key.str();
      const std::string kpath = fmt::format("{}.{}", path, k);
      if (k == "target") {
        auto s = String(node, kpath);
        if (!s) return s.error();
        if (s->empty() || *s == "none") {
          def->target.reset();
          continue;
        }
        auto target = ParseTarget(*s);
        if (!target) return Fail(node, kpath, target.error().message);
        def->target = *target;
        if (!base_) {
          // The user's own target: it says so, unless the file cites its own source.
          def->basis = TargetBasis::kCatalogFile;
          if (t.get("source_zh") == nullptr) {
            def->source_zh = fmt::format("由指标目录文件 {} 设定", origin_);
          }
          if (t.get("source_en") == nullptr) {
            def->source_en = fmt::format("set by the catalog file {}", origin_);
          }
        }
      } else if (k == "basis") {
        auto b = Basis(node, kpath);
        if (!b) return b.error();
        def->basis = *b;
      } else if (k == "min_sample") {
        auto v = node.value_exact<int64_t>();
        if (!v || *v < 0) return Fail(node, kpath, "must be a non-negative integer");
        def->min_sample = static_cast<uint64_t>(*v);
      } else if (k == "breakdowns") {
        auto b = Breakdowns(node, kpath);
        if (!b) return b.error();
        def->breakdowns = std::move(*b);
      } else if (k == "headline" || k == "additive") {
        auto b = Bool(node, kpath);
        if (!b) return b.error();
        (k == "headline" ? def->headline : def->additive) = *b;
        if (k == "additive") additive_set_.insert(def->id);
      } else {
        auto s = String(node, kpath);
        if (!s) return s.error();
        if (k == "unit" && !Contains(kUnits, *s)) {
          return Fail(node, kpath, fmt::format("must be one of {}", JoinQuoted(kUnits)));
        }
        if (k == "polarity" && !Contains(kPolarities, *s)) {
          return Fail(node, kpath, fmt::format("must be one of {}", JoinQuoted(kPolarities)));
        }
        if (k == "section" && !base_ && !SectionExists(*s)) {
          return Fail(node, kpath, "no such section");
        }
        std::string* field = k == "name_zh"      ? &def->name_zh
                             : k == "name_en"    ? &def->name_en
                             : k == "formula_zh" ? &def->formula_zh
                             : k == "formula_en" ? &def->formula_en
                             : k == "unit"       ? &def->unit
                             : k == "polarity"   ? &def->polarity
                             : k == "source_zh"  ? &def->source_zh
                             : k == "source_en"  ? &def->source_en
                                                 : &def->section;
        *field = *s;
      }
    }
    if (def->target && def->unit == "ratio" && (def->target->value < 0 || def->target->value > 1)) {
      return Fail(*t.get("target"), path + ".target",
                  "a rate's target is a fraction between 0 and 1 (write 0.99, not 99)");
    }
    return Ok();
  }

  bool SectionExists(std::string_view key) const {
    return std::any_of(c_.sections_.begin(), c_.sections_.end(),
                       [&](const SectionDef& s) { return s.key == key; });
  }

  Status ReadOperators(const toml::table& t) {
    for (const auto& [op_key, op_node] : t) {
      const std::string op(op_key.str());
      const std::string path = fmt::format("operators.\"{}\"", op);
      const toml::table* ot = op_node.as_table();
      if (ot == nullptr) return Fail(op_node, path, "must be a table");
      TSQ_TRY(CheckKeys(*ot, path, {"params", "indicators"}));
      Catalog::OperatorOverrides& o = c_.operators_[op];
      if (const toml::node* p = ot->get("params")) {
        const toml::table* params = p->as_table();
        if (params == nullptr) return Fail(*p, path + ".params", "must be a table");
        TSQ_TRY(ReadParams(*params, path + ".params", &o.params));
      }
      if (const toml::node* i = ot->get("indicators")) {
        const toml::table* inds = i->as_table();
        if (inds == nullptr) return Fail(*i, path + ".indicators", "must be a table");
        for (const auto& [key, node] : *inds) {
          const std::string id(key.str());
          const std::string ipath = fmt::format("{}.indicators.\"{}\"", path, id);
          const toml::table* fields = node.as_table();
          if (fields == nullptr) return Fail(node, ipath, "must be a table");
          const bool exists = std::any_of(c_.defs_.begin(), c_.defs_.end(),
                                          [&](const IndicatorDef& d) { return d.id == id; });
          if (!exists && (c_.Find(id) == nullptr || !KnownId(id))) {
            return Fail(node, ipath, fmt::format("no such indicator{}", DidYouMean(id, AllIds())));
          }
          TSQ_TRY(CheckKeys(*fields, ipath, {"target", "min_sample"}));
          if (const toml::node* tn = fields->get("target")) {
            auto s = String(*tn, ipath + ".target");
            if (!s) return s.error();
            auto target = ParseTarget(*s);
            if (!target) return Fail(*tn, ipath + ".target", target.error().message);
            const IndicatorDef* def = c_.Find(id);
            if (def != nullptr && def->unit == "ratio" &&
                (target->value < 0 || target->value > 1)) {
              return Fail(*tn, ipath + ".target",
                          "a rate's target is a fraction between 0 and 1 (write 0.99, not 99)");
            }
            o.targets[id] = *target;
          }
          if (const toml::node* mn = fields->get("min_sample")) {
            auto v = mn->value_exact<int64_t>();
            if (!v || *v < 0) {
              return Fail(*mn, ipath + ".min_sample", "must be a non-negative integer");
            }
            o.min_samples[id] = static_cast<uint64_t>(*v);
          }
        }
      }
    }
    return Ok();
  }

  // The built-in catalog: family defaults fill what entries leave out; everything is complete.
  Status CompleteBase() {
    for (IndicatorDef& d : c_.defs_) {
      const std::string family(d.id.substr(0, d.id.find('.')));
      auto f = families_.find(family);
      if (f != families_.end()) {
        if (d.section.empty()) d.section = f->second.section;
        if (d.breakdowns.empty()) d.breakdowns = f->second.breakdowns;
      }
      if (!additive_set_.contains(d.id)) d.additive = d.unit == "count";
      const auto missing = [&](std::string_view what) {
        return Error(ErrorCode::kInvalidArgument,
                     fmt::format("{}: indicators.\"{}\" has no {}", origin_, d.id, what));
      };
      if (d.name_zh.empty() || d.name_en.empty()) return missing("name_zh and name_en");
      if (d.unit.empty()) return missing("unit");
      if (d.polarity.empty()) return missing("polarity");
      if (d.section.empty()) return missing("section (nor does its family)");
      if (d.breakdowns.empty()) return missing("breakdowns (nor does its family)");
      if (d.target &&
          (d.basis == TargetBasis::kNone || d.source_zh.empty() || d.source_en.empty())) {
        return missing("basis, source_zh and source_en for its target");
      }
      if (d.section.find('{') == std::string::npos && !SectionExists(d.section)) {
        return Error(
            ErrorCode::kInvalidArgument,
            fmt::format("{}: indicators.\"{}\": no section '{}'", origin_, d.id, d.section));
      }
      for (const std::string* text : {&d.name_zh, &d.name_en, &d.formula_zh, &d.formula_en}) {
        constexpr std::string_view kParam = "{param:";
        for (size_t pos = text->find(kParam); pos != std::string::npos;
             pos = text->find(kParam, pos + 1)) {
          const size_t end = text->find('}', pos);
          const std::string key = text->substr(pos + kParam.size(), end - pos - kParam.size());
          if (end == std::string::npos || !c_.params_.contains(key)) {
            return Error(ErrorCode::kInvalidArgument,
                         fmt::format("{}: indicators.\"{}\": no parameter '{}' for {{param:}}",
                                     origin_, d.id, key));
          }
        }
      }
    }
    return Ok();
  }

  // Every parameter says where its value comes from.
  Status CompleteLimits() {
    for (const auto& [name, value] : c_.params_) {
      const auto it = c_.limits_.find(name);
      if (it == c_.limits_.end() || it->second.basis == TargetBasis::kNone ||
          it->second.source_zh.empty() || it->second.source_en.empty()) {
        return Error(ErrorCode::kInvalidArgument,
                     fmt::format("{}: params.\"{}\" has no [limits] entry with basis, source_zh "
                                 "and source_en",
                                 origin_, name));
      }
    }
    return Ok();
  }

  Catalog& c_;
  std::string origin_;
  bool base_;
  const std::vector<std::string>* known_ids_;
  std::map<std::string, FamilyDefaults> families_;
  std::set<std::string> additive_set_;
};

Result<Catalog> Catalog::Default() { return Parse(kEmbeddedCatalogToml, "built-in catalog"); }

Result<Catalog> Catalog::Parse(std::string_view text, std::string_view origin) {
  Catalog c;
  CatalogReader reader(&c, origin, /*base=*/true, nullptr);
  TSQ_TRY(reader.Read(text));
  c.texts_.emplace_back(text);
  return c;
}

Status Catalog::OverrideFile(const std::string& path, const std::vector<std::string>* known_ids) {
  auto text = ReadTextFile(path, "catalog file");
  if (!text) return std::move(text).error();
  return Override(*text, path, known_ids);
}

Status Catalog::Override(std::string_view text, std::string_view origin,
                         const std::vector<std::string>* known_ids) {
  // Read into a copy, so that a file with an error changes nothing.
  Catalog next = *this;
  CatalogReader reader(&next, origin, /*base=*/false, known_ids);
  TSQ_TRY(reader.Read(text));
  next.texts_.emplace_back(text);
  *this = std::move(next);
  return Ok();
}

const IndicatorDef* Catalog::Find(std::string_view id) const {
  std::lock_guard lock(find_memo_.mu);
  if (find_memo_.defs != defs_.data() || find_memo_.size != defs_.size()) {
    find_memo_.by_id.clear();
    find_memo_.defs = defs_.data();
    find_memo_.size = defs_.size();
  }
  if (auto it = find_memo_.by_id.find(id); it != find_memo_.by_id.end()) return it->second;
  const IndicatorDef* found = FindUncached(id);
  find_memo_.by_id.emplace(std::string(id), found);
  return found;
}

const IndicatorDef* Catalog::FindUncached(std::string_view id) const {
  const IndicatorDef* best = nullptr;
  for (const IndicatorDef& d : defs_) {
    if (d.id == id) return &d;
    if (GlobMatch(d.id, id) && (best == nullptr || WildcardCount(d.id) < WildcardCount(best->id))) {
      best = &d;
    }
  }
  return best;
}

namespace {

// The value of the most specific key of `m` matching `id`: the exact id, else the pattern with
// the fewest wildcards.
template <typename V>
const V* MostSpecific(const std::map<std::string, V, std::less<>>& m, std::string_view id) {
  if (auto it = m.find(id); it != m.end()) return &it->second;
  const V* best = nullptr;
  int best_wildcards = 0;
  for (const auto& [pattern, value] : m) {
    if (!GlobMatch(pattern, id)) continue;
    const int w = WildcardCount(pattern);
    if (best == nullptr || w < best_wildcards) {
      best = &value;
      best_wildcards = w;
    }
  }
  return best;
}

}  // namespace

std::optional<Target> Catalog::TargetFor(std::string_view id, std::string_view op) const {
  if (!op.empty()) {
    if (auto it = operators_.find(op); it != operators_.end()) {
      if (const Target* t = MostSpecific(it->second.targets, id)) return *t;
    }
  }
  const IndicatorDef* d = Find(id);
  return d != nullptr ? d->target : std::nullopt;
}

TargetBasis Catalog::BasisFor(std::string_view id, std::string_view op) const {
  if (!op.empty()) {
    if (auto it = operators_.find(op); it != operators_.end()) {
      if (MostSpecific(it->second.targets, id) != nullptr) return TargetBasis::kCatalogFile;
    }
  }
  const IndicatorDef* d = Find(id);
  return d != nullptr && d->target ? d->basis : TargetBasis::kNone;
}

LimitSource Catalog::LimitSourceFor(std::string_view key, std::string_view op) const {
  const bool per_operator = [&] {
    if (op.empty()) return false;
    const auto it = operators_.find(op);
    return it != operators_.end() && it->second.params.contains(key);
  }();
  const auto it = limits_.find(key);
  LimitSource out = it != limits_.end() ? it->second : LimitSource{};
  if (per_operator || params_overridden_.contains(key)) {
    out.basis = TargetBasis::kCatalogFile;
    out.source_zh = "由指标目录文件设定";
    out.source_en = "set by a catalog file";
  }
  return out;
}

uint64_t Catalog::MinSampleFor(std::string_view id, std::string_view op) const {
  if (!op.empty()) {
    if (auto it = operators_.find(op); it != operators_.end()) {
      if (const uint64_t* m = MostSpecific(it->second.min_samples, id)) return *m;
    }
  }
  const IndicatorDef* d = Find(id);
  return d != nullptr ? d->min_sample : 1;
}

std::optional<double> Catalog::Param(std::string_view key, std::string_view op) const {
  if (!op.empty()) {
    if (auto it = operators_.find(op); it != operators_.end()) {
      if (auto p = it->second.params.find(key); p != it->second.params.end()) return p->second;
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

std::string Catalog::Substitute(std::string text, std::string_view id, std::string_view lang,
                                std::string_view op) const {
  const std::vector<std::string_view> segs = Segments(id);
  for (size_t i = 1; i < segs.size() && i < 10; ++i) {
    const std::string marker = fmt::format("{{{}}}", i);
    for (size_t pos = text.find(marker); pos != std::string::npos; pos = text.find(marker, pos)) {
      const std::string label = Label(segs[i], lang);
      text.replace(pos, marker.size(), label);
      pos += label.size();
    }
  }
  constexpr std::string_view kParam = "{param:";
  for (size_t pos = text.find(kParam); pos != std::string::npos; pos = text.find(kParam, pos)) {
    const size_t end = text.find('}', pos);
    if (end == std::string::npos) break;
    const std::string key = text.substr(pos + kParam.size(), end - pos - kParam.size());
    std::string value;
    if (!op.empty()) {
      if (auto v = Param(key, op)) value = FormatParam(*v);
    } else {
      // Across operators: every value in use, when operators' limits differ.
      std::set<double> values;
      if (auto v = Param(key)) values.insert(*v);
      for (const auto& [name, o] : operators_) {
        if (auto p = o.params.find(key); p != o.params.end()) values.insert(p->second);
      }
      for (double v : values) value += (value.empty() ? "" : "/") + FormatParam(v);
    }
    text.replace(pos, end + 1 - pos, value);
    pos += value.size();
  }
  return text;
}

std::string Catalog::DisplayName(std::string_view id, std::string_view lang,
                                 std::string_view op) const {
  const IndicatorDef* d = Find(id);
  if (d == nullptr) return std::string(id);
  const std::string& name = lang == "en" ? d->name_en : d->name_zh;
  if (name.empty()) return std::string(id);
  return Substitute(name, id, lang, op);
}

std::string Catalog::DisplayFormula(std::string_view id, std::string_view lang,
                                    std::string_view op) const {
  const IndicatorDef* d = Find(id);
  if (d == nullptr) return "";
  return Substitute(lang == "en" ? d->formula_en : d->formula_zh, id, lang, op);
}

const SectionDef* Catalog::SectionOf(std::string_view id) const {
  const IndicatorDef* d = Find(id);
  if (d == nullptr || d->section.empty()) return nullptr;
  std::string key = d->section;
  // "{1}": the section is named by a segment of the id (orders.mobile… → "mobile").
  const std::vector<std::string_view> segs = Segments(id);
  for (size_t i = 1; i < segs.size() && i < 10; ++i) {
    const std::string marker = fmt::format("{{{}}}", i);
    if (const size_t pos = key.find(marker); pos != std::string::npos) {
      key.replace(pos, marker.size(), segs[i]);
    }
  }
  for (const SectionDef& s : sections_) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

std::vector<std::string> Catalog::ParamNames() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : params_) out.push_back(k);
  return out;
}

std::vector<std::string> Catalog::OperatorNames() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : operators_) out.push_back(k);
  return out;
}

std::string Catalog::Hash() const {
  Sha256 h;
  for (const std::string& t : texts_) {
    h.Update(t);
    h.Update(std::string_view("\0", 1));
  }
  return h.HexDigest();
}

std::string Catalog::ParamsHash() const {
  Sha256 h;
  const auto add = [&h](std::string_view scope, const auto& params) {
    for (const auto& [key, value] : params) {
      h.Update(fmt::format("{}\t{}\t{:a}\n", scope, key, value));
    }
  };
  add("", params_);
  for (const auto& [op, o] : operators_) add(op, o.params);
  return h.HexDigest();
}

}  // namespace tsq
