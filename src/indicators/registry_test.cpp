// The one registry holds together: every id a family declares has its catalog entry, every
// catalog entry is produced by a family, docs/indicators.md names every id and lists every
// default target and time limit with its basis, the breakdowns the families print are exactly
// the catalog's, and every additive count adds up over every breakdown of a generated province.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "core/glob.h"
#include "engine/runner.h"
#include "engine/state_file.h"
#include "indicators/families.h"
#include "synth/generator.h"

namespace tsq {
namespace {

namespace fs = std::filesystem;

Catalog DefaultCatalog() {
  auto c = Catalog::Default();
  EXPECT_TRUE(c) << c.error().Debug();
  return std::move(*c);
}

const std::vector<FamilySpec>& Specs() {
  static const Catalog catalog = DefaultCatalog();
  static const FamilyConfig cfg{kChinaOffsetSeconds, &catalog, nullptr};
  static const std::vector<FamilySpec> specs = DefaultFamilies(cfg);
  return specs;
}

// The record type of the family that prints `id` (callers.* come from calls).
std::optional<RecordType> TypeOfId(const std::string& id) {
  for (const FamilySpec& spec : Specs()) {
    for (const std::string& s : spec.ids) {
      if (s == id || GlobMatch(s, id) || GlobMatch(id, s)) return spec.type;
    }
  }
  return std::nullopt;
}

Breakdown DimsOf(const Group& g) {
  Breakdown b;
  for (const auto& [dim, value] : g.dims) b.push_back(dim);
  return b;
}

TEST(Registry, EveryDeclaredIdHasItsCatalogEntry) {
  const Catalog catalog = DefaultCatalog();
  for (const FamilySpec& spec : Specs()) {
    for (const std::string& id : spec.ids) {
      const IndicatorDef* def = catalog.Find(id);
      ASSERT_NE(def, nullptr) << spec.name << " declares " << id << " but the catalog lacks it";
      EXPECT_EQ(def->id, id) << "catalog entry for " << id;
      EXPECT_NE(catalog.SectionOf(spec.ConcreteIds().front()), nullptr) << spec.name;
    }
  }
}

TEST(Registry, EveryCatalogEntryIsProducedByAFamily) {
  const Catalog catalog = DefaultCatalog();
  for (const IndicatorDef& def : catalog.defs()) {
    bool produced = false;
    for (const FamilySpec& spec : Specs()) {
      for (const std::string& id : spec.ids) produced = produced || id == def.id;
      for (const std::string& id : spec.ConcreteIds()) produced = produced || id == def.id;
    }
    EXPECT_TRUE(produced) << "catalog entry " << def.id << " is produced by no family";
  }
}

TEST(Registry, DocsNameEveryId) {
  std::ifstream in(std::string(TSQ_DOCS_DIR) + "/indicators.md");
  ASSERT_TRUE(in) << "docs/indicators.md";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  const Catalog catalog = DefaultCatalog();
  for (const IndicatorDef& def : catalog.defs()) {
    if (doc.find("`" + def.id + "`") != std::string::npos) continue;
    // A pattern may name each '*' segment instead: `orders.<service>.<kind>.count`.
    std::string re = "`";
    for (char ch : def.id) {
      if (ch == '*') {
        re += "<[a-z_]+>";
      } else if (ch == '.') {
        re += "\\.";
      } else {
        re += ch;
      }
    }
    re += "`";
    EXPECT_TRUE(std::regex_search(doc, std::regex(re)))
        << "docs/indicators.md does not name `" << def.id << "`";
  }
}

std::string ReadDoc(const std::string& name) {
  std::ifstream in(std::string(TSQ_DOCS_DIR) + "/" + name);
  EXPECT_TRUE(in) << "docs/" << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The row of `key` in the docs' table of defaults: "| `key` | ≥ 0.90 | regulation | ... |" →
// {"≥ 0.90", "regulation"}; empty when the docs have no such row.
std::pair<std::string, std::string> DocsDefaultRow(const std::string& doc, const std::string& key) {
  const std::regex row("\\| `" + std::regex_replace(key, std::regex(R"([.*])"), R"(\$&)") +
                       "` \\| ([^|]+) \\| (regulation|tool default) \\|");
  std::smatch m;
  if (!std::regex_search(doc, m, row)) return {};
  return {m[1].str(), m[2].str()};
}

std::string BasisText(TargetBasis b) {
  return b == TargetBasis::kRegulation    ? "regulation"
         : b == TargetBasis::kToolDefault ? "tool default"
                                          : "(none)";
}

TEST(Registry, DocsListEveryDefaultTargetWithItsBasis) {
  const std::string doc = ReadDoc("indicators.md");
  const Catalog catalog = DefaultCatalog();
  int targets = 0;
  for (const IndicatorDef& def : catalog.defs()) {
    if (!def.target) continue;
    ++targets;
    EXPECT_NE(def.basis, TargetBasis::kNone) << def.id << " has a target but no basis";
    EXPECT_FALSE(def.source_zh.empty() || def.source_en.empty()) << def.id << " cites no source";
    const auto [target, basis] = DocsDefaultRow(doc, def.id);
    ASSERT_FALSE(target.empty()) << "docs/indicators.md lists no default for `" << def.id << "`";
    const std::string op = def.target->op == TargetOp::kAtLeast ? "≥ " : "≤ ";
    ASSERT_TRUE(target.starts_with(op)) << def.id << ": docs say " << target;
    EXPECT_DOUBLE_EQ(std::stod(target.substr(op.size())), def.target->value) << def.id;
    EXPECT_EQ(basis, BasisText(def.basis)) << def.id;
  }
  EXPECT_GT(targets, 20);
}

TEST(Registry, DocsListEveryTimeLimitWithItsBasis) {
  const std::string doc = ReadDoc("indicators.md");
  const Catalog catalog = DefaultCatalog();
  for (const std::string& key : catalog.ParamNames()) {
    const LimitSource source = catalog.LimitSourceFor(key);
    EXPECT_NE(source.basis, TargetBasis::kNone) << key << " has no [limits] entry";
    EXPECT_FALSE(source.source_zh.empty() || source.source_en.empty()) << key;
    const auto [value, basis] = DocsDefaultRow(doc, key);
    ASSERT_FALSE(value.empty()) << "docs/indicators.md lists no default for `" << key << "`";
    EXPECT_DOUBLE_EQ(std::stod(value), *catalog.Param(key)) << key;
    EXPECT_EQ(basis, BasisText(source.basis)) << key;
  }
}

// A generated province, run through every family once for the tests below.
class GeneratedProvince : public ::testing::Test {
 protected:
  struct Run {
    std::vector<IndicatorValue> values;
    // Record types whose rows in the period lack a dimension's value (region, rat, channel).
    std::set<std::pair<RecordType, Dim>> incomplete;
    std::set<RecordType> types;  // that have rows in the period
  };

  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / fmt::format("tsq_registry_{}", ::getpid()));
    GenerateOptions g;
    g.out_dir = dir_->string();
    g.scale = 0.05;
    g.seed = 8;  // one whose porting holds rejections without a reason
    g.period = "2022H2";
    g.threads = 2;
    auto summary = GenerateProvince(g);
    ASSERT_TRUE(summary) << summary.error().Debug();

    static const Catalog catalog = DefaultCatalog();
    static StringDictionary dict;
    static const FamilyConfig cfg{kChinaOffsetSeconds, &catalog, &dict};
    static const std::vector<FamilySpec> specs = DefaultFamilies(cfg);
    std::vector<const FamilySpec*> families;
    for (const FamilySpec& s : specs) families.push_back(&s);
    auto period = ParsePeriod("2022H2", kChinaOffsetSeconds);
    ASSERT_TRUE(period);
    EvalContext ctx;
    ctx.periods = {*period, period->Previous(kChinaOffsetSeconds),
                   period->YearEarlier(kChinaOffsetSeconds)};
    for (int s = 0; s < kSlotCount; ++s) ctx.as_of[s] = ctx.periods[s].to;
    auto dataset = DiscoverDataSet(dir_->string());
    ASSERT_TRUE(dataset);
    ReadOptions options;
    options.threads = 2;
    run_ = new Run;
    std::mutex mu;
    auto engine = RunFamilies(
        *dataset, families, ctx, options, &dict, [&](RecordType type, int, const Batch& b) {
          // Which optional breakdown dimensions some row of the period leaves blank.
          std::vector<uint8_t> slots;
          AssignSlots(b, ctx, &slots);
          std::lock_guard lock(mu);
          for (size_t r = 0; r < b.rows; ++r) {
            if (slots[r] != kCurrentSlot) continue;
            run_->types.insert(type);
            for (const auto& [name, dim] :
                 {std::pair{"region", Dim::kRegion}, std::pair{"rat", Dim::kRat},
                  std::pair{"channel", Dim::kChannel}}) {
              const int c = ColumnIndex(*b.schema, name);
              if (c < 0) continue;
              const ColumnData& col = b.columns[c];
              const bool missing =
                  !col.present || (col.type == ColumnType::kDict ? col.ids[r] == kMissingId
                                                                 : col.u8[r] == kMissingCode);
              if (missing) run_->incomplete.insert({type, dim});
            }
          }
        });
    ASSERT_TRUE(engine) << engine.error().Debug();
    run_->values = engine->Finalize(kCurrentSlot);
  }

  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete run_;
  }

