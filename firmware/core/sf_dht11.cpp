#include "sf_dht11.h"

namespace sf {

Dht11Status dht11_frame_from_pulses(const uint16_t high_us[DHT11_FRAME_BITS], uint8_t frame[DHT11_FRAME_BYTES]) {
  for (uint8_t i = 0; i < DHT11_FRAME_BYTES; ++i) frame[i] = 0;
  for (uint8_t bit = 0; bit < DHT11_FRAME_BITS; ++bit) {
    if (high_us[bit] == 0) return DHT11_TIMEOUT;
    frame[bit / 8] = static_cast<uint8_t>(frame[bit / 8] << 1);
    if (high_us[bit] > DHT11_ONE_THRESHOLD_US) frame[bit / 8] |= 1;
  }
  return DHT11_OK;
}

Dht11Status dht11_decode(const uint8_t frame[DHT11_FRAME_BYTES], Dht11Measurement* out) {
  const uint8_t sum = static_cast<uint8_t>(frame[0] + frame[1] + frame[2] + frame[3]);
  if (sum != frame[4]) return DHT11_BAD_CHECKSUM;

  const uint8_t humidity_int = frame[0];
  const uint8_t humidity_tenths = frame[1];
  const uint8_t temperature_int = frame[2];
  const bool below_zero = (frame[3] & 0x80) != 0;
  const uint8_t temperature_tenths = frame[3] & 0x7F;

  // An 8-bit checksum lets some corrupted frames through; reject values no
  // DHT11 reports (it measures 5-95 %RH and -20..60 C, bounds kept generous).
  if (humidity_tenths > 9 || temperature_tenths > 9) return DHT11_IMPLAUSIBLE;
  const uint16_t humidity = static_cast<uint16_t>(humidity_int * 10 + humidity_tenths);
  const int16_t temperature_magnitude = static_cast<int16_t>(temperature_int * 10 + temperature_tenths);
  if (humidity > 1000) return DHT11_IMPLAUSIBLE;
  if (temperature_magnitude > (below_zero ? 400 : 800)) return DHT11_IMPLAUSIBLE;

  out->humidity_dpct = humidity;
  out->temperature_dc = below_zero ? static_cast<int16_t>(-temperature_magnitude) : temperature_magnitude;
  return DHT11_OK;
}

}  // namespace sf
