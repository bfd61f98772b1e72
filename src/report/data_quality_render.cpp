#include "report/data_quality_render.h"

#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "io/xlsx_source.h"
#include "report/text_table.h"

namespace tsq {
namespace {

std::string FileName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

std::string ReasonSummary(const FileReport& r) {
  std::string out;
  for (int i = 0; i < kBadRowReasonCount; ++i) {
    if (r.quarantined_by_reason[i] == 0) continue;
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", BadRowReasonName(static_cast<BadRowReason>(i)),
                       GroupThousands(r.quarantined_by_reason[i]));
  }
  return out;
}

}  // namespace

std::string RenderDataQualityText(const DataQuality& dq, Lang lang) {
  TextTable t;
  using A = TextTable::Align;
  t.SetHeader({std::string(L(lang, "文件", "file")), std::string(L(lang, "类型", "type")),
               std::string(L(lang, "读取行数", "rows")), std::string(L(lang, "接受", "accepted")),
               std::string(L(lang, "隔离", "quarantined")), std::string(L(lang, "起", "from")),
               std::string(L(lang, "止", "to")), std::string(L(lang, "运营商", "operators")),
               std::string(L(lang, "地区", "regions"))},
              {A::kLeft, A::kLeft, A::kRight, A::kRight, A::kRight, A::kLeft, A::kLeft, A::kRight,
               A::kRight});
  for (const FileQuality& f : dq.files) {
    t.AddRow({WithSheet(FileName(f.read.path), f.read.sheet),
              std::string(SchemaOf(f.read.type).name), GroupThousands(f.read.rows_read),
              GroupThousands(f.read.rows_accepted), GroupThousands(f.read.rows_quarantined),
              f.first_time ? FormatLocal(*f.first_time, dq.local_offset_s).substr(0, 19) : "-",
              f.last_time ? FormatLocal(*f.last_time, dq.local_offset_s).substr(0, 19) : "-",
              std::to_string(f.operators.size()), std::to_string(f.regions.size())});
    if (f.read.encoding != TextEncoding::kUtf8 || f.read.encoding_detected) {
      // Said whenever tsq decoded or guessed: a wrong guess shows as undecodable rows.
      t.AddNote(
          fmt::format("  {}: {}{}", L(lang, "编码", "encoding"), EncodingName(f.read.encoding),
                      f.read.encoding_detected ? L(lang, "（自动识别）", " (detected)") : ""));
    }
    if (f.read.rows_quarantined > 0) {
      t.AddNote(fmt::format("  {}: {}", L(lang, "隔离原因", "quarantined by reason"),
                            ReasonSummary(f.read)));
    }
  }
  std::string out = fmt::format("{} {}\n\n", L(lang, "数据目录", "data directory"), dq.dir);
  out += t.Render();
  out += fmt::format("{}: {} {}, {} {}, {} {}, {} {} ({:.1f} s)\n", L(lang, "合计", "total"),
                     dq.files.size(), L(lang, "个文件", "files"), GroupThousands(dq.TotalRead()),
                     L(lang, "行", "rows"), GroupThousands(dq.TotalAccepted()),
                     L(lang, "接受", "accepted"), GroupThousands(dq.TotalQuarantined()),
                     L(lang, "隔离", "quarantined"), dq.seconds);
  std::vector<std::string> operators;
  for (const FileQuality& f : dq.files) {
    for (const std::string& o : f.operators) {
      if (std::find(operators.begin(), operators.end(), o) == operators.end()) {
        operators.push_back(o);
      }
    }
  }
  std::sort(operators.begin(), operators.end());
  if (!operators.empty())
    out += fmt::format("{}: {}\n", L(lang, "运营商", "operators"), Join(operators));
  if (!dq.ignored.empty()) {
    out += fmt::format("{}: {}\n", L(lang, "未识别的文件(已忽略)", "ignored (not a record file)"),
                       Join(dq.ignored));
  }
  if (!dq.quarantine_path.empty()) {
    out += fmt::format(
        "{}: {} {}\n", L(lang, "隔离行已写入", "quarantined rows written to"), dq.quarantine_path,
        dq.numbers_shown ? L(lang, "(用户号码未脱敏: --show-numbers)",
                             "(subscriber numbers unmasked: --show-numbers)")
                         : L(lang, "(用户号码已脱敏)", "(subscriber numbers masked)"));
  }
  return out;
}

nlohmann::ordered_json DataQualityJson(const DataQuality& dq) {
  using Json = nlohmann::ordered_json;
  Json j;
  j["dir"] = dq.dir;
  j["rows_read"] = dq.TotalRead();
  j["rows_accepted"] = dq.TotalAccepted();
  j["rows_quarantined"] = dq.TotalQuarantined();
  j["files"] = Json::array();
  for (const FileQuality& f : dq.files) {
    Json jf;
    jf["path"] = f.read.path;
    jf["sheet"] = f.read.sheet.empty() ? Json(nullptr) : Json(f.read.sheet);
    jf["type"] = std::string(SchemaOf(f.read.type).name);
    jf["size_bytes"] = f.read.size_bytes;
    jf["text_bytes"] = f.read.text_bytes;
    jf["sha256"] = f.read.sha256.empty() ? Json(nullptr) : Json(f.read.sha256);
    jf["encoding"] = EncodingName(f.read.encoding);
    jf["encoding_detected"] = f.read.encoding_detected;
    jf["rows_read"] = f.read.rows_read;
    jf["rows_accepted"] = f.read.rows_accepted;
    jf["rows_quarantined"] = f.read.rows_quarantined;
    Json reasons = Json::object();
    for (int i = 0; i < kBadRowReasonCount; ++i) {
      if (f.read.quarantined_by_reason[i] > 0) {
        reasons[BadRowReasonName(static_cast<BadRowReason>(i))] = f.read.quarantined_by_reason[i];
      }
    }
    jf["quarantined_by_reason"] = std::move(reasons);
    jf["from"] = f.first_time ? Json(FormatTimestamp(*f.first_time, dq.local_offset_s)) : Json();
    jf["to"] = f.last_time ? Json(FormatTimestamp(*f.last_time, dq.local_offset_s)) : Json();
    jf["operators"] = f.operators;
    jf["regions"] = f.regions;
    j["files"].push_back(std::move(jf));
  }
  j["ignored"] = dq.ignored;
  j["quarantine_file"] = dq.quarantine_path.empty() ? Json(nullptr) : Json(dq.quarantine_path);
  j["numbers_shown"] = dq.numbers_shown;
  return j;
}

std::string RenderDataQualityJson(const DataQuality& dq) {
  nlohmann::ordered_json j = DataQualityJson(dq);
  j["seconds"] = dq.seconds;
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace tsq
