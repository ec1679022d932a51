// Builds expected byte vectors readably: Bytes().hex("10 40").text("MQTT").
#ifndef SF_TEST_BYTES_H
#define SF_TEST_BYTES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

class Bytes {
 public:
  Bytes() : length(0) {}
  Bytes& hex(const char* spaced_hex) {
    const char* p = spaced_hex;
    while (*p != '\0') {
      if (*p == ' ') {
        ++p;
        continue;
      }
      char pair[3] = {p[0], p[1], '\0'};
      data[length++] = static_cast<uint8_t>(strtoul(pair, NULL, 16));
      p += 2;
    }
    return *this;
  }
  Bytes& text(const char* s) {
    const size_t n = strlen(s);
    memcpy(data + length, s, n);
    length += n;
    return *this;
  }
  // MQTT UTF-8 string: 2-byte length then the text.
  Bytes& mqtt_string(const char* s) {
    const size_t n = strlen(s);
    data[length++] = static_cast<uint8_t>(n >> 8);
    data[length++] = static_cast<uint8_t>(n);
    return text(s);
  }

  uint8_t data[1024];
  size_t length;
};

#endif
