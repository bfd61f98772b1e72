#include "indicators/families.h"

#include <cmath>
#include <limits>

namespace tsq {

std::vector<FamilySpec> DefaultFamilies(const FamilyConfig& cfg) {
  // Contract order. Each family adds itself here when it lands.
  std::vector<FamilySpec> out;
  out.push_back(OrdersFamilySpec(cfg));
  out.push_back(CallsFamilySpec(cfg));
  out.push_back(SmsFamilySpec(cfg));
  out.push_back(BillingFamilySpec(cfg));
  out.push_back(ComplaintsFamilySpec(cfg));
  out.push_back(AppealsFamilySpec(cfg));
  out.push_back(HotlineFamilySpec(cfg));
  out.push_back(PortingFamilySpec(cfg));
  out.push_back(SpeedtestsFamilySpec(cfg));
  out.push_back(BroadbandFamilySpec(cfg));
  out.push_back(CallersFamilySpec(cfg));
  out.push_back(SubscribersFamilySpec(cfg));
  return out;
}

OperatorParam::OperatorParam(const FamilyConfig& cfg, std::string key, double fallback)
    : cfg_(&cfg), key_(std::move(key)), fallback_(fallback) {
  if (cfg.catalog != nullptr) {
    if (auto v = cfg.catalog->Param(key_)) fallback_ = *v;
  }
}

double OperatorParam::For(uint32_t operator_id) {
  if (operator_id == kMissingId || cfg_->catalog == nullptr || cfg_->dict == nullptr) {
    return fallback_;
  }
  if (operator_id >= by_id_.size()) {
    by_id_.resize(operator_id + 1, std::numeric_limits<double>::quiet_NaN());
  }
  double& v = by_id_[operator_id];
  if (std::isnan(v))
    v = cfg_->catalog->Param(key_, cfg_->dict->Get(operator_id)).value_or(fallback_);
  return v;
}

}  // namespace tsq
