// MQTT 3.1.1 control packets a publishing client needs, encoded into and
// decoded from caller-provided buffers (OASIS MQTT 3.1.1, sections 2 and 3).
#ifndef SF_MQTT_PACKETS_H
#define SF_MQTT_PACKETS_H

#include <stddef.h>
#include <stdint.h>

namespace sf {
namespace mqtt {

// Control packet types: the high nibble of the fixed header's first byte.
enum PacketType {
  CONNECT = 1,
  CONNACK = 2,
  PUBLISH = 3,
  PUBACK = 4,
  SUBACK = 9,
  PINGREQ = 12,
  PINGRESP = 13,
  DISCONNECT = 14,
};

// CONNACK return codes (3.2.2.3).
enum ConnackCode {
  CONNACK_ACCEPTED = 0,
  CONNACK_BAD_PROTOCOL_VERSION = 1,
  CONNACK_IDENTIFIER_REJECTED = 2,
  CONNACK_SERVER_UNAVAILABLE = 3,
  CONNACK_BAD_USERNAME_OR_PASSWORD = 4,
  CONNACK_NOT_AUTHORIZED = 5,
};

const uint32_t MAX_REMAINING_LENGTH = 268435455UL;  // 4 bytes of 7 bits
const uint8_t MAX_REMAINING_LENGTH_BYTES = 4;
const uint8_t PUBLISH_DUP_FLAG = 0x08;

// Remaining length: 7 bits per byte, least significant first, bit 7 = "more".
// Returns the number of bytes written (1-4), or 0 when value is too large.
uint8_t encode_remaining_length(uint32_t value, uint8_t out[MAX_REMAINING_LENGTH_BYTES]);

enum DecodeStatus { DECODE_OK, DECODE_NEED_MORE, DECODE_MALFORMED };
// Decodes from the first `available` bytes of `in`; MALFORMED when a 4th byte
// still has the continuation bit set.
DecodeStatus decode_remaining_length(const uint8_t* in, size_t available, uint32_t* value, uint8_t* used);

struct ConnectOptions {
  const char* client_id;
  uint16_t keep_alive_s;  // 0 disables keep-alive
  bool clean_session;     // false: the broker keeps the session (and unacknowledged QoS 1) across connections
  const char* will_topic;  // NULL: no last will
  const uint8_t* will_payload;
  uint16_t will_payload_length;
  uint8_t will_qos;
  bool will_retain;
  const char* username;  // NULL: none
  const char* password;  // NULL: none; only allowed with a username (3.1.2.9)
};

// Every builder returns the packet length, or 0 when it does not fit in cap
// or the options are invalid. Nothing is written past cap.
size_t build_connect(uint8_t* buf, size_t cap, const ConnectOptions& options);
size_t build_publish(uint8_t* buf, size_t cap, const char* topic, const uint8_t* payload, size_t payload_length,
                     uint8_t qos, bool retain, bool dup, uint16_t packet_id);
size_t build_pingreq(uint8_t* buf, size_t cap);
size_t build_disconnect(uint8_t* buf, size_t cap);

// Marks an encoded PUBLISH as a re-delivery (3.3.1.1).
inline void set_dup_flag(uint8_t* publish_packet) { publish_packet[0] |= PUBLISH_DUP_FLAG; }

// Variable-header parsers, given the packet body after the fixed header.
bool parse_connack(const uint8_t* body, size_t length, bool* session_present, uint8_t* return_code);
bool parse_puback(const uint8_t* body, size_t length, uint16_t* packet_id);

}  // namespace mqtt
}  // namespace sf

#endif
