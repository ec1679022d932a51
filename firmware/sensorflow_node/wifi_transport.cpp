#include "wifi_transport.h"

bool WifiTransport::open() {
  if (WiFi.status() != WL_CONNECTED) return false;
  client_.stop();
  // Blocks for up to the core's connect timeout (a few seconds) when the broker is unreachable.
  if (!client_.connect(host_, port_)) return false;
  client_.setNoDelay(true);  // MQTT packets are small; do not wait to coalesce them
  return true;
}

void WifiTransport::close() { client_.stop(); }

int32_t WifiTransport::write(const uint8_t* data, size_t length) {
  return static_cast<int32_t>(client_.write(data, length));
}

int32_t WifiTransport::read(uint8_t* data, size_t capacity) {
  const int available = client_.available();
  if (available > 0) {
    const size_t wanted = static_cast<size_t>(available) < capacity ? static_cast<size_t>(available) : capacity;
    const int n = client_.read(data, wanted);
    return n < 0 ? -1 : n;
  }
  // Nothing buffered: either no data yet, or the broker closed the connection.
  return client_.connected() ? 0 : -1;
}

uint32_t WifiTransport::millis() { return static_cast<uint32_t>(::millis()); }
