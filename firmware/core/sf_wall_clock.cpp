#include "sf_wall_clock.h"

namespace sf {

void WallClock::set(uint64_t unix_ms, uint32_t now_millis) {
  sync_unix_ms_ = unix_ms;
  sync_millis_ = now_millis;
  is_set_ = true;
}

bool WallClock::unix_ms_at(uint32_t then_millis, uint32_t now_millis, uint64_t* unix_ms) const {
  if (!is_set_) return false;
  const uint64_t now_unix_ms = sync_unix_ms_ + (now_millis - sync_millis_);
  const uint32_t age_ms = now_millis - then_millis;
  *unix_ms = now_unix_ms - age_ms;
  return true;
}

}  // namespace sf
