#include "sf_mqtt_packets.h"

#include <string.h>

namespace sf {
namespace mqtt {

namespace {

const uint8_t PROTOCOL_LEVEL_3_1_1 = 4;
const uint8_t FLAG_USERNAME = 0x80;
const uint8_t FLAG_PASSWORD = 0x40;
const uint8_t FLAG_WILL_RETAIN = 0x20;
const uint8_t FLAG_WILL = 0x04;
const uint8_t FLAG_CLEAN_SESSION = 0x02;
const uint8_t WILL_QOS_SHIFT = 3;

// Sequential writer that refuses to go past the buffer.
class ByteWriter {
 public:
  ByteWriter(uint8_t* buf, size_t cap) : buf_(buf), cap_(cap), len_(0), ok_(true) {}

  void put(uint8_t b) {
    if (!ok_ || len_ >= cap_) {
      ok_ = false;
      return;
    }
    buf_[len_++] = b;
  }
  void put_u16(uint16_t v) {
    put(static_cast<uint8_t>(v >> 8));
    put(static_cast<uint8_t>(v));
  }
  void put_bytes(const uint8_t* p, size_t n) {
    if (!ok_ || n > cap_ - len_) {
      ok_ = false;
      return;
    }
    if (n > 0) memcpy(buf_ + len_, p, n);
    len_ += n;
  }
  // UTF-8 string / binary data: 2-byte big-endian length, then the bytes (1.5.3).
  void put_prefixed(const uint8_t* p, size_t n) {
    put_u16(static_cast<uint16_t>(n));
    put_bytes(p, n);
  }
  void put_string(const char* s) { put_prefixed(reinterpret_cast<const uint8_t*>(s), strlen(s)); }
  void put_fixed_header(uint8_t first_byte, uint32_t remaining_length) {
    uint8_t encoded[MAX_REMAINING_LENGTH_BYTES];
    const uint8_t n = encode_remaining_length(remaining_length, encoded);
    if (n == 0) {
      ok_ = false;
      return;
    }
    put(first_byte);
    put_bytes(encoded, n);
  }

  size_t result() const { return ok_ ? len_ : 0; }

