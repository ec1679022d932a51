// The core's MQTT client over a real TCP socket against a real mosquitto broker,
// with mosquitto_sub as an independent observer.
//
// Without mosquitto the tests report SKIPPED; with CI=true they fail instead,
// since CI installs the broker and a silent skip would hide a broken setup.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <string>

#include "check.h"
#include "mosquitto_broker.h"
#include "posix_tcp_transport.h"
#include "sf_json_payload.h"
#include "sf_reading_publisher.h"
#include "sf_topics.h"

namespace {

const uint64_t TS_2026_11_21_08_15_03_120 = 1795248903120ULL;

// Everything a node owns, wired like the sketch does.
struct Node {
  explicit Node(const char* id, uint16_t port, uint16_t keep_alive_s)
      : transport("127.0.0.1", port),
        prng(12345),
        backoff(100, 1000, 50, &prng),
        client(transport, backoff, inflight, sizeof(inflight), scratch, sizeof(scratch)),
        queue(slots, 8),
        publisher(queue, client, clock, id, readings_topic, json, sizeof(json)) {
    sensor_id = id;
    sf::build_sensor_topic(readings_topic, sizeof(readings_topic), id, "readings");
    sf::build_sensor_topic(status_topic, sizeof(status_topic), id, "status");
    sf::build_status_json(offline, sizeof(offline), id, false);
    sf::build_status_json(online, sizeof(online), id, true);
    sf::MqttClientConfig config;
    memset(&config, 0, sizeof(config));
    config.connect.client_id = id;
    config.connect.keep_alive_s = keep_alive_s;
    config.connect.clean_session = false;
    config.connect.will_topic = status_topic;
    config.connect.will_payload = reinterpret_cast<const uint8_t*>(offline);
    config.connect.will_payload_length = static_cast<uint16_t>(strlen(offline));
    config.connect.will_qos = 1;
    config.connect.will_retain = true;
    config.birth_topic = status_topic;
    config.birth_payload = online;
    config.response_timeout_ms = 3000;
    config.retry_interval_ms = 2000;
    client.begin(config);
  }

  // Runs the main loop until done() or the timeout; true when done.
  template <typename Condition>
  bool run_until(Condition done, uint32_t timeout_ms) {
    const uint32_t start = transport.millis();
    while (transport.millis() - start < timeout_ms) {
      client.poll();
      publisher.publish_next(transport.millis());
      if (done(*this)) return true;
      usleep(2000);
    }
    return false;
  }

  const char* sensor_id;
  PosixTcpTransport transport;
  sf::Prng prng;
  sf::Backoff backoff;
  uint8_t inflight[320];
  uint8_t scratch[192];
  sf::MqttClient client;
  sf::Reading slots[8];
  sf::ReadingQueue queue;
  sf::WallClock clock;
  char readings_topic[64];
  char status_topic[64];
  char offline[96];
  char online[96];
  char json[256];
  sf::ReadingPublisher publisher;
};

bool is_connected(const Node& node) { return node.client.connected(); }
bool all_acknowledged(const Node& node) { return node.queue.empty() && !node.client.has_inflight(); }
bool never(const Node&) { return false; }

// Starts the broker, or reports why not: SKIPPED locally, failure under CI=true.
bool start_broker_or_skip(MosquittoBroker& broker) {
  const char* ci = getenv("CI");
  const bool in_ci = ci != NULL && strcmp(ci, "true") == 0;
  if (find_program("mosquitto").empty() || find_program("mosquitto_sub").empty()) {
    const char* reason = "mosquitto/mosquitto_sub not installed (apt-get install -y mosquitto mosquitto-clients)";
    if (in_ci) {
      CHECK(!"CI=true requires mosquitto and mosquitto-clients");
    } else {
      check::skip(reason);
    }
    return false;
  }
  if (!broker.start()) {
    CHECK_STR(broker.error().c_str(), "(broker started)");
    return false;
  }
  return true;
}

// The retained status message, as mosquitto_sub -v prints it.
std::string retained_status(const MosquittoBroker& broker, const Node& node) {
  return broker.subscribe(std::string("-v -C 1 -W 2 -t ") + node.status_topic);
}

std::string status_line(const Node& node, bool online) {
  return std::string(node.status_topic) + " " + (online ? node.online : node.offline) + "\n";
}

// The will is published by the broker asynchronously once it notices the
// dropped link: poll the retained message until it shows up.
bool wait_for_status(const MosquittoBroker& broker, const Node& node, bool online) {
  const std::string wanted = status_line(node, online);
  for (int i = 0; i < 50; ++i) {
    if (retained_status(broker, node) == wanted) return true;
    usleep(100000);
  }
  return false;
}

sf::Reading reading(uint32_t measured_at, uint32_t seq) { return sf::empty_reading(measured_at, seq); }

}  // namespace

