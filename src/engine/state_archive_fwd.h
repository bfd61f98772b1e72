// The state archives by name only, for headers that declare Save()/Load(): cereal's templates are
// compiled only where a state is actually written or read (engine/state_archive.h).
#pragma once

namespace cereal {
class BinaryOutputArchive;
}  // namespace cereal

namespace tsq {

using StateOut = cereal::BinaryOutputArchive;
class StateIn;
struct StateMapping;

}  // namespace tsq
