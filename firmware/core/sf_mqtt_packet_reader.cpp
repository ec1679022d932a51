#include "sf_mqtt_packet_reader.h"

#include "sf_mqtt_packets.h"

namespace sf {
namespace mqtt {

void PacketReader::reset() {
  state_ = READ_HEADER;
  header_ = 0;
  length_bytes_ = 0;
  body_length_ = 0;
  received_ = 0;
}

PacketReader::Result PacketReader::complete() {
  state_ = READ_HEADER;
  return PACKET_READY;
}

PacketReader::Result PacketReader::feed(uint8_t byte) {
  switch (state_) {
    case READ_HEADER:
      header_ = byte;
      length_bytes_ = 0;
      body_length_ = 0;
      received_ = 0;
      state_ = READ_LENGTH;
      return NEED_MORE;

    case READ_LENGTH:
      // Same varint as decode_remaining_length(), one byte at a time.
      body_length_ |= static_cast<uint32_t>(byte & 0x7F) << (7 * length_bytes_);
      ++length_bytes_;
      if (byte & 0x80) {
        if (length_bytes_ == MAX_REMAINING_LENGTH_BYTES) {
          state_ = READ_HEADER;
          return MALFORMED;
        }
        return NEED_MORE;
      }
      if (body_length_ == 0) return complete();
      state_ = READ_BODY;
      return NEED_MORE;

    case READ_BODY:
      if (received_ < BODY_CAPACITY) body_[received_] = byte;
      ++received_;
      if (received_ == body_length_) return complete();
      return NEED_MORE;
  }
  return MALFORMED;
}

}  // namespace mqtt
}  // namespace sf
