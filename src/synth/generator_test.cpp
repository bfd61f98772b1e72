#include "synth/generator.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/string_dictionary.h"
#include "core/timestamp.h"
#include "core/value_forms.h"
#include "model/read.h"
#include "model/schema.h"

namespace tsq {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path TempDir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("tsq_synth_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

GenerateOptions Small(const fs::path& dir, double scale = 0.004) {
  GenerateOptions o;
  o.out_dir = dir.string();
  o.scale = scale;
  o.threads = 2;
  return o;
}

Json Truth(const fs::path& dir) { return Json::parse(ReadAll(dir / "truth.json")); }

// ---- an independent checker of the contract's row rules (data-contract "Details" 2-5) ----

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = 0;
    if (c < 0x80) {
      n = 0;
    } else if ((c >> 5) == 6 && c >= 0xC2) {
      n = 1;
    } else if ((c >> 4) == 14) {
      n = 2;
    } else if ((c >> 3) == 30 && c <= 0xF4) {
      n = 3;
    } else {
      return false;
    }
    if (i + static_cast<size_t>(n) >= s.size() && n > 0) return false;  // truncated sequence
    for (int k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    i += static_cast<size_t>(n) + 1;
  }
  return true;
}

std::string_view Trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

struct Finding {
  uint64_t line;
  std::string column;
  std::string reason;
  bool operator<(const Finding& o) const { return line < o.line; }
  bool operator==(const Finding& o) const {
    return line == o.line && column == o.column && reason == o.reason;
  }
};

// Checks one record given its values by contract column (nullopt = missing); returns the first
// failure or nothing.
std::optional<std::pair<std::string, std::string>> CheckValues(
    RecordType type, const std::vector<std::optional<std::string>>& values) {
  const RecordSchema& schema = SchemaOf(type);
  std::vector<std::optional<Micros>> times(schema.columns.size());
  for (size_t i = 0; i < schema.columns.size(); ++i) {
    const ColumnSpec& c = schema.columns[i];
    const std::string name(c.name);
    if (!values[i]) {
      if (c.required) return std::pair{name, "missing_required"};
      continue;
    }
    const std::string& v = *values[i];
    switch (c.type) {
      case ColumnType::kTimestamp:
        times[i] = ParseTimestamp(v, kChinaOffsetSeconds);
        if (!times[i]) return std::pair{name, "bad_timestamp"};
        break;
      case ColumnType::kMonth:
        times[i] = ParseMonthForm(v, ValueForm::kContract, kChinaOffsetSeconds);
        if (!times[i]) return std::pair{name, "bad_timestamp"};
        break;
      case ColumnType::kNumber: {
        char* end = nullptr;
        std::strtod(v.c_str(), &end);
        if (end != v.c_str() + v.size()) return std::pair{name, "bad_number"};
        break;
      }
      case ColumnType::kInt: {
        int64_t x = 0;
        const auto r = std::from_chars(v.data(), v.data() + v.size(), x);
        if (r.ec != std::errc() || r.ptr != v.data() + v.size()) {
          return std::pair{name, "bad_number"};
        }
        break;
      }
      case ColumnType::kBool: {
        std::string l;
        for (char ch : v) l.push_back(static_cast<char>(std::tolower(ch)));
        if (l != "1" && l != "0" && l != "true" && l != "false" && l != "y" && l != "n") {
          return std::pair{name, "bad_bool"};
        }
        break;
      }
      case ColumnType::kEnum: {
        bool known = false;
        for (std::string_view e : c.enum_values) known |= e == v;
        if (!known) return std::pair{name, "unknown_enum"};
        break;
      }
      default:
        break;
    }
  }
  for (const OrderedPair& p : schema.ordered_pairs) {
    if (times[p.start_column] && times[p.end_column] &&
        *times[p.end_column] < *times[p.start_column]) {
      return std::pair{std::string(schema.columns[p.end_column].name), "end_before_start"};
    }
  }
  return std::nullopt;
}

struct CheckedFile {
  std::vector<std::string> header;
  uint64_t rows = 0;
  std::vector<Finding> bad;
  std::vector<std::vector<std::optional<std::string>>> good;  // valid rows, by contract column
};

CheckedFile CheckCsv(RecordType type, std::string text) {
  CheckedFile out;
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  size_t i = 0;
  uint64_t line = 1;
  // Parses one record from i; sets bad_quoting and skips to the line end on a quoting error.
  const auto record = [&](std::vector<std::string>* fields, bool* bad_quoting) {
    fields->clear();
    *bad_quoting = false;
    std::string f;
    for (;;) {
      if (i < text.size() && text[i] == '"') {
        ++i;
        for (;;) {
          if (i >= text.size()) {
            *bad_quoting = true;
            return;
          }
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              f.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          f.push_back(text[i++]);
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          *bad_quoting = true;
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n') {
          if (text[i] == '"') *bad_quoting = true;
          f.push_back(text[i++]);
        }
        if (!f.empty() && f.back() == '\r') f.pop_back();
      }
      if (*bad_quoting) {
        while (i < text.size() && text[i] != '\n') ++i;
        if (i < text.size()) ++i;
        ++line;
        return;
      }
      if (i < text.size() && text[i] == '\r') ++i;
      fields->push_back(f);
      f.clear();
      if (i >= text.size()) return;
      if (text[i] == ',') {
        ++i;
        continue;
      }
      ++i;  // '\n'
      ++line;
      return;
    }
  };
  std::vector<std::string> fields;
  bool bad_quoting = false;
  record(&out.header, &bad_quoting);
  const RecordSchema& schema = SchemaOf(type);
  std::vector<int> position(schema.columns.size(), -1);
  for (size_t c = 0; c < schema.columns.size(); ++c) {
    for (size_t h = 0; h < out.header.size(); ++h) {
      if (out.header[h] == schema.columns[c].name) position[c] = static_cast<int>(h);
    }
  }
  while (i < text.size()) {
    const uint64_t start = line;
    record(&fields, &bad_quoting);
    out.rows++;
    if (bad_quoting) {
      out.bad.push_back({start, "", "bad_quoting"});
      continue;
    }
    if (fields.size() != out.header.size()) {
      out.bad.push_back({start, "", "column_count"});
      continue;
    }
    bool utf8 = true;
    for (const std::string& f : fields) utf8 &= ValidUtf8(f);
    if (!utf8) {
      out.bad.push_back({start, "", "invalid_utf8"});
      continue;
    }
    std::vector<std::optional<std::string>> values(schema.columns.size());
    for (size_t c = 0; c < schema.columns.size(); ++c) {
      const std::string_view v = Trim(fields[static_cast<size_t>(position[c])]);
      if (!v.empty()) values[c] = std::string(v);
    }
    if (auto f = CheckValues(type, values)) {
      out.bad.push_back({start, f->first, f->second});
    } else {
      out.good.push_back(std::move(values));
    }
  }
  return out;
}

CheckedFile CheckJsonl(RecordType type, const std::string& text) {
  CheckedFile out;
  const RecordSchema& schema = SchemaOf(type);
  std::istringstream in(text);
  std::string l;
  uint64_t line = 0;
  while (std::getline(in, l)) {
    ++line;
    if (Trim(l).empty()) continue;
    out.rows++;
    if (!ValidUtf8(l)) {
      out.bad.push_back({line, "", "invalid_utf8"});
      continue;
    }
    const Json j = Json::parse(l, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      out.bad.push_back({line, "", "bad_json"});
      continue;
    }
    std::vector<std::optional<std::string>> values(schema.columns.size());
    for (size_t c = 0; c < schema.columns.size(); ++c) {
      const auto it = j.find(std::string(schema.columns[c].name));
      if (it == j.end() || it->is_null()) continue;
      std::string v = it->is_string() ? it->get<std::string>() : it->dump();
      if (!Trim(v).empty()) values[c] = std::string(Trim(v));
    }
    if (auto f = CheckValues(type, values)) {
      out.bad.push_back({line, f->first, f->second});
    } else {
      out.good.push_back(std::move(values));
    }
  }
  return out;
}

RecordType TypeOf(const std::string& name) { return *RecordTypeFromName(name); }

CheckedFile CheckFile(const fs::path& dir, const Json& file, const std::string& format) {
  const std::string text = ReadAll(dir / file["path"].get<std::string>());
  const RecordType type = TypeOf(file["type"].get<std::string>());
  return format == "csv" ? CheckCsv(type, text) : CheckJsonl(type, text);
}

std::vector<Finding> TruthBad(const Json& file) {
  std::vector<Finding> v;
  for (const Json& r : file["bad_rows"]["rows"]) {
    v.push_back({r["line"].get<uint64_t>(), r["column"].get<std::string>(),
                 r["reason"].get<std::string>()});
  }
  std::sort(v.begin(), v.end());
  return v;
}

// ---- tests ----

TEST(Generate, DeterministicAcrossThreadsAndSeeds) {
  const fs::path a = TempDir("det_a"), b = TempDir("det_b"), c = TempDir("det_c");
  GenerateOptions oa = Small(a);
  oa.threads = 1;
  oa.plant_bad_rows = true;
  GenerateOptions ob = Small(b);
  ob.threads = 3;
  ob.plant_bad_rows = true;
  GenerateOptions oc = Small(c);
  oc.seed = 2;
  oc.plant_bad_rows = true;
  auto ra = GenerateProvince(oa);
  ASSERT_TRUE(ra) << ra.error().Debug();
  ASSERT_TRUE(GenerateProvince(ob));
  ASSERT_TRUE(GenerateProvince(oc));
  for (const GeneratedFile& f : ra->files) {
    const std::string name = fs::path(f.path).filename().string();
    EXPECT_EQ(ReadAll(a / name), ReadAll(b / name)) << name;
    EXPECT_NE(ReadAll(a / name), ReadAll(c / name)) << name;
  }
  EXPECT_EQ(ReadAll(a / "truth.json"), ReadAll(b / "truth.json"));
  fs::remove_all(a);
  fs::remove_all(b);
  fs::remove_all(c);
}

TEST(Generate, EveryFileHasTheContractHeaderAndValidRows) {
  const fs::path dir = TempDir("valid");
  auto r = GenerateProvince(Small(dir));
  ASSERT_TRUE(r) << r.error().Debug();
  const Json truth = Truth(dir);
  ASSERT_EQ(truth["files"].size(), static_cast<size_t>(kRecordTypeCount));
  std::set<std::string> enums_seen;
  for (const Json& file : truth["files"]) {
    const RecordType type = TypeOf(file["type"].get<std::string>());
    const RecordSchema& schema = SchemaOf(type);
    const CheckedFile checked = CheckFile(dir, file, "csv");
    std::set<std::string> header(checked.header.begin(), checked.header.end());
    for (const ColumnSpec& c : schema.columns) {
      EXPECT_TRUE(header.count(std::string(c.name))) << schema.name << " lacks " << c.name;
    }
    EXPECT_TRUE(checked.bad.empty())
        << schema.name << " line " << checked.bad.front().line << " " << checked.bad.front().reason;
    EXPECT_EQ(checked.rows, file["rows"].get<uint64_t>()) << schema.name;
    EXPECT_GT(checked.rows, 0u) << schema.name;
    // Every enum value of every enum column shows up.
    for (size_t c = 0; c < schema.columns.size(); ++c) {
      if (schema.columns[c].type != ColumnType::kEnum) continue;
      std::set<std::string> seen;
      for (const auto& row : checked.good) {
        if (row[c]) seen.insert(*row[c]);
      }
      for (std::string_view e : schema.columns[c].enum_values) {
        EXPECT_TRUE(seen.count(std::string(e)))
            << schema.name << "." << schema.columns[c].name << " never " << e;
      }
    }
  }
  EXPECT_EQ(r->truth_path, (dir / "truth.json").string());
  fs::remove_all(dir);
}

TEST(Generate, PlantedCallersCellsAndLinesAreInTheData) {
  const fs::path dir = TempDir("planted");
  ASSERT_TRUE(GenerateProvince(Small(dir, 0.01)));
  const Json truth = Truth(dir);

  // Callers: calls placed per planted number, as truth says.
  std::map<std::string, int64_t> calls_by_caller;
  const CheckedFile calls = CheckFile(dir, truth["files"][1], "csv");
  ASSERT_EQ(truth["files"][1]["type"], "calls");
  for (const auto& row : calls.good) calls_by_caller[*row[col::calls::kCaller]]++;
  std::set<std::string> kinds;
  double worst_harassment_answer = 0, best_courier_answer = 1;
  for (const Json& c : truth["callers"]) {
    const std::string number = c["number"];
    ASSERT_EQ(number.size(), 11u);
    EXPECT_EQ(calls_by_caller[number], c["calls"].get<int64_t>()) << number;
    kinds.insert(c["kind"].get<std::string>());
    if (c["kind"] == "mass_calling") {
      worst_harassment_answer = std::max(worst_harassment_answer, c["answer_rate"].get<double>());
      EXPECT_LT(c["callback_ratio"].get<double>(), 0.05);
    }
    if (c["kind"] == "courier") {
      best_courier_answer = std::min(best_courier_answer, c["answer_rate"].get<double>());
      EXPECT_GT(c["callback_ratio"].get<double>(), 0.1);
    }
    if (c["kind"] == "fraud") {
      EXPECT_GE(c["imeis"].size(), 3u);
    }
  }
  EXPECT_EQ(kinds.size(), 6u);
  EXPECT_LT(worst_harassment_answer, best_courier_answer);

  // Cells: the planted status follows the intent, and test counts match the file.
  std::map<std::string, std::string> expected_status = {{"poor", "poor"},
                                                        {"still_poor", "still_poor"},
                                                        {"remediated", "remediated"},
                                                        {"unverified", "unverified"},
                                                        {"near_threshold", "not_poor"},
                                                        {"too_few_tests", "not_measured"}};
  const CheckedFile tests = CheckFile(dir, truth["files"][8], "csv");
  const Micros from = *ParseTimestamp(truth["from"].get<std::string>(), 0);
  std::map<std::string, int64_t> period_tests;
  for (const auto& row : tests.good) {
    if (row[col::speedtests::kCellId] &&
        *ParseTimestamp(*row[col::speedtests::kTestedAt], 0) >= from) {
      period_tests[*row[col::speedtests::kCellId]]++;
    }
  }
  for (const Json& c : truth["cells"]["planted"]) {
    EXPECT_EQ(c["status"], expected_status[c["intent"].get<std::string>()]) << c.dump();
    EXPECT_EQ(period_tests[c["cell_id"].get<std::string>()], c["period"]["tests"].get<int64_t>());
  }

  // Broadband: verdicts of the threshold lines.
  for (const Json& l : truth["broadband"]["planted"]) {
    const std::string intent = l["intent"];
    if (intent == "plan_change") {
      ASSERT_EQ(l["units"].size(), 2u);
      EXPECT_TRUE(l["units"][0]["compliant"].get<bool>());
      EXPECT_FALSE(l["units"][1]["compliant"].get<bool>());
      continue;
    }
    ASSERT_EQ(l["units"].size(), 1u) << l.dump();
    const bool compliant = l["units"][0]["compliant"];
    EXPECT_EQ(compliant, intent == "at_threshold" || intent == "just_above") << l.dump();
    if (intent == "at_threshold") {
      EXPECT_EQ(l["units"][0]["ratio"].get<double>(), 0.9);
    }
  }
  fs::remove_all(dir);
}

// --callers overlapping: the plain population stays as it was, and the hard cases come on top —
// harassers spread thin (fewer calls a day, some call-backs, two SIMs in one handset) and
// legitimate lines that share a harasser's traits.
TEST(Generate, OverlappingCallersAddHardCasesOnTopOfThePlainOnes) {
  const fs::path plain = TempDir("callers_plain"), over = TempDir("callers_over");
  ASSERT_TRUE(GenerateProvince(Small(plain, 0.2)));
  GenerateOptions o = Small(over, 0.2);  // two mimics at least
  o.callers = "overlapping";
  ASSERT_TRUE(GenerateProvince(o));
  const Json a = Truth(plain)["callers"], b = Truth(over)["callers"];
  ASSERT_GT(b.size(), a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i]["number"], b[i]["number"]);
    EXPECT_EQ(a[i]["calls"], b[i]["calls"]) << a[i]["number"];
  }
  std::map<std::string, std::vector<Json>> by_kind;
  for (const Json& c : b) by_kind[c["kind"].get<std::string>()].push_back(c);
  for (const char* kind : {"harassment_mimic", "telemarketing", "debt_collection", "taxi_dispatch",
                           "pbx_trunk", "alarm_line"}) {
    EXPECT_FALSE(by_kind[kind].empty()) << kind;
  }
  double most_called_back = 0;
  for (const Json& m : by_kind["harassment_mimic"]) {
    EXPECT_EQ(m["label"], "harassment");
    EXPECT_LT(m["calls_per_active_day"].get<double>(), 75);  // spread thin
    most_called_back = std::max(most_called_back, m["callback_ratio"].get<double>());
  }
  EXPECT_GT(most_called_back, 0.02);  // some victims call back: the no-call-back rule fails
  // Mimics come in pairs of SIMs in one handset.
  const auto& mimics = by_kind["harassment_mimic"];
  ASSERT_GE(mimics.size(), 2u);
  EXPECT_EQ(mimics[0]["imeis"], mimics[1]["imeis"]);
  for (const Json& t : by_kind["pbx_trunk"]) EXPECT_TRUE(t["imeis"].empty());  // no handset
  for (const Json& d : by_kind["debt_collection"]) {
    EXPECT_GT(d["calls_per_callee"].get<double>(), 1.5);  // the same debtors again and again
  }
  // The labels file names every planted number once.
  const std::string labels = ReadAll(over / "caller_labels.csv");
  EXPECT_EQ(static_cast<size_t>(std::count(labels.begin(), labels.end(), '\n')), b.size() + 1);
  EXPECT_NE(labels.find(",harassment,harassment_mimic\n"), std::string::npos);
  fs::remove_all(plain);
  fs::remove_all(over);
}
TEST(Generate, CellTestsDrawBadCountsAndPlantDecoys) {
  const fs::path plain = TempDir("cells0"), a = TempDir("cells25"), b = TempDir("cells40");
  ASSERT_TRUE(GenerateProvince(Small(plain, 0.01)));
  GenerateOptions oa = Small(a, 0.01);
  oa.cell_tests = 25;
  auto ra = GenerateProvince(oa);
  ASSERT_TRUE(ra) << ra.error().Debug();
  GenerateOptions ob = Small(b, 0.01);
  ob.cell_tests = 40;
  ASSERT_TRUE(GenerateProvince(ob));

  // Only the speed tests move: every other file is the one of the run without the option.
  for (const GeneratedFile& f : ra->files) {
    const std::string name = fs::path(f.path).filename().string();
    if (f.type == RecordType::kSpeedtests) {
      EXPECT_NE(ReadAll(a / name), ReadAll(plain / name));
    } else {
      EXPECT_EQ(ReadAll(a / name), ReadAll(plain / name)) << name;
    }
  }
  const Json t0 = Truth(plain);
  EXPECT_FALSE(t0["cells"].contains("cell_tests"));
  for (const Json& c : t0["cells"]["planted"]) EXPECT_FALSE(c.contains("true_bad_share"));

  const Json ta = Truth(a), tb = Truth(b);
  EXPECT_EQ(ta["cells"]["cell_tests"], 25);
  const CheckedFile tests = CheckFile(a, ta["files"][8], "csv");
  ASSERT_EQ(ta["files"][8]["type"], "speedtests");
  const Micros from = *ParseTimestamp(ta["from"].get<std::string>(), 0);
  std::map<std::string, std::pair<int64_t, int64_t>> period_tests;  // cell -> (tests, bad)
  for (const auto& row : tests.good) {
    if (!row[col::speedtests::kCellId] ||
        *ParseTimestamp(*row[col::speedtests::kTestedAt], 0) < from) {
      continue;
    }
    const bool five_g = *row[col::speedtests::kRat] == "5G";
    auto& [n, bad] = period_tests[*row[col::speedtests::kCellId]];
    n++;
    bad += std::strtod(row[col::speedtests::kDownMbps]->c_str(), nullptr) < (five_g ? 100 : 10);
  }
  const std::map<std::string, std::pair<double, double>> drawn = {{"poor", {0.30, 0.50}},
                                                                  {"still_poor", {0.30, 0.50}},
                                                                  {"remediated", {0.0, 0.05}},
                                                                  {"near_threshold", {0.25, 0.25}},
                                                                  {"decoy", {0.10, 0.15}}};
  const Json& planted = ta["cells"]["planted"];
  ASSERT_EQ(planted.size(), tb["cells"]["planted"].size());
  int decoys = 0;
  for (size_t i = 0; i < planted.size(); ++i) {
    const Json& c = planted[i];
    const std::string intent = c["intent"];
    const auto it = drawn.find(intent);
    decoys += intent == "decoy";
    // Truth counts what was written, and the status follows from the counts.
    const auto& [n, bad] = period_tests[c["cell_id"].get<std::string>()];
    EXPECT_EQ(n, c["period"]["tests"].get<int64_t>()) << c.dump();
    EXPECT_EQ(bad, c["period"]["bad_tests"].get<int64_t>()) << c.dump();
    if (c["baseline"]["poor"].get<bool>() && c["period"]["measured"].get<bool>()) {
      EXPECT_EQ(c["status"], c["period"]["poor"].get<bool>() ? "still_poor" : "remediated");
    }
    // The same cells with the same shares whatever N.
    EXPECT_EQ(c["cell_id"], tb["cells"]["planted"][i]["cell_id"]);
    EXPECT_EQ(c["true_bad_share"], tb["cells"]["planted"][i]["true_bad_share"]);
    if (it == drawn.end()) {
      EXPECT_TRUE(c["true_bad_share"].is_null()) << c.dump();
      continue;
    }
    EXPECT_EQ(n, 25) << c.dump();
    EXPECT_EQ(tb["cells"]["planted"][i]["period"]["tests"], 40);
    const double share = c["true_bad_share"].get<double>();
    EXPECT_GE(share, it->second.first) << c.dump();
    EXPECT_LE(share, it->second.second) << c.dump();
  }
  EXPECT_EQ(decoys, 1);
  GenerateOptions invalid = Small(TempDir("cells_bad"));
  invalid.cell_tests = -1;
  EXPECT_FALSE(GenerateProvince(invalid));
  fs::remove_all(plain);
  fs::remove_all(a);
  fs::remove_all(b);
}

