// Subscriber numbers are personal data: everything a person reads shows them masked. These are
// the two masks every output uses, so that a number looks the same wherever it appears.
#pragma once

#include <string>
#include <string_view>

namespace tsq {

/// A subscriber number as people may see it: a value of 11 characters or more keeps its first 3
/// and last 4 with exactly four '*' between ("13812345678" -> "138****5678"; the fixed width hides
/// the length of hashed numbers too); a shorter one keeps only its last 2 ("10086" -> "***86").
/// Characters are UTF-8 code points, so a multi-byte character is never split.
std::string MaskNumber(std::string_view number);

/// `text` with every run of 7 or more ASCII digits masked by MaskNumber: for free text whose
/// columns are not known (a row that does not line up with its header), where any long digit run
/// may be a subscriber number.
std::string MaskDigitRuns(std::string_view text);

}  // namespace tsq
