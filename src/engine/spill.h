// Memory-bounded partitioned buffers for states that must keep records, not sums (per-caller
// features need each call: distinct callees and call-backs cannot be added up from counts).
// Records go to one of N partitions by key; when a buffer holds more than its byte budget, every
// partition is appended to its own file in a private temporary directory. Take(p) returns one
// partition's records from disk and memory, so the state is processed a partition at a time and
// its peak memory is the budget plus one partition, whatever the input's size.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "core/result.h"
#include "core/threads.h"

namespace tsq {

/// A private temporary directory, removed with everything in it when the last owner goes.
class SpillDir {
 public:
  /// Creates "<parent>/tsq-spill-XXXXXX" (parent: TMPDIR or /tmp when empty).
  static Result<std::shared_ptr<SpillDir>> Create(const std::string& parent);
  ~SpillDir();
  SpillDir(const SpillDir&) = delete;
  SpillDir& operator=(const SpillDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  explicit SpillDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

/// Appends `bytes` bytes to the file at `path` (created if missing).
Status AppendToFile(const std::string& path, const void* data, size_t bytes);
/// The size of the file at `path`, which must hold a whole number of `record_size` records.
Result<size_t> RecordFileBytes(const std::string& path, size_t record_size);
/// Reads exactly `bytes` bytes from the start of the file at `path` into `dst`.
Status ReadFileInto(const std::string& path, void* dst, size_t bytes);

/// A good 64-bit mix of a key, for choosing partitions (keys such as phone numbers are not
/// uniform in their low bits).
constexpr uint64_t MixKey(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

template <typename T>
class SpillBuffer {
  static_assert(std::is_trivially_copyable_v<T>, "records are written to disk as bytes");

 public:
  /// `budget_bytes`: records kept in memory before a spill; `parent`: where the spill directory
  /// goes (empty: TMPDIR or /tmp).
  SpillBuffer(size_t partitions, size_t budget_bytes, std::string parent)
      : parts_(partitions),
        files_(partitions),
        budget_(budget_bytes),
        parent_(std::move(parent)),
        spilled_to_(partitions, false) {}

  size_t partitions() const { return parts_.size(); }
  uint64_t records() const { return in_memory_ + spilled_ / sizeof(T); }
  uint64_t spilled_bytes() const { return spilled_; }

  /// Adds a record to `partition`. Throws ErrorException when a needed spill fails (this runs
  /// inside a reader's batch callback, which turns it into the run's error).
  void Add(size_t partition, const T& record) {
    std::vector<T>& v = parts_[partition];
    const size_t capacity = v.capacity();
    v.push_back(record);
    ++in_memory_;
    // The budget counts what is allocated (a vector holds up to twice its records), not only
    // what is used.
    if (v.capacity() != capacity) {
      allocated_ += (v.capacity() - capacity) * sizeof(T);
      if (allocated_ > budget_) SpillOrThrow();
    }
  }

  /// Takes over `other`'s records (memory and files). REQUIRES: the same partition count.
  void MergeFrom(SpillBuffer&& other) {
    for (size_t p = 0; p < parts_.size(); ++p) {
      std::vector<T>& mine = parts_[p];
      std::vector<T>& theirs = other.parts_[p];
      if (mine.empty()) {
        mine.swap(theirs);
      } else {
        mine.insert(mine.end(), theirs.begin(), theirs.end());
      }
      std::vector<T>().swap(theirs);
      files_[p].insert(files_[p].end(), other.files_[p].begin(), other.files_[p].end());
      other.files_[p].clear();
    }
    dirs_.insert(dirs_.end(), other.dirs_.begin(), other.dirs_.end());
    other.dirs_.clear();
    in_memory_ += other.in_memory_;
    spilled_ += other.spilled_;
    allocated_ += other.allocated_;
    other.in_memory_ = other.spilled_ = other.allocated_ = 0;
    // No spill here: the records are in memory already (each worker kept within its budget), so
    // writing them out now would cost I/O without lowering the peak.
  }

  /// Partition `p`'s records, from disk and memory, in no particular order; the buffer keeps them.
  Result<std::vector<T>> Read(size_t p) const {
    std::vector<T> out;
    for (const std::string& path : files_[p]) {
      auto bytes = RecordFileBytes(path, sizeof(T));
      if (!bytes) return std::move(bytes).error();
      const size_t at = out.size();
      out.resize(at + *bytes / sizeof(T));
      if (Status st = ReadFileInto(path, out.data() + at, *bytes); !st) {
        return std::move(st).error();
      }
    }
    out.insert(out.end(), parts_[p].begin(), parts_[p].end());
    return out;
  }

  /// Partition `p`'s records, from disk and memory, in no particular order. The partition is
  /// empty afterwards and its files are deleted.
  Result<std::vector<T>> Take(size_t p) {
    std::vector<T>& mem = parts_[p];
    in_memory_ -= mem.size();
    allocated_ -= std::min<uint64_t>(allocated_, mem.capacity() * sizeof(T));
    Result<std::vector<T>> out = std::vector<T>();
    if (files_[p].empty()) {
      out->swap(mem);
    } else {
      out = Read(p);
      if (!out) return out;
      for (const std::string& path : files_[p]) std::remove(path.c_str());
      files_[p].clear();
      spilled_to_[p] = false;
    }
    std::vector<T>().swap(mem);
    return out;
  }

 private:
  void SpillOrThrow() {
    if (Status st = Spill(); !st) throw ErrorException(std::move(st).error());
  }

  // Appends every partition's in-memory records to that partition's file in this buffer's own
  // directory: one file per partition, however often it spills.
  Status Spill() {
    if (own_dir_ == nullptr) {
      auto dir = SpillDir::Create(parent_);
      if (!dir) return std::move(dir).error();
      own_dir_ = *dir;
      dirs_.push_back(own_dir_);
    }
    for (size_t p = 0; p < parts_.size(); ++p) {
      std::vector<T>& mem = parts_[p];
      if (mem.empty()) continue;
      const std::string path = own_dir_->path() + "/" + std::to_string(p) + ".bin";
      if (Status st = AppendToFile(path, mem.data(), mem.size() * sizeof(T)); !st) return st;
      if (!spilled_to_[p]) files_[p].push_back(path);
      spilled_to_[p] = true;
      spilled_ += mem.size() * sizeof(T);
      std::vector<T>().swap(mem);
    }
    in_memory_ = 0;
    allocated_ = 0;
    return {};
  }

  std::vector<std::vector<T>> parts_;
  std::vector<std::vector<std::string>> files_;  // per partition, every file holding its records
  std::shared_ptr<SpillDir> own_dir_;            // where this buffer spills
  std::vector<std::shared_ptr<SpillDir>> dirs_;  // every directory its files are in (merges)
  size_t budget_;
  std::string parent_;
  uint64_t in_memory_ = 0;        // records
  uint64_t allocated_ = 0;        // bytes the in-memory vectors hold
  uint64_t spilled_ = 0;          // bytes
  std::vector<bool> spilled_to_;  // per partition: whether its file in own_dir_ exists
};

}  // namespace tsq
