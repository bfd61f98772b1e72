// callers: suspected harassment and fraud callers from the call records. The detector
// (detectors/callers.h) computes; this adapter gives it the catalog's thresholds.
#include "detectors/callers.h"
#include "indicators/families.h"

namespace tsq {

FamilySpec CallersFamilySpec(const FamilyConfig& cfg) {
  CallersOptions o;
  o.local_offset_s = cfg.local_offset_s;
  CallerRule& r = o.rule;
  if (cfg.catalog != nullptr) {
    const Catalog& c = *cfg.catalog;
    const auto whole = [&](const char* key, uint64_t fallback) {
      return static_cast<uint64_t>(c.Param(key).value_or(static_cast<double>(fallback)));
    };
    r.min_calls = whole("callers.min_calls", r.min_calls);
    r.min_calls_per_day = c.Param("callers.min_calls_per_day").value_or(r.min_calls_per_day);
    r.min_distinct_callees = whole("callers.min_distinct_callees", r.min_distinct_callees);
    r.max_calls_per_callee =
        c.Param("callers.max_calls_per_callee").value_or(r.max_calls_per_callee);
    r.max_callback_ratio = c.Param("callers.max_callback_share").value_or(r.max_callback_ratio);
    r.max_answer_rate = c.Param("callers.max_answer_share").value_or(r.max_answer_rate);
    r.min_short_share = c.Param("callers.min_short_share").value_or(r.min_short_share);
    r.short_call_s = c.Param("callers.short_call_s").value_or(r.short_call_s);
    r.min_imeis = whole("callers.min_imeis", r.min_imeis);
  }
  if (cfg.findings != nullptr) {
    o.scorer = cfg.findings->caller_model;
    o.cleared = cfg.findings->cleared_callers;
    o.labelled = cfg.findings->labelled_callers;
    o.keep_all_features = cfg.findings->caller_all_features;
    if (cfg.findings->caller_memory > 0) o.memory_budget = cfg.findings->caller_memory;
    o.spill_dir = cfg.findings->spill_dir;
  }
  FamilySpec spec{"callers", RecordType::kCalls, CallerIds(), [o] { return MakeCallersState(o); }};
  spec.also_reads = {RecordType::kSms};  // the numbers' short messages, when the data has them
  return spec;
}

}  // namespace tsq
