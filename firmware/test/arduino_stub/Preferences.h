// Stub of the ESP32 Preferences (NVS) library for sketch-check.
#ifndef SF_STUB_PREFERENCES_H
#define SF_STUB_PREFERENCES_H

#include "Arduino.h"

class Preferences {
 public:
  bool begin(const char* name, bool read_only = false, const char* partition_label = NULL);
  uint32_t getUInt(const char* key, uint32_t default_value = 0);
  size_t putUInt(const char* key, uint32_t value);
};

#endif
