// How the report renderers (HTML, Markdown, xlsx, PDF) write figures for people: values in their
// unit, targets, period-over-period changes, verdicts, periods and bad-row reasons, in Chinese or
// English. Machine outputs (JSON) keep raw numbers and do not use these.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/period.h"
#include "engine/value.h"
#include "model/read.h"
#include "report/lang.h"

namespace tsq::report {

/// A fraction as a percentage with 2 decimals ("99.31%"); rates below 0.1 % (billing errors are
/// about 1e-5) get 4 decimals so that they do not all print as "0.00%".
std::string Percent(double fraction);
/// A share as a threshold is written: "20%", "12.5%", "90%" (no trailing zeros).
std::string ShortPercent(double fraction);
/// A number with `decimals` decimals and thousands separators ("12,345.67").
std::string Decimal(double v, int decimals);
/// A count in running text: Chinese writes "5528" and, from ten thousand on, "137.87万" or
/// "1.23亿" (no thousands separators); English "1,378,652".
std::string CountText(double n, Lang lang);
/// How far a value misses its target, in the target's direction: percentage points for rates
/// ("低 0.72 个百分点" / "0.72 pp short"), the unit otherwise ("超 12.30 小时" / "12.30 h over").
std::string GapText(double value, const Target& target, std::string_view unit, Lang lang);
/// The unit's short name: "小时"/"h", "秒"/"s", "分钟"/"min", "元"/"CNY", "Mbps"; empty for ratios
/// and counts.
std::string UnitText(std::string_view unit, Lang lang);
/// A value in its unit: "99.31%", "4.01 小时", "1,234"; "—" when there is no value.
std::string FormatValue(std::optional<double> value, std::string_view unit, Lang lang);
/// The value without its unit suffix (for chart axes and cells under a unit header).
std::string FormatBare(double value, std::string_view unit);
/// The Excel number format of a value in its unit: "0.00%", `#,##0.00" 小时"`, "#,##0"...
std::string ExcelNumberFormat(std::string_view unit, double value, Lang lang);
/// A limit or target: "≥ 99%", "≤ 24 小时", "≤ 0.01%" (no trailing zeros).
std::string FormatTarget(const Target& target, std::string_view unit, Lang lang);
/// A target with where it comes from, visibly: "≥ 90%" (a regulation), "≥ 99%（默认）" /
/// "≥ 99% (default)" (tsq's default), "≥ 95%（自定）" / "≥ 95% (own)" (the user's catalog).
std::string TargetText(const Target& target, TargetBasis basis, std::string_view unit, Lang lang);
/// "监管规定" / "regulation", "本工具默认值" / "tool default", "指标目录设定" / "catalog file".
std::string BasisText(TargetBasis basis, Lang lang);
/// A source with its basis in front ("本工具默认值：…" / "tool default: …"), once: a source the
/// catalog already starts with its basis is returned as it is.
std::string SourceText(TargetBasis basis, const std::string& source, Lang lang);
/// A catalog parameter's value in its unit (LimitSource::unit): "24.00 小时", "20%", "100 Mbps",
/// "-110 dBm", "1.3".
std::string ParamValueText(double value, std::string_view unit, Lang lang);
/// A 95 % interval: "[99.10%, 99.52%]" for rates, "[3.10, 4.20] 小时" otherwise.
std::string FormatInterval(const Interval& ci, std::string_view unit, Lang lang);

/// Whether a change is good news given the indicator's polarity ("higher", "lower", "none").
enum class Trend { kBetter, kWorse, kSame, kNeutral };
Trend ChangeTrend(double current, double earlier, std::string_view polarity);
/// The change from `earlier` to `current`: percentage points for ratios ("+0.12 个百分点" /
/// "+0.12 pp"), the relative change otherwise ("+5.30%"); "—" when a relative change has no base.
std::string FormatChange(double current, double earlier, std::string_view unit, Lang lang);
/// A relative change already computed as a fraction (appeals.accepted_change_yoy): "上升 13.04%" /
/// "up 13.04%".
std::string FormatRelativeChangeWords(double fraction, Lang lang);

/// 达标 / 未达标 / 数据不足 / 不考核 (met / missed / insufficient data / no target).
std::string VerdictText(Verdict v, Lang lang);

/// The period as the regulator writes it: "2022年下半年", "2022年第四季度", "2022年11月";
/// English "2022 H2", "2022 Q4", "November 2022".
std::string PeriodTitle(const Period& p, Lang lang);
/// "2022-07-01 至 2022-12-31" (the last day, inclusive).
std::string PeriodRange(const Period& p, Lang lang);
/// A month key "2022-11" as a chart label: "11月" / "Nov", with the year when `with_year`.
std::string MonthLabel(std::string_view month, bool with_year, Lang lang);

/// A record type for people: "服务工单" / "service orders".
std::string_view RecordTypeText(RecordType type, Lang lang);
/// The reason for people: "列数不符" / "wrong column count".
std::string_view ReasonText(BadRowReason reason, Lang lang);

/// Chinese ordinal for section numbers: 1 -> "一", 12 -> "十二".
std::string ChineseNumber(int n);

/// Escapes text for HTML and XML content and attribute values.
std::string HtmlEscape(std::string_view s);

}  // namespace tsq::report
