// Codes of the edge-case rows that the plan schedules and each type's generator writes, so that
// every enum value and every case the indicators treat specially shows up at any scale.
#pragma once

#include <string_view>

namespace tsq::synth {

// orders: codes 0..16 are the service x kind pairs of kOrderPairs, completed normally.
inline constexpr int kEdgeOrderPairs = 17;
inline constexpr int kEdgeOrderOpenOverdue = 100;        // broadband install, open 5 days at as-of
inline constexpr int kEdgeOrderOpenRecent = 101;         // mobile repair accepted 3 h before end
inline constexpr int kEdgeOrderCompletedAfterEnd = 102;  // broadband repair closed after the end
inline constexpr int kEdgeOrderIptvOpen = 103;           // no limits: open but never "overdue"
inline constexpr int kEdgeOrderElderly = 104;            // a 71-year-old's change order

// calls: codes 0..17 are outcome (6) x rat (3); 18 is an answered call that dropped.
inline constexpr int kEdgeCalls = 19;

// billing: codes 0..3 one record per service; 4 an erroneous 联通 record.
inline constexpr int kEdgeBilling = 5;

// complaints: codes 0..9 one per category (channels cycle), 10 without a channel, 11 an elderly
// complainant; then an open overdue one and an open recent one.
inline constexpr int kEdgeComplaintsSpread = 12;
inline constexpr int kEdgeComplaintOpenOverdue = 100;
inline constexpr int kEdgeComplaintOpenRecent = 101;

// appeals: codes 0..11 category (code % 10) x outcome (code % 4, 3 = pending); 12 not accepted.
inline constexpr int kEdgeAppeals = 13;

// hotline: 0 self-service only, 1 fast lane answered at once, 2 fast lane abandoned, 3 answered
// within 15 s, 4 answered after 40 s, 5 abandoned in the queue.
inline constexpr int kEdgeHotline = 6;

// Porting rejections as operators word them; some carry commas, quotes or a line break, which a
// CSV writer must quote and a reader must take.
inline constexpr std::string_view kRejectReasons[] = {
    "欠费未缴清",
    "在网协议期内",
    "号码处于停机状态",
    "非实名登记用户",
    "申请人与机主证件不符",
    "存在未结清的分期付款, 请先结清",
    "合约\"0元购机\"未到期",
    "号码状态异常\n已停机",
    "靓号协议约束",
};
inline constexpr int kRejectReasonCount = 9;

// porting: 0 completed, 1 cancelled, 2 completed late; 3..11 rejected with each reason; then a
// pending overdue one and a pending recent one.
inline constexpr int kEdgePorting = 3 + kRejectReasonCount;
inline constexpr int kEdgePortingPendingOverdue = 100;
inline constexpr int kEdgePortingPendingRecent = 101;

// speedtests: 0 a 4G test and 1 a 5G test without a cell id.
inline constexpr int kEdgeSpeedtests = 2;

}  // namespace tsq::synth
