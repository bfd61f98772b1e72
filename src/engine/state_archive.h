// The archive a family's partial state is written to (cereal's binary archive) and read from (the
// same layout, read with bounds), and how a saved state is mapped into a run: its dictionary
// codes and its period slot.
// Families give their states a `serialize(Archive&)` member listing every field once; cereal
// writes arithmetic vectors as one block. The archive is not portable across byte orders: the
// state file records the writer's and refuses another.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <type_traits>
#include <vector>

#include <cereal/archives/binary.hpp>
#include <cereal/types/array.hpp>
#include <cereal/types/optional.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <fmt/format.h>

#include "core/string_dictionary.h"
#include "core/threads.h"
#include "engine/state_archive_fwd.h"

namespace tsq {

/// Reads what cereal::BinaryOutputArchive wrote, like cereal::BinaryInputArchive, but never
/// trusts a length: a container's element count may not exceed the bytes the state holds, so a
/// state crafted past its checksums cannot make a reader allocate without bound (every element
/// takes at least one byte). Reading past the end or a count too large throws cereal::Exception.
class StateIn : public cereal::InputArchive<StateIn, cereal::AllowEmptyClassElision> {
 public:
  /// `bytes` bounds what can be read: the state's decoded size.
  StateIn(std::istream& stream, uint64_t bytes)
      : cereal::InputArchive<StateIn, cereal::AllowEmptyClassElision>(this),
        stream_(stream),
        left_(bytes) {}

  void loadBinary(void* data, std::streamsize size) {
    if (size < 0 || static_cast<uint64_t>(size) > left_ ||
        stream_.rdbuf()->sgetn(static_cast<char*>(data), size) != size) {
      throw cereal::Exception(fmt::format("{} bytes asked for past the end of a state", size));
    }
    left_ -= static_cast<uint64_t>(size);
  }
  void CheckCount(uint64_t count) const {
    if (count > left_) {
      throw cereal::Exception(
          fmt::format("a count of {} where {} bytes are left in the state", count, left_));
    }
  }

 private:
  std::istream& stream_;
  uint64_t left_;
};

template <class T>
std::enable_if_t<std::is_arithmetic_v<T>> CEREAL_LOAD_FUNCTION_NAME(StateIn& ar, T& t) {
  ar.loadBinary(std::addressof(t), sizeof(t));
}
template <class T>
void CEREAL_LOAD_FUNCTION_NAME(StateIn& ar, cereal::BinaryData<T>& bd) {
  ar.loadBinary(bd.data, static_cast<std::streamsize>(bd.size));
}
template <class T>
void CEREAL_LOAD_FUNCTION_NAME(StateIn& ar, cereal::SizeTag<T>& tag) {
  ar(tag.size);
  ar.CheckCount(static_cast<uint64_t>(tag.size));
}
template <class T>
void CEREAL_LOAD_FUNCTION_NAME(StateIn& ar, cereal::NameValuePair<T>& nvp) {
  ar(nvp.value);
}

struct StateMapping {
  /// The run's code of each code of the saved dictionary.
  std::vector<uint32_t> ids;
  /// The run's period slot the saved rows belong to (Slot), or 0xFF when none: they are read and
  /// dropped (a saved period that is only the remediation baseline).
  uint8_t slot = 0;
  /// The saved rows lie in the run's separate remediation baseline (speedtests only).
  bool baseline = false;
  /// Each saved row goes to the window it was saved from (a state of every window, sent by
  /// another process of the same run); `slot` and `baseline` are not used.
  bool keep_windows = false;

  /// The run's code of saved code `id`; codes above the dictionary's (missing, blank) pass.
  uint32_t Id(uint32_t id) const {
    if (id >= kMissingId - 1) return id;
    if (id >= ids.size()) {
      throw ErrorException(
          Error(ErrorCode::kCorrupt,
                fmt::format("dictionary code {} beyond the file's {} strings", id, ids.size())));
    }
    return ids[id];
  }
};

/// A vector of plain records as one block (cereal would write them field by field).
template <class T>
void SaveRecords(StateOut& out, const std::vector<T>& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  out(cereal::make_size_tag(static_cast<cereal::size_type>(v.size())));
  out(cereal::binary_data(v.data(), v.size() * sizeof(T)));
}

template <class T>
void LoadRecords(StateIn& in, std::vector<T>* v) {
  static_assert(std::is_trivially_copyable_v<T>);
  cereal::size_type n = 0;
  in(cereal::make_size_tag(n));
  v->resize(static_cast<size_t>(n));
  in(cereal::binary_data(v->data(), v->size() * sizeof(T)));
}

}  // namespace tsq

CEREAL_REGISTER_ARCHIVE(tsq::StateIn)
namespace cereal::traits::detail {
// What CEREAL_SETUP_ARCHIVE_TRAITS would say, one way only: BinaryOutputArchive already reads
// back through cereal's own input archive.
template <>
struct get_output_from_input<tsq::StateIn> {
  using type = cereal::BinaryOutputArchive;
};
}  // namespace cereal::traits::detail
