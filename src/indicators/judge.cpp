#include "indicators/judge.h"

#include <cmath>

namespace tsq {

Interval WilsonInterval(uint64_t successes, uint64_t n, double z) {
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(successes) / nn;
  const double z2 = z * z;
  const double denom = 1 + z2 / nn;
  const double center = (p + z2 / (2 * nn)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denom;
  return Interval{std::max(0.0, center - half), std::min(1.0, center + half), false};
}

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
