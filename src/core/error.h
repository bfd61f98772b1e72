// Error: what a fallible operation returns when it fails. Carries a code, a message for the user
// and the source location (file:line) that raised it, for debugging without a stack trace.
#pragma once

#include <source_location>
#include <string>

namespace tsq {

enum class ErrorCode {
  kInvalidArgument,  // the user asked for something malformed (bad flag value, bad period)
  kNotFound,         // a file, column, indicator... that does not exist
  kIo,               // the operating system failed a read or write
  kCorrupt,          // a compressed stream is truncated or damaged, a file is not text
  kSchema,           // a header lacks a required column, a mapping names no column
  kUnsupported,      // a valid request tsq cannot serve (yet)
  kResources,        // the machine ran out of something (memory)
  kDataQuality,      // the inputs hold more bad rows than the user allows (--max-bad-share)
  kInternal,         // a bug: should never reach a user
};

const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  const char* source_file = "";
  unsigned source_line = 0;

  Error() = default;
  Error(ErrorCode c, std::string msg, std::source_location where = std::source_location::current())
      : code(c),
        message(std::move(msg)),
        source_file(where.file_name()),
        source_line(where.line()) {}

  /// The message a user sees: "<message>". The code location is only in Debug().
  const std::string& ToString() const { return message; }
  /// "<code>: <message> [file:line]" for logs and tests.
  std::string Debug() const;
};

}  // namespace tsq
