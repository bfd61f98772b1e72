// KeyedFamily's Save() and Load(): included by the files that define a keyed family, so that
// cereal's templates are compiled there and not in every file that includes engine/family.h.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "engine/family.h"
#include "engine/state_archive.h"

namespace tsq {

/// Writes the states of kCurrentSlot (or of every window) with their keys: what
/// LoadKeyedStates() reads. `save(state, out)` writes one state.
template <typename State, typename SaveState>
void SaveKeyedStates(StateOut& out, const KeyedStates<State>& states, bool all_windows,
                     SaveState save) {
  uint64_t keys = 0;
  for (size_t i = 0; i < states.size(); ++i) {
    keys += all_windows || states.key(i).slot == kCurrentSlot;
  }
  out(keys);
  for (size_t i = 0; i < states.size(); ++i) {
    const BaseKey& k = states.key(i);
    if (!all_windows && k.slot != kCurrentSlot) continue;
    out(cereal::binary_data(k.dims, sizeof(k.dims)), k.bucket, k.slot);
    save(states.state(i), out);
  }
}

/// Merges what SaveKeyedStates() wrote into each of `windows` (none: reads and drops it), or
/// with map.keep_windows into the window each key was saved from (below `window_count`).
/// `map_key` maps a key's dictionary codes; `load(in, &state)` reads one state.
template <typename State, typename MapKey, typename LoadState>
void LoadKeyedStates(StateIn& in, const StateMapping& map, int window_count,
                     const std::vector<uint32_t>& windows, MapKey map_key, LoadState load,
                     KeyedStates<State>* states) {
  uint64_t keys = 0;
  in(keys);
  for (uint64_t i = 0; i < keys; ++i) {
    BaseKey k;
    State s;
    in(cereal::binary_data(k.dims, sizeof(k.dims)), k.bucket, k.slot);
    load(in, &s);
    if (k.slot >= static_cast<uint32_t>(window_count)) {
      throw ErrorException(Error(ErrorCode::kCorrupt, "a state of an unknown period slot"));
    }
    if (map.keep_windows) {
      map_key(&k);
      states->At(k).Merge(s);
      continue;
    }
    if (windows.empty()) continue;
    map_key(&k);
    for (uint32_t w : windows) {
      k.slot = w;
      states->At(k).Merge(s);
    }
  }
}

template <typename State>
void KeyedFamily<State>::Save(StateOut& out, bool all_windows) const {
  out(rows_);
  SaveKeyedStates(out, states_, all_windows, [](const State& s, StateOut& o) { o(s); });
}

template <typename State>
void KeyedFamily<State>::Load(StateIn& in, const StateMapping& map) {
  std::array<uint64_t, kSlotCount> rows{};
  in(rows);
  const std::span<const KeyDim> dims = KeyDims();
  LoadKeyedStates<State>(
      in, map, kSlotCount,
      map.slot == kNoSlot ? std::vector<uint32_t>{} : std::vector<uint32_t>{map.slot},
      [&](BaseKey* k) {
        for (size_t d = 0; d < dims.size(); ++d) {
          if (dims[d].coding == Coding::kDictId) k->dims[d] = map.Id(k->dims[d]);
        }
      },
      [](StateIn& i, State* s) { i(*s); }, &states_);
  if (map.keep_windows) {
    for (int s = 0; s < kSlotCount; ++s) rows_[s] += rows[s];
  } else if (map.slot != kNoSlot) {
    rows_[map.slot] += rows[kCurrentSlot];
  }
}

}  // namespace tsq