 private:
  uint8_t* buf_;
  size_t cap_;
  size_t len_;
  bool ok_;
};

const size_t MAX_FIELD_LENGTH = 65535;

// Length of a length-prefixed field, or false when it cannot be encoded.
bool add_field(uint32_t* total, size_t field_length) {
  if (field_length > MAX_FIELD_LENGTH) return false;
  *total += 2 + static_cast<uint32_t>(field_length);
  return true;
}

}  // namespace

uint8_t encode_remaining_length(uint32_t value, uint8_t out[MAX_REMAINING_LENGTH_BYTES]) {
  if (value > MAX_REMAINING_LENGTH) return 0;
  uint8_t n = 0;
  do {
    uint8_t digit = static_cast<uint8_t>(value & 0x7F);
    value >>= 7;
    if (value > 0) digit |= 0x80;
    out[n++] = digit;
  } while (value > 0);
  return n;
}

DecodeStatus decode_remaining_length(const uint8_t* in, size_t available, uint32_t* value, uint8_t* used) {
  uint32_t result = 0;
  for (uint8_t i = 0; i < MAX_REMAINING_LENGTH_BYTES; ++i) {
    if (i >= available) return DECODE_NEED_MORE;
    result |= static_cast<uint32_t>(in[i] & 0x7F) << (7 * i);
    if ((in[i] & 0x80) == 0) {
      *value = result;
      *used = static_cast<uint8_t>(i + 1);
      return DECODE_OK;
    }
  }
  return DECODE_MALFORMED;
}

size_t build_connect(uint8_t* buf, size_t cap, const ConnectOptions& o) {
  if (o.client_id == 0 || o.will_qos > 2) return 0;
  if (o.password != 0 && o.username == 0) return 0;
  const bool has_will = o.will_topic != 0;

  // Variable header: protocol name (6) + level (1) + flags (1) + keep alive (2).
  uint32_t remaining = 10;
  bool ok = add_field(&remaining, strlen(o.client_id));
  if (has_will) {
    ok = ok && add_field(&remaining, strlen(o.will_topic));
    ok = ok && add_field(&remaining, o.will_payload_length);
  }
  if (o.username != 0) ok = ok && add_field(&remaining, strlen(o.username));
  if (o.password != 0) ok = ok && add_field(&remaining, strlen(o.password));
  if (!ok) return 0;

  uint8_t flags = 0;
  if (o.clean_session) flags |= FLAG_CLEAN_SESSION;
  if (has_will) {
    flags |= FLAG_WILL | static_cast<uint8_t>(o.will_qos << WILL_QOS_SHIFT);
    if (o.will_retain) flags |= FLAG_WILL_RETAIN;
  }
  if (o.username != 0) flags |= FLAG_USERNAME;
  if (o.password != 0) flags |= FLAG_PASSWORD;

  ByteWriter w(buf, cap);
  w.put_fixed_header(CONNECT << 4, remaining);
  w.put_string("MQTT");
  w.put(PROTOCOL_LEVEL_3_1_1);
  w.put(flags);
  w.put_u16(o.keep_alive_s);
  // Payload order is fixed by 3.1.3: client id, will topic, will message, user, password.
  w.put_string(o.client_id);
  if (has_will) {
    w.put_string(o.will_topic);
    w.put_prefixed(o.will_payload, o.will_payload_length);
  }
  if (o.username != 0) w.put_string(o.username);
  if (o.password != 0) w.put_string(o.password);
  return w.result();
}

size_t build_publish(uint8_t* buf, size_t cap, const char* topic, const uint8_t* payload, size_t payload_length,
                     uint8_t qos, bool retain, bool dup, uint16_t packet_id) {
  if (qos > 2) return 0;
  if (qos > 0 && packet_id == 0) return 0;  // packet id 0 is reserved (2.3.1)
  if (qos == 0 && dup) return 0;             // DUP must be 0 for QoS 0 (3.3.1.1)
  const size_t topic_length = strlen(topic);
  if (topic_length == 0 || topic_length > MAX_FIELD_LENGTH) return 0;

  const uint32_t header_part = 2 + static_cast<uint32_t>(topic_length) + (qos > 0 ? 2 : 0);
  if (payload_length > MAX_REMAINING_LENGTH - header_part) return 0;
  const uint32_t remaining = header_part + static_cast<uint32_t>(payload_length);
  uint8_t first = static_cast<uint8_t>((PUBLISH << 4) | (qos << 1));
  if (dup) first |= PUBLISH_DUP_FLAG;
  if (retain) first |= 0x01;

  ByteWriter w(buf, cap);
  w.put_fixed_header(first, remaining);
  w.put_string(topic);
  if (qos > 0) w.put_u16(packet_id);
  w.put_bytes(payload, payload_length);
  return w.result();
}

size_t build_pingreq(uint8_t* buf, size_t cap) {
  ByteWriter w(buf, cap);
  w.put_fixed_header(PINGREQ << 4, 0);
  return w.result();
}

size_t build_disconnect(uint8_t* buf, size_t cap) {
  ByteWriter w(buf, cap);
  w.put_fixed_header(DISCONNECT << 4, 0);
  return w.result();
}

bool parse_connack(const uint8_t* body, size_t length, bool* session_present, uint8_t* return_code) {
  // Bits 7-1 of the acknowledge flags are reserved and must be 0 (3.2.2.1).
  if (length != 2 || (body[0] & 0xFE) != 0) return false;
  *session_present = (body[0] & 0x01) != 0;
  *return_code = body[1];
  return true;
}

bool parse_puback(const uint8_t* body, size_t length, uint16_t* packet_id) {
  if (length != 2) return false;
  *packet_id = static_cast<uint16_t>((body[0] << 8) | body[1]);
  return true;
}

}  // namespace mqtt
}  // namespace sf
