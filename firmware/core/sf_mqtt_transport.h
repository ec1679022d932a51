// The byte stream the MQTT client runs over: a POSIX socket on the host,
// WiFiClient on the ESP32.
#ifndef SF_MQTT_TRANSPORT_H
#define SF_MQTT_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

namespace sf {

class Transport {
 public:
  // (Re)opens the connection to the broker; may block for the connect timeout.
  virtual bool open() = 0;
  // Closes without any goodbye: to the broker this looks like a lost link.
  virtual void close() = 0;
  // Writes all bytes; returns how many were written, fewer (or < 0) on error.
  virtual int32_t write(const uint8_t* data, size_t length) = 0;
  // Never blocks: bytes read, 0 when nothing is available yet, < 0 when the
  // connection is closed or failed.
  virtual int32_t read(uint8_t* data, size_t capacity) = 0;
  // Milliseconds from a monotonic clock (Arduino millis()); wraps at 2^32.
  virtual uint32_t millis() = 0;

 protected:
  // Not deleted through this interface; no virtual destructor needed on AVR.
  ~Transport() {}
};

}  // namespace sf

#endif
