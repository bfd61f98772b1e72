#include "synth/gen.h"

#include <algorithm>

#include "synth/gen_internal.h"

namespace tsq::synth {
namespace {

// Which column of a type each kind of breakage hits. -1: the type has no such column.
struct BreakColumns {
  int quote;    // bad_quoting: an id column
  int utf8;     // invalid_utf8: the operator, re-encoded as GBK
  int missing;  // missing_required
  int number;   // bad_number
  int boolean;  // bad_bool
  int enumeration;
  int pair_start;
  int pair_end;
  std::string_view enum_values[4];  // values outside the vocabulary (case matters)
};

const BreakColumns& ColumnsFor(RecordType type) {
  static const BreakColumns kOrders = {col::orders::kOrderId,
                                       col::orders::kOperator,
                                       col::orders::kRegion,
                                       col::orders::kCustomerAge,
                                       -1,
                                       col::orders::kService,
                                       col::orders::kAcceptedAt,
                                       col::orders::kCompletedAt,
                                       {"5G", "Mobile", "宽带", "satellite"}};
  static const BreakColumns kCalls = {col::calls::kCaller,
                                      col::calls::kOperator,
                                      col::calls::kCallee,
                                      col::calls::kDurationS,
                                      col::calls::kDropped,
                                      col::calls::kOutcome,
                                      -1,
                                      -1,
                                      {"ANSWERED", "failed", "接通", "timeout"}};
  static const BreakColumns kSms = {col::sms::kSender,
                                    col::sms::kOperator,
                                    col::sms::kReceiver,
                                    -1,
                                    -1,
                                    col::sms::kStatus,
                                    col::sms::kSentAt,
                                    col::sms::kDeliveredAt,
                                    {"sent", "Delivered", "拦截", "unknown"}};
  static const BreakColumns kBilling = {col::billing::kRecordId,
                                        col::billing::kOperator,
                                        col::billing::kAmountCny,
                                        col::billing::kAmountCny,
                                        col::billing::kError,
                                        col::billing::kService,
                                        -1,
                                        -1,
                                        {"MOBILE", "5g", "data", "宽带"}};
  static const BreakColumns kComplaints = {
      col::complaints::kComplaintId,        col::complaints::kOperator,
      col::complaints::kCategory,           col::complaints::kCustomerAge,
      col::complaints::kSatisfied,          col::complaints::kChannel,
      col::complaints::kReceivedAt,         col::complaints::kClosedAt,
      {"微信", "email", "Hotline", "12300"}};
  static const BreakColumns kAppeals = {col::appeals::kAppealId,
                                        col::appeals::kOperator,
                                        col::appeals::kAccepted,
                                        -1,
                                        col::appeals::kAccepted,
                                        col::appeals::kOutcome,
                                        col::appeals::kReceivedAt,
                                        col::appeals::kClosedAt,
                                        {"mediated", "Settled", "和解", "closed"}};
  static const BreakColumns kHotline = {
      col::hotline::kCallId,    col::hotline::kOperator,        col::hotline::kEndedAt,
      col::hotline::kCallerAge, col::hotline::kElderlyFastLane, -1,
      col::hotline::kArrivedAt, col::hotline::kEndedAt,         {}};
  static const BreakColumns kPorting = {col::porting::kRequestId,
                                        col::porting::kFromOperator,
                                        col::porting::kToOperator,
                                        -1,
                                        -1,
                                        col::porting::kStatus,
                                        col::porting::kRequestedAt,
                                        col::porting::kCompletedAt,
                                        {"done", "Completed", "办结", "approved"}};
  static const BreakColumns kSpeedtests = {col::speedtests::kTestId,
                                           col::speedtests::kOperator,
                                           col::speedtests::kLat,
                                           col::speedtests::kDownMbps,
                                           -1,
                                           col::speedtests::kRat,
                                           -1,
                                           -1,
                                           {"NR", "LTE", "5g", "3G"}};
  static const BreakColumns kBroadband = {col::broadband_tests::kTestId,
                                          col::broadband_tests::kOperator,
                                          col::broadband_tests::kPlanDownMbps,
                                          col::broadband_tests::kDownMbps,
                                          -1,
                                          -1,
                                          -1,
                                          -1,
                                          {}};
  static const BreakColumns kSubscribers = {col::subscribers::kRegion,
                                            col::subscribers::kOperator,
                                            col::subscribers::kMonth,
                                            col::subscribers::kMobileUsers,
                                            -1,
                                            -1,
                                            -1,
                                            -1,
                                            {}};
  switch (type) {
    case RecordType::kOrders:
      return kOrders;
    case RecordType::kCalls:
      return kCalls;
    case RecordType::kSms:
      return kSms;
    case RecordType::kBilling:
      return kBilling;
    case RecordType::kComplaints:
      return kComplaints;
    case RecordType::kAppeals:
      return kAppeals;
    case RecordType::kHotline:
      return kHotline;
    case RecordType::kPorting:
      return kPorting;
    case RecordType::kSpeedtests:
      return kSpeedtests;
    case RecordType::kBroadbandTests:
      return kBroadband;
    case RecordType::kSubscribers:
      return kSubscribers;
  }
  return kCalls;
}

// The operator names in GBK, as a row pasted from a GBK-encoded export would carry them: not
// UTF-8 (0xD2 0xC6 is a lead byte followed by another lead byte).
constexpr std::string_view kGbkOperators[] = {"\xD2\xC6\xB6\xAF", "\xC1\xAA\xCD\xA8",
                                              "\xB5\xE7\xD0\xC5"};

uint64_t ChunkSeed(const Plan& plan, const Task& task) {
  return DeriveSeed(plan.options.seed, static_cast<uint64_t>(task.type) + 1,
                    static_cast<uint64_t>(task.day) * 4 + static_cast<uint64_t>(task.span));
}

}  // namespace

ChunkWriter::ChunkWriter(const Plan& plan, const Task& task, ChunkOutput* out)
    : plan_(plan),
      task_(task),
      out_(out),
      layout_(plan.files[task.file].layout),
      rng_(ChunkSeed(plan, task)),
      time_(plan.options.local_offset_s),
      row_(plan.files[task.file].layout.field_count()) {
  // Rows run ~60-130 bytes; reserving once saves the regrowth copies of a large chunk.
  out_->text.reserve(static_cast<size_t>(task.expected_rows * 1.1 + 16) * 128);
}

bool ChunkWriter::Emit(int64_t background, Micros start) {
  EmitMode mode;
  const bool broken = next_bad_ < task_.bad.size() && background >= 0 &&
                      task_.bad[next_bad_].row == static_cast<uint64_t>(background);
  if (broken) {
    PlacedBadRow placed;
    placed.line = out_->lines + 1;
    placed.reason = task_.bad[next_bad_].reason;
    Break(task_.bad[next_bad_], start, &mode, &placed.column);
    out_->bad.push_back(std::move(placed));
    ++next_bad_;
  }
  out_->lines += static_cast<uint64_t>(AppendRow(layout_, row_, mode, &out_->text));
  out_->rows++;
  return !broken;
}

void ChunkWriter::Break(const BadPlan& bad, Micros start, EmitMode* mode, std::string* column) {
  const BreakColumns& c = ColumnsFor(task_.type);
  const RecordSchema& schema = SchemaOf(task_.type);
  const auto name = [&](int field) { return std::string(schema.columns[field].name); };
  const int v = bad.variant % 4;
  switch (bad.reason) {
    case BadRowReason::kBadQuoting: {
      // A stray quote inside an unquoted field, or text after a closing quote.
      const std::string value(row_.Get(c.quote));
      const std::string raw =
          v % 2 == 0 ? value.substr(0, 3) + "\"" + value.substr(3) : "\"" + value + "\"x";
      row_.Set(c.quote, raw);
      *mode = {EmitKind::kRawField, c.quote};
      return;
    }
    case BadRowReason::kColumnCount:
      mode->kind = v % 2 == 0 ? EmitKind::kDropLastField : EmitKind::kExtraField;
      return;
    case BadRowReason::kInvalidUtf8: {
      const std::string_view op = row_.Get(c.utf8);
      int index = 0;
      for (int i = 0; i < kOperatorCount; ++i) {
        if (Operator(i).name == op) index = i;
      }
      row_.Set(c.utf8, kGbkOperators[index]);
      return;
    }
    case BadRowReason::kUndecodable:  // never planted: the generator writes UTF-8
      return;
    case BadRowReason::kBadJson:
      mode->kind = EmitKind::kBrokenJson;
      return;
    case BadRowReason::kMissingRequired:
      row_.SetEmpty(c.missing);
      *column = name(c.missing);
      return;
    case BadRowReason::kBadTimestamp: {
      static constexpr std::string_view kBad[] = {"2022/07/15 09:30:00", "2022-13-01 10:00:00",
                                                  "15.07.2022 09:30", "2022-07-15 25:10:00"};
      row_.Set(schema.period_column, kBad[v]);
      row_.ForceString(schema.period_column);
      *column = name(schema.period_column);
      return;
    }
    case BadRowReason::kBadNumber: {
      static constexpr std::string_view kBad[] = {"12,5", "N/A", "1.2.3", "--"};
      row_.Set(c.number, kBad[v]);
      row_.ForceString(c.number);
      *column = name(c.number);
      return;
    }
    case BadRowReason::kBadBool: {
      static constexpr std::string_view kBad[] = {"maybe", "2", "是", "-1"};
      row_.Set(c.boolean, kBad[v]);
      *column = name(c.boolean);
      return;
    }
    case BadRowReason::kUnknownEnum:
      row_.Set(c.enumeration, c.enum_values[v]);
      *column = name(c.enumeration);
      return;
    case BadRowReason::kEndBeforeStart: {
      const Micros end = start - kMicrosPerHour - v * 600 * kMicrosPerSecond;
      SetTime(c.pair_end, end);
      *column = name(c.pair_end);
      return;
    }
  }
}

std::vector<Micros> DayTimes(ChunkWriter& w, uint32_t n, Rhythm rhythm) {
  std::vector<Micros> times(n);
  const bool rest = IsRestDay(w.task().day);
  for (Micros& t : times) {
    t = w.task().day_start + w.world().SampleSecondOfDay(w.rng(), rhythm, rest) * kMicrosPerSecond;
  }
  std::sort(times.begin(), times.end());
  return times;
}

int PickRegion(ChunkWriter& w) { return static_cast<int>(w.world().region_share.Sample(w.rng())); }

std::string_view PickCounty(ChunkWriter& w, int region, bool* urban) {
  const std::span<const CountyInfo> counties = Region(region).counties;
  double total = 0;
  for (const CountyInfo& c : counties) total += c.weight;
  double x = w.rng().Uniform() * total;
  for (const CountyInfo& c : counties) {
    x -= c.weight;
    if (x < 0) {
      *urban = c.urban || w.rng().Chance(0.3);  // county seats are towns
      return c.name;
    }
  }
  *urban = counties.back().urban;
  return counties.back().name;
}

std::string_view EnumText(RecordType type, int column, int value) {
  return SchemaOf(type).columns[column].enum_values[value];
}

std::string_view BoolText(bool v, BoolStyle style) {
  switch (style) {
    case BoolStyle::kDigit:
      return v ? "1" : "0";
    case BoolStyle::kWord:
      return v ? "true" : "false";
    case BoolStyle::kLetter:
      return v ? "Y" : "N";
  }
  return v ? "1" : "0";
}

int PeriodMonth(const Plan& plan, Micros t) {
  const CivilTime c = ToCivil(t, plan.options.local_offset_s);
  const int m =
      (c.date.year - plan.period.first_day.year) * 12 + c.date.month - plan.period.first_day.month;
  return std::clamp(m, 0, counters::kHotlineMonths - 1);
}

int HotlineIncidentMonth(const Plan& plan) {
  const int months = (plan.period.end_day.year - plan.period.first_day.year) * 12 +
                     plan.period.end_day.month - plan.period.first_day.month +
                     (plan.period.end_day.day > 1 ? 1 : 0);
  return std::clamp(months >= 5 ? 4 : months - 1, 0, counters::kHotlineMonths - 1);
}

void GenerateChunk(const Plan& plan, const Task& task, ChunkOutput* out) {
  ChunkWriter w(plan, task, out);
  switch (task.type) {
    case RecordType::kOrders:
      out->stats.counters.assign(counters::kOrdersSize, 0);
      GenerateOrders(w);
      break;
    case RecordType::kCalls:
      out->stats.counters.assign(counters::kCallsSize, 0);
      GenerateCalls(w);
      break;
    case RecordType::kSms:
      out->stats.counters.assign(counters::kSmsSize, 0);
      GenerateSms(w);
      break;
    case RecordType::kBilling:
      out->stats.counters.assign(counters::kBillingSize, 0);
      GenerateBilling(w);
      break;
    case RecordType::kComplaints:
      out->stats.counters.assign(counters::kComplaintsSize, 0);
      GenerateComplaints(w);
      break;
    case RecordType::kAppeals:
      out->stats.counters.assign(counters::kAppealsSize, 0);
      GenerateAppeals(w);
      break;
    case RecordType::kHotline:
      out->stats.counters.assign(counters::kHotlineSize, 0);
      GenerateHotline(w);
      break;
    case RecordType::kPorting:
      out->stats.counters.assign(counters::kPortingSize, 0);
      GeneratePorting(w);
      break;
    case RecordType::kSpeedtests:
      GenerateSpeedtests(w);
      break;
    case RecordType::kBroadbandTests:
      GenerateBroadbandTests(w);
      break;
    case RecordType::kSubscribers:
      GenerateSubscribers(w);
      break;
  }
}

}  // namespace tsq::synth
