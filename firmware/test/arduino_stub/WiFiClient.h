// Stub of WiFiClient (NetworkClient in arduino-esp32 3.x) for sketch-check.
#ifndef SF_STUB_WIFICLIENT_H
#define SF_STUB_WIFICLIENT_H

#include "Arduino.h"

class WiFiClient {
 public:
  int connect(const char* host, uint16_t port);
  size_t write(const uint8_t* buf, size_t size);
  int available();
  int read(uint8_t* buf, size_t size);
  void stop();
  uint8_t connected();
  int setNoDelay(bool nodelay);
};

#endif
