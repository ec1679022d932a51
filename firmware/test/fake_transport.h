// A scripted Transport for MQTT client tests: records what the client writes,
// serves bytes the test queues, and lets the test set the clock.
#ifndef SF_TEST_FAKE_TRANSPORT_H
#define SF_TEST_FAKE_TRANSPORT_H

#include <stdlib.h>
#include <string.h>

#include "sf_mqtt_transport.h"

class FakeTransport : public sf::Transport {
 public:
  static const size_t CAPACITY = 4096;

  FakeTransport()
      : now_ms(0), open_result(true), is_open(false), opens(0), closes(0), fail_writes(false),
        peer_closed(false), written_length(0), rx_length(0), rx_offset(0) {}
  virtual ~FakeTransport() {}

  virtual bool open() {
    ++opens;
    is_open = open_result;
    peer_closed = false;
    return open_result;
  }
  virtual void close() {
    if (is_open) ++closes;
    is_open = false;
  }
  virtual int32_t write(const uint8_t* data, size_t length) {
    if (!is_open || fail_writes) return -1;
    if (written_length + length > CAPACITY) return -1;
    memcpy(written + written_length, data, length);
    written_length += length;
    return static_cast<int32_t>(length);
  }
  virtual int32_t read(uint8_t* data, size_t capacity) {
    if (!is_open) return -1;
    if (rx_offset == rx_length) return peer_closed ? -1 : 0;
    size_t n = rx_length - rx_offset;
    if (n > capacity) n = capacity;
    memcpy(data, rx + rx_offset, n);
    rx_offset += n;
    return static_cast<int32_t>(n);
  }
  virtual uint32_t millis() { return now_ms; }

  // Queues bytes "from the broker".
  void receive(const uint8_t* data, size_t length) {
    if (rx_offset == rx_length) rx_offset = rx_length = 0;  // all consumed: reuse the buffer
    if (rx_length + length > CAPACITY) abort();             // a test queued too much
    memcpy(rx + rx_length, data, length);
    rx_length += length;
  }
  void receive_connack(bool session_present, uint8_t code) {
    const uint8_t packet[] = {0x20, 0x02, static_cast<uint8_t>(session_present ? 1 : 0), code};
    receive(packet, sizeof(packet));
  }
  void receive_puback(uint16_t id) {
    const uint8_t packet[] = {0x40, 0x02, static_cast<uint8_t>(id >> 8), static_cast<uint8_t>(id)};
    receive(packet, sizeof(packet));
  }
  void clear_written() { written_length = 0; }

  uint32_t now_ms;
  bool open_result;
  bool is_open;
  int opens;
  int closes;
  bool fail_writes;
  bool peer_closed;
  uint8_t written[CAPACITY];
  size_t written_length;
  uint8_t rx[CAPACITY];
  size_t rx_length;
  size_t rx_offset;
};

#endif
