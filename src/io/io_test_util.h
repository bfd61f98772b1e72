// Helpers shared by the io tests (and the reader's): temporary files, in-memory gzip/zstd
// encoders and zip archives written part by part, as workbook tests need odd ones.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <unistd.h>
#include <zip.h>
#include <zlib.h>
#include <zstd.h>

namespace tsq::testing {

/// A fresh path in the temp directory, removed with its directory when the object dies.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("tsq_io_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string Write(const std::string& name, std::string_view bytes) const {
    const std::string p = (path_ / name).string();
    std::ofstream(p, std::ios::binary)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p;
  }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

/// One gzip member holding `text`.
inline std::string GzipMember(std::string_view text) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, text.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

/// One zstd frame holding `text`.
inline std::string ZstdFrame(std::string_view text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3));
  return out;
}

/// Writes a zip archive of `parts` (name -> bytes) at `path` with minizip; false on failure.
inline bool WriteZip(const std::string& path, const std::map<std::string, std::string>& parts) {
  zipFile z = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
  if (z == nullptr) return false;
  bool ok = true;
  for (const auto& [part, text] : parts) {
    ok = ok &&
         zipOpenNewFileInZip64(z, part.c_str(), nullptr, nullptr, 0, nullptr, 0, nullptr,
                               Z_DEFLATED, Z_DEFAULT_COMPRESSION, 0) == ZIP_OK &&
         zipWriteInFileInZip(z, text.data(), static_cast<unsigned>(text.size())) == ZIP_OK &&
         zipCloseFileInZip(z) == ZIP_OK;
  }
  return zipClose(z, nullptr) == ZIP_OK && ok;
}

/// The parts of a workbook whose sheets are `sheets` (name -> sheetData rows), in that order;
/// each sheet's part is numbered from the last tab backwards and its relation listed in reverse,
/// as no reader may take sheetN.xml or the relations' order for the tabs' order.
inline std::map<std::string, std::string> WorkbookParts(
    const std::vector<std::pair<std::string, std::string>>& sheets) {
  std::string list, rels;
  std::map<std::string, std::string> parts;
  for (size_t i = 0; i < sheets.size(); ++i) {
    const std::string n = std::to_string(sheets.size() - i);
    list += "<sheet name=\"" + sheets[i].first + "\" sheetId=\"" + std::to_string(i + 1) +
            "\" r:id=\"rId" + n + "\"/>";
    rels = "<Relationship Id=\"rId" + n + "\" Target=\"" +
           (i % 2 == 0 ? "worksheets/" : "/xl/worksheets/") + "sheet" + n + ".xml\"/>" + rels;
    parts["xl/worksheets/sheet" + n + ".xml"] =
        "<worksheet><sheetData>" + sheets[i].second + "</sheetData></worksheet>";
  }
  parts["xl/workbook.xml"] = "<workbook xmlns:r=\"r\"><sheets>" + list + "</sheets></workbook>";
  parts["xl/_rels/workbook.xml.rels"] =
      "<Relationships><Relationship Id=\"rId99\" Target=\"styles.xml\"/>" + rels +
      "</Relationships>";
  return parts;
}

}  // namespace tsq::testing
