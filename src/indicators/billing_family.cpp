// billing: charging accuracy (计费差错率) by record count and by amount.
// Base key: operator, region (optional in billing), month.
#include <cmath>

#include "engine/keyed_family_io.h"
#include "indicators/families.h"

namespace tsq {
namespace {

namespace c = col::billing;

constexpr int kOp = kOrmOperator, kRegion = kOrmRegion, kMonth = kOrmMonth;

struct BillingState {
  uint64_t records = 0;
  uint64_t errors = 0;
  // Millionths of a yuan: integer sums are exact, so the figures do not depend on how the rows
  // were split over workers, files or machines.
  int64_t amount = 0;        // all records
  int64_t error_amount = 0;  // records with `error`

  template <class Archive>
  void serialize(Archive& ar) {
    ar(records, errors, amount, error_amount);
  }
  void Merge(const BillingState& o) {
    records += o.records;
    errors += o.errors;
    amount += o.amount;
    error_amount += o.error_amount;
  }
};

class BillingFamily final : public KeyedFamily<BillingState> {
 public:
  using KeyedFamily::KeyedFamily;
  std::span<const KeyDim> KeyDims() const override { return OperatorRegionMonthLayout().dims; }

  void Update(const Batch& b, const uint8_t* slots) override {
    const int32_t offset = offset_;
    for (size_t r = 0; r < b.rows; ++r) {
      if (slots[r] == kNoSlot) continue;
      BaseKey key;
      key.dims[kOp] = b.Id(c::kOperator, r);
      key.dims[kRegion] = b.Id(c::kRegion, r);
      key.dims[kMonth] = static_cast<uint32_t>(LocalMonthKey(b.Time(c::kChargedAt, r), offset));
      key.slot = slots[r];
      BillingState& s = Touch(key);
      // Required: never missing.
      const auto amount = static_cast<int64_t>(std::llround(b.Number(c::kAmountCny, r) * 1e6));
      ++s.records;
      s.amount += amount;
      if (b.Flag(c::kError, r)) {
        ++s.errors;
        s.error_amount += amount;
      }
    }
  }

  void Finalize(const EvalContext& ctx, int slot, std::vector<IndicatorValue>* out) const override {
    for (const auto& g : RollUp(states_, OperatorRegionMonthLayout(), slot, *ctx.dict)) {
      const BillingState t = g.Total();
      const Group& grp = g.group;
      PushCount(out, "billing.records", grp, t.records, t.records);
      PushCount(out, "billing.errors", grp, t.errors, t.records);
      PushRate(out, "billing.error_rate", grp, t.errors, t.records);
      PushNumber(out, "billing.amount_cny", grp, static_cast<double>(t.amount) / 1e6, t.records);
      PushNumber(out, "billing.error_amount_cny", grp, static_cast<double>(t.error_amount) / 1e6,
                 t.records);
      // A ratio of sums of money, not a proportion of records: no Wilson interval. A group whose
      // amounts sum to zero (e.g. charges cancelled by refunds) has no value.
      std::optional<double> amount_rate;
      if (t.amount != 0) {
        amount_rate = static_cast<double>(t.error_amount) / static_cast<double>(t.amount);
      }
      PushNumber(out, "billing.error_amount_rate", grp, amount_rate, t.records);
    }
  }
};

}  // namespace

FamilySpec BillingFamilySpec(const FamilyConfig& cfg) {
  return {"billing",
          RecordType::kBilling,
          {"billing.records", "billing.errors", "billing.error_rate", "billing.amount_cny",
           "billing.error_amount_cny", "billing.error_amount_rate"},
          [offset = cfg.local_offset_s] { return std::make_unique<BillingFamily>(offset); }};
}

}  // namespace tsq
