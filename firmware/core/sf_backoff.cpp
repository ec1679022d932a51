#include "sf_backoff.h"

namespace sf {

Backoff::Backoff(uint32_t base_ms, uint32_t cap_ms, uint8_t jitter_percent, Prng* prng)
    : base_ms_(base_ms < cap_ms ? base_ms : cap_ms),
      cap_ms_(cap_ms),
      jitter_percent_(jitter_percent > 100 ? 100 : jitter_percent),
      prng_(prng),
      ceiling_ms_(base_ms_) {}

uint32_t Backoff::next_delay_ms() {
  const uint32_t ceiling = ceiling_ms_;
  // Double for next time without overflowing 32 bits, and never beyond the cap.
  ceiling_ms_ = ceiling > cap_ms_ / 2 ? cap_ms_ : ceiling * 2;

  if (jitter_percent_ == 0 || prng_ == 0) return ceiling;
  // ceiling / 100 * percent avoids a 32-bit overflow for long caps; the
  // remainder part adds back what the division dropped.
  const uint32_t jitter_span =
      (ceiling / 100) * jitter_percent_ + (ceiling % 100) * jitter_percent_ / 100;
  return ceiling - prng_->below(jitter_span + 1);
}

}  // namespace sf
