// HC-SR04 ultrasonic echo pulse -> distance.
#ifndef SF_HCSR04_H
#define SF_HCSR04_H

#include <stdint.h>

namespace sf {

// The sensor's rated range is 2-400 cm; outside it the echo is not trusted.
const uint16_t HCSR04_MIN_MM = 20;
const uint16_t HCSR04_MAX_MM = 4000;
// Echo time for 400 cm is ~23.3 ms; with nothing in range the module holds echo
// high for ~38 ms, so waiting longer than this only costs loop time.
const uint32_t HCSR04_ECHO_TIMEOUT_US = 25000;

enum EchoStatus {
  ECHO_OK,
  ECHO_NONE,      // no pulse (pulseIn() timed out and returned 0)
  ECHO_TOO_NEAR,  // below 2 cm
  ECHO_TOO_FAR,   // beyond 4 m
};

// Sound travels ~343 m/s at 20 C and the echo covers the distance twice:
// mm = us * 0.1715, computed as (us * 343 + 1000) / 2000 to round to the nearest mm.
EchoStatus hcsr04_echo_to_mm(uint32_t echo_us, uint16_t* distance_mm);

}  // namespace sf

#endif
