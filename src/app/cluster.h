// The processes of one run: under `mpirun -n N tsq …` or `srun tsq …` each process is a rank of
// an MPI job; otherwise there is one. Ranks read their share of the input, send their partial
// states up a binary tree (each parent merges its children's), and rank 0 completes the run and
// writes every output; states kept per subscriber number are first shared out by number, all to
// all, and completed on every rank (docs/cluster.md). Built without MPI, every run is a cluster of
// one.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/result.h"

namespace tsq {

class Cluster {
 public:
  /// The cluster this process belongs to (a cluster of one until ClusterSession joined a job).
  static Cluster& Get();

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }
  bool distributed() const { return size_ > 1; }

  /// Every rank passes its own status and gets the same back: Ok when all succeeded, else the
  /// error of the lowest failing rank (so rank 0 can print what went wrong where).
  Status Agree(const Status& local);

  /// The tree reduction: a rank merges what its children send (`merge`, in rank order), then
  /// sends `serialize()` of its merged state to its parent and is done; rank 0 ends with all.
  /// A failure anywhere reaches rank 0 as its result; other ranks return Ok once they sent.
  Status Reduce(const std::function<Result<std::string>()>& serialize,
                const std::function<Status(std::string bytes)>& merge);

  /// Every rank's `mine`, by rank, on every rank (small messages: MPI_Allgatherv).
  Result<std::vector<std::string>> AllGather(const std::string& mine);

  /// All-to-all, one pair of ranks at a time: at step s (0 to size − 1) this rank sends
  /// `make(rank + s)` to that rank and passes what rank − s sent it to `take(rank − s)` (mod
  /// size; step 0 is this rank's own part), so at most two parts are in memory at once. A
  /// failure on any rank, in `make`, `take` or MPI, is every rank's error (as Agree()).
  Status Exchange(const std::function<Result<std::string>(int to)>& make,
                  const std::function<Status(int from, std::string bytes)>& take);

 private:
  friend class ClusterSession;
  /// `e` as this rank reports it ("rank 2: …"; rank 0's as it is).
  Error Here(const Error& e) const;

  int rank_ = 0;
  int size_ = 1;
};

/// Joins the MPI job for the life of the process when tsq was started by mpirun or srun (the
/// launcher's environment says so), and leaves it at the end. Does nothing otherwise, or when
/// tsq was built without MPI.
class ClusterSession {
 public:
  ClusterSession(int* argc, char*** argv);
  ~ClusterSession();
  ClusterSession(const ClusterSession&) = delete;
  ClusterSession& operator=(const ClusterSession&) = delete;

 private:
  bool joined_ = false;
};

/// Whether tsq was built with MPI.
bool ClusterBuiltWithMpi();

}  // namespace tsq
