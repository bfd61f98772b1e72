#include "io/xlsx_source.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <expat.h>
#include <fmt/format.h>
#include <unzip.h>

#include "core/timestamp.h"

namespace tsq {
namespace {

constexpr size_t kSheetBlockBytes = 64 << 10;
constexpr long kMaxRows = 1048576;  // Excel's sheet: 2^20 rows of 2^14 columns (A to XFD)
constexpr int kMaxColumns = 16384;

const char* Attr(const XML_Char** attrs, std::string_view name) {
  for (int i = 0; attrs[i] != nullptr; i += 2) {
    if (name == attrs[i]) return attrs[i + 1];
  }
  return nullptr;
}

// Runs expat over a whole (small) document with element and text callbacks.
struct SaxDoc {
  std::function<void(std::string_view, const XML_Char**)> start;
  std::function<void(std::string_view)> end;
  std::function<void(std::string_view)> text;

  bool Parse(const std::string& xml, std::string* error) {
    XML_Parser p = XML_ParserCreate("UTF-8");
    XML_SetUserData(p, this);
    XML_SetElementHandler(
        p,
        [](void* self, const XML_Char* name, const XML_Char** attrs) {
          auto* d = static_cast<SaxDoc*>(self);
          if (d->start) d->start(name, attrs);
        },
        [](void* self, const XML_Char* name) {
          auto* d = static_cast<SaxDoc*>(self);
          if (d->end) d->end(name);
        });
    XML_SetCharacterDataHandler(p, [](void* self, const XML_Char* s, int len) {
      auto* d = static_cast<SaxDoc*>(self);
      if (d->text) d->text(std::string_view(s, static_cast<size_t>(len)));
    });
    const bool ok = XML_Parse(p, xml.data(), static_cast<int>(xml.size()), 1) != XML_STATUS_ERROR;
    if (!ok) {
      *error = fmt::format("{} at line {}", XML_ErrorString(XML_GetErrorCode(p)),
                           XML_GetCurrentLineNumber(p));
    }
    XML_ParserFree(p);
    return ok;
  }
};

// Whether a number format shows a date or a time: Excel's built-in date formats (including the
// Chinese ones) and custom codes with date or time letters outside quotes and brackets.
bool IsDateFormat(int id, std::string_view code) {
  if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
      (id >= 50 && id <= 58)) {
    return true;
  }
  if (code.empty()) return false;
  bool quoted = false, bracket = false;
  for (char c : code) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '[') bracket = true;
    if (c == ']') bracket = false;
    if (bracket) continue;
    const char l = static_cast<char>(c | 0x20);
    if (l == 'y' || l == 'd' || l == 'h' || l == 's' || (l == 'm' && code.find('0') == code.npos)) {
      return true;
    }
  }
  return false;
}

// "B12" -> 1 (column index from zero).
int ColumnOf(const char* ref) {
  int col = 0;
  for (const char* p = ref; *p >= 'A' && *p <= 'Z' && col <= kMaxColumns; ++p) {
    col = col * 26 + (*p - 'A' + 1);
  }
  return col - 1;
}

// A relationship's target as a part name in the zip: relative to xl/ ("worksheets/sheet1.xml")
// or absolute ("/xl/worksheets/sheet1.xml"), with "." and ".." segments resolved.
std::string PartOfTarget(std::string_view target) {
  std::vector<std::string_view> segments;
  if (!target.starts_with('/')) segments.push_back("xl");
  while (!target.empty()) {
    const size_t slash = target.find('/');
    const std::string_view seg = target.substr(0, slash);
    target = slash == std::string_view::npos ? std::string_view() : target.substr(slash + 1);
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(seg);
    }
  }
  std::string part;
  for (std::string_view seg : segments) {
    if (!part.empty()) part += '/';
    part += seg;
  }
  return part;
}

