// broadband_tests: home-broadband lines against 90 % of their plan (宽带接入速率达标). The detector
// (detectors/broadband.h) computes; this adapter gives it the catalog's ratio.
#include "detectors/broadband.h"
#include "indicators/families.h"

namespace tsq {

FamilySpec BroadbandFamilySpec(const FamilyConfig& cfg) {
  BroadbandOptions o;
  o.local_offset_s = cfg.local_offset_s;
  if (cfg.catalog != nullptr) {
    o.rule.min_ratio = cfg.catalog->Param("broadband_tests.min_ratio").value_or(o.rule.min_ratio);
  }
  return {"broadband_tests", RecordType::kBroadbandTests, BroadbandIds(),
          [o] { return MakeBroadbandState(o); }};
}

}  // namespace tsq
