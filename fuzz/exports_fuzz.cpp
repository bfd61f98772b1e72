// Fuzzes what operators' exports add to the reader: the GB18030/GBK decoder, encoding detection,
// the value forms (slash, compact, Excel serial timestamps; thousands separators) and the .xlsx
// sheet reader. Byte 0 picks the part; the rest is its input.
// Invariants:
//  - decoding keeps every line break where it was (so line numbers hold) and yields valid UTF-8
//    but for the 0xFF bytes it leaves for what it could not decode, one per such sequence;
//  - a timestamp form never yields a time outside 1900..2200, a month form only the first
//    instant of a month in that range; a grouped number parses as the
//    same number with its commas removed;
//  - a workbook whose first sheet is the input reads to an end or fails with an error, and what
//    it yields is valid UTF-8.
#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <zip.h>

#include "core/value_forms.h"
#include "fuzz_util.h"
#include "io/byte_source.h"
#include "io/text_encoding.h"
#include "io/text_scan.h"

namespace {

using namespace tsq;

size_t Count(std::string_view s, char c) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), c));
}

void FuzzDecoder(std::string_view text, TextEncoding e) {
  TextDecoder d(e);
  std::string out;
  const size_t undecodable = d.Decode(text, &out);
  FUZZ_CHECK(Count(out, '\n') == Count(text, '\n'));
  FUZZ_CHECK(Count(out, '\xFF') == undecodable);
  std::string clean = out;
  clean.erase(std::remove(clean.begin(), clean.end(), '\xFF'), clean.end());
  FUZZ_CHECK(IsValidUtf8(clean.data(), clean.size()));
  (void)DetectEncoding(text, text.size() % 2 == 0);
}

void FuzzForms(std::string_view text) {
  const Micros low = *ParseTimestamp("1900-01-01 00:00:00", 0) - 86400LL * kMicrosPerSecond;
  const Micros high = *ParseTimestamp("2201-01-01 00:00:00", 0) + 86400LL * kMicrosPerSecond;
  for (ValueForm f : {ValueForm::kSlash, ValueForm::kCompact, ValueForm::kExcel}) {
    if (auto t = ParseTimestampForm(text, f, 8 * 3600)) FUZZ_CHECK(*t > low && *t < high);
  }
  // A month in any form is the first instant of a month in range.
  for (ValueForm f : {ValueForm::kContract, ValueForm::kSlash, ValueForm::kCompact,
                      ValueForm::kExcel}) {
    if (auto m = ParseMonthForm(text, f, 8 * 3600)) {
      FUZZ_CHECK(*m > low && *m < high);
      const CivilTime c = ToCivil(*m, 8 * 3600);
      FUZZ_CHECK(c.date.day == 1 && c.hour == 0 && c.minute == 0 && c.second == 0 &&
                 c.micros == 0);
    }
  }
  if (auto v = ParseGroupedNumber(text)) {
    std::string plain(text);
    plain.erase(std::remove(plain.begin(), plain.end(), ','), plain.end());
    double direct = 0;
    const auto [end, ec] = std::from_chars(plain.data(), plain.data() + plain.size(), direct);
    FUZZ_CHECK(ec == std::errc() && direct == *v);
  }
}

void FuzzXlsx(std::string_view sheet) {
  static const std::string path = (std::filesystem::temp_directory_path() /
                                   ("tsq_fuzz_" + std::to_string(::getpid()) + "_sheet.xlsx"))
                                      .string();
  zipFile z = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
  if (z == nullptr) return;
  const auto add = [&](const char* name, std::string_view text) {
    zipOpenNewFileInZip64(z, name, nullptr, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED, 1, 0);
    zipWriteInFileInZip(z, text.data(), static_cast<unsigned>(text.size()));
    zipCloseFileInZip(z);
  };
  add("xl/workbook.xml", R"(<workbook><sheets><sheet r:id="a"/></sheets></workbook>)");
  add("xl/_rels/workbook.xml.rels",
      R"(<Relationships><Relationship Id="a" Target="s.xml"/></Relationships>)");
  add("xl/sharedStrings.xml", "<sst><si><t>x,y</t></si><si><r><t>移</t></r></si></sst>");
  add("xl/styles.xml",
      R"(<styleSheet><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>)");
  add("xl/s.xml", sheet);
  zipClose(z, nullptr);
  auto source = ByteSource::Open(path);
  if (!source) return;
  std::string buf(4096, '\0'), all;
  for (int i = 0; i < 1 << 12; ++i) {
    auto n = (*source)->Read(buf.data(), buf.size());
    if (!n || *n == 0) break;
    all.append(buf.data(), *n);
  }
  FUZZ_CHECK(IsValidUtf8(all.data(), all.size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      FuzzDecoder(text, TextEncoding::kGb18030);
      break;
    case 1:
      FuzzDecoder(text, TextEncoding::kGbk);
      break;
    case 2:
      FuzzForms(text);
      break;
    default:
      FuzzXlsx(text);
      break;
  }
  return 0;
}
