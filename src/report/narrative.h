// The narrative of an operator's semi-annual report: what its service-quality office writes and
// tsq cannot compute — the company profile, the measures taken and their results, events, tariff
// changes, emergency communications, announcements. Read from a Markdown or TOML file
// (`tsq report --narrative FILE`); each section slots into its place in the company report, and
// a slot the file does not fill is left out, never filled with invented text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tsq {

enum class NarrativeSlot : uint8_t {
  kProfile,        // 公司简介
  kQuality,        // 电信服务质量状况: the measures taken and their results
  kEvents,         // 重要事项
  kTariffs,        // 资费调整
  kEmergency,      // 应急通信保障
  kAnnouncements,  // 业务公告
};
inline constexpr int kNarrativeSlotCount = 6;

/// The slot's key and its Chinese and English headings: {"profile", "公司简介", "Company profile"}.
struct NarrativeSlotName {
  std::string_view key;
  std::string_view zh;
  std::string_view en;
};
const NarrativeSlotName& NameOf(NarrativeSlot slot);

struct NarrativeBlock {
  enum class Kind : uint8_t { kParagraph, kSubheading, kItem };
  Kind kind = Kind::kParagraph;
  std::string text;
};

struct NarrativeSection {
  NarrativeSlot slot = NarrativeSlot::kProfile;
  std::vector<NarrativeBlock> blocks;
};

struct Narrative {
  std::vector<NarrativeSection> sections;  // in the order of NarrativeSlot
  const NarrativeSection* Find(NarrativeSlot slot) const;
  bool empty() const { return sections.empty(); }
};

/// Parses a narrative. Markdown: "## HEADING" starts a section, the heading a slot's key or its
/// Chinese or English name ("## 公司简介", "## profile"); inside, "### " is a sub-heading, "- " an
/// item, and blank lines separate paragraphs. TOML (`toml` true): one string per slot key, with
/// the same markup inside. An unknown heading or key, a section given twice, or text outside a
/// section is an error naming `origin` and the line.
Result<Narrative> ParseNarrative(std::string_view text, std::string_view origin, bool toml);

/// Reads a narrative file: TOML when its name ends in ".toml", Markdown otherwise.
Result<Narrative> ReadNarrativeFile(const std::string& path);

}  // namespace tsq
