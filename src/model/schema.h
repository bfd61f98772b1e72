// The input contract (docs/data-contract.md) as data: every record type, its columns, their
// types, which are required, the enum vocabularies and the end-after-start pairs. The reader, the
// generator, `tsq validate` and the indicators all read these tables; nothing else hard-codes a
// column name.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace tsq {

enum class RecordType : uint8_t {
  kOrders,
  kCalls,
  kSms,
  kBilling,
  kComplaints,
  kAppeals,
  kHotline,
  kPorting,
  kSpeedtests,
  kBroadbandTests,
  kSubscribers,
};
inline constexpr int kRecordTypeCount = 11;

/// How a column's values are parsed and stored in a batch.
enum class ColumnType : uint8_t {
  kText,       // free text / identifiers / phone numbers: bytes kept per batch
  kDict,       // low-cardinality text (operator, region, cell): interned into a 32-bit id
  kTimestamp,  // int64 microseconds UTC
  kNumber,     // double
  kInt,        // int64
  kBool,       // 1/0, true/false, y/n in any case
  kEnum,       // one of the column's `enum_values` (case-sensitive): stored as its index
  kMonth,      // a calendar month, `YYYY-MM`: stored as the instant it begins (local time)
};

struct ColumnSpec {
  std::string_view name;
  ColumnType type;
  bool required;
  std::span<const std::string_view> enum_values = {};
  /// Holds a subscriber number (personal data): masked in everything a person reads.
  bool subscriber_number = false;
};

/// A pair of timestamp columns where `end` must not precede `start` (both present).
struct OrderedPair {
  int start_column;
  int end_column;
};

struct RecordSchema {
  RecordType type;
  std::string_view name;  // "calls": file stem and id prefix
  std::span<const ColumnSpec> columns;
  std::span<const OrderedPair> ordered_pairs;
  int period_column;  // the start time that decides a record's period
};

/// The schema of a record type; schemas live for the whole program.
const RecordSchema& SchemaOf(RecordType type);
/// All record types in contract order.
std::span<const RecordType> AllRecordTypes();
/// "calls" -> kCalls.
std::optional<RecordType> RecordTypeFromName(std::string_view name);
/// Index of `column` in the schema, or -1.
int ColumnIndex(const RecordSchema& schema, std::string_view column);

/// Column indices of each record type, in contract order; they index RecordSchema::columns and
/// Batch::columns. Indicators use these names, never bare numbers.
namespace col {
namespace orders {
enum : int {
  kOrderId,
  kOperator,
  kRegion,
  kCounty,
  kService,
  kKind,
  kAcceptedAt,
  kCompletedAt,
  kChannel,
  kCustomerAge,
  kAreaType
};
}
namespace calls {
enum : int {
  kStartTime,
  kCaller,
  kCallee,
  kOperator,
  kRegion,
  kCellId,
  kRat,
  kOutcome,
  kDurationS,
  kDropped,
  kCallerImei
};
}
namespace sms {
enum : int { kSentAt, kSender, kReceiver, kOperator, kRegion, kDeliveredAt, kStatus };
}
namespace billing {
enum : int { kRecordId, kOperator, kRegion, kService, kChargedAt, kAmountCny, kError };
}
namespace complaints {
enum : int {
  kComplaintId,
  kOperator,
  kRegion,
  kChannel,
  kCategory,
  kReceivedAt,
  kClosedAt,
  kResolved,
  kSatisfied,
  kCustomerAge
};
}
namespace appeals {
enum : int {
  kAppealId,
  kOperator,
  kCategory,
  kReceivedAt,
  kAccepted,
  kOutcome,
  kClosedAt,
  kRegion
};
}
namespace hotline {
enum : int {
  kCallId,
  kOperator,
  kArrivedAt,
  kHumanRequestedAt,
  kAnsweredAt,
  kEndedAt,
  kElderlyFastLane,
  kCallerAge
};
}
namespace porting {
enum : int {
  kRequestId,
  kMsisdn,
  kFromOperator,
  kToOperator,
  kRequestedAt,
  kCompletedAt,
  kStatus,
  kRejectReason
};
}
namespace speedtests {
enum : int {
  kTestId,
  kTestedAt,
  kOperator,
  kRat,
  kCellId,
  kLat,
  kLon,
  kDownMbps,
  kUpMbps,
  kLatencyMs,
  kRsrpDbm,
  kSinrDb,
  kDeviceId
};
}
namespace broadband_tests {
enum : int {
  kTestId,
  kLineId,
  kOperator,
  kRegion,
  kTestedAt,
  kPlanDownMbps,
  kPlanUpMbps,
  kDownMbps,
  kUpMbps
};
}
namespace subscribers {
enum : int {
  kOperator,
  kRegion,
  kMonth,
  kMobileUsers,
  kFixedUsers,
  kBroadbandUsers,
  kBroadband100mUsers,
  kTerminal5gUsers,
  kRegistered5gUsers
};
}
}  // namespace col

/// Enum codes, in the order of the contract's vocabularies (the stored value is the index).
namespace enums {
enum class Service : uint8_t { kMobile, kBroadband, kFixed, kIptv };
enum class OrderKind : uint8_t { kChange, kRestore, kRepair, kInstall, kMove };
enum class OrderChannel : uint8_t { kStore, kHotline, kApp, kWeb, kOther };
enum class AreaType : uint8_t { kUrban, kRural };
enum class CallRat : uint8_t { k2G, k4G, k5G };
enum class CallOutcome : uint8_t {
  kAnswered,
  kNoAnswer,
  kBusy,
  kRejected,
  kNetworkFail,
  kCongested
};
enum class SmsStatus : uint8_t { kDelivered, kFailed, kBlocked };
enum class ComplaintChannel : uint8_t { kHotline, kApp, kStore, kWeb, kRegulator, kOther };
enum class Category : uint8_t {
  kNetwork,
  kBroadbandSpeed,
  kBilling,
  kMarketing,
  kPorting,
  kPackageChange,
  kHarassment,
  kServiceAttitude,
  kElderly,
  kOther
};
enum class AppealOutcome : uint8_t { kSettled, kNotSettled, kWithdrawn };
enum class PortingStatus : uint8_t { kCompleted, kRejected, kCancelled, kPending };
enum class TestRat : uint8_t { k4G, k5G };
}  // namespace enums

}  // namespace tsq
