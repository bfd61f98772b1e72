// sms: short-message delivery (送达率, 发送时延, 及时率) from message records.
// Base key: operator, region (optional in sms: missing rows stay out of the region breakdowns
// only), month. Delays are summed in integer microseconds so that the result does not depend on
// how rows were split over workers.
#include "engine/keyed_family_io.h"
#include "indicators/families.h"

namespace tsq {
namespace {

using enums::SmsStatus;
namespace c = col::sms;

constexpr int kOp = kOrmOperator, kRegion = kOrmRegion, kMonth = kOrmMonth;
constexpr double kMicrosPerMinute = 60.0 * kMicrosPerSecond;

struct SmsState {
  uint64_t messages = 0;
  uint64_t delivered = 0;
  uint64_t failed = 0;
  uint64_t blocked = 0;
  uint64_t delay_n = 0;   // delivered messages that carry delivered_at
  int64_t delay_sum = 0;  // their delays, microseconds
  uint64_t timely = 0;    // of those, delivered within the limit (inclusive)

  template <class Archive>
  void serialize(Archive& ar) {
    ar(messages, delivered, failed, blocked, delay_n, delay_sum, timely);
  }
  void Merge(const SmsState& o) {
    messages += o.messages;
    delivered += o.delivered;
    failed += o.failed;
    blocked += o.blocked;
    delay_n += o.delay_n;
    delay_sum += o.delay_sum;
    timely += o.timely;
  }
};

class SmsFamily final : public KeyedFamily<SmsState> {
 public:
  std::span<const KeyDim> KeyDims() const override { return OperatorRegionMonthLayout().dims; }
  explicit SmsFamily(const FamilyConfig& cfg)
      : KeyedFamily(cfg.local_offset_s), cfg_(cfg), max_hours_(cfg_, "sms.max_hours", 24) {}

  void Update(const Batch& b, const uint8_t* slots) override {
    const int32_t offset = offset_;
    for (size_t r = 0; r < b.rows; ++r) {
      if (slots[r] == kNoSlot) continue;
      const Micros sent = b.Time(c::kSentAt, r);
      const uint32_t op = b.Id(c::kOperator, r);
      BaseKey key;
      key.dims[kOp] = op;
      key.dims[kRegion] = b.Id(c::kRegion, r);
      key.dims[kMonth] = static_cast<uint32_t>(LocalMonthKey(sent, offset));
      key.slot = slots[r];
      SmsState& s = Touch(key);
      ++s.messages;
      switch (static_cast<SmsStatus>(b.Code(c::kStatus, r))) {
        case SmsStatus::kDelivered: {
          ++s.delivered;
          const Micros delivered_at = b.Time(c::kDeliveredAt, r);
          if (delivered_at != kMissingInt) {
            const int64_t delay = delivered_at - sent;
            ++s.delay_n;
            s.delay_sum += delay;
            // Exact in a double for any delay below 2^53 µs (285 years).
            if (static_cast<double>(delay) <= max_hours_.For(op) * kMicrosPerHour) ++s.timely;
          }
          break;
        }
        case SmsStatus::kFailed:
          ++s.failed;
          break;
        case SmsStatus::kBlocked:
          ++s.blocked;
          break;
      }
    }
  }

  void Finalize(const EvalContext& ctx, int slot, std::vector<IndicatorValue>* out) const override {
    for (const auto& g : RollUp(states_, OperatorRegionMonthLayout(), slot, *ctx.dict)) {
      const SmsState t = g.Total();
      const Group& grp = g.group;
      PushCount(out, "sms.messages", grp, t.messages, t.messages);
      PushCount(out, "sms.delivered", grp, t.delivered, t.messages);
      PushCount(out, "sms.failed", grp, t.failed, t.messages);
      PushCount(out, "sms.blocked", grp, t.blocked, t.messages);
      // Blocked messages were stopped on purpose (spam), so they are outside the delivery rate.
      PushRate(out, "sms.delivery_rate", grp, t.delivered, t.messages - t.blocked);
      PushMean(out, "sms.avg_delay_min", grp, static_cast<double>(t.delay_sum) / kMicrosPerMinute,
               t.delay_n);
      // A delivered message without delivered_at stays in the denominator: its timeliness cannot
      // be shown, so it cannot count as on time.
      PushRate(out, "sms.timely_rate", grp, t.timely, t.delivered);
    }
  }

 private:
  FamilyConfig cfg_;
  OperatorParam max_hours_;
};

}  // namespace

FamilySpec SmsFamilySpec(const FamilyConfig& cfg) {
  return {"sms",
          RecordType::kSms,
          {"sms.messages", "sms.delivered", "sms.failed", "sms.blocked", "sms.delivery_rate",
           "sms.avg_delay_min", "sms.timely_rate"},
          [cfg] { return std::make_unique<SmsFamily>(cfg); }};
}

}  // namespace tsq