  static fs::path* dir_;
  static Run* run_;
};

fs::path* GeneratedProvince::dir_ = nullptr;
GeneratedProvince::Run* GeneratedProvince::run_ = nullptr;

TEST_F(GeneratedProvince, FamiliesPrintExactlyTheCatalogsBreakdowns) {
  const Catalog catalog = DefaultCatalog();
  ASSERT_FALSE(run_->values.empty());
  std::map<std::string, std::set<Breakdown>> printed;  // by catalog entry
  for (const IndicatorValue& v : run_->values) {
    const IndicatorDef* def = catalog.Find(v.id);
    ASSERT_NE(def, nullptr) << v.id << " has no catalog entry";
    const Breakdown dims = DimsOf(v.group);
    EXPECT_NE(std::find(def->breakdowns.begin(), def->breakdowns.end(), dims),
              def->breakdowns.end())
        << v.id << " printed for " << BreakdownName(dims) << ", which " << def->id
        << " does not list";
    printed[def->id].insert(dims);
  }
  for (const IndicatorDef& def : catalog.defs()) {
    const std::optional<RecordType> type = TypeOfId(def.id);
    ASSERT_TRUE(type) << def.id;
    if (!run_->types.contains(*type)) continue;
    // Specific entries under a pattern (orders.mobile.change.avg_hours) print for their pair
    // only when the data has it; every other entry must show each breakdown it lists.
    if (printed[def.id].empty() && def.id.find('*') == std::string::npos &&
        def.id.starts_with("orders.")) {
      continue;
    }
    for (const Breakdown& b : def.breakdowns) {
      EXPECT_TRUE(printed[def.id].contains(b))
          << def.id << " lists " << BreakdownName(b) << " but no family printed it";
    }
  }
}

