// MqttClient state machine against a scripted transport and clock.
#include <string.h>

#include "bytes.h"
#include "check.h"
#include "fake_transport.h"
#include "sf_mqtt_client.h"

using sf::MqttClient;

namespace {

const char* const WILL = "offline";
const uint32_t RETRY_MS = 5000;
const uint32_t RESPONSE_TIMEOUT_MS = 3000;

// One client wired to a fake transport, with jitter-free backoff 1 s .. 8 s.
struct Harness {
  Harness() : backoff(1000, 8000, 0, NULL), client(transport, backoff, inflight, sizeof(inflight), scratch, sizeof(scratch)) {
    memset(&config, 0, sizeof(config));
    config.connect.client_id = "node-1";
    config.connect.keep_alive_s = 10;
    config.connect.clean_session = false;
    config.connect.will_topic = "sensors/node-1/status";
    config.connect.will_payload = reinterpret_cast<const uint8_t*>(WILL);
    config.connect.will_payload_length = 7;
    config.connect.will_qos = 1;
    config.connect.will_retain = true;
    config.birth_topic = "sensors/node-1/status";
    config.birth_payload = "online";
    config.response_timeout_ms = RESPONSE_TIMEOUT_MS;
    config.retry_interval_ms = RETRY_MS;
  }

  // begin() + CONNACK; leaves the written buffer empty.
  bool connect() {
    client.begin(config);
    client.poll();
    transport.receive_connack(false, 0);
    client.poll();
    transport.clear_written();
    return client.connected();
  }

  void advance(uint32_t ms) {
    transport.now_ms += ms;
    client.poll();
  }

  size_t expected_connect(uint8_t* buf, size_t cap) { return sf::mqtt::build_connect(buf, cap, config.connect); }

  FakeTransport transport;
  sf::Backoff backoff;
  uint8_t inflight[256];
  uint8_t scratch[128];
  MqttClient client;
  sf::MqttClientConfig config;
};

Bytes birth_packet() {
  Bytes b;
  b.hex("31 1d").mqtt_string("sensors/node-1/status").text("online");
  return b;
}

Bytes reading_publish(uint16_t id, bool dup) {
  Bytes b;
  b.hex(dup ? "3a" : "32").hex("22").mqtt_string("sensors/node-1/readings");
  b.data[b.length++] = static_cast<uint8_t>(id >> 8);
  b.data[b.length++] = static_cast<uint8_t>(id);
  b.text("{\"a\":1}");
  return b;
}

bool publish_reading(Harness& h) {
  return h.client.publish_qos1("sensors/node-1/readings", reinterpret_cast<const uint8_t*>("{\"a\":1}"), 7);
}

}  // namespace

TEST(client_sends_connect_then_birth_after_connack) {
  Harness h;
  h.client.begin(h.config);
  CHECK_EQ(h.client.state(), MqttClient::WAITING_TO_RECONNECT);
  h.client.poll();
  CHECK_EQ(h.transport.opens, 1);
  CHECK_EQ(h.client.state(), MqttClient::AWAITING_CONNACK);
  uint8_t expected[128];
  const size_t n = h.expected_connect(expected, sizeof(expected));
  CHECK_BYTES(h.transport.written, h.transport.written_length, expected, n);
  CHECK(!h.client.ready_to_publish());

  h.transport.clear_written();
  h.transport.receive_connack(false, 0);
  h.client.poll();
  CHECK(h.client.connected());
  CHECK(h.client.ready_to_publish());
  const Bytes birth = birth_packet();
  CHECK_BYTES(h.transport.written, h.transport.written_length, birth.data, birth.length);
  CHECK_EQ(h.client.stats().connects, 1);
  CHECK(!h.client.stats().last_session_present);
}

TEST(client_refused_connack_backs_off_before_retrying) {
  Harness h;
  h.client.begin(h.config);
  h.client.poll();
  h.transport.receive_connack(false, sf::mqtt::CONNACK_NOT_AUTHORIZED);
  h.client.poll();
  CHECK_EQ(h.client.state(), MqttClient::WAITING_TO_RECONNECT);
  CHECK(!h.transport.is_open);
  CHECK_EQ(h.client.stats().last_connack_code, sf::mqtt::CONNACK_NOT_AUTHORIZED);
  h.advance(999);
  CHECK_EQ(h.transport.opens, 1);
  h.advance(1);
  CHECK_EQ(h.transport.opens, 2);
  CHECK_EQ(h.client.state(), MqttClient::AWAITING_CONNACK);
}

