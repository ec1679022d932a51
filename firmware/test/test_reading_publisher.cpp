// Queue -> JSON -> MQTT, gated by the wall clock and the broker.
#include <string.h>

#include "bytes.h"
#include "check.h"
#include "fake_transport.h"
#include "sf_reading_publisher.h"

using sf::ReadingPublisher;

namespace {

struct Node {
  Node()
      : backoff(1000, 8000, 0, NULL),
        client(transport, backoff, inflight, sizeof(inflight), scratch, sizeof(scratch)),
        queue(slots, 8),
        publisher(queue, client, clock, "greenhouse-01", "sensors/greenhouse-01/readings", json, sizeof(json)) {
    sf::MqttClientConfig config;
    memset(&config, 0, sizeof(config));
    config.connect.client_id = "greenhouse-01";
    config.response_timeout_ms = 3000;
    config.retry_interval_ms = 5000;
    client.begin(config);
    client.poll();
    transport.receive_connack(false, 0);
    client.poll();
    transport.clear_written();
  }

  FakeTransport transport;
  sf::Backoff backoff;
  uint8_t inflight[320];
  uint8_t scratch[64];
  sf::MqttClient client;
  sf::Reading slots[8];
  sf::ReadingQueue queue;
  sf::WallClock clock;
  char json[256];
  ReadingPublisher publisher;
};

sf::Reading temperature_reading(uint32_t measured_at_ms, uint32_t seq, int16_t temperature_dc) {
  sf::Reading r = sf::empty_reading(measured_at_ms, seq);
  r.has_temperature = true;
  r.temperature_dc = temperature_dc;
  return r;
}

}  // namespace

TEST(publisher_holds_readings_until_the_clock_is_set) {
  Node node;
  REQUIRE(node.client.connected());
  CHECK_EQ(node.publisher.publish_next(0), ReadingPublisher::NOTHING_QUEUED);
  node.queue.push(temperature_reading(1000, 1, 214));
  CHECK_EQ(node.publisher.publish_next(2000), ReadingPublisher::WAITING_FOR_TIME);
  CHECK_EQ(node.queue.size(), 1);
  CHECK_EQ(node.transport.written_length, 0);

  // First NTP answer at millis 61000: the reading from millis 1000 is dated 60 s earlier.
  node.clock.set(1795248963120ULL, 61000);
  CHECK_EQ(node.publisher.publish_next(61000), ReadingPublisher::SENT);
  CHECK(node.queue.empty());
  Bytes expected;
  expected.hex("32 7a").mqtt_string("sensors/greenhouse-01/readings").hex("00 01").text(
      "{\"sensor_id\":\"greenhouse-01\",\"ts\":\"2026-11-21T08:15:03.120Z\",\"temperature\":21.4,\"seq\":1}");
  CHECK_BYTES(node.transport.written, node.transport.written_length, expected.data, expected.length);
}

TEST(publisher_sends_one_reading_per_acknowledgement_in_order) {
  Node node;
  node.clock.set(1795248903120ULL, 0);
  node.queue.push(temperature_reading(0, 1, 10));
  node.queue.push(temperature_reading(0, 2, 20));
  CHECK_EQ(node.publisher.publish_next(0), ReadingPublisher::SENT);
  CHECK_EQ(node.publisher.publish_next(0), ReadingPublisher::WAITING_FOR_BROKER);
  CHECK_EQ(node.queue.size(), 1);
  node.transport.receive_puback(1);
  node.client.poll();
  node.transport.clear_written();
  CHECK_EQ(node.publisher.publish_next(0), ReadingPublisher::SENT);
  CHECK(strstr(node.json, "\"seq\":2}") != NULL);
  CHECK_EQ(node.client.inflight_packet_id(), 2);
}

TEST(publisher_waits_while_disconnected) {
  Node node;
  node.clock.set(1795248903120ULL, 0);
  node.transport.peer_closed = true;
  node.client.poll();
  node.queue.push(temperature_reading(0, 1, 10));
  CHECK_EQ(node.publisher.publish_next(0), ReadingPublisher::WAITING_FOR_BROKER);
  CHECK_EQ(node.queue.size(), 1);
}

TEST(publisher_drops_a_reading_that_can_never_fit) {
  Node node;
  node.clock.set(1795248903120ULL, 0);
  // 300 characters of id cannot fit the 256-byte JSON buffer.
  static char long_id[301];
  memset(long_id, 'g', 300);
  long_id[300] = '\0';
  sf::ReadingPublisher publisher(node.queue, node.client, node.clock, long_id, "sensors/x/readings", node.json,
                                 sizeof(node.json));
  node.queue.push(temperature_reading(0, 1, 10));
  node.queue.push(temperature_reading(0, 2, 10));
  CHECK_EQ(publisher.publish_next(0), ReadingPublisher::DROPPED_UNENCODABLE);
  CHECK_EQ(publisher.dropped_unencodable(), 1);
  CHECK_EQ(node.queue.size(), 1);  // the next reading is not blocked behind it
}
