// Capped exponential backoff with jitter for reconnect attempts.
#ifndef SF_BACKOFF_H
#define SF_BACKOFF_H

#include <stdint.h>

#include "sf_prng.h"

namespace sf {

// The k-th consecutive failure waits up to min(cap, base * 2^k) ms; jitter_percent
// of that ceiling is randomly taken off so that nodes that lost the broker at
// the same moment do not all come back at the same moment.
class Backoff {
 public:
  // prng may be NULL when jitter_percent is 0. jitter_percent is clamped to 100.
  Backoff(uint32_t base_ms, uint32_t cap_ms, uint8_t jitter_percent, Prng* prng);

  // Delay before the next attempt, after a failed one.
  uint32_t next_delay_ms();
  // After a successful connection: the next failure starts again from base.
  void reset() { ceiling_ms_ = base_ms_; }

 private:
  uint32_t base_ms_;
  uint32_t cap_ms_;
  uint8_t jitter_percent_;
  Prng* prng_;
  uint32_t ceiling_ms_;
};

}  // namespace sf

#endif