TEST(client_gives_up_on_missing_connack_after_timeout) {
  Harness h;
  h.client.begin(h.config);
  h.client.poll();
  h.advance(RESPONSE_TIMEOUT_MS - 1);
  CHECK_EQ(h.client.state(), MqttClient::AWAITING_CONNACK);
  h.advance(1);
  CHECK_EQ(h.client.state(), MqttClient::WAITING_TO_RECONNECT);
  CHECK_EQ(h.transport.closes, 1);
}

TEST(client_drops_link_when_first_packet_is_not_connack) {
  Harness h;
  h.client.begin(h.config);
  h.client.poll();
  h.transport.receive_puback(1);
  h.client.poll();
  CHECK_EQ(h.client.state(), MqttClient::WAITING_TO_RECONNECT);
}

TEST(client_reconnect_delays_grow_and_cap) {
  Harness h;
  h.transport.open_result = false;
  h.client.begin(h.config);
  h.client.poll();  // immediate first attempt fails
  CHECK_EQ(h.transport.opens, 1);
  // Expected gaps: 1 s, 2 s, 4 s, 8 s, 8 s (cap).
  const uint32_t gaps[] = {1000, 2000, 4000, 8000, 8000};
  for (int i = 0; i < 5; ++i) {
    h.advance(gaps[i] - 1);
    CHECK_EQ(h.transport.opens, 1 + i);
    h.advance(1);
    CHECK_EQ(h.transport.opens, 2 + i);
  }
  // Success resets the backoff: the next loss waits 1 s again.
  h.transport.open_result = true;
  h.advance(8000);
  h.transport.receive_connack(false, 0);
  h.client.poll();
  REQUIRE(h.client.connected());
  const int opens = h.transport.opens;
  h.transport.peer_closed = true;
  h.client.poll();
  REQUIRE_EQ(h.client.state(), MqttClient::WAITING_TO_RECONNECT);
  h.advance(1000);
  CHECK_EQ(h.transport.opens, opens + 1);
}

TEST(client_publish_qos1_is_retransmitted_with_dup_until_puback) {
  Harness h;
  REQUIRE(h.connect());
  REQUIRE(publish_reading(h));
  Bytes first = reading_publish(1, false);
  CHECK_BYTES(h.transport.written, h.transport.written_length, first.data, first.length);
  CHECK(!h.client.ready_to_publish());
  CHECK(!publish_reading(h));  // one in flight at a time

  h.transport.clear_written();
  h.advance(RETRY_MS - 1);
  CHECK_EQ(h.transport.written_length, 0);
  h.advance(1);
  Bytes dup = reading_publish(1, true);
  CHECK_BYTES(h.transport.written, h.transport.written_length, dup.data, dup.length);
  CHECK_EQ(h.client.stats().retransmissions, 1);

  h.transport.clear_written();
  h.advance(RETRY_MS);
  CHECK_BYTES(h.transport.written, h.transport.written_length, dup.data, dup.length);
  CHECK_EQ(h.client.stats().retransmissions, 2);

  // A PUBACK for another id does not release it; the right one does.
  h.transport.receive_puback(2);
  h.client.poll();
  CHECK(h.client.has_inflight());
  h.transport.receive_puback(1);
  h.client.poll();
  CHECK(!h.client.has_inflight());
  CHECK(h.client.ready_to_publish());
  CHECK_EQ(h.client.stats().acknowledged, 1);

  h.transport.clear_written();
  h.advance(RETRY_MS * 3);
  CHECK_EQ(h.client.stats().retransmissions, 2);  // nothing more after the PUBACK
}

TEST(client_packet_ids_increase_and_skip_zero_on_wrap) {
  Harness h;
  h.config.connect.keep_alive_s = 0;
  REQUIRE(h.connect());
  for (uint32_t i = 1; i <= 65536; ++i) {
    h.transport.clear_written();
    REQUIRE(publish_reading(h));
    const uint16_t expected_id = static_cast<uint16_t>(i <= 65535 ? i : 1);
    REQUIRE_EQ(h.client.inflight_packet_id(), expected_id);
    h.transport.receive_puback(expected_id);
    h.client.poll();
    REQUIRE(!h.client.has_inflight());
  }
}

