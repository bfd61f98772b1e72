// The work-order file of `tsq cells --work-orders FILE`: which cell was fixed when. A CSV with the
// header columns cell_id, order_id and fixed_at (a date, 2022-09-15, or a timestamp; local time),
// in any order, other columns ignored. A cell's tests before the fix day are its "before", those
// from the day on its "after".
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"
#include "detectors/cells.h"

namespace tsq {

/// Parses the file's text (`origin` names it in errors). Every problem (a missing column, a bad
/// date, a cell given twice, a row with the wrong number of fields) is an error naming the line:
/// the file is short and hand-kept, and a fix silently dropped would misstate the remediation.
Result<std::map<std::string, WorkOrder>> ParseWorkOrders(std::string_view text,
                                                         std::string_view origin,
                                                         int32_t local_offset_s);
Result<std::map<std::string, WorkOrder>> ReadWorkOrders(const std::string& path,
                                                        int32_t local_offset_s);

}  // namespace tsq
