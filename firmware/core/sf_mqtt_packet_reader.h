// Reassembles MQTT packets from the byte stream received from the broker.
#ifndef SF_MQTT_PACKET_READER_H
#define SF_MQTT_PACKET_READER_H

#include <stdint.h>

namespace sf {
namespace mqtt {

// Bytes arrive in arbitrary pieces over TCP; this keeps the state between them.
// The client only expects small packets (CONNACK, PUBACK, PINGRESP: at most 2
// body bytes), so the body buffer is small. Longer bodies are consumed and
// reported as truncated instead of overrunning anything.
class PacketReader {
 public:
  static const uint8_t BODY_CAPACITY = 8;

  enum Result { NEED_MORE, PACKET_READY, MALFORMED };

  PacketReader() { reset(); }
  void reset();

  // Consumes one byte. After PACKET_READY the accessors describe the packet
  // until the next feed(). After MALFORMED the stream cannot be resynchronised:
  // drop the connection.
  Result feed(uint8_t byte);

  uint8_t type() const { return header_ >> 4; }
  uint8_t flags() const { return header_ & 0x0F; }
  uint32_t body_length() const { return body_length_; }
  const uint8_t* body() const { return body_; }
  // True when body_length() > BODY_CAPACITY: only the first bytes were kept.
  bool truncated() const { return body_length_ > BODY_CAPACITY; }

 private:
  enum State { READ_HEADER, READ_LENGTH, READ_BODY };

  Result complete();

  State state_;
  uint8_t header_;
  uint8_t length_bytes_;
  uint32_t body_length_;
  uint32_t received_;
  uint8_t body_[BODY_CAPACITY];
};

}  // namespace mqtt
}  // namespace sf

#endif
