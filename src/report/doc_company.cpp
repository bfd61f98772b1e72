// An operator's own semi-annual report (电信服务质量状况报告), in the structure operators publish:
// 公司简介, 电信服务质量状况 (the measures taken and their results), 主要服务指标完成情况 (limit or
// target beside achieved), then events, tariff changes, emergency communications and
// announcements, closing with the 企业声明. The office writes the narrative (--narrative); tsq
// computes the figures. A slot the narrative does not fill is left out.
#include <fmt/format.h>

#include "report/doc_builder.h"
#include "report/report_format.h"

namespace tsq::report {

void DocBuilder::NarrativeChapter(NarrativeSlot slot) {
  const tsq::NarrativeSection* n = options_.narrative.Find(slot);
  if (n == nullptr) return;
  const NarrativeSlotName& name = NameOf(slot);
  Section& s =
      AddSection(std::string(name.key), NextTitle(T(name.zh, name.en)), T(name.zh, name.en));
  std::vector<std::string> items;
  const auto flush_items = [&] {
    if (!items.empty()) s.blocks.push_back(BulletList{std::move(items)});
    items.clear();
  };
  for (const NarrativeBlock& b : n->blocks) {
    switch (b.kind) {
      case NarrativeBlock::Kind::kItem:
        items.push_back(b.text);
        break;
      case NarrativeBlock::Kind::kSubheading:
        flush_items();
        s.blocks.push_back(Subheading{b.text});
        break;
      case NarrativeBlock::Kind::kParagraph:
        flush_items();
        s.blocks.push_back(Paragraph{b.text});
        break;
    }
  }
  flush_items();
}

void DocBuilder::CompanyReport() {
  const std::string& op = options_.operator_name;
  NarrativeChapter(NarrativeSlot::kProfile);
  NarrativeChapter(NarrativeSlot::kQuality);

  const std::vector<const IndicatorValue*> rows = view_.OperatorRows(op);
  Section& s =
      AddSection("indicators", NextTitle(T("主要服务指标完成情况", "Main service indicators")),
                 T("主要指标", "Indicators"));
  const VerdictCounts c = ReportView::Count(rows);
  const std::string period = PeriodTitle(in_.period, lang_);
  if (c.judged > 0) {
    s.blocks.push_back(
        Paragraph{lang_ == Lang::kZh
                      ? fmt::format("{}，{}的{}项主要服务指标中，{}项达到限值或目标值{}。", period,
                                    options_.company, c.judged, c.met,
                                    c.missed > 0 ? fmt::format("，{}项未达到", c.missed) : "")
                      : fmt::format("In {}, {} met {} of its {} main service targets{}.", period,
                                    options_.company, c.met, c.judged,
                                    c.missed > 0 ? fmt::format(" and missed {}", c.missed) : "")});
  }
  if (!rows.empty()) {
    Table t = IndicatorTable(rows);
    t.caption.clear();
    s.blocks.push_back(std::move(t));
  }
  TopicBlocks(s, op);
  if (!rows.empty()) s.blocks.push_back(Paragraph{ConventionsNote(rows), true});

  NarrativeChapter(NarrativeSlot::kEvents);
  NarrativeChapter(NarrativeSlot::kTariffs);
  NarrativeChapter(NarrativeSlot::kEmergency);
  NarrativeChapter(NarrativeSlot::kAnnouncements);

  // The closing statement operators publish, signed with the company's name.
  Section& end = doc_.sections.back();
  end.blocks.push_back(Paragraph{T("企业声明：本报告内容客观、真实、准确。",
                                   "Statement: the content of this report is objective, true "
                                   "and accurate.")});
  end.blocks.push_back(Paragraph{options_.company});
}

}  // namespace tsq::report
