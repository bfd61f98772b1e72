// The cluster over MPI (OpenMPI, MPICH): only the C API, called from the main thread.
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include <fmt/format.h>
#include <mpi.h>

#include "app/cluster.h"

namespace tsq {
namespace {

constexpr int kTagSize = 1;
constexpr int kTagData = 2;
// MPI counts are ints: larger messages go in pieces.
constexpr size_t kPieceBytes = size_t{1} << 30;

// Whether a launcher started this process as one rank of a job.
bool UnderLauncher() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
    if (std::getenv(v) != nullptr) return true;
  }
  return false;
}

Error MpiError(int code, const char* what) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  return Error(ErrorCode::kIo, fmt::format("MPI {} failed: {}", what, std::string(text, length)));
}

Status SendBytes(int to, const std::string& bytes) {
  const uint64_t size = bytes.size();
  if (int rc = MPI_Send(&size, 1, MPI_UINT64_T, to, kTagSize, MPI_COMM_WORLD); rc != MPI_SUCCESS) {
    return MpiError(rc, "send");
  }
  for (size_t at = 0; at < bytes.size(); at += kPieceBytes) {
    const size_t n = std::min(kPieceBytes, bytes.size() - at);
    if (int rc = MPI_Send(bytes.data() + at, static_cast<int>(n), MPI_BYTE, to, kTagData,
                          MPI_COMM_WORLD);
        rc != MPI_SUCCESS) {
      return MpiError(rc, "send");
    }
  }
  return Ok();
}

