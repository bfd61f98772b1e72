// Golden cases: tests/golden/<case>/ holds small input files, case.toml (period, optional as_of)
// and expected.json with hand-computed figures. Every case must reproduce exactly, and every id a
// registered family can print must appear in at least one case.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "engine/runner.h"
#include "indicators/families.h"
#include "indicators/judge.h"

namespace tsq {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> Cases() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(TSQ_GOLDEN_DIR)) {
    if (e.is_directory() && fs::exists(e.path() / "expected.json")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Group GroupFromJson(const nlohmann::json& j) {
  Group g;
  for (int d = 0; d < kDimCount; ++d) {
    const char* name = DimName(static_cast<Dim>(d));
    if (j.contains(name)) g.dims.emplace_back(static_cast<Dim>(d), j[name].get<std::string>());
  }
  return g;
}

struct CaseRun {
  std::vector<IndicatorValue> values;
  std::string error;
};

// Runs every family over the case, or only the family named `only`.
CaseRun RunCase(const fs::path& dir, std::string_view only = {}) {
  CaseRun out;
  toml::table config;
  try {
    config = toml::parse_file((dir / "case.toml").string());
  } catch (const toml::parse_error& e) {
    out.error = std::string("case.toml: ") + std::string(e.description());
    return out;
  }
  const int32_t offset = kChinaOffsetSeconds;
  auto period = ParsePeriod(config["period"].value_or(std::string()), offset);
  if (!period) {
    out.error = period.error().message;
    return out;
  }
  auto catalog = Catalog::Default();
  if (!catalog) {
    out.error = catalog.error().message;
    return out;
  }
  if (fs::exists(dir / "catalog.toml")) {
    auto st = catalog->OverrideFile((dir / "catalog.toml").string());
    if (!st) {
      out.error = st.error().message;
      return out;
    }
  }
  EvalContext ctx;
  ctx.periods = {*period, period->Previous(offset), period->YearEarlier(offset)};
  for (int s = 0; s < kSlotCount; ++s) ctx.as_of[s] = ctx.periods[s].to;
  if (auto as_of = config["as_of"].value<std::string>()) {
    auto t = ParseTimestamp(*as_of, offset);
    if (!t) {
      out.error = "case.toml: bad as_of";
      return out;
    }
    ctx.as_of[kCurrentSlot] = *t;
  }
  auto dataset = DiscoverDataSet(dir.string());
  if (!dataset) {
    out.error = dataset.error().message;
    return out;
  }
  StringDictionary dict;
  FamilyConfig cfg{offset, &*catalog, &dict};
  std::vector<FamilySpec> specs = DefaultFamilies(cfg);
  std::vector<const FamilySpec*> ptrs;
  for (const FamilySpec& s : specs) {
    if (only.empty() || s.name == only) ptrs.push_back(&s);
  }
  ReadOptions options;
  options.threads = 2;
  // An operator's export: its encoding, a header preset and value forms (case.toml).
  ColumnMapping mapping;
  if (auto encoding = config["encoding"].value<std::string>()) {
    auto e = ParseEncoding(*encoding);
    if (!e) {
      out.error = e.error().message;
      return out;
    }
    options.encoding = *e;
  }
  if (auto preset = config["preset"].value<std::string>()) {
    if (Status st = mapping.AddPreset(*preset); !st) {
      out.error = st.error().message;
      return out;
    }
  }
  if (const toml::array* forms = config["forms"].as_array()) {
    for (const toml::node& f : *forms) {
      if (Status st = mapping.AddForm(f.value_or(std::string())); !st) {
        out.error = st.error().message;
        return out;
      }
    }
  }
  options.mapping = &mapping;
  auto run = RunFamilies(*dataset, ptrs, ctx, options, &dict);
  if (!run) {
    out.error = run.error().message;
    return out;
  }
  out.values = run->Finalize(kCurrentSlot);
  Judge(*catalog, &out.values);
  return out;
}

TEST(Golden, EveryCaseReproducesItsHandComputedFigures) {
  const auto cases = Cases();
  ASSERT_FALSE(cases.empty());
  for (const fs::path& dir : cases) {
    SCOPED_TRACE(dir.filename().string());
    CaseRun run = RunCase(dir);
    ASSERT_TRUE(run.error.empty()) << run.error;
    std::map<std::pair<std::string, Group>, const IndicatorValue*> got;
    for (const IndicatorValue& v : run.values) got[{v.id, v.group}] = &v;
    const auto expected = nlohmann::json::parse(Slurp(dir / "expected.json"));
    for (const auto& e : expected["values"]) {
      const std::string id = e["id"].get<std::string>();
      const Group g = GroupFromJson(e.value("group", nlohmann::json::object()));
      SCOPED_TRACE(id + " {" + g.ToString() + "}");
      auto it = got.find({id, g});
      ASSERT_NE(it, got.end()) << "not printed";
      const IndicatorValue& v = *it->second;
      if (e["value"].is_null()) {
        EXPECT_FALSE(v.value.has_value()) << "expected no value, got " << *v.value;
      } else {
        ASSERT_TRUE(v.value.has_value()) << "expected " << e["value"];
        EXPECT_NEAR(*v.value, e["value"].get<double>(), 1e-9);
      }
      if (e.contains("n")) {
        EXPECT_EQ(v.n, e["n"].get<uint64_t>());
      }
      if (e.contains("verdict")) {
        EXPECT_EQ(std::string(VerdictName(v.verdict)), e["verdict"].get<std::string>());
      }
    }
    for (const auto& e : expected.value("absent", nlohmann::json::array())) {
      const std::string id = e["id"].get<std::string>();
      const Group g = GroupFromJson(e.value("group", nlohmann::json::object()));
      EXPECT_EQ(got.count({id, g}), 0u) << id << " {" << g.ToString() << "} must not be printed";
    }
  }
}

// A family run alone reads only the columns it names (FamilySpec::columns; the rest are checked,
// not kept, and debug builds assert on a read of them): its figures equal those of the full run.
TEST(Golden, EachFamilyAloneGivesTheFiguresOfTheFullRun) {
  FamilyConfig cfg;
  std::vector<std::string> names;
  for (const FamilySpec& spec : DefaultFamilies(cfg)) names.emplace_back(spec.name);
  for (const fs::path& dir : Cases()) {
    SCOPED_TRACE(dir.filename().string());
    const CaseRun all = RunCase(dir);
    ASSERT_TRUE(all.error.empty()) << all.error;
    std::map<std::pair<std::string, Group>, const IndicatorValue*> full;
    for (const IndicatorValue& v : all.values) full[{v.id, v.group}] = &v;
    for (const std::string& name : names) {
      SCOPED_TRACE(name);
      const CaseRun alone = RunCase(dir, name);
      ASSERT_TRUE(alone.error.empty()) << alone.error;
      for (const IndicatorValue& v : alone.values) {
        auto it = full.find({v.id, v.group});
        ASSERT_NE(it, full.end()) << v.id << " {" << v.group.ToString() << "}";
        EXPECT_EQ(v.value, it->second->value) << v.id << " {" << v.group.ToString() << "}";
        EXPECT_EQ(v.n, it->second->n) << v.id << " {" << v.group.ToString() << "}";
      }
    }
  }
}

// An id matches a registry id where the registry has '*' segments (orders.*.*.count).
bool Matches(std::string_view pattern, std::string_view id) {
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

TEST(Golden, EveryRegisteredIndicatorHasAGoldenCase) {
  std::set<std::string> covered;
  for (const fs::path& dir : Cases()) {
    const auto expected = nlohmann::json::parse(Slurp(dir / "expected.json"));
    for (const auto& e : expected["values"]) covered.insert(e["id"].get<std::string>());
  }
  FamilyConfig cfg;
  for (const FamilySpec& spec : DefaultFamilies(cfg)) {
    for (const std::string& id : spec.ids) {
      bool found = false;
      for (const std::string& c : covered) found = found || Matches(id, c);
      EXPECT_TRUE(found) << id << " (family " << spec.name << ") has no golden case";
    }
  }
}

}  // namespace
}  // namespace tsq
