#include "report/format.h"

#include <cmath>

#include <fmt/format.h>

#include "report/report_format.h"
#include "report/text_table.h"

namespace tsq {
using report::Percent;

std::string FormatValue(std::optional<double> value, std::string_view unit) {
  if (!value) return "—";
  const double v = *value;
  if (unit == "ratio") return Percent(v);
  if (unit == "count") {
    if (v >= 0 && v == std::floor(v) && v < 1e18) return GroupThousands(static_cast<uint64_t>(v));
    return fmt::format("{:.2f}", v);
  }
  if (unit == "hours") return fmt::format("{:.2f} h", v);
  if (unit == "seconds") return fmt::format("{:.1f} s", v);
  if (unit == "minutes") return fmt::format("{:.2f} min", v);
  if (unit == "cny") return fmt::format("{:.2f}", v);
  if (unit == "mbps") return fmt::format("{:.1f} Mbps", v);
  if (unit == "per_million") return fmt::format("{:.1f} /M", v);
  return fmt::format("{:.4g}", v);
}

std::string FormatTarget(const std::optional<Target>& target, std::string_view unit) {
  if (!target) return "";
  const char* op = target->op == TargetOp::kAtLeast ? "≥ " : "≤ ";
  return op + FormatValue(target->value, unit);
}

std::string FormatVerdict(Verdict v, Lang lang) {
  switch (v) {
    case Verdict::kMet:
      return std::string(L(lang, "达标", "met"));
    case Verdict::kMissed:
      return std::string(L(lang, "未达标", "missed"));
    case Verdict::kInsufficient:
      return std::string(L(lang, "数据不足", "insufficient data"));
    case Verdict::kNone:
      break;
  }
  return "";
}

std::string FormatInterval(const std::optional<Interval>& ci) {
  if (!ci) return "";
  return fmt::format("[{}, {}]", Percent(ci->low), Percent(ci->high));
}

std::string FormatGroup(const Group& g, Lang lang) {
  if (g.empty()) return std::string(L(lang, "全部", "all"));
  std::string out;
  for (const auto& [dim, value] : g.dims) {
    if (!out.empty()) out += " · ";
    out += value;
  }
  return out;
}

}  // namespace tsq
