// billing: charging accuracy (计费差错率) by record count and by amount.
// Base key: operator, region (optional in billing), month.
#include "indicators/families.h"

namespace tsq {
namespace {

namespace c = col::billing;

constexpr int kOp = kOrmOperator, kRegion = kOrmRegion, kMonth = kOrmMonth;

struct BillingState {
  uint64_t records = 0;
  uint64_t errors = 0;
  double amount = 0;        // CNY, all records
  double error_amount = 0;  // CNY, records with `error`

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
      const double amount = b.Number(c::kAmountCny, r);  // required: never missing
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
      PushNumber(out, "billing.amount_cny", grp, t.amount, t.records);
      PushNumber(out, "billing.error_amount_cny", grp, t.error_amount, t.records);
      // A ratio of sums of money, not a proportion of records: no Wilson interval. A group whose
      // amounts sum to zero (e.g. charges cancelled by refunds) has no value.
      std::optional<double> amount_rate;
      if (t.amount != 0) amount_rate = t.error_amount / t.amount;
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
