// MQTT 3.1.1 packet encoding/decoding, checked against the byte layouts of the spec.
#include <string.h>

#include "bytes.h"
#include "check.h"
#include "sf_mqtt_packet_reader.h"
#include "sf_mqtt_packets.h"

using namespace sf::mqtt;

namespace {

bool remaining_length_encodes_as(uint32_t value, const char* hex) {
  Bytes expected;
  expected.hex(hex);
  uint8_t out[4] = {0, 0, 0, 0};
  const uint8_t n = encode_remaining_length(value, out);
  if (!CHECK_BYTES(out, n, expected.data, expected.length)) return false;
  uint32_t decoded = 0;
  uint8_t used = 0;
  return CHECK_EQ(decode_remaining_length(out, n, &decoded, &used), DECODE_OK) && CHECK_EQ(decoded, value) &&
         CHECK_EQ(used, n);
}

ConnectOptions options_without_will(const char* client_id) {
  ConnectOptions o;
  memset(&o, 0, sizeof(o));
  o.client_id = client_id;
  return o;
}

}  // namespace

TEST(remaining_length_boundaries_from_the_spec_table) {
  // Table 2.4: one byte up to 127, two up to 16383, three up to 2097151, four up to 268435455.
  remaining_length_encodes_as(0, "00");
  remaining_length_encodes_as(127, "7f");
  remaining_length_encodes_as(128, "80 01");
  remaining_length_encodes_as(321, "c1 02");
  remaining_length_encodes_as(16383, "ff 7f");
  remaining_length_encodes_as(16384, "80 80 01");
  remaining_length_encodes_as(2097151, "ff ff 7f");
  remaining_length_encodes_as(2097152, "80 80 80 01");
  remaining_length_encodes_as(268435455, "ff ff ff 7f");
}

TEST(remaining_length_too_large_is_refused) {
  uint8_t out[4] = {0xAA, 0xAA, 0xAA, 0xAA};
  CHECK_EQ(encode_remaining_length(268435456UL, out), 0);
  CHECK_EQ(out[0], 0xAA);
}

TEST(remaining_length_decoder_needs_more_and_malformed) {
  uint32_t value = 0;
  uint8_t used = 0;
  const uint8_t partial[] = {0x80, 0x80};
  CHECK_EQ(decode_remaining_length(partial, 2, &value, &used), DECODE_NEED_MORE);
  CHECK_EQ(decode_remaining_length(partial, 0, &value, &used), DECODE_NEED_MORE);
  const uint8_t five_bytes[] = {0xFF, 0xFF, 0xFF, 0xFF, 0x7F};
  CHECK_EQ(decode_remaining_length(five_bytes, 5, &value, &used), DECODE_MALFORMED);
}

TEST(connect_with_retained_last_will_and_persistent_session) {
  ConnectOptions o = options_without_will("greenhouse-01");
  o.keep_alive_s = 30;
  o.clean_session = false;
  o.will_topic = "sensors/greenhouse-01/status";
  o.will_payload = reinterpret_cast<const uint8_t*>("offline");
  o.will_payload_length = 7;
  o.will_qos = 1;
  o.will_retain = true;

  Bytes expected;
  expected.hex("10 40")               // CONNECT, remaining length 10 + 15 + 30 + 9 = 64
      .mqtt_string("MQTT")
      .hex("04")                      // protocol level 4 = 3.1.1
      .hex("2c")                      // will retain 0x20 | will QoS 1 0x08 | will flag 0x04, clean session 0
      .hex("00 1e")                   // keep alive 30 s
      .mqtt_string("greenhouse-01")
      .mqtt_string("sensors/greenhouse-01/status")
      .mqtt_string("offline");
  uint8_t buf[128];
  const size_t n = build_connect(buf, sizeof(buf), o);
  CHECK_BYTES(buf, n, expected.data, expected.length);
}

TEST(connect_with_credentials_and_clean_session) {
  ConnectOptions o = options_without_will("c");
  o.keep_alive_s = 60;
  o.clean_session = true;
  o.username = "u";
  o.password = "p";
  Bytes expected;
  expected.hex("10 13").mqtt_string("MQTT").hex("04 c2 00 3c").mqtt_string("c").mqtt_string("u").mqtt_string("p");
  uint8_t buf[64];
  const size_t n = build_connect(buf, sizeof(buf), o);
  CHECK_BYTES(buf, n, expected.data, expected.length);
}

