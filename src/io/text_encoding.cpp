#include "io/text_encoding.h"

#include <cerrno>
#include <stdexcept>

#include <fmt/format.h>

#include "io/text_scan.h"

namespace tsq {

const char* EncodingName(TextEncoding e) {
  switch (e) {
    case TextEncoding::kUtf8:
      return "utf-8";
    case TextEncoding::kGb18030:
      return "gb18030";
    case TextEncoding::kGbk:
      return "gbk";
    case TextEncoding::kAuto:
      return "auto";
  }
  return "?";
}

Result<TextEncoding> ParseEncoding(std::string_view text) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (lower == "utf-8" || lower == "utf8") return TextEncoding::kUtf8;
  if (lower == "gb18030" || lower == "gb2312") return TextEncoding::kGb18030;
  if (lower == "gbk" || lower == "cp936") return TextEncoding::kGbk;
  if (lower == "auto") return TextEncoding::kAuto;
  return Error(ErrorCode::kInvalidArgument,
               fmt::format("--encoding {}: one of utf-8, gb18030, gbk, auto", text));
}

TextEncoding DetectEncoding(std::string_view sample, bool complete) {
  if (!complete) {
    // Drop a character cut by the end of the sample: up to 3 continuation bytes and their lead.
    size_t cut = sample.size();
    for (size_t back = 0; back < 4 && cut > 0; ++back) {
      const auto b = static_cast<unsigned char>(sample[cut - 1]);
      if (b < 0x80) break;
      --cut;
      if (b >= 0xC0) break;  // the lead byte
    }
    sample = sample.substr(0, cut);
  }
  return IsValidUtf8(sample.data(), sample.size()) ? TextEncoding::kUtf8 : TextEncoding::kGb18030;
}

TextDecoder::TextDecoder(TextEncoding from)
    : cd_(iconv_open("UTF-8", from == TextEncoding::kGbk ? "GBK" : "GB18030")) {
  if (cd_ == reinterpret_cast<iconv_t>(-1)) {
    // glibc always has both; a libc without them cannot read such files at all.
    throw std::runtime_error(
        fmt::format("this system's iconv cannot decode {}", EncodingName(from)));
  }
}

TextDecoder::~TextDecoder() { iconv_close(cd_); }

size_t TextDecoder::DecodeInto(std::string_view in, char* out, size_t* undecodable) {
  iconv(cd_, nullptr, nullptr, nullptr, nullptr);  // a fresh shift state per chunk
  char* src = const_cast<char*>(in.data());        // iconv's signature; it does not write there
  size_t src_left = in.size();
  char* dst = out;
  size_t dst_left = MaxDecodedSize(in.size());
  *undecodable = 0;
  while (src_left > 0) {
    if (iconv(cd_, &src, &src_left, &dst, &dst_left) != static_cast<size_t>(-1)) break;
    if (errno == EILSEQ || errno == EINVAL) {
      // An undecodable byte (or a character cut by the end of the file): mark it and go on.
      *dst++ = static_cast<char>(0xFF);
      --dst_left;
      ++src;
      --src_left;
      ++*undecodable;
      continue;
    }
    break;  // E2BIG cannot happen with MaxDecodedSize, nor any other error on memory buffers
  }
  return static_cast<size_t>(dst - out);
}

size_t TextDecoder::Decode(std::string_view in, std::string* out) {
  out->resize(MaxDecodedSize(in.size()));
  size_t undecodable = 0;
  out->resize(DecodeInto(in, out->data(), &undecodable));
  return undecodable;
}

}  // namespace tsq
