// PIR motion input debouncing and "motion since last reading" latching.
#ifndef SF_PIR_DEBOUNCE_H
#define SF_PIR_DEBOUNCE_H

#include <stdint.h>

namespace sf {

// A level change is accepted once the raw input has held the new level for
// settle_ms: short spikes (e.g. coupled in by WiFi transmit bursts) are ignored.
// Readings are sampled every few seconds while the PIR output may pulse in
// between, so the node reports whether motion was seen during the interval.
class PirDebouncer {
 public:
  explicit PirDebouncer(uint32_t settle_ms);

  // Feed the raw pin level; call often (every loop pass), with millis().
  void update(bool raw_level, uint32_t now_ms);

  // The debounced level.
  bool motion() const { return stable_; }

  // True if debounced motion was present at any time since the previous call;
  // then starts a new interval from the current debounced level.
  bool take_motion_seen();

 private:
  uint32_t settle_ms_;
  bool stable_;
  bool candidate_;
  uint32_t candidate_since_ms_;
  bool seen_;
};

}  // namespace sf

#endif
