#include "report/narrative.h"

#include <algorithm>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/glob.h"
#include "io/text_file.h"

namespace tsq {
namespace {

constexpr NarrativeSlotName kSlots[kNarrativeSlotCount] = {
    {"profile", "公司简介", "Company profile"},
    {"quality", "电信服务质量状况", "Service quality: measures and results"},
    {"events", "重要事项", "Events"},
    {"tariffs", "资费调整", "Tariff changes"},
    {"emergency", "应急通信保障", "Emergency communications"},
    {"announcements", "业务公告", "Announcements"},
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<NarrativeSlot> SlotNamed(std::string_view name) {
  for (int i = 0; i < kNarrativeSlotCount; ++i) {
    const NarrativeSlotName& n = kSlots[i];
    if (name == n.key || name == n.zh || name == n.en) return static_cast<NarrativeSlot>(i);
  }
  return std::nullopt;
}

std::string UnknownSlot(std::string_view origin, size_t line, std::string_view name) {
  std::vector<std::string> names;
  for (const NarrativeSlotName& n : kSlots) {
    names.emplace_back(n.key);
    names.emplace_back(n.zh);
  }
  const std::vector<std::string> close = ClosestMatches(name, names, 1);
  std::string all;
  for (const NarrativeSlotName& n : kSlots) {
    all += fmt::format("{}{} ({})", all.empty() ? "" : ", ", n.zh, n.key);
  }
  return fmt::format("{}:{}: '{}' is no section of a company report ({}){}", origin, line, name,
                     all, close.empty() ? "" : "; did you mean " + close.front() + "?");
}

// Appends a text line to the open paragraph: Chinese lines join directly, words with a space.
void Join(std::string* paragraph, std::string_view line) {
  if (!paragraph->empty()) {
    const unsigned char last = static_cast<unsigned char>(paragraph->back());
    const unsigned char first = static_cast<unsigned char>(line.front());
    if (last < 0x80 && first < 0x80) *paragraph += ' ';
  }
  *paragraph += line;
}

// The blocks of a section body: paragraphs, "### " sub-headings and "- " items.
Status ParseBody(std::string_view body, std::string_view origin, size_t first_line,
                 std::vector<NarrativeBlock>* out) {
  std::string paragraph;
  const auto flush = [&] {
    if (!paragraph.empty()) out->push_back({NarrativeBlock::Kind::kParagraph, paragraph});
    paragraph.clear();
  };
  size_t line_no = first_line;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view line = Trim(body.substr(start, end - start));
    if (line.empty()) {
      flush();
    } else if (line.starts_with("## ") || line.starts_with("# ")) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}:{}: a heading inside a section; sections start with '## ' "
                               "and sub-headings with '### '",
                               origin, line_no));
    } else if (line.starts_with("### ")) {
      flush();
      out->push_back({NarrativeBlock::Kind::kSubheading, std::string(Trim(line.substr(4)))});
    } else if (line.starts_with("- ") || line.starts_with("* ")) {
      flush();
      out->push_back({NarrativeBlock::Kind::kItem, std::string(Trim(line.substr(2)))});
    } else {
      Join(&paragraph, line);
    }
    start = end + 1;
    ++line_no;
  }
  flush();
  return Ok();
}

Status Add(Narrative* n, NarrativeSection section, std::string_view origin, size_t line) {
  for (const NarrativeSection& s : n->sections) {
    if (s.slot == section.slot) {
      return Error(ErrorCode::kInvalidArgument, fmt::format("{}:{}: section {} is given twice",
                                                            origin, line, NameOf(section.slot).zh));
    }
  }
  if (section.blocks.empty()) return Ok();  // an empty section fills no slot
  n->sections.push_back(std::move(section));
  return Ok();
}

Result<Narrative> ParseMarkdown(std::string_view text, std::string_view origin) {
  Narrative n;
  std::optional<NarrativeSection> open;
  size_t body_start = 0;
  size_t body_line = 0;
  size_t line_no = 1;
  size_t start = 0;
  const auto close = [&](size_t body_end) -> Status {
    if (!open) return Ok();
    const size_t length = body_end > body_start ? body_end - body_start : 0;
    TSQ_TRY(ParseBody(text.substr(body_start, length), origin, body_line, &open->blocks));
    NarrativeSection s = std::move(*open);
    open.reset();
    return Add(&n, std::move(s), origin, body_line - 1);
  };
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = Trim(text.substr(start, end - start));
    if (line.starts_with("## ")) {
      TSQ_TRY(close(start));
      const std::string_view heading = Trim(line.substr(3));
      const std::optional<NarrativeSlot> slot = SlotNamed(heading);
      if (!slot) return Error(ErrorCode::kInvalidArgument, UnknownSlot(origin, line_no, heading));
      open = NarrativeSection{*slot, {}};
      body_start = end + 1 <= text.size() ? end + 1 : text.size();
      body_line = line_no + 1;
    } else if (!open && !line.empty() && !line.starts_with("# ") && !line.starts_with("<!--")) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}:{}: text before the first section; start each section with a "
                               "heading such as '## 公司简介'",
                               origin, line_no));
    }
    start = end + 1;
    ++line_no;
  }
  TSQ_TRY(close(text.size()));
  std::sort(n.sections.begin(), n.sections.end(),
            [](const NarrativeSection& a, const NarrativeSection& b) { return a.slot < b.slot; });
  return n;
}

Result<Narrative> ParseToml(std::string_view text, std::string_view origin) {
  toml::table root;
  try {
    root = toml::parse(text, std::string(origin));
  } catch (const toml::parse_error& e) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}:{}:{}: {}", origin, e.source().begin.line, e.source().begin.column,
                             e.description()));
  }
  Narrative n;
  for (const auto& [key, node] : root) {
    const size_t line = node.source().begin.line;
    const std::optional<NarrativeSlot> slot = SlotNamed(key.str());
    if (!slot) return Error(ErrorCode::kInvalidArgument, UnknownSlot(origin, line, key.str()));
    const std::optional<std::string> body = node.value<std::string>();
    if (!body) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{}:{}: {} must be a string (use \"\"\" for several paragraphs)",
                               origin, line, key.str()));
    }
    NarrativeSection s{*slot, {}};
    TSQ_TRY(ParseBody(*body, origin, line, &s.blocks));
    TSQ_TRY(Add(&n, std::move(s), origin, line));
  }
  std::sort(n.sections.begin(), n.sections.end(),
            [](const NarrativeSection& a, const NarrativeSection& b) { return a.slot < b.slot; });
  return n;
}

}  // namespace

const NarrativeSlotName& NameOf(NarrativeSlot slot) { return kSlots[static_cast<int>(slot)]; }

const NarrativeSection* Narrative::Find(NarrativeSlot slot) const {
  for (const NarrativeSection& s : sections) {
    if (s.slot == slot) return &s;
  }
  return nullptr;
}

Result<Narrative> ParseNarrative(std::string_view text, std::string_view origin, bool toml) {
  return toml ? ParseToml(text, origin) : ParseMarkdown(text, origin);
}

Result<Narrative> ReadNarrativeFile(const std::string& path) {
  auto text = ReadTextFile(path, "the narrative");
  if (!text) return std::move(text).error();
  return ParseNarrative(*text, path, path.ends_with(".toml"));
}

}  // namespace tsq
