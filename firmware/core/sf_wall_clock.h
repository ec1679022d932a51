// UTC time between SNTP syncs, advanced from millis().
#ifndef SF_WALL_CLOCK_H
#define SF_WALL_CLOCK_H

#include <stdint.h>

namespace sf {

// Holds the Unix time of one millis() instant (the last sync). Every other
// instant is derived from the millis() difference, which unsigned arithmetic
// keeps right across the 49.7-day millis() wrap as long as the instants are
// less than 49.7 days apart; the node re-syncs hourly, far inside that.
class WallClock {
 public:
  WallClock() : is_set_(false), sync_unix_ms_(0), sync_millis_(0) {}

  void set(uint64_t unix_ms, uint32_t now_millis);
  bool is_set() const { return is_set_; }
  uint32_t ms_since_set(uint32_t now_millis) const { return now_millis - sync_millis_; }

  // Unix time of an earlier millis() instant (e.g. when a queued reading was
  // taken, possibly before the first sync); false while the clock is not set.
  bool unix_ms_at(uint32_t then_millis, uint32_t now_millis, uint64_t* unix_ms) const;

 private:
  bool is_set_;
  uint64_t sync_unix_ms_;
  uint32_t sync_millis_;
};

}  // namespace sf

#endif