TEST_F(GeneratedProvince, AdditiveCountsAddUpOverEveryBreakdown) {
  const Catalog catalog = DefaultCatalog();
  std::map<std::pair<std::string, Group>, double> value;
  for (const IndicatorValue& v : run_->values) {
    if (v.value) value[{v.id, v.group}] = *v.value;
  }
  // The total a breakdown's groups add up to: the same id one dimension up, except for the
  // reasons of rejected porting requests, whose total is porting.rejected.
  const auto total_id = [](const std::string& id, const Group& parent) {
    if (id == "porting.rejected_by_reason" && parent.Find(Dim::kRejectReason) == nullptr) {
      return std::string("porting.rejected");
    }
    return id;
  };
  // (id, parent group, dimension summed over) -> sum of the groups.
  std::map<std::tuple<std::string, Group, Dim>, double> sums;
  size_t checked = 0;
  for (const IndicatorValue& v : run_->values) {
    const IndicatorDef* def = catalog.Find(v.id);
    if (def == nullptr || !def->additive || !v.value) continue;
    for (size_t i = 0; i < v.group.dims.size(); ++i) {
      Group parent = v.group;
      parent.dims.erase(parent.dims.begin() + static_cast<std::ptrdiff_t>(i));
      sums[{v.id, parent, v.group.dims[i].first}] += *v.value;
    }
  }
  bool blank_reason = false;
  for (const auto& [key, sum] : sums) {
    const auto& [id, parent, dim] = key;
    const std::string tid = total_id(id, parent);
    auto total = value.find({tid, parent});
    if (total == value.end()) continue;  // that roll-up is not a breakdown of the id
    const RecordType type = TypeOfId(id).value_or(RecordType::kCalls);
    ++checked;
    if (run_->incomplete.contains({type, dim})) {
      // Records without the dimension are left out of its groups, and only there.
      EXPECT_LE(sum, total->second)
          << id << " over " << DimName(dim) << " in " << parent.ToString();
    } else {
      EXPECT_EQ(sum, total->second) << id << " over " << DimName(dim) << " in " << parent.ToString()
                                    << " (total " << tid << ")";
    }
  }
  for (const IndicatorValue& v : run_->values) {
    if (const std::string* r = v.group.Find(Dim::kRejectReason)) blank_reason |= r->empty();
  }
  EXPECT_GT(checked, 1000u);
  EXPECT_TRUE(blank_reason) << "the province should hold a rejection without a reason";
  // The channel breakdown leaves complaints without a channel out, and counts them beside it.
  ASSERT_TRUE(run_->incomplete.contains({RecordType::kComplaints, Dim::kChannel}));
  double channels = 0;
  for (const IndicatorValue& v : run_->values) {
    if (v.id == "complaints.count" && v.group.dims.size() == 1 && v.group.Find(Dim::kChannel)) {
      channels += *v.value;
    }
  }
  const double missing = value[std::pair{std::string("complaints.channel_missing.count"), Group{}}];
  const double all = value[std::pair{std::string("complaints.count"), Group{}}];
  EXPECT_GT(missing, 0);
  EXPECT_EQ(channels + missing, all);
}

