// Formatting of indicator values for people: rates as percentages, durations with units, counts
// with thousands separators, verdicts in the report's language.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/value.h"
#include "report/lang.h"

namespace tsq {

/// A value in its unit ("ratio", "count", "hours", "seconds", "minutes", "cny", "mbps");
/// "—" when there is no value.
std::string FormatValue(std::optional<double> value, std::string_view unit);
/// ">= 99.00%" / "≤ 30 s"; empty when there is no target.
std::string FormatTarget(const std::optional<Target>& target, std::string_view unit);
/// 达标 / 未达标 / 数据不足 (met / missed / insufficient data); empty for kNone.
std::string FormatVerdict(Verdict v, Lang lang);
/// "[99.10%, 99.52%]" for a rate's interval.
std::string FormatInterval(const std::optional<Interval>& ci);
/// The group as people read it: "移动 · 长春 · 2022-11"; "全省"/"all" when empty.
std::string FormatGroup(const Group& g, Lang lang);

}  // namespace tsq
