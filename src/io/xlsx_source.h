// An Excel workbook (.xlsx) read as CSV text: the first sheet's rows, streamed out of the zip
// (minizip) through an XML parser (expat) one block at a time, so a sheet of a million rows
// needs no more memory than its shared strings. The reader then splits, tokenizes and checks the
// rows as it does any CSV file. Cells formatted as dates or times are written as
// "YYYY-MM-DD HH:MM:SS" (the workbook's local time); booleans as 1/0; other numbers as stored.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "io/byte_source.h"

namespace tsq {

/// True for a name ending in ".xlsx" (case-insensitive).
bool IsXlsxPath(std::string_view path);

/// Opens the workbook at `path` (`fd` is the caller's descriptor of it, used for the digest).
Result<std::unique_ptr<ByteSource>> OpenXlsxSource(const std::string& path, int fd, uint64_t size);

}  // namespace tsq
