#include "server/engine/random.h"

#include <cmath>

namespace trainyard {

uint64_t StableHash(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double KeyedRandom::Uniform(std::string_view purpose, std::string_view subject,
                            uint64_t index) const {
  // Each key part goes through the mixer separately, so ("ab", "c") and
  // ("a", "bc") give unrelated draws.
  uint64_t x = SplitMix64(seed_);
  x = SplitMix64(x ^ StableHash(purpose));
  x = SplitMix64(x ^ StableHash(subject));
  x = SplitMix64(x ^ index);
  return static_cast<double>(x >> 11) * 0x1.0p-53;
}

double KeyedRandom::UnitExponential(std::string_view purpose, std::string_view subject,
                                    uint64_t index) const {
  // 1 - u is in (0, 1], so the logarithm is finite.
  return -std::log1p(-Uniform(purpose, subject, index));
}

}  // namespace trainyard
