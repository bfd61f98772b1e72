// An Excel workbook (.xlsx) read as CSV text: one sheet's rows (the first sheet's unless a sheet
// is named), streamed out of the zip (minizip) through an XML parser (expat) one block at a time,
// so a sheet of a million rows needs no more memory than its shared strings. The reader then
// splits, tokenizes and checks the rows as it does any CSV file. Cells formatted as dates or times
// are written as "YYYY-MM-DD HH:MM:SS" (the workbook's local time); booleans as 1/0; other numbers
// as stored.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "io/byte_source.h"

namespace tsq {

/// True for a name ending in ".xlsx" (case-insensitive).
bool IsXlsxPath(std::string_view path);

/// One sheet of a workbook, as its xl/workbook.xml lists it.
struct XlsxSheet {
  std::string name;  // as the workbook names it (its tab)
  std::string part;  // its part in the zip ("xl/worksheets/sheet3.xml"); empty when the
                     // workbook's relations name none, so the sheet cannot be read
};

/// The sheets of the workbook at `path`, in the workbook's order (its tabs', not the parts'
/// numbering). Errors name the file: not a zip, no workbook.xml or its relations, broken XML.
Result<std::vector<XlsxSheet>> ListXlsxSheets(const std::string& path);

/// How messages name a workbook's sheet: "data/province.xlsx[calls]"; `path` alone without one.
std::string WithSheet(std::string_view path, std::string_view sheet);

/// Opens the workbook at `path` (`fd` is the caller's descriptor of it, used for the digest) as
/// the rows of its sheet named `sheet`, or of its first sheet when `sheet` is empty. Errors name
/// WithSheet(path, sheet).
Result<std::unique_ptr<ByteSource>> OpenXlsxSource(const std::string& path, int fd, uint64_t size,
                                                   std::string_view sheet = {});

}  // namespace tsq
