// Built without MPI: every run is a cluster of one.
#include "app/cluster.h"

namespace tsq {

bool ClusterBuiltWithMpi() { return false; }

Cluster& Cluster::Get() {
  static Cluster cluster;
  return cluster;
}

Error Cluster::Here(const Error& e) const { return e; }

Status Cluster::Agree(const Status& local) { return local; }

Status Cluster::Reduce(const std::function<Result<std::string>()>& /*serialize*/,
                       const std::function<Status(std::string bytes)>& /*merge*/) {
  return Ok();
}

Result<std::vector<std::string>> Cluster::AllGather(const std::string& mine) {
  return std::vector<std::string>{mine};
}

Status Cluster::Exchange(const std::function<Result<std::string>(int to)>& make,
                         const std::function<Status(int from, std::string bytes)>& take) {
  auto bytes = make(0);
  if (!bytes) return std::move(bytes).error();
  return take(0, std::move(*bytes));
}

ClusterSession::ClusterSession(int* /*argc*/, char*** /*argv*/) {}
ClusterSession::~ClusterSession() = default;

}  // namespace tsq
