// Reading a data set over the ranks of a cluster (app/cluster.h): each rank reads a contiguous
// share of the files, balanced by size; the partial states of every window, the files' accounting
// and the quarantined rows go up the reduction tree to rank 0, which then has what one process
// reading everything would have had. The callers' calls, kept per number, are first shared out
// by number hash (all to all) and judged on every rank; only what was found goes up.
#pragma once

#include <optional>
#include <vector>

#include "app/cluster.h"
#include "app/inputs.h"

namespace tsq {

/// The files of `dataset` rank `rank` of `size` reads: a contiguous run of them in record-type
/// and path order, so that rank order is file order.
DataSet ShareOf(const DataSet& dataset, int rank, int size);

/// ReadInputs() on every rank of `cluster`; rank 0 runs `before_complete`, completes and returns
/// the result, the other ranks return nullopt once their share has gone up the tree. A failure
/// on any rank is every rank's error. With `spread_by_number`, states kept per subscriber number
/// (FamilyState::NumberPartitions) are shared out by number and completed on every rank first,
/// so `before_complete` sees them completed: it must then neither save nor merge them (a run
/// with state files passes false).
Result<std::optional<InputsRead>> ReadInputsOnCluster(
    Cluster& cluster, const InputOptions& options, const DataSet& dataset,
    const std::vector<const FamilySpec*>& families, const EvalContext& ctx, StringDictionary* dict,
    const BeforeComplete& before_complete, bool spread_by_number);

}  // namespace tsq
