// One sample of the node's sensors, as kept in the offline queue.
#ifndef SF_READING_H
#define SF_READING_H

#include <stdint.h>

namespace sf {

// Values are fixed-point integers (no floats on the wire path). A measurement
// whose sensor read failed has its has_* flag cleared and is left out of the JSON.
struct Reading {
  uint32_t measured_at_ms;  // millis() at sampling; turned into UTC when published,
                            // so readings taken before the first NTP sync get a correct ts
  uint32_t seq;             // per-sensor sequence number, see SequenceCounter
  int16_t temperature_dc;   // deci-degrees Celsius: 21.4 C = 214
  uint16_t humidity_dpct;   // deci-percent relative humidity: 48.0 % = 480
  uint16_t distance_mm;     // millimetres = tenths of the published centimetres
  bool has_temperature;
  bool has_humidity;
  bool has_distance;
  bool has_motion;
  bool motion;
};

// A reading with no measurement present.
inline Reading empty_reading(uint32_t measured_at_ms, uint32_t seq) {
  Reading r;
  r.measured_at_ms = measured_at_ms;
  r.seq = seq;
  r.temperature_dc = 0;
  r.humidity_dpct = 0;
  r.distance_mm = 0;
  r.has_temperature = false;
  r.has_humidity = false;
  r.has_distance = false;
  r.has_motion = false;
  r.motion = false;
  return r;
}

}  // namespace sf

#endif
