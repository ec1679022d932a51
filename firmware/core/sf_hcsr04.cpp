#include "sf_hcsr04.h"

namespace sf {

namespace {
const uint32_t SOUND_M_PER_S = 343;
const uint32_t LONGEST_ECHO_US = 1000000;  // keeps echo_us * 343 within 32 bits
}  // namespace

EchoStatus hcsr04_echo_to_mm(uint32_t echo_us, uint16_t* distance_mm) {
  if (echo_us == 0) return ECHO_NONE;
  // Anything above a second is far out of range.
  if (echo_us > LONGEST_ECHO_US) return ECHO_TOO_FAR;
  // us * 343 m/s / 2 (there and back) / 1000 = mm; + 1000 rounds to nearest.
  const uint32_t mm = (echo_us * SOUND_M_PER_S + 1000) / 2000;
  if (mm < HCSR04_MIN_MM) return ECHO_TOO_NEAR;
  if (mm > HCSR04_MAX_MM) return ECHO_TOO_FAR;
  *distance_mm = static_cast<uint16_t>(mm);
  return ECHO_OK;
}

}  // namespace sf