TEST(connect_rejects_invalid_options) {
  uint8_t buf[64];
  ConnectOptions o = options_without_will("c");
  o.password = "p";  // a password needs a user name (3.1.2.9)
  CHECK_EQ(build_connect(buf, sizeof(buf), o), 0);
  o = options_without_will("c");
  o.will_topic = "t";
  o.will_qos = 3;
  CHECK_EQ(build_connect(buf, sizeof(buf), o), 0);
  o = options_without_will(NULL);
  CHECK_EQ(build_connect(buf, sizeof(buf), o), 0);
}

TEST(connect_never_writes_past_a_small_buffer) {
  ConnectOptions o = options_without_will("greenhouse-01");
  uint8_t buf[64];
  const size_t full = build_connect(buf, sizeof(buf), o);
  REQUIRE_EQ(full, 2 + 10 + 15);
  for (size_t cap = 0; cap < full; ++cap) {
    memset(buf, 0xEE, sizeof(buf));
    CHECK_EQ(build_connect(buf, cap, o), 0);
    for (size_t i = cap; i < sizeof(buf); ++i) {
      if (!CHECK_EQ(buf[i], 0xEE)) return;
    }
  }
}

TEST(publish_qos1_layout_and_dup_flag) {
  uint8_t buf[64];
  const uint8_t payload[] = {'h', 'i'};
  size_t n = build_publish(buf, sizeof(buf), "a/b", payload, 2, 1, false, false, 0x1234);
  Bytes expected;
  expected.hex("32 09").mqtt_string("a/b").hex("12 34").text("hi");  // 0x30 | QoS 1 << 1
  CHECK_BYTES(buf, n, expected.data, expected.length);

  set_dup_flag(buf);
  expected.data[0] = 0x3A;  // DUP is bit 3
  CHECK_BYTES(buf, n, expected.data, expected.length);

  n = build_publish(buf, sizeof(buf), "a/b", payload, 2, 1, false, true, 0x1234);
  CHECK_BYTES(buf, n, expected.data, expected.length);
}

TEST(publish_qos0_retained_has_no_packet_id) {
  uint8_t buf[64];
  const char* text = "online";
  const size_t n =
      build_publish(buf, sizeof(buf), "s/x/status", reinterpret_cast<const uint8_t*>(text), 6, 0, true, false, 0);
  Bytes expected;
  expected.hex("31 12").mqtt_string("s/x/status").text("online");
  CHECK_BYTES(buf, n, expected.data, expected.length);
}

TEST(publish_rejects_what_the_spec_forbids) {
  uint8_t buf[64];
  const uint8_t payload[] = {1};
  CHECK_EQ(build_publish(buf, sizeof(buf), "t", payload, 1, 1, false, false, 0), 0);  // QoS 1 needs an id
  CHECK_EQ(build_publish(buf, sizeof(buf), "t", payload, 1, 0, false, true, 0), 0);   // DUP with QoS 0
  CHECK_EQ(build_publish(buf, sizeof(buf), "", payload, 1, 0, false, false, 0), 0);   // empty topic
  CHECK_EQ(build_publish(buf, sizeof(buf), "t", payload, 1, 3, false, false, 1), 0);  // QoS 3
  CHECK_EQ(build_publish(buf, 7, "t", payload, 1, 1, false, false, 1), 0);            // 8 bytes needed
  CHECK_EQ(build_publish(buf, 8, "t", payload, 1, 1, false, false, 1), 8);
}

TEST(publish_with_multi_byte_remaining_length) {
  static uint8_t payload[16384];
  static uint8_t buf[16400];
  memset(payload, 'p', sizeof(payload));
  // topic "t" (3) + id (2) + payload 122 = 127: still a one-byte length
  size_t n = build_publish(buf, sizeof(buf), "t", payload, 122, 1, false, false, 1);
  CHECK_EQ(n, 2 + 127);
  CHECK_EQ(buf[1], 0x7F);
  // 128 -> 80 01
  n = build_publish(buf, sizeof(buf), "t", payload, 123, 1, false, false, 1);
  CHECK_EQ(n, 3 + 128);
  CHECK_EQ(buf[1], 0x80);
  CHECK_EQ(buf[2], 0x01);
  // 16384 -> 80 80 01
  n = build_publish(buf, sizeof(buf), "t", payload, 16384 - 5, 1, false, false, 1);
  CHECK_EQ(n, 4 + 16384);
  const uint8_t header[] = {0x32, 0x80, 0x80, 0x01, 0x00, 0x01, 't', 0x00, 0x01};
  CHECK_BYTES(buf, sizeof(header), header, sizeof(header));
}

