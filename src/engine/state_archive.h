// The archive a family's partial state is written to and read from (cereal's binary archive),
// and how a saved state is mapped into a run: its dictionary codes and its period slot.
// Families give their states a `serialize(Archive&)` member listing every field once; cereal
// writes arithmetic vectors as one block. The archive is not portable across byte orders: the
// state file records the writer's and refuses another.
#pragma once

#include <cstdint>
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