// A workbook's zip archive: its small parts read whole and its list of sheets. Errors name
// `label` (the file, or the file and the sheet being read).
class WorkbookZip {
 public:
  WorkbookZip(std::string path, std::string label)
      : path_(std::move(path)), label_(std::move(label)) {}
  ~WorkbookZip() {
    if (zip_ != nullptr) unzClose(zip_);
  }
  WorkbookZip(const WorkbookZip&) = delete;
  WorkbookZip& operator=(const WorkbookZip&) = delete;

  Status Open() {
    zip_ = unzOpen64(path_.c_str());
    if (zip_ == nullptr) return Fail("not a zip archive, so not an .xlsx workbook");
    return Ok();
  }
  unzFile zip() const { return zip_; }

  Error Fail(const std::string& what) const {
    return Error(ErrorCode::kCorrupt, fmt::format("{}: {}", label_, what));
  }

  Status ReadEntry(const char* name, std::string* out, bool optional = false) {
    out->clear();
    if (unzLocateFile(zip_, name, 0) != UNZ_OK) {
      if (optional) return Ok();
      return Fail(fmt::format("no {} in the archive, so not an .xlsx workbook", name));
    }
    if (unzOpenCurrentFile(zip_) != UNZ_OK) return Fail(fmt::format("cannot open {}", name));
    std::vector<char> buf(kSheetBlockBytes);
    int n = 0;
    while ((n = unzReadCurrentFile(zip_, buf.data(), static_cast<unsigned>(buf.size()))) > 0) {
      out->append(buf.data(), static_cast<size_t>(n));
    }
    unzCloseCurrentFile(zip_);
    if (n < 0) return Fail(fmt::format("cannot inflate {}", name));
    return Ok();
  }

  // The sheets in xl/workbook.xml's order, each with the part its r:id names in the relations.
  Result<std::vector<XlsxSheet>> Sheets() {
    std::string workbook, rels, error;
    TSQ_TRY(ReadEntry("xl/workbook.xml", &workbook));
    TSQ_TRY(ReadEntry("xl/_rels/workbook.xml.rels", &rels));
    std::vector<XlsxSheet> sheets;
    std::vector<std::string> ids;  // per sheet
    SaxDoc wb;
    wb.start = [&](std::string_view name, const XML_Char** attrs) {
      if (name != "sheet") return;
      const char* sheet_name = Attr(attrs, "name");
      const char* id = Attr(attrs, "r:id");
      sheets.push_back({sheet_name != nullptr ? sheet_name : "", ""});
      ids.emplace_back(id != nullptr ? id : "");
    };
    if (!wb.Parse(workbook, &error)) return Fail("xl/workbook.xml: " + error);
    std::unordered_map<std::string, std::string> targets;
    SaxDoc rl;
    rl.start = [&](std::string_view name, const XML_Char** attrs) {
      const char* id = Attr(attrs, "Id");
      const char* t = Attr(attrs, "Target");
      if (name == "Relationship" && id != nullptr && t != nullptr) targets.emplace(id, t);
    };
    if (!rl.Parse(rels, &error)) return Fail("xl/_rels/workbook.xml.rels: " + error);
    for (size_t i = 0; i < sheets.size(); ++i) {
      const auto it = targets.find(ids[i]);
      if (!ids[i].empty() && it != targets.end()) sheets[i].part = PartOfTarget(it->second);
    }
    return sheets;
  }

 private:
  std::string path_;
  std::string label_;
  unzFile zip_ = nullptr;
};

class XlsxSource final : public ByteSource {
 public:
  XlsxSource(const std::string& path, int fd, uint64_t size, std::string_view sheet)
      : ByteSource(path, fd, size, WithSheet(path, sheet)), book_(path, WithSheet(path, sheet)) {}
  ~XlsxSource() override {
    if (parser_ != nullptr) XML_ParserFree(parser_);
    if (sheet_open_) unzCloseCurrentFile(book_.zip());
  }

