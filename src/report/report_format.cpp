#include "report/report_format.h"

#include <cmath>

#include <fmt/format.h>

namespace tsq::report {
namespace {

// Rates below this print with 4 decimals (same rule as the terminal tables of `tsq kpi`).
constexpr double kTinyRate = 0.001;

// "0.9900" -> "0.99", "24.0000" -> "24".
std::string TrimZeros(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string GroupDigits(std::string digits) {
  // `digits` is the integer part without sign.
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    out += digits[i];
    const size_t left = n - 1 - i;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  return out;
}

std::string WithUnit(std::string number, std::string_view unit, Lang lang) {
  const std::string u = UnitText(unit, lang);
  if (u.empty()) return number;
  return number + " " + u;
}

int DecimalsFor(double v, std::string_view unit) {
  if (unit == "hours") return std::fabs(v) < 0.1 && v != 0 ? 4 : 2;
  if (unit == "seconds" || unit == "mbps" || unit == "per_million") return 1;
  return 2;
}

}  // namespace

std::string Percent(double fraction) {
  if (fraction != 0 && std::fabs(fraction) < kTinyRate)
    return fmt::format("{:.4f}%", fraction * 100);
  return fmt::format("{:.2f}%", fraction * 100);
}

std::string Decimal(double v, int decimals) {
  std::string s = fmt::format("{:.{}f}", std::fabs(v), decimals);
  const size_t dot = s.find('.');
  std::string int_part = s.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : s.substr(dot);
  std::string out = GroupDigits(int_part) + frac;
  // No "-0.00": a value that rounds to zero prints without a sign.
  if (v < 0 && s.find_first_not_of("0.") != std::string::npos) out = "-" + out;
  return out;
}

std::string ShortPercent(double fraction) {
  std::string s = fmt::format("{:.2f}", fraction * 100);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s + "%";
}

std::string CountText(double n, Lang lang) {
  if (lang == Lang::kEn || std::fabs(n) < 1e4 || n != std::floor(n)) {
    return lang == Lang::kEn ? FormatBare(n, "count") : TrimZeros(fmt::format("{:.2f}", n));
  }
  if (std::fabs(n) < 1e8) return TrimZeros(fmt::format("{:.2f}", n / 1e4)) + "万";
  return TrimZeros(fmt::format("{:.2f}", n / 1e8)) + "亿";
}

std::string GapText(double value, const Target& target, std::string_view unit, Lang lang) {
  const double gap = std::fabs(value - target.value);
  const bool short_of = target.op == TargetOp::kAtLeast;  // below a minimum, or above a maximum
  if (unit == "ratio") {
    const std::string points = Percent(gap);
    const std::string number = points.substr(0, points.size() - 1);  // without '%'
    return lang == Lang::kZh ? fmt::format("{}{} 个百分点", short_of ? "低 " : "高 ", number)
                             : fmt::format("{} pp {}", number, short_of ? "short" : "over");
  }
  const std::string amount = WithUnit(FormatBare(gap, unit), unit, lang);
  return lang == Lang::kZh ? fmt::format("{}{}", short_of ? "少 " : "超 ", amount)
                           : fmt::format("{} {}", amount, short_of ? "short" : "over");
}

std::string UnitText(std::string_view unit, Lang lang) {
  if (unit == "hours") return std::string(L(lang, "小时", "h"));
  if (unit == "seconds") return std::string(L(lang, "秒", "s"));
  if (unit == "minutes") return std::string(L(lang, "分钟", "min"));
  if (unit == "cny") return std::string(L(lang, "元", "CNY"));
  if (unit == "mbps") return "Mbps";
  if (unit == "per_million") return std::string(L(lang, "件/百万用户", "per million users"));
  return "";
}

std::string FormatBare(double v, std::string_view unit) {
  if (unit == "ratio") return Percent(v);
  if (unit == "count") {
    if (v == std::floor(v) && std::fabs(v) < 1e15) return Decimal(v, 0);
    return Decimal(v, 2);
  }
  if (unit == "hours" || unit == "seconds" || unit == "minutes" || unit == "cny" ||
      unit == "mbps" || unit == "per_million") {
    return Decimal(v, DecimalsFor(v, unit));
  }
  return TrimZeros(fmt::format("{:.4f}", v));
}

std::string FormatValue(std::optional<double> value, std::string_view unit, Lang lang) {
  if (!value) return "—";
  return WithUnit(FormatBare(*value, unit), unit, lang);
}

std::string ExcelNumberFormat(std::string_view unit, double v, Lang lang) {
  const auto with_unit = [&](std::string_view base) {
    const std::string u = UnitText(unit, lang);
    return u.empty() ? std::string(base) : fmt::format("{}\" {}\"", base, u);
  };
  if (unit == "ratio") return v != 0 && std::fabs(v) < kTinyRate ? "0.0000%" : "0.00%";
  if (unit == "count") return v == std::floor(v) ? "#,##0" : "#,##0.00";
  if (unit == "hours") return with_unit(std::fabs(v) < 0.1 && v != 0 ? "0.0000" : "#,##0.00");
  if (unit == "seconds" || unit == "mbps" || unit == "per_million") return with_unit("#,##0.0");
  if (unit == "minutes" || unit == "cny") return with_unit("#,##0.00");
  return "General";
}

std::string FormatTarget(const Target& target, std::string_view unit, Lang lang) {
  const char* op = target.op == TargetOp::kAtLeast ? "≥ " : "≤ ";
  std::string number;
  if (unit == "ratio") {
    number = TrimZeros(fmt::format("{:.6f}", target.value * 100)) + "%";
  } else {
    number = TrimZeros(fmt::format("{:.4f}", target.value));
  }
  return op + WithUnit(number, unit, lang);
}

std::string TargetText(const Target& target, TargetBasis basis, std::string_view unit, Lang lang) {
  std::string text = FormatTarget(target, unit, lang);
  if (basis == TargetBasis::kToolDefault) text += lang == Lang::kZh ? "（默认）" : " (default)";
  if (basis == TargetBasis::kCatalogFile) text += lang == Lang::kZh ? "（自定）" : " (own)";
  return text;
}

std::string SourceText(TargetBasis basis, const std::string& source, Lang lang) {
  const std::string prefix = BasisText(basis, lang) + std::string(L(lang, "：", ": "));
  return source.starts_with(prefix) ? source : prefix + source;
}

std::string ParamValueText(double value, std::string_view unit, Lang lang) {
  const std::string number = TrimZeros(fmt::format("{:.4f}", value));
  if (unit == "ratio") return ShortPercent(value);
  if (unit == "count" || unit == "number") return number;
  if (unit == "mbps") return number + " Mbps";
  if (unit == "dbm") return number + " dBm";
  if (unit == "db") return number + " dB";
  return FormatValue(value, unit, lang);
}

std::string BasisText(TargetBasis basis, Lang lang) {
  switch (basis) {
    case TargetBasis::kRegulation:
      return std::string(L(lang, "监管规定", "regulation"));
    case TargetBasis::kToolDefault:
      return std::string(L(lang, "本工具默认值", "tool default"));
    case TargetBasis::kCatalogFile:
      return std::string(L(lang, "指标目录设定", "catalog file"));
    case TargetBasis::kNone:
      break;
  }
  return "—";
}

std::string FormatInterval(const Interval& ci, std::string_view unit, Lang lang) {
  if (unit == "ratio") return fmt::format("[{}, {}]", Percent(ci.low), Percent(ci.high));
  return WithUnit(fmt::format("[{}, {}]", FormatBare(ci.low, unit), FormatBare(ci.high, unit)),
                  unit, lang);
}

Trend ChangeTrend(double current, double earlier, std::string_view polarity) {
  if (current == earlier) return Trend::kSame;
  if (polarity == "higher") return current > earlier ? Trend::kBetter : Trend::kWorse;
  if (polarity == "lower") return current < earlier ? Trend::kBetter : Trend::kWorse;
  return Trend::kNeutral;
}

std::string FormatChange(double current, double earlier, std::string_view unit, Lang lang) {
  if (unit == "ratio") {
    const double pp = (current - earlier) * 100;
    const bool tiny = std::fabs(current) < kTinyRate && std::fabs(earlier) < kTinyRate;
    const int decimals = tiny ? 4 : 2;
    // A change that rounds to zero is written without a sign ("0.00", not "-0.00").
    const double shown = std::round(pp * std::pow(10, decimals));
    const std::string n =
        shown == 0 ? fmt::format("{:.{}f}", 0.0, decimals) : fmt::format("{:+.{}f}", pp, decimals);
    return n + std::string(L(lang, " 个百分点", " pp"));
  }
  if (earlier == 0) return "—";
  const double pct = (current - earlier) / std::fabs(earlier) * 100;
  if (std::round(pct * 100) == 0) return "0.00%";
  return fmt::format("{:+.2f}%", pct);
}

std::string FormatRelativeChangeWords(double fraction, Lang lang) {
  const std::string pct = fmt::format("{:.2f}%", std::fabs(fraction) * 100);
  if (fraction > 0) return std::string(L(lang, "上升", "up ")) + pct;
  if (fraction < 0) return std::string(L(lang, "下降", "down ")) + pct;
  return std::string(L(lang, "持平", "unchanged"));
}

std::string VerdictText(Verdict v, Lang lang) {
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
  return std::string(L(lang, "不考核", "no target"));
}

std::string PeriodTitle(const Period& p, Lang lang) {
  static constexpr const char* kMonthsEn[] = {"January",   "February", "March",    "April",
                                              "May",       "June",     "July",     "August",
                                              "September", "October",  "November", "December"};
  static constexpr const char* kQuartersZh[] = {"一", "二", "三", "四"};
  const int32_t y = p.first_day.year;
  const int32_t m = p.first_day.month;
  switch (p.kind) {
    case PeriodKind::kMonth:
      return lang == Lang::kZh ? fmt::format("{}年{}月", y, m)
                               : fmt::format("{} {}", kMonthsEn[m - 1], y);
    case PeriodKind::kQuarter:
      return lang == Lang::kZh ? fmt::format("{}年第{}季度", y, kQuartersZh[(m - 1) / 3])
                               : fmt::format("{} Q{}", y, (m - 1) / 3 + 1);
    case PeriodKind::kHalfYear:
      return lang == Lang::kZh ? fmt::format("{}年{}半年", y, m <= 6 ? "上" : "下")
                               : fmt::format("{} H{}", y, m <= 6 ? 1 : 2);
    case PeriodKind::kYear:
      return lang == Lang::kZh ? fmt::format("{}年", y) : fmt::format("{}", y);
    case PeriodKind::kCustom:
      break;
  }
  return PeriodRange(p, lang);
}

std::string PeriodRange(const Period& p, Lang lang) {
  const CivilDate last =
      CivilFromDays(DaysFromCivil(p.end_day.year, p.end_day.month, p.end_day.day) - 1);
  return fmt::format("{:04}-{:02}-{:02}{}{:04}-{:02}-{:02}", p.first_day.year, p.first_day.month,
                     p.first_day.day, L(lang, " 至 ", " to "), last.year, last.month, last.day);
}

std::string MonthLabel(std::string_view month, bool with_year, Lang lang) {
  static constexpr const char* kMonthsEn[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  // "YYYY-MM"; anything else is shown as it is.
  if (month.size() != 7 || month[4] != '-') return std::string(month);
  const int m = (month[5] - '0') * 10 + (month[6] - '0');
  if (m < 1 || m > 12) return std::string(month);
  const std::string_view year = month.substr(0, 4);
  if (lang == Lang::kZh) {
    return with_year ? fmt::format("{}年{}月", year, m) : fmt::format("{}月", m);
  }
  return with_year ? fmt::format("{} {}", kMonthsEn[m - 1], year) : kMonthsEn[m - 1];
}

std::string_view RecordTypeText(RecordType type, Lang lang) {
  switch (type) {
    case RecordType::kOrders:
      return L(lang, "服务工单", "service orders");
    case RecordType::kCalls:
      return L(lang, "呼叫记录", "call records");
    case RecordType::kSms:
      return L(lang, "短信记录", "short messages");
    case RecordType::kBilling:
      return L(lang, "计费记录", "charge records");
    case RecordType::kComplaints:
      return L(lang, "客户投诉", "complaints");
    case RecordType::kAppeals:
      return L(lang, "用户申诉", "appeals");
    case RecordType::kHotline:
      return L(lang, "客服热线来话", "hotline calls");
    case RecordType::kPorting:
      return L(lang, "携号转网申请", "porting requests");
    case RecordType::kSpeedtests:
      return L(lang, "众包测速", "speed tests");
    case RecordType::kBroadbandTests:
      return L(lang, "宽带测速", "broadband tests");
    case RecordType::kSubscribers:
      return L(lang, "用户数", "subscriber counts");
  }
  return L(lang, "未知", "unknown");
}

std::string_view ReasonText(BadRowReason reason, Lang lang) {
  switch (reason) {
    case BadRowReason::kBadQuoting:
      return L(lang, "引号错误", "bad quoting");
    case BadRowReason::kColumnCount:
      return L(lang, "列数不符", "wrong column count");
    case BadRowReason::kInvalidUtf8:
      return L(lang, "非 UTF-8 编码", "invalid UTF-8");
    case BadRowReason::kUndecodable:
      return L(lang, "无法按文件编码解码", "undecodable in the file's encoding");
    case BadRowReason::kBadJson:
      return L(lang, "JSON 格式错误", "bad JSON");
    case BadRowReason::kMissingRequired:
      return L(lang, "必填字段缺失", "required value missing");
    case BadRowReason::kBadTimestamp:
      return L(lang, "时间格式错误", "bad timestamp");
    case BadRowReason::kBadNumber:
      return L(lang, "数值格式错误", "bad number");
    case BadRowReason::kBadBool:
      return L(lang, "布尔值错误", "bad boolean");
    case BadRowReason::kUnknownEnum:
      return L(lang, "取值不在枚举范围内", "value not in vocabulary");
    case BadRowReason::kEndBeforeStart:
      return L(lang, "结束时间早于开始时间", "end before start");
  }
  return L(lang, "未知原因", "unknown reason");
}

std::string ChineseNumber(int n) {
  static constexpr const char* kDigits[] = {"零", "一", "二", "三", "四",
                                            "五", "六", "七", "八", "九"};
  if (n <= 0 || n >= 100) return std::to_string(n);
  if (n < 10) return kDigits[n];
  const int tens = n / 10;
  const int ones = n % 10;
  std::string out = tens == 1 ? "" : kDigits[tens];
  out += "十";
  if (ones != 0) out += kDigits[ones];
  return out;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace tsq::report
