// KeyedRandom: the only source of randomness in the engine (DESIGN.md
// section 3). A draw is a pure function of the seed and of what it is drawn
// for: a purpose ("interruption", "spot-capacity", ...), a subject (a job or
// pool name) and an index (an attempt number or a market tick). No generator
// state exists, so nothing needs persisting: after a restart the engine draws
// exactly what it would have drawn, and two runs with one seed agree.
//
// The hash is written out here (FNV-1a, then SplitMix64) rather than taken
// from std::hash, whose values differ between standard libraries.
//
// Threading: immutable after construction; safe from any thread.
#pragma once

#include <cstdint>
#include <string_view>

namespace trainyard {

// What a draw is for. Each purpose is an independent stream.
inline constexpr std::string_view kDrawInterruption = "interruption";
inline constexpr std::string_view kDrawFailure = "failure";
inline constexpr std::string_view kDrawFailurePoint = "failure-point";
inline constexpr std::string_view kDrawSpotCapacity = "spot-capacity";
inline constexpr std::string_view kDrawSpotPrice = "spot-price";

// FNV-1a, 64 bits, over the bytes as given.
uint64_t StableHash(std::string_view bytes);
// Sebastiano Vigna's SplitMix64 finaliser: a bijection that spreads every
// input bit over the output.
uint64_t SplitMix64(uint64_t x);

class KeyedRandom {
 public:
  explicit KeyedRandom(uint64_t seed) : seed_(seed) {}

  uint64_t seed() const { return seed_; }

  // Uniform in [0, 1), with 53 random bits.
  double Uniform(std::string_view purpose, std::string_view subject, uint64_t index) const;
  // Exponential with mean 1 (divide by a rate to get a waiting time).
  double UnitExponential(std::string_view purpose, std::string_view subject,
                         uint64_t index) const;

 private:
  uint64_t seed_;
};

}  // namespace trainyard
