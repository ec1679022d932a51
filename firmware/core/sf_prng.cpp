#include "sf_prng.h"

namespace sf {

uint32_t Prng::next() {
  // Marsaglia's xorshift32 with shifts (13, 17, 5): period 2^32 - 1.
  uint32_t x = state_;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  state_ = x;
  return x;
}

uint32_t Prng::below(uint32_t bound) { return bound == 0 ? 0 : next() % bound; }

}  // namespace sf
