// Pin-level reads of the DHT11 and HC-SR04; decoding lives in the core.
#ifndef SENSORFLOW_NODE_SENSOR_IO_H
#define SENSORFLOW_NODE_SENSOR_IO_H

#include <stdint.h>

#include "sf_dht11.h"
#include "sf_hcsr04.h"

// Start signal, then times the 40 data pulses. Takes ~25 ms; at most one call per second.
sf::Dht11Status read_dht11(uint8_t pin, sf::Dht11Measurement* out);

// 10 us trigger pulse, then times the echo (up to ~25 ms).
sf::EchoStatus read_hcsr04(uint8_t trig_pin, uint8_t echo_pin, uint16_t* distance_mm);

#endif
