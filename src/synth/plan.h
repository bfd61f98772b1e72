// The plan of one `tsq generate` run, made once and single-threaded before any row is written:
// the periods, the output files, one task per (file, local day) with its exact row count, the
// planted findings (callers, cells, broadband lines), the edge-case rows every type must show, and
// which rows `--bad` breaks. Chunk generators then only read the plan, so the output is the same
// whatever the number of threads.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/period.h"
#include "core/result.h"
#include "model/read.h"
#include "model/schema.h"
#include "synth/row.h"
#include "synth/world.h"

namespace tsq::synth {

/// Which stretch of time a record belongs to.
enum class SpanKind : uint8_t { kPeriod, kPrevious, kYearEarlier };

enum class CallerKind : uint8_t {
  kMassCalling,  // harassment: robo-dialled marketing, sequential number blocks
  kFraud,        // fraud: bursts, several handsets, some long "script" calls
  kCourier,      // legitimate: many callees, high answer rate, call-backs
  kDeliveryRider,
  kCallCentre,        // legitimate outbound service line with call-backs
  kNotificationLine,  // legitimate hospital / bank notices: many callees, answered, brief
  // The overlapping population (tsq generate --callers overlapping):
  kHarassmentMimic,  // harassment spread thin: fewer calls over the day, some call-backs, SIMs
                     // sharing one handset
  kTelemarketing,    // legitimate consented marketing: many callees, answered, some call-backs
  kDebtCollection,   // legitimate: the same debtors called again and again, often unanswered
  kTaxiDispatch,     // legitimate: passengers called back, short answered calls
  kPbxTrunk,         // legitimate office trunk: heavy, no handset, call-backs go elsewhere
  kAlarmLine,        // legitimate alarm / IoT line: a few monitoring numbers, all day
};
inline constexpr int kCallerKinds = 12;
const char* CallerKindName(CallerKind kind);
bool IsSuspicious(CallerKind kind);

struct PlannedCaller {
  CallerKind kind = CallerKind::kMassCalling;
  uint64_t number = 0;
  uint8_t op = 0;
  uint8_t region = 0;
  std::vector<uint64_t> imeis;
  std::vector<uint32_t> cells;                     // cells it calls from
  std::vector<std::pair<int64_t, uint32_t>> days;  // (local day, calls placed that day)
  uint64_t block_start = 0;                        // first number of a dialled block
  uint32_t spam_sms_per_day = 0;
  // The overlapping kinds vary per number, so that the classes overlap on every feature: the
  // chance a call is answered, that an answered call is short (under 10 s), that an answered
  // callee calls back, that it calls someone again; and whether it calls in office hours.
  // Negative: the kind's constants.
  double p_answer = -1;
  double p_short = -1;
  double p_callback = -1;
  double p_retry = -1;        // that a call goes again to someone called earlier that day
  double p_sms_blocked = -1;  // that the spam filter blocks one of its messages
  bool office_hours = false;
};

struct PlannedCell {
  uint32_t cell = 0;
  std::string intent;  // "poor", "still_poor", "remediated", "unverified", ..., "decoy"
  /// With --cell-tests: the chance that each of its period tests is bad (the count is drawn);
  /// negative when its period tests are scripted with an exact bad count.
  double true_bad_share = -1;
};

/// One scripted speed test of a planted cell.
struct CellTest {
  uint32_t planted = 0;  // index into Plan::cells
  Micros time = 0;
  bool bad = false;
  bool baseline = false;
};

struct PlannedLine {
  uint32_t line = 0;
  std::string intent;  // "below_90", "at_threshold", "just_below", "just_above", "plan_change"
};

/// One scripted broadband test of a planted line (values exact to 0.01 Mbit/s).
struct LineTest {
  uint32_t planted = 0;
  Micros time = 0;
  int plan_down = 0;
  double down = 0;
};

/// A row forced to show a particular edge case; `code` is interpreted by the type's generator.
struct EdgeRow {
  int code = 0;
  Micros time = 0;
};

/// Rows planted on a day beyond the background count.
struct DayExtras {
  std::vector<EdgeRow> edges;
  std::vector<std::pair<uint32_t, uint32_t>> callers;  // (planted caller, calls or messages)
  std::vector<CellTest> cell_tests;
  std::vector<LineTest> line_tests;
};

struct BadPlan {
  uint32_t row = 0;  // index among the chunk's background rows, in emission order
  BadRowReason reason = BadRowReason::kColumnCount;
  uint8_t variant = 0;
};

struct OutputFileSpec {
  std::string name;  // relative to the output directory
  FileLayout layout;
  bool final_newline = true;    // false: the last record lacks its line end
  std::vector<uint32_t> tasks;  // indices into Plan::tasks, in chunk order
};

struct Task {
  RecordType type = RecordType::kCalls;
  uint32_t file = 0;
  uint32_t chunk = 0;  // index within the file
  int64_t day = 0;     // local day number
  Micros day_start = 0;
  SpanKind span = SpanKind::kPeriod;
  uint32_t rows = 0;  // background rows (edge and planted rows come on top)
  std::vector<BadPlan> bad;
  const DayExtras* extras = nullptr;  // null when nothing is planted that day
  double expected_rows = 0;           // for progress reporting
};

struct PlanOptions {
  uint64_t seed = 1;
  double scale = 1.0;
  std::string period = "2022H2";
  bool plant_bad_rows = false;
  OutputFormat format = OutputFormat::kCsv;
  std::string extension;  // ".csv.zst"
  int calls_files = 1;
  int32_t local_offset_s = kChinaOffsetSeconds;
  /// --cell-tests: > 0 gives the poor, still_poor, remediated and near_threshold cells exactly
  /// this many period tests with binomially drawn bad counts, and plants decoy cells.
  int cell_tests = 0;
  /// --callers overlapping: also plant harassers that mimic legitimate callers and legitimate
  /// heavy callers that look like harassers.
  bool overlapping_callers = false;
};

struct Plan {
  PlanOptions options;
  Period period;
  Period previous;         // the remediation baseline and the 环比 comparison
  Period year_earlier;     // for appeals year over year
  Micros as_of = 0;        // end of the period: open items are judged here
  Micros export_time = 0;  // when the data was extracted: ends after it are still open
  World world;
  std::vector<OutputFileSpec> files;
  std::vector<Task> tasks;  // day-major: every type's chunk of a day before the next day
  std::vector<PlannedCaller> callers;
  std::vector<uint64_t> caller_numbers_sorted;
  std::vector<PlannedCell> cells;
  std::vector<PlannedLine> lines;
  std::map<std::pair<int, int64_t>, DayExtras> extras;  // (record type, local day)

  /// Index of the planted caller with this number, or -1.
  int CallerIndex(uint64_t number) const;
};

/// Makes the plan. Fails on an unparsable period or out-of-range options.
Result<Plan> MakePlan(const PlanOptions& options);

}  // namespace tsq::synth