TEST(ping_and_disconnect_are_two_bytes) {
  uint8_t buf[4];
  const uint8_t pingreq[] = {0xC0, 0x00};
  const uint8_t disconnect[] = {0xE0, 0x00};
  CHECK_BYTES(buf, build_pingreq(buf, sizeof(buf)), pingreq, 2);
  CHECK_BYTES(buf, build_disconnect(buf, sizeof(buf)), disconnect, 2);
  CHECK_EQ(build_pingreq(buf, 1), 0);
}

TEST(connack_and_puback_parsing) {
  bool session_present = false;
  uint8_t code = 99;
  const uint8_t accepted_with_session[] = {0x01, 0x00};
  REQUIRE(parse_connack(accepted_with_session, 2, &session_present, &code));
  CHECK(session_present);
  CHECK_EQ(code, CONNACK_ACCEPTED);
  const uint8_t not_authorized[] = {0x00, 0x05};
  REQUIRE(parse_connack(not_authorized, 2, &session_present, &code));
  CHECK(!session_present);
  CHECK_EQ(code, CONNACK_NOT_AUTHORIZED);
  const uint8_t reserved_bits_set[] = {0x02, 0x00};
  CHECK(!parse_connack(reserved_bits_set, 2, &session_present, &code));
  CHECK(!parse_connack(not_authorized, 3, &session_present, &code));

  uint16_t id = 0;
  const uint8_t puback[] = {0xBE, 0xEF};
  REQUIRE(parse_puback(puback, 2, &id));
  CHECK_EQ(id, 0xBEEF);
  CHECK(!parse_puback(puback, 1, &id));
}

TEST(packet_reader_reassembles_split_packets) {
  PacketReader reader;
  // CONNACK, PINGRESP and PUBACK back to back, fed one byte at a time.
  const uint8_t stream[] = {0x20, 0x02, 0x00, 0x00, 0xD0, 0x00, 0x40, 0x02, 0x00, 0x07};
  int ready = 0;
  uint8_t types[3] = {0, 0, 0};
  for (size_t i = 0; i < sizeof(stream); ++i) {
    const PacketReader::Result r = reader.feed(stream[i]);
    REQUIRE(r != PacketReader::MALFORMED);
    if (r == PacketReader::PACKET_READY) {
      types[ready++] = reader.type();
      if (reader.type() == PUBACK) {
        CHECK_EQ(reader.body_length(), 2);
        CHECK_EQ(reader.body()[1], 7);
      }
    }
  }
  CHECK_EQ(ready, 3);
  CHECK_EQ(types[0], CONNACK);
  CHECK_EQ(types[1], PINGRESP);
  CHECK_EQ(types[2], PUBACK);
}

TEST(packet_reader_skips_oversized_bodies_without_overrun) {
  PacketReader reader;
  // A 200-byte PUBLISH (length c8 01) then a PINGRESP.
  REQUIRE_EQ(reader.feed(0x30), PacketReader::NEED_MORE);
  REQUIRE_EQ(reader.feed(0xC8), PacketReader::NEED_MORE);
  REQUIRE_EQ(reader.feed(0x01), PacketReader::NEED_MORE);
  for (int i = 0; i < 199; ++i) REQUIRE_EQ(reader.feed(static_cast<uint8_t>(i)), PacketReader::NEED_MORE);
  REQUIRE_EQ(reader.feed(0xFF), PacketReader::PACKET_READY);
  CHECK_EQ(reader.type(), PUBLISH);
  CHECK_EQ(reader.body_length(), 200);
  CHECK(reader.truncated());
  CHECK_EQ(reader.feed(0xD0), PacketReader::NEED_MORE);
  CHECK_EQ(reader.feed(0x00), PacketReader::PACKET_READY);
  CHECK_EQ(reader.type(), PINGRESP);
  CHECK(!reader.truncated());
}

TEST(packet_reader_flags_malformed_length) {
  PacketReader reader;
  reader.feed(0x30);
  CHECK_EQ(reader.feed(0xFF), PacketReader::NEED_MORE);
  CHECK_EQ(reader.feed(0xFF), PacketReader::NEED_MORE);
  CHECK_EQ(reader.feed(0xFF), PacketReader::NEED_MORE);
  CHECK_EQ(reader.feed(0xFF), PacketReader::MALFORMED);
}