void ExpectBadRowsMatch(const std::string& format) {
  const fs::path dir = TempDir("bad_" + format);
  GenerateOptions o = Small(dir);
  o.plant_bad_rows = true;
  o.format = format;
  o.calls_files = 2;
  auto r = GenerateProvince(o);
  ASSERT_TRUE(r) << r.error().Debug();
  const Json truth = Truth(dir);
  std::set<std::string> reasons;
  for (const Json& file : truth["files"]) {
    const CheckedFile checked = CheckFile(dir, file, format);
    std::vector<Finding> found = checked.bad;
    std::sort(found.begin(), found.end());
    const std::vector<Finding> planted = TruthBad(file);
    EXPECT_EQ(found.size(), planted.size()) << file["path"];
    for (size_t i = 0; i < std::min(found.size(), planted.size()); ++i) {
      EXPECT_EQ(found[i], planted[i])
          << file["path"] << " line " << planted[i].line << ": " << found[i].column << "/"
          << found[i].reason << " vs " << planted[i].column << "/" << planted[i].reason;
    }
    EXPECT_EQ(checked.rows, file["rows"].get<uint64_t>()) << file["path"];
    uint64_t by_reason = 0;
    for (const auto& [reason, n] : file["bad_rows"]["by_reason"].items()) {
      by_reason += n.get<uint64_t>();
      reasons.insert(reason);
    }
    EXPECT_EQ(by_reason, planted.size());
  }
  const std::set<std::string> want =
      format == "csv"
          ? std::set<std::string>{"bad_quoting",      "column_count",  "invalid_utf8",
                                  "missing_required", "bad_timestamp", "bad_number",
                                  "bad_bool",         "unknown_enum",  "end_before_start"}
          : std::set<std::string>{"bad_json",      "invalid_utf8",    "missing_required",
                                  "bad_timestamp", "bad_number",      "bad_bool",
                                  "unknown_enum",  "end_before_start"};
  EXPECT_EQ(reasons, want);
  fs::remove_all(dir);
}

