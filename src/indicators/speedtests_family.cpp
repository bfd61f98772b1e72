// speedtests: crowdsourced speed tests and the poor-quality cells (质差小区) they reveal. The
// detector (detectors/speedtests.h) computes; this adapter gives it the catalog's thresholds and
// the user's choices.
#include "detectors/speedtests.h"
#include "indicators/families.h"

namespace tsq {

FamilySpec SpeedtestsFamilySpec(const FamilyConfig& cfg) {
  SpeedtestsOptions o;
  o.local_offset_s = cfg.local_offset_s;
  CellRule& r = o.rule;
  if (cfg.catalog != nullptr) {
    const Catalog& c = *cfg.catalog;
    r.bad_down_mbps_5g = c.Param("speedtests.bad_down_mbps_5g").value_or(r.bad_down_mbps_5g);
    r.bad_down_mbps_4g = c.Param("speedtests.bad_down_mbps_4g").value_or(r.bad_down_mbps_4g);
    r.bad_rsrp_dbm = c.Param("speedtests.bad_rsrp_dbm").value_or(r.bad_rsrp_dbm);
    r.bad_sinr_db = c.Param("speedtests.bad_sinr_db").value_or(r.bad_sinr_db);
    r.min_tests = static_cast<uint64_t>(
        c.Param("speedtests.min_tests").value_or(static_cast<double>(r.min_tests)));
    r.poor_share = c.Param("speedtests.poor_share").value_or(r.poor_share);
    r.control_min_bad_share =
        c.Param("speedtests.control_min_bad_share").value_or(r.control_min_bad_share);
  }
  if (cfg.findings != nullptr) {
    r.by_signal = cfg.findings->cells_by_signal;
    r.one_per_device_day = cfg.findings->one_per_device_day;
    o.baseline = cfg.findings->baseline;
    o.work_orders = cfg.findings->work_orders;
    o.stored_baseline = cfg.findings->stored_baseline;
  }
  return {"speedtests", RecordType::kSpeedtests, SpeedtestsIds(),
          [o] { return MakeSpeedtestsState(o); }};
}

}  // namespace tsq
