// Wildcard patterns, one matcher for every place a user or the catalog names ids by pattern:
// `--id 'calls.*'`, catalog entries such as "orders.*.*.timely_rate", per-operator overrides.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tsq {

/// Whether `text` matches `pattern`, where '*' matches any run of characters (also none, also
/// dots) and every other character matches itself.
bool GlobMatch(std::string_view pattern, std::string_view text);

/// The number of '*' in a pattern: of two patterns matching the same text, the one with fewer is
/// the more specific.
int WildcardCount(std::string_view pattern);

/// Edit distance (insertions, deletions, substitutions of UTF-8 code points) between two strings.
size_t EditDistance(std::string_view a, std::string_view b);

/// Up to `limit` of `candidates` closest to `wrong` by edit distance (ties in candidate order),
/// keeping only those close enough to be a plausible misspelling; for "did you mean" messages.
std::vector<std::string> ClosestMatches(std::string_view wrong,
                                        const std::vector<std::string>& candidates,
                                        size_t limit = 3);

}  // namespace tsq