// The project's reader quarantines exactly the rows truth.json lists, with the same line,
// column and reason, and reads the same number of rows.
void ExpectReaderAgrees(const std::string& format, const std::string& compression) {
  const fs::path dir = TempDir("reader_" + format + compression);
  GenerateOptions o = Small(dir);
  o.plant_bad_rows = true;
  o.format = format;
  o.compression = compression;
  o.calls_files = 2;
  ASSERT_TRUE(GenerateProvince(o));
  const Json truth = Truth(dir);
  for (const Json& file : truth["files"]) {
    const RecordType type = TypeOf(file["type"].get<std::string>());
    StringDictionary dict;
    ReadOptions ro;
    ro.threads = 2;
    std::vector<Finding> quarantined;
    ro.on_bad_row = [&](const BadRow& b) {
      quarantined.push_back({b.line, b.column, BadRowReasonName(b.reason)});
    };
    auto reports = ReadTable(type, {{(dir / file["path"].get<std::string>()).string()}}, &dict, ro,
                             [](int, const Batch&) {});
    ASSERT_TRUE(reports) << reports.error().Debug();
    std::sort(quarantined.begin(), quarantined.end());
    EXPECT_EQ(quarantined, TruthBad(file)) << file["path"];
    EXPECT_EQ((*reports)[0].rows_read, file["rows"].get<uint64_t>()) << file["path"];
    EXPECT_EQ((*reports)[0].rows_quarantined, file["bad_rows"]["count"].get<uint64_t>());
  }
  fs::remove_all(dir);
}