TEST(broker_receives_qos1_readings_byte_exact_and_answers_pings) {
  MosquittoBroker broker;
  if (!start_broker_or_skip(broker)) return;
  // A persistent subscription made before publishing: messages wait in the
  // broker for the second mosquitto_sub below, with no subscribe/publish race.
  broker.subscribe("-i sf-watch-readings -c -q 1 -E -t sensors/+/readings");

  Node node("greenhouse-01", broker.port(), 1);
  REQUIRE(node.run_until(is_connected, 5000));
  CHECK(!node.client.stats().last_session_present);

  const uint32_t now = node.transport.millis();
  node.clock.set(TS_2026_11_21_08_15_03_120, now);
  sf::Reading full = reading(now, 18231);
  full.has_temperature = true;
  full.temperature_dc = 214;
  full.has_humidity = true;
  full.humidity_dpct = 480;
  full.has_distance = true;
  full.distance_mm = 1325;
  full.has_motion = true;
  full.motion = false;
  sf::Reading cold = reading(now, 18232);
  cold.has_temperature = true;
  cold.temperature_dc = -35;
  cold.has_motion = true;
  cold.motion = true;
  node.queue.push(full);
  node.queue.push(cold);
  node.queue.push(reading(now, 18233));
  REQUIRE(node.run_until(all_acknowledged, 5000));
  CHECK_EQ(node.client.stats().acknowledged, 3);
  CHECK_EQ(node.client.stats().retransmissions, 0);

  // Keep alive is 1 s: idle for 2.5 s means PINGREQs, answered, link kept.
  node.run_until(never, 2500);
  CHECK(node.client.stats().pings_sent >= 2);
  CHECK(node.client.stats().pings_answered >= 1);
  CHECK(node.client.connected());
  CHECK_EQ(node.client.stats().connects, 1);

  const std::string delivered = broker.subscribe("-i sf-watch-readings -c -q 1 -v -C 3 -W 10 -t sensors/+/readings");
  CHECK_STR(delivered.c_str(),
            "sensors/greenhouse-01/readings {\"sensor_id\":\"greenhouse-01\",\"ts\":\"2026-11-21T08:15:03.120Z\","
            "\"temperature\":21.4,\"humidity\":48.0,\"distance_cm\":132.5,\"motion\":false,\"seq\":18231}\n"
            "sensors/greenhouse-01/readings {\"sensor_id\":\"greenhouse-01\",\"ts\":\"2026-11-21T08:15:03.120Z\","
            "\"temperature\":-3.5,\"motion\":true,\"seq\":18232}\n"
            "sensors/greenhouse-01/readings {\"sensor_id\":\"greenhouse-01\",\"ts\":\"2026-11-21T08:15:03.120Z\","
            "\"seq\":18233}\n");
  CHECK_STR(retained_status(broker, node).c_str(), status_line(node, true).c_str());
  node.client.disconnect();
}

TEST(broker_publishes_retained_last_will_when_link_drops) {
  MosquittoBroker broker;
  if (!start_broker_or_skip(broker)) return;
  Node node("greenhouse-01", broker.port(), 60);
  REQUIRE(node.run_until(is_connected, 5000));
  REQUIRE(wait_for_status(broker, node, true));

  node.transport.close();  // power cut / WiFi gone: no DISCONNECT
  CHECK(wait_for_status(broker, node, false));
}

TEST(broker_keeps_session_and_takes_dup_resend_after_reconnect) {
  MosquittoBroker broker;
  if (!start_broker_or_skip(broker)) return;
  broker.subscribe("-i sf-watch-readings -c -q 1 -E -t sensors/+/readings");
  Node node("greenhouse-01", broker.port(), 60);
  REQUIRE(node.run_until(is_connected, 5000));
  node.clock.set(TS_2026_11_21_08_15_03_120, node.transport.millis());
  node.queue.push(reading(node.transport.millis(), 7));
  REQUIRE_EQ(node.publisher.publish_next(node.transport.millis()), sf::ReadingPublisher::SENT);

  node.transport.close();  // the link dies before the PUBACK is read
  REQUIRE(node.run_until(all_acknowledged, 5000));
  CHECK_EQ(node.client.stats().connects, 2);
  CHECK(node.client.stats().last_session_present);  // clean session = false kept it
  CHECK(node.client.stats().retransmissions >= 1);
  CHECK_EQ(node.client.stats().acknowledged, 1);

  // At least once: the first copy (or the DUP) arrives intact.
  const std::string delivered = broker.subscribe("-i sf-watch-readings -c -q 1 -v -C 1 -W 10 -t sensors/+/readings");
  CHECK_STR(delivered.c_str(),
            "sensors/greenhouse-01/readings {\"sensor_id\":\"greenhouse-01\",\"ts\":\"2026-11-21T08:15:03.120Z\","
            "\"seq\":7}\n");
  node.client.disconnect();
}

TEST(broker_discards_last_will_after_clean_disconnect) {
  MosquittoBroker broker;
  if (!start_broker_or_skip(broker)) return;
  Node polite("greenhouse-02", broker.port(), 60);
  REQUIRE(polite.run_until(is_connected, 5000));
  REQUIRE(wait_for_status(broker, polite, true));
  polite.client.disconnect();

  // The broker handles connections in order: once a later node's will shows
  // up, the DISCONNECT above has been processed too.
  Node dropped("greenhouse-03", broker.port(), 60);
  REQUIRE(dropped.run_until(is_connected, 5000));
  dropped.transport.close();
  REQUIRE(wait_for_status(broker, dropped, false));
  CHECK_STR(retained_status(broker, polite).c_str(), status_line(polite, true).c_str());
}
