#include "engine/value.h"

namespace tsq {

const char* DimName(Dim d) {
  switch (d) {
    case Dim::kOperator:
      return "operator";
    case Dim::kFromOperator:
      return "from_operator";
    case Dim::kRegion:
      return "region";
    case Dim::kMonth:
      return "month";
    case Dim::kRat:
      return "rat";
    case Dim::kPlan:
      return "plan";
    case Dim::kCategory:
      return "category";
    case Dim::kChannel:
      return "channel";
    case Dim::kRejectReason:
      return "reject_reason";
  }
  return "?";
}

std::optional<Dim> DimFromName(std::string_view name) {
  for (int d = 0; d < kDimCount; ++d) {
    if (name == DimName(static_cast<Dim>(d))) return static_cast<Dim>(d);
  }
  return std::nullopt;
}

const std::string* Group::Find(Dim d) const {
  for (const auto& [dim, value] : dims) {
    if (dim == d) return &value;
  }
  return nullptr;
}

std::string Group::ToString() const {
  std::string out;
  for (const auto& [dim, value] : dims) {
    if (!out.empty()) out += ',';
    out += DimName(dim);
    out += '=';
    out += value;
  }
  return out;
}

const char* TargetBasisName(TargetBasis b) {
  switch (b) {
    case TargetBasis::kRegulation:
      return "regulation";
    case TargetBasis::kToolDefault:
      return "tool_default";
    case TargetBasis::kCatalogFile:
      return "catalog";
    case TargetBasis::kNone:
      break;
  }
  return "";
}

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kMet:
      return "met";
    case Verdict::kMissed:
      return "missed";
    case Verdict::kInsufficient:
      return "insufficient data";
    case Verdict::kNone:
      break;
  }
  return "";
}

}  // namespace tsq
