// Deterministic random numbers for the generator. xoshiro256** seeded through splitmix64, and the
// distributions computed here by hand: std::mt19937 is portable but std::normal_distribution and
// friends are not, so the same seed would give different files with another standard library.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

namespace tsq::synth {

/// splitmix64 step: advances `state` and returns a well-mixed 64-bit value.
inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// A seed derived from a parent seed and a tag, so independent streams (per record type, per
/// chunk) never overlap in a way that depends on how many values another stream drew.
inline uint64_t DeriveSeed(uint64_t parent, uint64_t tag) {
  uint64_t s = parent ^ (tag * 0xD1B54A32D192ED03ull);
  SplitMix64(s);
  return SplitMix64(s);
}
inline uint64_t DeriveSeed(uint64_t parent, uint64_t tag1, uint64_t tag2) {
  return DeriveSeed(DeriveSeed(parent, tag1), tag2);
}

/// A stateless hash of one value (for per-entity attributes that must not depend on draw order).
inline uint64_t Hash64(uint64_t v) {
  uint64_t s = v;
  return SplitMix64(s);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t s = seed;
    for (uint64_t& w : s_) w = SplitMix64(s);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  /// Uniform integer in [0, n); Lemire's multiply-shift (bias below 2^-64 * n, irrelevant here).
  uint64_t Below(uint64_t n) {
    __extension__ using U128 = unsigned __int128;  // GCC/Clang; -Wpedantic wants the marker
    return static_cast<uint64_t>((static_cast<U128>(Next()) * n) >> 64);
  }
  /// Uniform integer in [lo, hi] (inclusive).
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  bool Chance(double p) { return Uniform() < p; }

  /// Standard normal by Box-Muller (one value per call, so the stream never depends on a cache).
  double Normal() {
    const double u1 = 1.0 - Uniform();  // (0, 1]
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double Normal(double mean, double sd) { return mean + sd * Normal(); }
  /// Log-normal given its median and the sigma of the underlying normal.
  double LogNormal(double median, double sigma) { return median * std::exp(sigma * Normal()); }
  double Exponential(double mean) { return -mean * std::log(1.0 - Uniform()); }

  /// Index drawn from cumulative weights (last element = total).
  size_t Pick(std::span<const double> cumulative) {
    const double x = Uniform() * cumulative.back();
    size_t lo = 0;
    size_t hi = cumulative.size() - 1;
    while (lo < hi) {
      const size_t mid = (lo + hi) / 2;
      if (cumulative[mid] > x) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace tsq::synth
