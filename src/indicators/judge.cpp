#include "indicators/judge.h"

#include <cmath>

namespace tsq {

void Judge(const Catalog& catalog, std::vector<IndicatorValue>* values) {
  for (IndicatorValue& v : *values) {
    const std::string* op = v.group.Find(Dim::kOperator);
    if (op == nullptr) op = v.group.Find(Dim::kFromOperator);
    const std::string_view op_name = op != nullptr ? std::string_view(*op) : std::string_view();
    v.target = catalog.TargetFor(v.id, op_name);
    v.target_basis = v.target ? catalog.BasisFor(v.id, op_name) : TargetBasis::kNone;
    if (v.is_rate && v.n > 0) v.ci = WilsonInterval(v.successes, v.n);
    if (!v.target) {
      v.verdict = Verdict::kNone;
      continue;
    }
    if (!v.value || v.n < catalog.MinSampleFor(v.id, op_name)) {
      v.verdict = Verdict::kInsufficient;
      continue;
    }
    v.verdict = v.target->Met(*v.value) ? Verdict::kMet : Verdict::kMissed;
    if (v.ci && v.ci->low < v.target->value && v.target->value < v.ci->high) {
      v.ci->inconclusive = true;
    }
  }
}

}  // namespace tsq
