#include "engine/state_file.h"

#include <cerrno>
#include <cstring>
#include <istream>
#include <ostream>
#include <stdexcept>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "engine/state_archive.h"
#include "io/output_file.h"
#include "io/zstd_stream.h"

namespace tsq {

template <class Archive>
void serialize(Archive& ar, FileReport& r) {
  ar(r.path, r.sheet, r.type, r.size_bytes, r.text_bytes, r.sha256, r.encoding, r.encoding_detected,
     r.rows_read, r.rows_accepted, r.rows_quarantined, r.quarantined_by_reason);
}

template <class Archive>
void serialize(Archive& ar, FileQuality& f) {
  ar(f.read, f.first_time, f.last_time, f.operators, f.regions);
}

namespace {

constexpr char kMagic[8] = {'T', 'S', 'Q', 'S', 'T', 'A', 'T', 'E'};
constexpr uint32_t kByteOrderMark = 0x01020304;
constexpr size_t kPrefixBytes = 16;
constexpr uint32_t kMaxVersionBytes = 256;

Status WriteAll(int fd, const void* data, size_t size, const std::string& name) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error(ErrorCode::kIo, fmt::format("{}: cannot write: {}", name, std::strerror(errno)));
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
  return Ok();
}

Result<size_t> ReadUpTo(int fd, void* data, size_t size, const std::string& name) {
  char* p = static_cast<char*>(data);
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, p + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error(ErrorCode::kIo, fmt::format("{}: cannot read: {}", name, std::strerror(errno)));
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

Error Damaged(const std::string& path, const std::string& detail) {
  return Error(ErrorCode::kCorrupt, fmt::format("{}: damaged state file ({})", path, detail));
}

}  // namespace

namespace {

std::string Prefix(const StateMeta& meta) {
  std::string p(kPrefixBytes + 4, '\0');
  std::memcpy(p.data(), kMagic, sizeof(kMagic));
  std::memcpy(p.data() + 8, &kStateFormatVersion, 4);
  std::memcpy(p.data() + 12, &kByteOrderMark, 4);
  const auto version_bytes = static_cast<uint32_t>(meta.tsq_version.size());
  std::memcpy(p.data() + 16, &version_bytes, 4);
  return p + meta.tsq_version;
}

// The frames after the prefix: the meta with the dictionary, then one per family.
Status WriteFrames(ZstdOutBuf* buf, const std::string& name, const StateMeta& meta,
                   const StringDictionary& dict,
                   const std::vector<std::pair<std::string, const FamilyState*>>& states,
                   const SaveStateFn& save) {
  std::ostream os(buf);
  try {
    {
      std::vector<std::string> dictionary(dict.size());
      for (size_t i = 0; i < dictionary.size(); ++i) {
        dictionary[i] = std::string(dict.Get(static_cast<uint32_t>(i)));
      }
      std::vector<std::string> saved;
      for (const auto& [family, state] : states) saved.push_back(family);
      StateOut ar(os);
      ar(meta.tsq_version, meta.period, meta.from, meta.to, meta.local_offset_s, meta.config,
         meta.families, meta.files, dictionary, saved);
    }
    TSQ_TRY(buf->EndFrame());
    for (const auto& [family, state] : states) {
      {
        StateOut ar(os);
        ar(family);
        save(family, *state, ar);
      }
      TSQ_TRY(buf->EndFrame());
    }
  } catch (const ErrorException& e) {
    return e.error();
  } catch (const cereal::Exception& e) {
    if (!buf->status()) return buf->status();
    return Error(ErrorCode::kIo, fmt::format("{}: {}", name, e.what()));
  }
  if (!buf->status()) return buf->status();
  if (!os) return Error(ErrorCode::kIo, fmt::format("{}: cannot write", name));
  return Ok();
}

// Checks the prefix: the magic, the format, the byte order. Returns the frames' offset.
Result<size_t> CheckPrefix(std::string_view head, const std::string& name) {
  if (head.size() < 8 || std::memcmp(head.data(), kMagic, sizeof(kMagic)) != 0) {
    return Error(
        ErrorCode::kCorrupt,
        fmt::format("{}: not a tsq state file (write one with tsq kpi --save-state)", name));
  }
  if (head.size() < kPrefixBytes + 4) return Damaged(name, "truncated");
  uint32_t format = 0, order = 0, version_bytes = 0;
  std::memcpy(&format, head.data() + 8, 4);
  std::memcpy(&order, head.data() + 12, 4);
  std::memcpy(&version_bytes, head.data() + 16, 4);
  if (order != kByteOrderMark) {
    return Error(ErrorCode::kCorrupt,
                 fmt::format("{}: written on a machine of another byte order; compute the "
                             "state again here from its records",
                             name));
  }
  std::string writer = "an unknown version";
  if (version_bytes <= kMaxVersionBytes && head.size() >= kPrefixBytes + 4 + version_bytes) {
    writer = "tsq " + std::string(head.substr(kPrefixBytes + 4, version_bytes));
  }
  if (format != kStateFormatVersion) {
    return Error(ErrorCode::kCorrupt,
                 fmt::format("{}: a state file of format {} (written by {}); this tsq reads "
                             "format {}: compute the state again from its records",
                             name, format, writer, kStateFormatVersion));
  }
  if (version_bytes > kMaxVersionBytes || head.size() < kPrefixBytes + 4 + version_bytes) {
    return Damaged(name, "bad version field");
  }
  return kPrefixBytes + 4 + version_bytes;
}

Error DamagedFrom(const Error& e, const std::string& name) {
  if (e.code != ErrorCode::kCorrupt) return e;
  const std::string& m = e.message;
  return Damaged(name, m.starts_with(name + ": ") ? m.substr(name.size() + 2) : m);
}

}  // namespace

Status WriteStateFile(const std::string& path, const StateMeta& meta, const StringDictionary& dict,
                      const std::vector<std::pair<std::string, const FamilyState*>>& states) {
  StagedFile staged(path);
  // The callers' state holds every call of every number: personal data, like the records, so the
  // file is its owner's alone.
  const int fd =
      ::open(staged.staging_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Error(ErrorCode::kIo, fmt::format("{}: cannot create: {}", path, std::strerror(errno)));
  }
  Status st = [&]() -> Status {
    const std::string prefix = Prefix(meta);
    TSQ_TRY(WriteAll(fd, prefix.data(), prefix.size(), path));
    ZstdOutBuf buf(fd, path);
    return WriteFrames(&buf, path, meta, dict, states,
                       [](std::string_view, const FamilyState& state, StateOut& out) {
                         state.Save(out, /*all_windows=*/false);
                       });
  }();
  if (::close(fd) != 0 && st) {
    st = Error(ErrorCode::kIo, fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  }
  if (!st) return st;
  return staged.Commit();
}

Result<std::string> StateBytes(
    const StateMeta& meta, const StringDictionary& dict,
    const std::vector<std::pair<std::string, const FamilyState*>>& states, bool all_windows) {
  return StateBytesWith(meta, dict, states,
                        [all_windows](std::string_view, const FamilyState& state, StateOut& out) {
                          state.Save(out, all_windows);
                        });
}

Result<std::string> StateBytesWith(
    const StateMeta& meta, const StringDictionary& dict,
    const std::vector<std::pair<std::string, const FamilyState*>>& states,
    const SaveStateFn& save) {
  std::string bytes = Prefix(meta);
  ZstdOutBuf buf(&bytes, "state", /*level=*/1);
  TSQ_TRY(WriteFrames(&buf, "state", meta, dict, states, save));
  return bytes;
}

StateFileReader::~StateFileReader() {
  buf_.reset();
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<StateFileReader>> StateFileReader::Open(const std::string& path) {
  std::unique_ptr<StateFileReader> r(new StateFileReader());
  r->path_ = path;
  r->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (r->fd_ < 0) {
    const int err = errno;
    if (err == ENOENT) return Error(ErrorCode::kNotFound, fmt::format("{}: no such file", path));
    return Error(ErrorCode::kIo, fmt::format("{}: cannot open: {}", path, std::strerror(err)));
  }
  std::string head(kPrefixBytes + 4 + kMaxVersionBytes, '\0');
  auto got = ReadUpTo(r->fd_, head.data(), head.size(), path);
  if (!got) return std::move(got).error();
  head.resize(*got);
  auto offset = CheckPrefix(head, path);
  if (!offset) return std::move(offset).error();
  auto decoded = VerifyZstdFrames(path, *offset);
  if (!decoded) return DamagedFrom(decoded.error(), path);
  r->decoded_bytes_ = *decoded;
  if (::lseek(r->fd_, static_cast<off_t>(*offset), SEEK_SET) < 0) {
    return Error(ErrorCode::kIo, fmt::format("{}: cannot seek: {}", path, std::strerror(errno)));
  }
  r->buf_ = std::make_unique<ZstdInBuf>(r->fd_, path);
  TSQ_TRY(r->ReadMeta());
  return r;
}

Result<std::unique_ptr<StateFileReader>> StateFileReader::FromBytes(std::string bytes,
                                                                    std::string name) {
  std::unique_ptr<StateFileReader> r(new StateFileReader());
  r->path_ = std::move(name);
  r->bytes_ = std::move(bytes);
  auto offset = CheckPrefix(r->bytes_, r->path_);
  if (!offset) return std::move(offset).error();
  const std::string_view frames = std::string_view(r->bytes_).substr(*offset);
  {
    ZstdInBuf check(frames, r->path_);
    while (check.NextFrame()) {
    }
    if (!check.status()) return DamagedFrom(check.status().error(), r->path_);
    r->decoded_bytes_ = check.bytes_out();
  }
  r->buf_ = std::make_unique<ZstdInBuf>(frames, r->path_);
  TSQ_TRY(r->ReadMeta());
  return r;
}

Status StateFileReader::ReadMeta() {
  std::istream is(buf_.get());
  try {
    StateIn ar(is, decoded_bytes_);
    StateMeta& m = meta_;
    ar(m.tsq_version, m.period, m.from, m.to, m.local_offset_s, m.config, m.families, m.files,
       dictionary_, saved_);
  } catch (const cereal::Exception& e) {
    return Damaged(path_, e.what());
  } catch (const std::length_error& e) {
    return Damaged(path_, e.what());
  }
  return Ok();
}

Status StateFileReader::LoadInto(const std::function<FamilyState*(std::string_view)>& target,
                                 StringDictionary* dict, uint8_t slot, bool baseline,
                                 bool keep_windows, const LoadStateFn& load) {
  if (buf_ == nullptr) return Error(ErrorCode::kInternal, path_ + ": states already loaded");
  StateMapping map;
  map.slot = slot;
  map.baseline = baseline;
  map.keep_windows = keep_windows;
  map.ids.reserve(dictionary_.size());
  for (const std::string& s : dictionary_) map.ids.push_back(dict->Intern(s));
  for (const std::string& expected : saved_) {
    if (!buf_->NextFrame()) {
      if (!buf_->status()) return buf_->status();
      return Damaged(path_, "a family's frame is missing");
    }
    std::istream is(buf_.get());
    try {
      StateIn ar(is, decoded_bytes_);
      std::string name;
      ar(name);
      if (name != expected) return Damaged(path_, "family frames out of order");
      if (FamilyState* state = target(name)) {
        if (load) {
          load(name, *state, ar, map);
        } else {
          state->Load(ar, map);
        }
      }
    } catch (const cereal::Exception& e) {
      return Damaged(path_, e.what());
    } catch (const ErrorException& e) {
      return Damaged(path_, e.error().message);
    } catch (const std::length_error& e) {
      return Damaged(path_, e.what());
    }
  }
  buf_.reset();
  return Ok();
}

}  // namespace tsq
