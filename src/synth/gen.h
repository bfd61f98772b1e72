// Chunk generation: one task (a record type's rows of one local day) becomes one block of text
// plus the exact statistics the truth file needs. Every chunk draws from its own random stream,
// seeded from (seed, record type, day), so chunks can run on any thread in any order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/read.h"
#include "synth/plan.h"
#include "synth/rng.h"
#include "synth/row.h"
#include "synth/text.h"

namespace tsq::synth {

/// A call that involves a planted number (placed by it, or a call back to it).
struct CallerEvent {
  uint32_t caller = 0;
  bool incoming = false;  // a call back: `other` called the planted number
  uint8_t outcome = 0;    // enums::CallOutcome
  int32_t duration_s = 0;
  int64_t day = 0;
  uint64_t other = 0;  // callee, or the caller of a call back
  uint64_t imei = 0;   // outgoing calls only; 0 = none written
};

/// One broadband test of the period: the judged unit is operator x line x plan.
struct LineSample {
  uint32_t line = 0;
  uint8_t op = 0;
  int plan = 0;
  double down = 0;  // as written (rounded to 0.01)
};

/// Exact tallies over the rows a chunk wrote validly (quarantined rows are left out, as the
/// reader leaves them out). Counter layouts are per record type; see Counter* in gen.cpp.
struct ChunkStats {
  std::vector<int64_t> counters;
  std::vector<CallerEvent> caller_events;
  std::vector<uint64_t> cell_tests;  // (cell << 2) | (baseline << 1) | bad
  std::vector<LineSample> line_tests;
};

/// A malformed row as placed in a chunk; the line is relative to the chunk (1 = its first line).
struct PlacedBadRow {
  uint64_t line = 0;
  BadRowReason reason = BadRowReason::kColumnCount;
  std::string column;  // contract column; empty for row-level reasons
};

struct ChunkOutput {
  std::string text;
  uint64_t rows = 0;
  uint64_t lines = 0;
  std::vector<PlacedBadRow> bad;
  ChunkStats stats;
};

/// Counter-array sizes and indices shared by the generators and the truth file.
namespace counters {
inline constexpr int kCallFields = 5;  // attempts, connected, answered, dropped, congested
inline int CallIndex(int op, int region, int field) {
  return (op * kRegionCount + region) * kCallFields + field;
}
inline constexpr int kCallsSize = kOperatorCount * kRegionCount * kCallFields;

inline constexpr int kOrderPairCount = 17;
inline constexpr int kOrderFields = 5;  // count, completed, on_time, open_overdue, sum seconds
inline int OrderIndex(int op, int pair, int field) {
  return (op * kOrderPairCount + pair) * kOrderFields + field;
}
inline constexpr int kOrdersSize = kOperatorCount * kOrderPairCount * kOrderFields;

inline constexpr int kBillingFields = 2;  // records, errors
inline constexpr int kBillingSize = kOperatorCount * kBillingFields;

inline constexpr int kComplaintFields = 4;  // count, closed, on_time, open_overdue
inline constexpr int kComplaintsSize = kOperatorCount * kComplaintFields;

inline constexpr int kHotlineFields = 4;   // human_requested, answered, sum response s, within 15 s
inline constexpr int kHotlineMonths = 24;  // months of the period tallied (longer ones are capped)
inline int HotlineIndex(int op, int month, int field) {
  return (op * kHotlineMonths + month) * kHotlineFields + field;
}
inline constexpr int kHotlineSize = kOperatorCount * kHotlineMonths * kHotlineFields;

inline constexpr int kPortingFields = 7;  // requests, completed w/ time, on_time, pending,
                                          // open_overdue, rejected, cancelled
inline constexpr int kPortingSize = kOperatorCount * kPortingFields;

inline constexpr int kAppealFields = 3;  // received, accepted, settled
inline int AppealIndex(int span, int op, int field) {
  return (span * kOperatorCount + op) * kAppealFields + field;
}
inline constexpr int kAppealsSize = 3 * kOperatorCount * kAppealFields;

inline constexpr int kSmsFields = 4;  // messages, delivered, failed, blocked
inline constexpr int kSmsSize = kOperatorCount * kSmsFields;
}  // namespace counters

/// The service x kind pairs of orders (index = counter pair and edge code) and their maximum
/// limit in hours (0 = no limit), from the default indicator set.
struct OrderPair {
  enums::Service service;
  enums::OrderKind kind;
  double max_hours;
};
inline constexpr OrderPair kOrderPairs[counters::kOrderPairCount] = {
    {enums::Service::kMobile, enums::OrderKind::kChange, 24},
    {enums::Service::kMobile, enums::OrderKind::kRestore, 24},
    {enums::Service::kMobile, enums::OrderKind::kRepair, 48},
    {enums::Service::kBroadband, enums::OrderKind::kInstall, 72},
    {enums::Service::kBroadband, enums::OrderKind::kRepair, 48},
    {enums::Service::kBroadband, enums::OrderKind::kChange, 24},
    {enums::Service::kBroadband, enums::OrderKind::kMove, 72},
    {enums::Service::kFixed, enums::OrderKind::kInstall, 168},
    {enums::Service::kFixed, enums::OrderKind::kMove, 168},
    {enums::Service::kFixed, enums::OrderKind::kRepair, 48},
    {enums::Service::kFixed, enums::OrderKind::kChange, 24},
    {enums::Service::kFixed, enums::OrderKind::kRestore, 24},
    {enums::Service::kIptv, enums::OrderKind::kInstall, 0},
    {enums::Service::kIptv, enums::OrderKind::kRepair, 0},
    {enums::Service::kIptv, enums::OrderKind::kChange, 0},
    {enums::Service::kIptv, enums::OrderKind::kMove, 0},
    {enums::Service::kMobile, enums::OrderKind::kInstall, 0},
};

/// The month of the period (0 = its first month) that an instant falls in.
int PeriodMonth(const Plan& plan, Micros t);
/// The designed bad month of the hotline: 电信 is short of agents in it.
int HotlineIncidentMonth(const Plan& plan);

/// Generates one task's rows.
void GenerateChunk(const Plan& plan, const Task& task, ChunkOutput* out);

}  // namespace tsq::synth
