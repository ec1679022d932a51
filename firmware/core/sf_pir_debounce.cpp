#include "sf_pir_debounce.h"

namespace sf {

PirDebouncer::PirDebouncer(uint32_t settle_ms)
    : settle_ms_(settle_ms), stable_(false), candidate_(false), candidate_since_ms_(0), seen_(false) {}

void PirDebouncer::update(bool raw_level, uint32_t now_ms) {
  if (raw_level != candidate_) {
    candidate_ = raw_level;
    candidate_since_ms_ = now_ms;
  }
  // Unsigned subtraction stays correct across the millis() wrap at 2^32.
  if (candidate_ != stable_ && now_ms - candidate_since_ms_ >= settle_ms_) {
    stable_ = candidate_;
  }
  if (stable_) seen_ = true;
}

bool PirDebouncer::take_motion_seen() {
  const bool seen = seen_ || stable_;
  seen_ = stable_;
  return seen;
}

}  // namespace sf