  // Finds the sheet named `sheet` (the first sheet when empty) and readies its rows.
  Status Init(std::string_view sheet) {
    TSQ_TRY(book_.Open());
    auto sheets = book_.Sheets();
    if (!sheets) return std::move(sheets).error();
    if (sheets->empty()) return book_.Fail("the workbook has no sheet");
    const XlsxSheet* chosen = &sheets->front();
    if (!sheet.empty()) {
      const auto it = std::find_if(sheets->begin(), sheets->end(),
                                   [&](const XlsxSheet& s) { return s.name == sheet; });
      if (it == sheets->end()) {
        std::string names;
        for (const XlsxSheet& s : *sheets) names += (names.empty() ? "" : ", ") + s.name;
        return book_.Fail(fmt::format("the workbook has no such sheet (its sheets: {})", names));
      }
      chosen = &*it;
    }
    if (chosen->part.empty()) {
      return book_.Fail(fmt::format("the {}sheet's part is not in the workbook's relations",
                                    sheet.empty() ? "first " : ""));
    }
    TSQ_TRY(LoadSharedStrings());
    TSQ_TRY(LoadStyles());
    if (unzLocateFile(book_.zip(), chosen->part.c_str(), 0) != UNZ_OK ||
        unzOpenCurrentFile(book_.zip()) != UNZ_OK) {
      return book_.Fail("cannot open its sheet " + chosen->part);
    }
    sheet_open_ = true;
    parser_ = XML_ParserCreate("UTF-8");
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &XlsxSource::OnStart, &XlsxSource::OnEnd);
    XML_SetCharacterDataHandler(parser_, &XlsxSource::OnText);
    return Ok();
  }

 protected:
  Result<size_t> ReadSome(char* dst, size_t cap) override {
    while (out_pos_ == out_.size()) {
      out_.clear();
      out_pos_ = 0;
      if (done_) return size_t{0};
      const int n =
          unzReadCurrentFile(book_.zip(), block_.data(), static_cast<unsigned>(block_.size()));
      if (n < 0) return Corrupt("xlsx", "cannot inflate the sheet");
      if (XML_Parse(parser_, block_.data(), n, n == 0) == XML_STATUS_ERROR) {
        if (!sheet_error_.empty()) return Corrupt("xlsx", sheet_error_);
        return Corrupt("xlsx", fmt::format("sheet XML: {} at line {}",
                                           XML_ErrorString(XML_GetErrorCode(parser_)),
                                           XML_GetCurrentLineNumber(parser_)));
      }
      if (n == 0) done_ = true;
      // Where the sheet's compressed stream is in the file: progress in on-disk bytes.
      SetConsumedBytes(
          std::min<uint64_t>(unzGetCurrentFileZStreamPos64(book_.zip()), size_bytes()));
    }
    const size_t k = std::min(cap, out_.size() - out_pos_);
    std::memcpy(dst, out_.data() + out_pos_, k);
    out_pos_ += k;
    return k;
  }

 private:
  Status LoadSharedStrings() {
    std::string xml, error;
    TSQ_TRY(book_.ReadEntry("xl/sharedStrings.xml", &xml, /*optional=*/true));
    if (xml.empty()) return Ok();
    // An <si> is a plain <t> or rich-text runs <r><t>; phonetic guides (<rPh>) are not its text.
    bool in_t = false, in_phonetic = false;
    SaxDoc doc;
    doc.start = [&](std::string_view name, const XML_Char**) {
      if (name == "si") strings_.emplace_back();
      if (name == "rPh") in_phonetic = true;
      if (name == "t" && !in_phonetic) in_t = true;
    };
    doc.end = [&](std::string_view name) {
      if (name == "t") in_t = false;
      if (name == "rPh") in_phonetic = false;
    };
    doc.text = [&](std::string_view s) {
      if (in_t && !strings_.empty()) strings_.back().append(s);
    };
    if (!doc.Parse(xml, &error)) return book_.Fail("xl/sharedStrings.xml: " + error);
    return Ok();
  }

  Status LoadStyles() {
    std::string xml, error;
    TSQ_TRY(book_.ReadEntry("xl/styles.xml", &xml, /*optional=*/true));
    if (xml.empty()) return Ok();
    std::unordered_map<int, std::string> codes;
    bool in_xfs = false;
    std::vector<int> xf_formats;
    SaxDoc doc;
    doc.start = [&](std::string_view name, const XML_Char** attrs) {
      if (name == "numFmt") {
        const char* id = Attr(attrs, "numFmtId");
        const char* code = Attr(attrs, "formatCode");
        if (id != nullptr && code != nullptr) codes[std::atoi(id)] = code;
      }
      if (name == "cellXfs") in_xfs = true;
      if (name == "xf" && in_xfs) {
        const char* id = Attr(attrs, "numFmtId");
        xf_formats.push_back(id != nullptr ? std::atoi(id) : 0);
      }
    };
    doc.end = [&](std::string_view name) {
      if (name == "cellXfs") in_xfs = false;
    };
    if (!doc.Parse(xml, &error)) return book_.Fail("xl/styles.xml: " + error);
    for (int id : xf_formats) {
      auto it = codes.find(id);
      date_styles_.push_back(IsDateFormat(id, it == codes.end() ? "" : it->second));
    }
    return Ok();
  }

  static void OnStart(void* self, const XML_Char* name, const XML_Char** attrs) {
    auto* s = static_cast<XlsxSource*>(self);
    const std::string_view n = name;
    if (n == "row") {
      const char* r = Attr(attrs, "r");
      const long row = r != nullptr ? std::atol(r) : s->row_ + 1;
      // Rows come in order and within Excel's sheet: a row number past it would have tsq write
      // blank lines without end.
      if (row <= s->row_ || row > kMaxRows) {
        return s->Stop(fmt::format("sheet row {} after row {} (rows come in order, 1 to {})",
                                   r != nullptr ? r : "?", s->row_, kMaxRows));
      }
      // Empty lines for rows the sheet skips, so a row's line number is its number in Excel.
      while (s->row_ + 1 < row) {
        s->out_ += '\n';
        ++s->row_;
      }
      s->row_ = row;
      s->column_ = 0;
    } else if (n == "c") {
      const char* r = Attr(attrs, "r");
      s->cell_column_ = r != nullptr ? ColumnOf(r) : s->column_;
      if (s->cell_column_ < s->column_ || s->cell_column_ >= kMaxColumns) {
        return s->Stop(
            fmt::format("sheet cell {} in row {} (cells come in order, columns A to "
                        "XFD)",
                        r != nullptr ? r : "?", s->row_));
      }
      const char* t = Attr(attrs, "t");
      s->cell_type_ = t != nullptr ? t : "n";
      const char* style = Attr(attrs, "s");
      const size_t xf = style != nullptr ? static_cast<size_t>(std::atol(style)) : 0;
      s->cell_is_date_ = xf < s->date_styles_.size() && s->date_styles_[xf];
      s->value_.clear();
    } else if (n == "v" || (n == "t" && s->cell_type_ == "inlineStr")) {
      s->in_value_ = true;
    }
  }

  // Ends the parse with `why` as the sheet's error.
  void Stop(std::string why) {
    sheet_error_ = std::move(why);
    XML_StopParser(parser_, XML_FALSE);
  }

  static void OnEnd(void* self, const XML_Char* name) {
    auto* s = static_cast<XlsxSource*>(self);
    const std::string_view n = name;
    if (n == "v" || n == "t") {
      s->in_value_ = false;
    } else if (n == "c") {
      s->PadTo(s->cell_column_);  // cells Excel left out are empty fields
      if (s->column_ > 0) s->out_ += ',';
      s->AppendField(s->CellText());
      ++s->column_;
    } else if (n == "row") {
      // Excel leaves out a row's trailing empty cells: the row gets the header's width again.
      if (s->width_ == 0) s->width_ = s->column_;
      if (s->column_ > 0) s->PadTo(s->width_);
      s->out_ += '\n';
    }
  }

  static void OnText(void* self, const XML_Char* text, int len) {
    auto* s = static_cast<XlsxSource*>(self);
    if (s->in_value_) s->value_.append(text, static_cast<size_t>(len));
  }

  std::string CellText() const {
    if (cell_type_ == "s") {
      const auto i = static_cast<size_t>(std::atol(value_.c_str()));
      return i < strings_.size() ? strings_[i] : std::string();
    }
    if (cell_type_ != "n" || value_.empty()) return value_;  // str, inlineStr, b (1/0), e
    double v = 0;
    const auto [end, ec] = std::from_chars(value_.data(), value_.data() + value_.size(), v);
    if (ec != std::errc() || end != value_.data() + value_.size()) return value_;
    if (cell_is_date_ && v >= 0 && v < 2958466) {
      // Days since 1899-12-30 in the workbook's own (local) time, to the second Excel shows.
      const auto seconds = static_cast<int64_t>(std::llround(v * 86400.0));
      const int64_t days = seconds / 86400 + DaysFromCivil(1899, 12, 30);
      const CivilDate d = CivilFromDays(days);
      const int64_t s = seconds % 86400;
      return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", d.year, d.month, d.day, s / 3600,
                         s / 60 % 60, s % 60);
    }
    // A number stored in exponent form (1.3512828388E10) written out whole when it is one.
    if (value_.find_first_of("eE") != std::string::npos && v == std::floor(v) &&
        std::abs(v) < 1e17) {
      return fmt::format("{}", static_cast<int64_t>(v));
    }
    return value_;
  }

  // Writes empty fields until `fields` have been written in the row.
  void PadTo(int fields) {
    for (; column_ < fields; ++column_) {
      if (column_ > 0) out_ += ',';
    }
  }

  void AppendField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
      out_ += text;
      return;
    }
    out_ += '"';
    for (char c : text) {
      if (c == '"') out_ += '"';
      out_ += c;
    }
    out_ += '"';
  }

  WorkbookZip book_;  // first: closed after the sheet and the parser
  bool sheet_open_ = false;
  XML_Parser parser_ = nullptr;
  std::vector<char> block_ = std::vector<char>(kSheetBlockBytes);
  std::vector<std::string> strings_;
  std::vector<bool> date_styles_;  // per cell style (xf) index
  std::string out_;                // CSV text not yet handed out
  size_t out_pos_ = 0;
  bool done_ = false;
  long row_ = 0;
  int column_ = 0;       // fields written in the current row
  int cell_column_ = 0;  // the column of the cell being read
  int width_ = 0;        // the first row's (the header's) fields
  std::string cell_type_;
  bool cell_is_date_ = false;
  bool in_value_ = false;
  std::string value_;
  std::string sheet_error_;  // why the sheet was refused, when Stop() ended the parse
};

}  // namespace

bool IsXlsxPath(std::string_view path) {
  if (path.size() < 5) return false;
  std::string ext(path.substr(path.size() - 5));
  for (char& c : ext) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return ext == ".xlsx";
}

Result<std::vector<XlsxSheet>> ListXlsxSheets(const std::string& path) {
  WorkbookZip book(path, path);
  TSQ_TRY(book.Open());
  return book.Sheets();
}

std::string WithSheet(std::string_view path, std::string_view sheet) {
  if (sheet.empty()) return std::string(path);
  return fmt::format("{}[{}]", path, sheet);
}

Result<std::unique_ptr<ByteSource>> OpenXlsxSource(const std::string& path, int fd, uint64_t size,
                                                   std::string_view sheet) {
  auto source = std::make_unique<XlsxSource>(path, fd, size, sheet);
  TSQ_TRY(source->Init(sheet));
  return std::unique_ptr<ByteSource>(std::move(source));
}

}  // namespace tsq
