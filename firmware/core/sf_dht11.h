// DHT11 temperature/humidity frame decoding.
//
// The sensor answers a start pulse with 40 bits, MSB first. Each bit is a ~50 us
// low followed by a high whose width carries the value: ~26-28 us = 0, ~70 us = 1.
// The 5 bytes are: humidity integer, humidity tenths, temperature integer,
// temperature tenths, checksum (low 8 bits of the sum of the first four).
// Newer DHT11 revisions measure below 0 C and flag it with bit 7 of the
// temperature tenths byte (sign-magnitude): 0x05 0x83 is -5.3 C.
#ifndef SF_DHT11_H
#define SF_DHT11_H

#include <stdint.h>

namespace sf {

const uint8_t DHT11_FRAME_BITS = 40;
const uint8_t DHT11_FRAME_BYTES = 5;
// Midway between a 0 (~27 us) and a 1 (~70 us) high pulse.
const uint16_t DHT11_ONE_THRESHOLD_US = 48;

enum Dht11Status {
  DHT11_OK,
  DHT11_TIMEOUT,       // a pulse never came (width 0)
  DHT11_BAD_CHECKSUM,
  DHT11_IMPLAUSIBLE,   // checksum fine but the values cannot come from a DHT11
};

struct Dht11Measurement {
  int16_t temperature_dc;  // deci-degrees Celsius
  uint16_t humidity_dpct;  // deci-percent relative humidity
};

// Turns the 40 measured high-pulse widths (0 = timed out) into the frame bytes.
Dht11Status dht11_frame_from_pulses(const uint16_t high_us[DHT11_FRAME_BITS], uint8_t frame[DHT11_FRAME_BYTES]);

// Checks the checksum and plausibility and decodes the frame.
Dht11Status dht11_decode(const uint8_t frame[DHT11_FRAME_BYTES], Dht11Measurement* out);

}  // namespace sf

#endif