// Every family's state, saved month by month and read back into a run with a dictionary of its
// own, gives exactly the half-year's values: a field a state forgot to save, or a code it forgot
// to map, changes some figure.
TEST_F(GeneratedProvince, StatesSavedMonthByMonthGiveTheHalfYear) {
  const Catalog catalog = DefaultCatalog();
  const auto context = [](const std::string& label) {
    EvalContext ctx;
    const Period p = *ParsePeriod(label, kChinaOffsetSeconds);
    ctx.periods = {p, p.Previous(kChinaOffsetSeconds), p.YearEarlier(kChinaOffsetSeconds)};
    for (int s = 0; s < kSlotCount; ++s) ctx.as_of[s] = ctx.periods[s].to;
    return ctx;
  };
  auto dataset = DiscoverDataSet(dir_->string());
  ASSERT_TRUE(dataset);
  ReadOptions options;
  options.threads = 2;
  // The half-year's months, and the comparison periods whole.
  const std::vector<std::string> parts = {"2022-07", "2022-08", "2022-09", "2022-10",
                                          "2022-11", "2022-12", "2022H1",  "2021H2"};
  std::vector<std::string> files;
  for (const std::string& label : parts) {
    StringDictionary dict;
    const FamilyConfig cfg{kChinaOffsetSeconds, &catalog, &dict};
    const std::vector<FamilySpec> specs = DefaultFamilies(cfg);
    std::vector<const FamilySpec*> families;
    for (const FamilySpec& s : specs) families.push_back(&s);
    auto run = ReadFamilies(*dataset, families, context(label), options, &dict);
    ASSERT_TRUE(run) << run.error().Debug();
    StateMeta meta;
    meta.period = label;
    meta.from = run->ctx.periods[kCurrentSlot].from;
    meta.to = run->ctx.periods[kCurrentSlot].to;
    files.push_back((*dir_ / (label + ".state")).string());
    ASSERT_TRUE(WriteStateFile(files.back(), meta, dict, run->NamedStates()));
  }

  StringDictionary dict;
  dict.Intern("a code the saved dictionaries do not start with");
  const FamilyConfig cfg{kChinaOffsetSeconds, &catalog, &dict};
  const std::vector<FamilySpec> specs = DefaultFamilies(cfg);
  std::vector<const FamilySpec*> families;
  for (const FamilySpec& s : specs) families.push_back(&s);
  EngineRun merged;
  merged.ctx = context("2022H2");
  merged.ctx.dict = &dict;
  for (size_t i = 0; i < files.size(); ++i) {
    auto reader = StateFileReader::Open(files[i]);
    ASSERT_TRUE(reader) << reader.error().Debug();
    const uint8_t slot =
        i < 6 ? kCurrentSlot : (parts[i] == "2022H1" ? kPreviousSlot : kYearEarlierSlot);
    ASSERT_TRUE((*reader)->LoadInto(
        [&](std::string_view name) { return StateNamed(&merged, families, name); }, &dict, slot,
        false));
  }
  const auto keyed = [](const std::vector<IndicatorValue>& values) {
    std::map<std::pair<std::string, Group>, std::pair<std::optional<double>, uint64_t>> out;
    for (const IndicatorValue& v : values) out[{v.id, v.group}] = {v.value, v.n};
    return out;
  };
  // Families that judge their records in Complete() (cells, broadband lines) judge them in
  // Finalize() when nothing completed them; only the callers' are found in Complete() alone.
  auto uncompleted = keyed(merged.Finalize(kCurrentSlot));
  std::erase_if(uncompleted, [](const auto& v) { return v.first.first.starts_with("callers."); });
  ASSERT_TRUE(CompleteFamilies(&merged, 2));
  auto completed = keyed(merged.Finalize(kCurrentSlot));
  std::erase_if(completed, [](const auto& v) { return v.first.first.starts_with("callers."); });
  EXPECT_GT(completed.count({"speedtests.poor_cells", Group{}}), 0u);
  EXPECT_GT(completed.count({"broadband_tests.compliance_rate", Group{}}), 0u);
  EXPECT_TRUE(uncompleted == completed);
  const auto want = keyed(run_->values);
  const auto got = keyed(merged.Finalize(kCurrentSlot));
  EXPECT_EQ(got.size(), want.size());
  size_t differ = 0;
  for (const auto& [key, value] : want) {
    auto it = got.find(key);
    if (it == got.end() || it->second != value) {
      if (++differ <= 10) {
        ADD_FAILURE() << key.first << " " << key.second.ToString() << ": "
                      << (it == got.end() ? "missing" : "differs");
      }
    }
  }
  EXPECT_EQ(differ, 0u);
}

}  // namespace
}  // namespace tsq
