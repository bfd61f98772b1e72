#include "model/schema.h"

#include <array>

namespace tsq {
namespace {

using T = ColumnType;
constexpr bool kReq = true;
constexpr bool kOpt = false;
constexpr bool kSubscriber = true;  // ColumnSpec::subscriber_number

constexpr std::string_view kServices[] = {"mobile", "broadband", "fixed", "iptv"};
constexpr std::string_view kOrderKinds[] = {"change", "restore", "repair", "install", "move"};
constexpr std::string_view kOrderChannels[] = {"store", "hotline", "app", "web", "other"};
constexpr std::string_view kAreaTypes[] = {"urban", "rural"};
constexpr std::string_view kCallRats[] = {"2G", "4G", "5G"};
constexpr std::string_view kCallOutcomes[] = {"answered", "no_answer",    "busy",
                                              "rejected", "network_fail", "congested"};
constexpr std::string_view kSmsStatuses[] = {"delivered", "failed", "blocked"};
constexpr std::string_view kComplaintChannels[] = {"hotline", "app",       "store",
                                                   "web",     "regulator", "other"};
constexpr std::string_view kCategories[] = {
    "network",        "broadband_speed", "billing",          "marketing", "porting",
    "package_change", "harassment",      "service_attitude", "elderly",   "other"};
constexpr std::string_view kAppealOutcomes[] = {"settled", "not_settled", "withdrawn"};
constexpr std::string_view kPortingStatuses[] = {"completed", "rejected", "cancelled", "pending"};
constexpr std::string_view kTestRats[] = {"4G", "5G"};

constexpr ColumnSpec kOrders[] = {
    {"order_id", T::kText, kReq},
    {"operator", T::kDict, kReq},
    {"region", T::kDict, kReq},
    {"county", T::kDict, kOpt},
    {"service", T::kEnum, kReq, kServices},
    {"kind", T::kEnum, kReq, kOrderKinds},
    {"accepted_at", T::kTimestamp, kReq},
    {"completed_at", T::kTimestamp, kOpt},
    {"channel", T::kEnum, kOpt, kOrderChannels},
    {"customer_age", T::kInt, kOpt},
    {"area_type", T::kEnum, kOpt, kAreaTypes},
};
constexpr OrderedPair kOrdersPairs[] = {{col::orders::kAcceptedAt, col::orders::kCompletedAt}};

constexpr ColumnSpec kCalls[] = {
    {"start_time", T::kTimestamp, kReq},
    {"caller", T::kText, kReq, {}, kSubscriber},
    {"callee", T::kText, kReq, {}, kSubscriber},
    {"operator", T::kDict, kReq},
    {"region", T::kDict, kReq},
    {"cell_id", T::kDict, kOpt},
    {"rat", T::kEnum, kOpt, kCallRats},
    {"outcome", T::kEnum, kReq, kCallOutcomes},
    {"duration_s", T::kNumber, kOpt},
    {"dropped", T::kBool, kOpt},
    {"caller_imei", T::kText, kOpt},
};

constexpr ColumnSpec kSms[] = {
    {"sent_at", T::kTimestamp, kReq},
    {"sender", T::kText, kReq, {}, kSubscriber},
    {"receiver", T::kText, kReq, {}, kSubscriber},
    {"operator", T::kDict, kReq},
    {"region", T::kDict, kOpt},
    {"delivered_at", T::kTimestamp, kOpt},
    {"status", T::kEnum, kReq, kSmsStatuses},
};
constexpr OrderedPair kSmsPairs[] = {{col::sms::kSentAt, col::sms::kDeliveredAt}};

constexpr ColumnSpec kBilling[] = {
    {"record_id", T::kText, kReq},       {"operator", T::kDict, kReq},
    {"region", T::kDict, kOpt},          {"service", T::kEnum, kReq, kServices},
    {"charged_at", T::kTimestamp, kReq}, {"amount_cny", T::kNumber, kReq},
    {"error", T::kBool, kReq},
};

constexpr ColumnSpec kComplaints[] = {
    {"complaint_id", T::kText, kReq},
    {"operator", T::kDict, kReq},
    {"region", T::kDict, kOpt},
    {"channel", T::kEnum, kOpt, kComplaintChannels},
    {"category", T::kEnum, kReq, kCategories},
    {"received_at", T::kTimestamp, kReq},
    {"closed_at", T::kTimestamp, kOpt},
    {"resolved", T::kBool, kOpt},
    {"satisfied", T::kBool, kOpt},
    {"customer_age", T::kInt, kOpt},
};
constexpr OrderedPair kComplaintsPairs[] = {
    {col::complaints::kReceivedAt, col::complaints::kClosedAt}};

constexpr ColumnSpec kAppeals[] = {
    {"appeal_id", T::kText, kReq},
    {"operator", T::kDict, kReq},
    {"category", T::kEnum, kReq, kCategories},
    {"received_at", T::kTimestamp, kReq},
    {"accepted", T::kBool, kReq},
    {"outcome", T::kEnum, kOpt, kAppealOutcomes},
    {"closed_at", T::kTimestamp, kOpt},
    {"region", T::kDict, kOpt},
};
constexpr OrderedPair kAppealsPairs[] = {{col::appeals::kReceivedAt, col::appeals::kClosedAt}};

constexpr ColumnSpec kHotline[] = {
    {"call_id", T::kText, kReq},           {"operator", T::kDict, kReq},
    {"arrived_at", T::kTimestamp, kReq},   {"human_requested_at", T::kTimestamp, kOpt},
    {"answered_at", T::kTimestamp, kOpt},  {"ended_at", T::kTimestamp, kReq},
    {"elderly_fast_lane", T::kBool, kOpt}, {"caller_age", T::kInt, kOpt},
};
constexpr OrderedPair kHotlinePairs[] = {
    {col::hotline::kArrivedAt, col::hotline::kEndedAt},
    {col::hotline::kHumanRequestedAt, col::hotline::kAnsweredAt}};

constexpr ColumnSpec kPorting[] = {
    {"request_id", T::kText, kReq},
    {"msisdn", T::kText, kReq, {}, kSubscriber},
    {"from_operator", T::kDict, kReq},
    {"to_operator", T::kDict, kReq},
    {"requested_at", T::kTimestamp, kReq},
    {"completed_at", T::kTimestamp, kOpt},
    {"status", T::kEnum, kReq, kPortingStatuses},
    {"reject_reason", T::kDict, kOpt},
};
constexpr OrderedPair kPortingPairs[] = {{col::porting::kRequestedAt, col::porting::kCompletedAt}};

constexpr ColumnSpec kSpeedtests[] = {
    {"test_id", T::kText, kReq},    {"tested_at", T::kTimestamp, kReq},
    {"operator", T::kDict, kReq},   {"rat", T::kEnum, kReq, kTestRats},
    {"cell_id", T::kDict, kOpt},    {"lat", T::kNumber, kReq},
    {"lon", T::kNumber, kReq},      {"down_mbps", T::kNumber, kReq},
    {"up_mbps", T::kNumber, kOpt},  {"latency_ms", T::kNumber, kOpt},
    {"rsrp_dbm", T::kNumber, kOpt}, {"sinr_db", T::kNumber, kOpt},
    {"device_id", T::kText, kOpt},
};

constexpr ColumnSpec kBroadbandTests[] = {
    {"test_id", T::kText, kReq},        {"line_id", T::kText, kReq},
    {"operator", T::kDict, kReq},       {"region", T::kDict, kOpt},
    {"tested_at", T::kTimestamp, kReq}, {"plan_down_mbps", T::kNumber, kReq},
    {"plan_up_mbps", T::kNumber, kOpt}, {"down_mbps", T::kNumber, kReq},
    {"up_mbps", T::kNumber, kOpt},
};

// Subscriber counts at the end of a month (月末用户数), per operator and region: the base of the
// per-million appeal rates and of the broadband and 5G shares.
constexpr ColumnSpec kSubscribers[] = {
    {"operator", T::kDict, kReq},
    {"region", T::kDict, kOpt},
    {"month", T::kMonth, kReq},
    {"mobile_users", T::kInt, kOpt},
    {"fixed_users", T::kInt, kOpt},
    {"broadband_users", T::kInt, kOpt},
    {"broadband_100m_users", T::kInt, kOpt},
    {"terminal_5g_users", T::kInt, kOpt},
    {"registered_5g_users", T::kInt, kOpt},
};

const std::array<RecordSchema, kRecordTypeCount> kSchemas = {{
    {RecordType::kOrders, "orders", kOrders, kOrdersPairs, col::orders::kAcceptedAt},
    {RecordType::kCalls, "calls", kCalls, {}, col::calls::kStartTime},
    {RecordType::kSms, "sms", kSms, kSmsPairs, col::sms::kSentAt},
    {RecordType::kBilling, "billing", kBilling, {}, col::billing::kChargedAt},
    {RecordType::kComplaints, "complaints", kComplaints, kComplaintsPairs,
     col::complaints::kReceivedAt},
    {RecordType::kAppeals, "appeals", kAppeals, kAppealsPairs, col::appeals::kReceivedAt},
    {RecordType::kHotline, "hotline", kHotline, kHotlinePairs, col::hotline::kArrivedAt},
    {RecordType::kPorting, "porting", kPorting, kPortingPairs, col::porting::kRequestedAt},
    {RecordType::kSpeedtests, "speedtests", kSpeedtests, {}, col::speedtests::kTestedAt},
    {RecordType::kBroadbandTests,
     "broadband_tests",
     kBroadbandTests,
     {},
     col::broadband_tests::kTestedAt},
    {RecordType::kSubscribers, "subscribers", kSubscribers, {}, col::subscribers::kMonth},
}};

constexpr RecordType kAllTypes[] = {
    RecordType::kOrders,         RecordType::kCalls,      RecordType::kSms,
    RecordType::kBilling,        RecordType::kComplaints, RecordType::kAppeals,
    RecordType::kHotline,        RecordType::kPorting,    RecordType::kSpeedtests,
    RecordType::kBroadbandTests, RecordType::kSubscribers};

}  // namespace

const RecordSchema& SchemaOf(RecordType type) { return kSchemas[static_cast<size_t>(type)]; }

std::span<const RecordType> AllRecordTypes() { return kAllTypes; }

std::optional<RecordType> RecordTypeFromName(std::string_view name) {
  for (const RecordSchema& s : kSchemas) {
    if (s.name == name) return s.type;
  }
  return std::nullopt;
}

int ColumnIndex(const RecordSchema& schema, std::string_view column) {
  for (size_t i = 0; i < schema.columns.size(); ++i) {
    if (schema.columns[i].name == column) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace tsq
