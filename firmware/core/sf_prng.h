// Small seedable pseudo-random generator (xorshift32) for reconnect jitter.
#ifndef SF_PRNG_H
#define SF_PRNG_H

#include <stdint.h>

namespace sf {

// Not for cryptography: it only spreads reconnect attempts of many nodes after
// a broker outage. Seed each node differently (hardware RNG, MAC, ADC noise).
class Prng {
 public:
  explicit Prng(uint32_t seed) { reseed(seed); }
  // xorshift has a fixed point at 0, so 0 is replaced by a fixed constant.
  void reseed(uint32_t seed) { state_ = seed != 0 ? seed : 0x9E3779B9UL; }
  uint32_t next();
  // Uniform enough in [0, bound) for jitter; 0 when bound is 0.
  uint32_t below(uint32_t bound);

 private:
  uint32_t state_;
};

}  // namespace sf

#endif