TEST(client_resends_inflight_with_dup_after_reconnect) {
  Harness h;
  REQUIRE(h.connect());
  REQUIRE(publish_reading(h));
  h.transport.peer_closed = true;  // link lost before the PUBACK
  h.client.poll();
  REQUIRE_EQ(h.client.state(), MqttClient::WAITING_TO_RECONNECT);
  CHECK(h.client.has_inflight());

  h.transport.clear_written();
  h.advance(1000);
  REQUIRE_EQ(h.client.state(), MqttClient::AWAITING_CONNACK);
  h.transport.clear_written();
  h.transport.receive_connack(true, 0);
  h.client.poll();
  REQUIRE(h.client.connected());
  CHECK(h.client.stats().last_session_present);
  Bytes expected = birth_packet();
  const Bytes dup = reading_publish(1, true);
  memcpy(expected.data + expected.length, dup.data, dup.length);
  expected.length += dup.length;
  CHECK_BYTES(h.transport.written, h.transport.written_length, expected.data, expected.length);

  h.transport.receive_puback(1);
  h.client.poll();
  CHECK(!h.client.has_inflight());
}

TEST(client_keeps_message_when_write_fails_during_publish) {
  Harness h;
  REQUIRE(h.connect());
  h.transport.fail_writes = true;
  CHECK(publish_reading(h));  // accepted: it is the client's job now
  CHECK_EQ(h.client.state(), MqttClient::WAITING_TO_RECONNECT);
  CHECK(h.client.has_inflight());
  h.transport.fail_writes = false;
  h.advance(1000);
  h.transport.receive_connack(true, 0);
  h.transport.clear_written();
  h.client.poll();
  CHECK(h.client.connected());
  CHECK_EQ(h.client.stats().retransmissions, 1);
}

TEST(client_pings_when_idle_and_drops_link_without_pingresp) {
  Harness h;
  REQUIRE(h.connect());
  h.advance(9999);
  CHECK_EQ(h.transport.written_length, 0);
  h.advance(1);
  const uint8_t pingreq[] = {0xC0, 0x00};
  CHECK_BYTES(h.transport.written, h.transport.written_length, pingreq, 2);
  CHECK_EQ(h.client.stats().pings_sent, 1);

  const uint8_t pingresp[] = {0xD0, 0x00};
  h.transport.receive(pingresp, 2);
  h.client.poll();
  CHECK_EQ(h.client.stats().pings_answered, 1);

  // Next ping goes unanswered: the link is declared dead after the response timeout.
  h.advance(10000);
  CHECK_EQ(h.client.stats().pings_sent, 2);
  h.advance(RESPONSE_TIMEOUT_MS - 1);
  CHECK(h.client.connected());
  h.advance(1);
  CHECK_EQ(h.client.state(), MqttClient::WAITING_TO_RECONNECT);
}

TEST(client_sending_a_publish_postpones_the_ping) {
  Harness h;
  REQUIRE(h.connect());
  h.advance(6000);
  REQUIRE(publish_reading(h));
  h.transport.receive_puback(1);
  h.advance(9999);  // 9.999 s since the PUBLISH: no ping yet
  CHECK_EQ(h.client.stats().pings_sent, 0);
  h.advance(1);
  CHECK_EQ(h.client.stats().pings_sent, 1);
}

TEST(client_drops_link_on_malformed_input) {
  Harness h;
  REQUIRE(h.connect());
  const uint8_t garbage[] = {0x40, 0xFF, 0xFF, 0xFF, 0xFF};
  h.transport.receive(garbage, sizeof(garbage));
  h.client.poll();
  CHECK_EQ(h.client.state(), MqttClient::WAITING_TO_RECONNECT);
}

TEST(client_disconnect_sends_disconnect_and_stops) {
  Harness h;
  REQUIRE(h.connect());
  h.client.disconnect();
  const uint8_t disconnect[] = {0xE0, 0x00};
  CHECK_BYTES(h.transport.written, h.transport.written_length, disconnect, 2);
  CHECK(!h.transport.is_open);
  CHECK_EQ(h.client.state(), MqttClient::STOPPED);
  h.advance(60000);
  CHECK_EQ(h.transport.opens, 1);  // no reconnect after a deliberate disconnect
}

TEST(client_refuses_a_publish_larger_than_its_buffer) {
  Harness h;
  REQUIRE(h.connect());
  static uint8_t big[300];
  memset(big, 'x', sizeof(big));
  CHECK(!h.client.publish_qos1("sensors/node-1/readings", big, sizeof(big)));
  CHECK(h.client.ready_to_publish());
  CHECK_EQ(h.transport.written_length, 0);
}

TEST(client_stops_when_connect_does_not_fit_its_buffer) {
  Harness h;
  static char long_id[200];
  memset(long_id, 'n', sizeof(long_id) - 1);
  long_id[sizeof(long_id) - 1] = '\0';
  h.config.connect.client_id = long_id;
  h.client.begin(h.config);
  h.client.poll();
  CHECK_EQ(h.client.state(), MqttClient::STOPPED);
  CHECK(!h.transport.is_open);
}