TEST(Generate, ReaderQuarantinesExactlyThePlantedRowsCsv) { ExpectReaderAgrees("csv", "none"); }
TEST(Generate, ReaderQuarantinesExactlyThePlantedRowsJsonlZst) {
  ExpectReaderAgrees("jsonl", "zst");
}

TEST(Generate, BadRowsMatchTruthCsv) { ExpectBadRowsMatch("csv"); }
TEST(Generate, BadRowsMatchTruthJsonl) { ExpectBadRowsMatch("jsonl"); }

TEST(Generate, ScalesLinearly) {
  const fs::path a = TempDir("scale_a"), b = TempDir("scale_b");
  ASSERT_TRUE(GenerateProvince(Small(a, 0.004)));
  ASSERT_TRUE(GenerateProvince(Small(b, 0.008)));
  const Json ta = Truth(a), tb = Truth(b);
  // Billing carries only 5 edge rows on top of its background; appeals 13.
  for (const auto& [index, extra] : {std::pair{3, 5}, std::pair{5, 13}}) {
    const auto ra = ta["files"][index]["rows_in_period"].get<int64_t>() - extra;
    const auto rb = tb["files"][index]["rows_in_period"].get<int64_t>() - extra;
    EXPECT_NEAR(static_cast<double>(rb), 2.0 * static_cast<double>(ra), 3.0)
        << ta["files"][index]["path"];
  }
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(Generate, CompressedAndSplitFilesCarryTheSameRows) {
  const fs::path a = TempDir("plain"), b = TempDir("zst");
  GenerateOptions oa = Small(a, 0.002);
  GenerateOptions ob = Small(b, 0.002);
  ob.compression = "zst";
  ob.calls_files = 3;
  auto ra = GenerateProvince(oa);
  auto rb = GenerateProvince(ob);
  ASSERT_TRUE(ra && rb);
  EXPECT_EQ(ra->total_rows, rb->total_rows);
  EXPECT_EQ(rb->files.size(), ra->files.size() + 2);
  EXPECT_TRUE(fs::exists(b / "calls-0003.csv.zst"));
  EXPECT_TRUE(fs::exists(b / "orders.csv.zst"));
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(Generate, RejectsBadOptionsAndForeignDirectories) {
  const fs::path dir = TempDir("opts");
  GenerateOptions o = Small(dir);
  o.format = "xml";
  EXPECT_FALSE(GenerateProvince(o));
  o = Small(dir);
  o.scale = 0;
  EXPECT_FALSE(GenerateProvince(o));
  o = Small(dir);
  o.period = "2022H3";
  EXPECT_FALSE(GenerateProvince(o));
  fs::create_directories(dir);
  std::ofstream(dir / "calls-9999.csv") << "x\n";
  o = Small(dir, 0.002);
  EXPECT_FALSE(GenerateProvince(o));  // a data file that is not ours
  o.out_dir = (dir / "calls-9999.csv").string();
  EXPECT_FALSE(GenerateProvince(o));  // not a directory
  fs::remove_all(dir);
}

TEST(Generate, RerunReplacesItsOwnStaleFiles) {
  const fs::path dir = TempDir("rerun");
  GenerateOptions o = Small(dir, 0.002);
  o.calls_files = 3;
  ASSERT_TRUE(GenerateProvince(o));
  EXPECT_TRUE(fs::exists(dir / "calls-0003.csv"));
  o.calls_files = 1;
  o.compression = "gz";
  ASSERT_TRUE(GenerateProvince(o));
  EXPECT_FALSE(fs::exists(dir / "calls-0003.csv"));
  EXPECT_FALSE(fs::exists(dir / "orders.csv"));
  EXPECT_TRUE(fs::exists(dir / "calls.csv.gz"));
  fs::remove_all(dir);
}

TEST(Generate, OtherPeriodsWork) {
  const fs::path dir = TempDir("month");
  GenerateOptions o = Small(dir, 0.01);
  o.period = "2022-11";
  auto r = GenerateProvince(o);
  ASSERT_TRUE(r) << r.error().Debug();
  EXPECT_EQ(r->baseline_period, "2022-10");
  const Json truth = Truth(dir);
  EXPECT_EQ(truth["year_earlier_period"], "2021-11");
  for (const Json& file : truth["files"]) {
    EXPECT_TRUE(CheckFile(dir, file, "csv").bad.empty()) << file["path"];
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tsq
