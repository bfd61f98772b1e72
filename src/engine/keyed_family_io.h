// KeyedFamily's Save() and Load(): included by the files that define a keyed family, so that
// cereal's templates are compiled there and not in every file that includes engine/family.h.
#pragma once

#include <array>
#include <span>

#include "engine/family.h"
#include "engine/state_archive.h"

namespace tsq {

template <typename State>
void KeyedFamily<State>::Save(StateOut& out, bool all_windows) const {
  uint64_t keys = 0;
  for (size_t i = 0; i < states_.size(); ++i) {
    keys += all_windows || states_.key(i).slot == kCurrentSlot;
  }
  out(rows_, keys);
  for (size_t i = 0; i < states_.size(); ++i) {
    const BaseKey& k = states_.key(i);
    if (!all_windows && k.slot != kCurrentSlot) continue;
    out(cereal::binary_data(k.dims, sizeof(k.dims)), k.bucket, k.slot, states_.state(i));
  }
}

template <typename State>
void KeyedFamily<State>::Load(StateIn& in, const StateMapping& map) {
  std::array<uint64_t, kSlotCount> rows{};
  uint64_t keys = 0;
  in(rows, keys);
  const std::span<const KeyDim> dims = KeyDims();
  for (uint64_t i = 0; i < keys; ++i) {
    BaseKey k;
    State s;
    in(cereal::binary_data(k.dims, sizeof(k.dims)), k.bucket, k.slot, s);
    if (!map.keep_windows && map.slot == kNoSlot) continue;
    if (k.slot >= kSlotCount) {
      throw ErrorException(Error(ErrorCode::kCorrupt, "a state of an unknown period slot"));
    }
    for (size_t d = 0; d < dims.size(); ++d) {
      if (dims[d].coding == Coding::kDictId) k.dims[d] = map.Id(k.dims[d]);
    }
    if (!map.keep_windows) k.slot = map.slot;
    states_.At(k).Merge(s);
  }
  if (map.keep_windows) {
    for (int s = 0; s < kSlotCount; ++s) rows_[s] += rows[s];
  } else if (map.slot != kNoSlot) {
    rows_[map.slot] += rows[kCurrentSlot];
  }
}

}  // namespace tsq
