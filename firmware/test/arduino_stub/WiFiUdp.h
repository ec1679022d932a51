// Stub of WiFiUDP (NetworkUDP in arduino-esp32 3.x) for sketch-check.
#ifndef SF_STUB_WIFIUDP_H
#define SF_STUB_WIFIUDP_H

#include "Arduino.h"

class WiFiUDP {
 public:
  uint8_t begin(uint16_t port);
  int beginPacket(const char* host, uint16_t port);
  size_t write(const uint8_t* buffer, size_t size);
  int endPacket();
  int parsePacket();
  int read(unsigned char* buffer, size_t len);
};

#endif
