#include "core/error.h"

#include <fmt/format.h>

namespace tsq {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid argument";
    case ErrorCode::kNotFound:
      return "not found";
    case ErrorCode::kIo:
      return "i/o error";
    case ErrorCode::kCorrupt:
      return "corrupt input";
    case ErrorCode::kSchema:
      return "schema error";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kResources:
      return "out of resources";
    case ErrorCode::kDataQuality:
      return "data quality";
    case ErrorCode::kInternal:
      return "internal error";
  }
  return "error";
}

std::string Error::Debug() const {
  return fmt::format("{}: {} [{}:{}]", ErrorCodeName(code), message, source_file, source_line);
}

}  // namespace tsq
