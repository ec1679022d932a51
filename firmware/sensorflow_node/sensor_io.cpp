#include "sensor_io.h"

#include <Arduino.h>

namespace {
// pulseIn()'s timeout covers waiting for the pulse and timing it: the first
// call spans up to ~200 us (release, 80 us low, 80 us high), a bit ~120 us.
// Anything much longer is a dead line.
const unsigned long DHT11_PULSE_TIMEOUT_US = 500;
portMUX_TYPE g_dht11_mux = portMUX_INITIALIZER_UNLOCKED;
}  // namespace

sf::Dht11Status read_dht11(uint8_t pin, sf::Dht11Measurement* out) {
  // Start: hold the line low for >= 18 ms, then release it to the pull-up.
  pinMode(pin, OUTPUT);
  digitalWrite(pin, LOW);
  delay(20);
  pinMode(pin, INPUT_PULLUP);

  uint16_t high_us[sf::DHT11_FRAME_BITS];
  // The bits are only tens of microseconds apart: no interrupts on this core
  // while timing them (~5 ms). pulseIn() busy-waits on the cycle counter.
  portENTER_CRITICAL(&g_dht11_mux);
  // The sensor answers low 80 us, high 80 us (this first pulse), then 40 bits.
  const unsigned long preamble = pulseIn(pin, HIGH, DHT11_PULSE_TIMEOUT_US);
  for (uint8_t bit = 0; bit < sf::DHT11_FRAME_BITS; ++bit) {
    high_us[bit] = preamble == 0 ? 0 : static_cast<uint16_t>(pulseIn(pin, HIGH, DHT11_PULSE_TIMEOUT_US));
  }
  portEXIT_CRITICAL(&g_dht11_mux);
  if (preamble == 0) return sf::DHT11_TIMEOUT;

  uint8_t frame[sf::DHT11_FRAME_BYTES];
  const sf::Dht11Status status = sf::dht11_frame_from_pulses(high_us, frame);
  if (status != sf::DHT11_OK) return status;
  return sf::dht11_decode(frame, out);
}

sf::EchoStatus read_hcsr04(uint8_t trig_pin, uint8_t echo_pin, uint16_t* distance_mm) {
  digitalWrite(trig_pin, LOW);
  delayMicroseconds(2);
  digitalWrite(trig_pin, HIGH);
  delayMicroseconds(10);
  digitalWrite(trig_pin, LOW);
  const unsigned long echo_us = pulseIn(echo_pin, HIGH, sf::HCSR04_ECHO_TIMEOUT_US);
  return sf::hcsr04_echo_to_mm(static_cast<uint32_t>(echo_us), distance_mm);
}