Result<std::string> ReceiveBytes(int from) {
  uint64_t size = 0;
  if (int rc = MPI_Recv(&size, 1, MPI_UINT64_T, from, kTagSize, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      rc != MPI_SUCCESS) {
    return MpiError(rc, "receive");
  }
  std::string bytes(size, '\0');
  for (size_t at = 0; at < bytes.size(); at += kPieceBytes) {
    const size_t n = std::min(kPieceBytes, bytes.size() - at);
    if (int rc = MPI_Recv(bytes.data() + at, static_cast<int>(n), MPI_BYTE, from, kTagData,
                          MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        rc != MPI_SUCCESS) {
      return MpiError(rc, "receive");
    }
  }
  return bytes;
}

// Sends `bytes` to rank `to` while receiving what rank `from` sends this one (MPI_Sendrecv, so
// that two ranks sending to each other cannot wait on each other).
Result<std::string> SendReceiveBytes(int to, const std::string& bytes, int from) {
  uint64_t size = bytes.size();
  uint64_t incoming = 0;
  if (int rc = MPI_Sendrecv(&size, 1, MPI_UINT64_T, to, kTagSize, &incoming, 1, MPI_UINT64_T, from,
                            kTagSize, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      rc != MPI_SUCCESS) {
    return MpiError(rc, "exchange");
  }
  std::string received(incoming, '\0');
  for (size_t at = 0; at < std::max(bytes.size(), received.size()); at += kPieceBytes) {
    const size_t out = at < bytes.size() ? std::min(kPieceBytes, bytes.size() - at) : 0;
    const size_t in = at < received.size() ? std::min(kPieceBytes, received.size() - at) : 0;
    if (int rc = MPI_Sendrecv(bytes.data() + std::min(at, bytes.size()), static_cast<int>(out),
                              MPI_BYTE, to, kTagData,
                              received.data() + std::min(at, received.size()), static_cast<int>(in),
                              MPI_BYTE, from, kTagData, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        rc != MPI_SUCCESS) {
      return MpiError(rc, "exchange");
    }
  }
  return received;
}

// A message up the tree: 'k' and a state, or 'e', an error code and its message.
std::string ErrorMessage(const Error& e) {
  return "e" + std::string(1, static_cast<char>(e.code)) + e.message;
}

Error ErrorOf(const std::string& message) {
  if (message.size() < 2) return Error(ErrorCode::kInternal, "an empty error from another rank");
  return Error(static_cast<ErrorCode>(message[1]), message.substr(2));
}

}  // namespace

bool ClusterBuiltWithMpi() { return true; }

Cluster& Cluster::Get() {
  static Cluster cluster;
  return cluster;
}

Status Cluster::Agree(const Status& local) {
  if (size_ == 1) return local;
  // The lowest failing rank, or size_ when none failed.
  const int mine = local ? size_ : rank_;
  int first = size_;
  if (int rc = MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
      rc != MPI_SUCCESS) {
    return MpiError(rc, "allreduce");
  }
  if (first == size_) return Ok();
  std::string message = first == rank_ ? ErrorMessage(local.error()) : std::string();
  uint64_t size = message.size();
  MPI_Bcast(&size, 1, MPI_UINT64_T, first, MPI_COMM_WORLD);
  message.resize(size);
  MPI_Bcast(message.data(), static_cast<int>(size), MPI_CHAR, first, MPI_COMM_WORLD);
  Error e = ErrorOf(message);
  if (first != 0) e.message = fmt::format("rank {}: {}", first, e.message);
  return e;
}

Error Cluster::Here(const Error& e) const {
  if (rank_ == 0) return e;
  return Error(e.code, fmt::format("rank {}: {}", rank_, e.message));
}

Status Cluster::Reduce(const std::function<Result<std::string>()>& serialize,
                       const std::function<Status(std::string bytes)>& merge) {
  Status st;  // the first failure in this subtree
  for (int step = 1; step < size_; step <<= 1) {
    if ((rank_ & step) != 0) {
      std::string message;
      if (st) {
        auto bytes = serialize();
        message = bytes ? "k" + std::move(*bytes) : ErrorMessage(Here(bytes.error()));
      } else {
        message = ErrorMessage(st.error());
      }
      return SendBytes(rank_ - step, message);
    }
    if (rank_ + step >= size_) continue;
    auto message = ReceiveBytes(rank_ + step);
    if (!message) return std::move(message).error();
    if (!st) continue;  // a failure is already on its way up
    if (message->empty() || (*message)[0] != 'k') {
      st = ErrorOf(*message);
      continue;
    }
    message->erase(0, 1);
    if (Status m = merge(std::move(*message)); !m) st = Here(m.error());
  }
  return st;
}

Result<std::vector<std::string>> Cluster::AllGather(const std::string& mine) {
  std::vector<int> sizes(static_cast<size_t>(size_));
  const int my_size = static_cast<int>(mine.size());
  if (int rc = MPI_Allgather(&my_size, 1, MPI_INT, sizes.data(), 1, MPI_INT, MPI_COMM_WORLD);
      rc != MPI_SUCCESS) {
    return MpiError(rc, "allgather");
  }
  std::vector<int> offsets(sizes.size());
  int total = 0;
  for (size_t r = 0; r < sizes.size(); ++r) {
    offsets[r] = total;
    total += sizes[r];
  }
  std::string all(static_cast<size_t>(total), '\0');
  if (int rc = MPI_Allgatherv(mine.data(), my_size, MPI_BYTE, all.data(), sizes.data(),
                              offsets.data(), MPI_BYTE, MPI_COMM_WORLD);
      rc != MPI_SUCCESS) {
    return MpiError(rc, "allgather");
  }
  std::vector<std::string> out;
  for (size_t r = 0; r < sizes.size(); ++r) out.push_back(all.substr(offsets[r], sizes[r]));
  return out;
}

Status Cluster::Exchange(const std::function<Result<std::string>(int to)>& make,
                         const std::function<Status(int from, std::string bytes)>& take) {
  // This rank's own first failure. A failed rank goes on exchanging (sending "e") so that no
  // rank waits for it; Agree() then gives every rank the lowest failing rank's error.
  Status st;
  for (int step = 0; step < size_; ++step) {
    const int to = (rank_ + step) % size_;
    const int from = (rank_ - step + size_) % size_;
    std::string message = "e";
    if (st) {
      auto bytes = make(to);
      if (bytes) {
        message = "k" + std::move(*bytes);
      } else {
        st = std::move(bytes).error();
      }
    }
    Result<std::string> received = std::move(message);
    if (step > 0) received = SendReceiveBytes(to, *received, from);
    if (!received) return Agree(std::move(received).error());
    if (!st || received->empty() || (*received)[0] != 'k') continue;  // a failed sender: see st
    received->erase(0, 1);
    st = take(from, std::move(*received));
  }
  return Agree(st);
}

ClusterSession::ClusterSession(int* argc, char*** argv) {
  if (!UnderLauncher()) return;
  int provided = 0;
  if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) return;
  joined_ = true;
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  Cluster& c = Cluster::Get();
  MPI_Comm_rank(MPI_COMM_WORLD, &c.rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &c.size_);
}

ClusterSession::~ClusterSession() {
  if (joined_) MPI_Finalize();
}

}  // namespace tsq
