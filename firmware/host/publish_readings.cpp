// A host program that publishes readings through the firmware core, as a node
// would: reading -> queue -> JSON payload -> QoS 1 PUBLISH, resent (DUP) until
// the broker's PUBACK, then a clean DISCONNECT. Used by the end-to-end test
// (local/.../EndToEndIT.java) to feed the pipeline from the firmware's own code.
//
//   publish_readings --host 127.0.0.1 --port 1883 --sensor-id s1 --count 180
//                    --start-ms 1795248000000 [--interval-ms 1000] [--first-index 0]
//                    [--timeout-ms 60000] [--verbose]
//
// Reading k (0 <= k < count) has index i = first-index + k, event time
// start-ms + k * interval-ms, seq i and the values
//   temperature 20 + i % 5 (C), humidity 40 + i % 7 (%), distance 100.5 + i % 11 (cm), motion (i % 4 == 0).
//
// The readings are buffered the way a node buffers readings taken while it was
// offline: each is stamped with the millis() of its (past) sampling instant and
// gets its UTC time from the wall clock when it is published. The wall clock is
// set so that the last reading is "now" on the millis() clock.
//
// Prints one line per reading acknowledged with --verbose, and a summary; exits
// 0 when every reading was acknowledged, 1 on any failure, 2 on bad arguments.
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "posix_tcp_transport.h"
#include "sf_backoff.h"
#include "sf_json_payload.h"
#include "sf_mqtt_client.h"
#include "sf_prng.h"
#include "sf_reading.h"
#include "sf_reading_publisher.h"
#include "sf_reading_queue.h"
#include "sf_topics.h"
#include "sf_wall_clock.h"

namespace {

struct Options {
  const char* host;
  unsigned long port;
  const char* sensor_id;
  unsigned long count;
  unsigned long long start_ms;
  unsigned long interval_ms;
  unsigned long first_index;
  unsigned long timeout_ms;
  bool verbose;
};

void usage(FILE* out) {
  fprintf(out,
          "usage: publish_readings --host HOST --port PORT --sensor-id ID --count N --start-ms EPOCH_MS\n"
          "                        [--interval-ms 1000] [--first-index 0] [--timeout-ms 60000] [--verbose]\n"
          "Publishes N readings of sensor ID to sensors/ID/readings (QoS 1) through the firmware core.\n"
          "Reading k: index i = first-index + k, ts = start-ms + k * interval-ms, seq = i,\n"
          "temperature 20 + i %% 5, humidity 40 + i %% 7, distance_cm 100.5 + i %% 11, motion = (i %% 4 == 0).\n");
}

bool parse_number(const char* name, const char* text, unsigned long long max, unsigned long long* value) {
  char* end = NULL;
  if (text == NULL || *text == '\0' || *text == '-') {
    fprintf(stderr, "publish_readings: %s needs a non-negative number\n", name);
    return false;
  }
  const unsigned long long v = strtoull(text, &end, 10);
  if (*end != '\0' || v > max) {
    fprintf(stderr, "publish_readings: %s: '%s' is not a number up to %llu\n", name, text, max);
    return false;
  }
  *value = v;
  return true;
}

// 0: ok, 1: --help, 2: bad arguments (already reported).
int parse_options(int argc, char** argv, Options* o) {
  memset(o, 0, sizeof(*o));
  o->interval_ms = 1000;
  o->timeout_ms = 60000;
  bool have_port = false, have_count = false, have_start = false;
  for (int a = 1; a < argc; ++a) {
    const char* name = argv[a];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) return 1;
    if (strcmp(name, "--verbose") == 0 || strcmp(name, "-v") == 0) {
      o->verbose = true;
      continue;
    }
    if (a + 1 >= argc) {
      fprintf(stderr, "publish_readings: %s needs a value\n", name);
      return 2;
    }
    const char* value = argv[++a];
    unsigned long long n = 0;
    if (strcmp(name, "--host") == 0) {
      o->host = value;
    } else if (strcmp(name, "--sensor-id") == 0) {
      o->sensor_id = value;
    } else if (strcmp(name, "--port") == 0) {
      if (!parse_number(name, value, 65535, &n) || n == 0) return 2;
      o->port = static_cast<unsigned long>(n);
      have_port = true;
    } else if (strcmp(name, "--count") == 0) {
      if (!parse_number(name, value, 1000000, &n)) return 2;
      o->count = static_cast<unsigned long>(n);
      have_count = true;
    } else if (strcmp(name, "--start-ms") == 0) {
      if (!parse_number(name, value, 253402300799999ULL, &n)) return 2;  // up to 9999-12-31
      o->start_ms = n;
      have_start = true;
    } else if (strcmp(name, "--interval-ms") == 0) {
      if (!parse_number(name, value, 86400000, &n)) return 2;
      o->interval_ms = static_cast<unsigned long>(n);
    } else if (strcmp(name, "--first-index") == 0) {
      if (!parse_number(name, value, 1000000000, &n)) return 2;
      o->first_index = static_cast<unsigned long>(n);
    } else if (strcmp(name, "--timeout-ms") == 0) {
      if (!parse_number(name, value, 3600000, &n) || n == 0) return 2;
      o->timeout_ms = static_cast<unsigned long>(n);
    } else {
      fprintf(stderr, "publish_readings: unknown option %s\n", name);
      return 2;
    }
  }
  if (o->host == NULL || !have_port || o->sensor_id == NULL || !have_count || !have_start) {
    fprintf(stderr, "publish_readings: --host, --port, --sensor-id, --count and --start-ms are required\n");
    return 2;
  }
  // The readings' sampling instants lie in the past of the millis() clock, which spans 49.7 days.
  if (o->count > 0 && static_cast<unsigned long long>(o->count - 1) * o->interval_ms >= 0x80000000ULL) {
    fprintf(stderr, "publish_readings: (count - 1) * interval-ms must stay below 2^31 ms\n");
    return 2;
  }
  return 0;
}

// The transport speaks IPv4 addresses only: resolve a host name to one.
bool resolve_ipv4(const char* host, char* out, size_t cap) {
  addrinfo hints;
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = NULL;
  const int rc = getaddrinfo(host, NULL, &hints, &found);
  if (rc != 0 || found == NULL) {
    fprintf(stderr, "publish_readings: cannot resolve %s: %s\n", host, rc != 0 ? gai_strerror(rc) : "no address");
    return false;
  }
  const sockaddr_in* addr = reinterpret_cast<const sockaddr_in*>(found->ai_addr);
  const bool ok = inet_ntop(AF_INET, &addr->sin_addr, out, static_cast<socklen_t>(cap)) != NULL;
  freeaddrinfo(found);
  return ok;
}

sf::Reading reading_at(uint32_t measured_at_ms, uint32_t index) {
  sf::Reading r = sf::empty_reading(measured_at_ms, index);
  r.has_temperature = true;
  r.temperature_dc = static_cast<int16_t>(10 * (20 + index % 5));
  r.has_humidity = true;
  r.humidity_dpct = static_cast<uint16_t>(10 * (40 + index % 7));
  r.has_distance = true;
  r.distance_mm = static_cast<uint16_t>(1005 + 10 * (index % 11));
  r.has_motion = true;
  r.motion = index % 4 == 0;
  return r;
}

const char* connack_text(uint8_t code) {
  switch (code) {
    case sf::mqtt::CONNACK_ACCEPTED: return "accepted";
    case sf::mqtt::CONNACK_BAD_PROTOCOL_VERSION: return "bad protocol version";
    case sf::mqtt::CONNACK_IDENTIFIER_REJECTED: return "client id rejected";
    case sf::mqtt::CONNACK_SERVER_UNAVAILABLE: return "server unavailable";
    case sf::mqtt::CONNACK_BAD_USERNAME_OR_PASSWORD: return "bad user name or password";
    case sf::mqtt::CONNACK_NOT_AUTHORIZED: return "not authorized";
    default: return "unknown code";
  }
}

const uint16_t QUEUE_CAPACITY = 16;

}  // namespace

int main(int argc, char** argv) {
  Options o;
  const int parsed = parse_options(argc, argv, &o);
  if (parsed == 1) {
    usage(stdout);
    return 0;
  }
  if (parsed != 0) {
    usage(stderr);
    return 2;
  }

  char readings_topic[160];
  char status_topic[160];
  char online[256];
  char offline[256];
  if (sf::build_sensor_topic(readings_topic, sizeof(readings_topic), o.sensor_id, "readings") == 0 ||
      sf::build_sensor_topic(status_topic, sizeof(status_topic), o.sensor_id, "status") == 0 ||
      sf::build_status_json(online, sizeof(online), o.sensor_id, true) == 0 ||
      sf::build_status_json(offline, sizeof(offline), o.sensor_id, false) == 0) {
    fprintf(stderr, "publish_readings: sensor id '%s' is not usable in a topic (empty, '/', '+', '#' or too long)\n",
            o.sensor_id);
    return 2;
  }
  char address[INET_ADDRSTRLEN];
  if (!resolve_ipv4(o.host, address, sizeof(address))) return 1;

  // Wired like the sketch (sensorflow_node.ino), with the host's TCP socket as transport.
  PosixTcpTransport transport(address, static_cast<uint16_t>(o.port));
  sf::Prng prng(static_cast<uint32_t>(getpid()));
  sf::Backoff backoff(200, 2000, 50, &prng);
  static uint8_t inflight[640];
  static uint8_t scratch[512];
  sf::MqttClient client(transport, backoff, inflight, sizeof(inflight), scratch, sizeof(scratch));
  sf::Reading slots[QUEUE_CAPACITY];
  sf::ReadingQueue queue(slots, QUEUE_CAPACITY);
  sf::WallClock clock;
  static char json[512];
  sf::ReadingPublisher publisher(queue, client, clock, o.sensor_id, readings_topic, json, sizeof(json));

  sf::MqttClientConfig config;
  memset(&config, 0, sizeof(config));
  config.connect.client_id = o.sensor_id;  // persistent session under the sensor id, like a node
  config.connect.keep_alive_s = 30;
  config.connect.clean_session = false;
  config.connect.will_topic = status_topic;
  config.connect.will_payload = reinterpret_cast<const uint8_t*>(offline);
  config.connect.will_payload_length = static_cast<uint16_t>(strlen(offline));
  config.connect.will_qos = 1;
  config.connect.will_retain = true;
  config.birth_topic = status_topic;
  config.birth_payload = online;
  config.response_timeout_ms = 5000;
  config.retry_interval_ms = 2000;
  client.begin(config);

  // Sampling instant of reading k on the millis() clock: the last one is "now".
  const uint32_t base = transport.millis();
  const uint32_t last_offset = o.count > 0 ? static_cast<uint32_t>((o.count - 1) * o.interval_ms) : 0;
  clock.set(o.start_ms + last_offset, base);

  unsigned long queued = 0;   // readings handed to the queue
  unsigned long sent = 0;     // readings the client took (PUBLISH sent)
  uint32_t acked_before = 0;
  const uint32_t started = transport.millis();
  bool failed = false;
  const char* why = "";
  while (true) {
    client.poll();
    // The node samples into the queue; here the samples are fed as room frees up.
    while (queued < o.count && queue.size() < queue.capacity()) {
      const uint32_t measured_at = base - (last_offset - static_cast<uint32_t>(queued * o.interval_ms));
      queue.push(reading_at(measured_at, static_cast<uint32_t>(o.first_index + queued)));
      ++queued;
    }
    const sf::ReadingPublisher::Outcome outcome = publisher.publish_next(transport.millis());
    if (outcome == sf::ReadingPublisher::SENT) {
      if (o.verbose) printf("sent %s %s\n", readings_topic, json);
      ++sent;
    } else if (outcome == sf::ReadingPublisher::DROPPED_UNENCODABLE) {
      failed = true;
      why = "a reading did not fit the buffers";
      break;
    }
    if (client.stats().acknowledged != acked_before) {
      acked_before = client.stats().acknowledged;
      if (o.verbose) printf("acknowledged %lu of %lu\n", static_cast<unsigned long>(acked_before), o.count);
    }
    if (queued == o.count && queue.empty() && !client.has_inflight() && client.connected()) break;
    if (client.state() == sf::MqttClient::STOPPED) {
      failed = true;
      why = "the MQTT client stopped (CONNECT could not be encoded)";
      break;
    }
    if (transport.millis() - started >= o.timeout_ms) {
      failed = true;
      why = "timed out";
      break;
    }
    usleep(200);
  }

  const sf::MqttClientStats& stats = client.stats();
  client.disconnect();
  if (queue.dropped() != 0) {
    failed = true;
    why = "the queue dropped readings";
  }
  if (!failed && stats.acknowledged != o.count) {
    failed = true;
    why = "not every reading was acknowledged";
  }
  printf("%s: %s: %lu readings, %lu published, %lu acknowledged by PUBACK, %lu retransmissions, %lu connects, "
         "%lu connection losses, last CONNACK: %s, %lu ms\n",
         failed ? "FAILED" : "published", o.sensor_id, o.count, sent, static_cast<unsigned long>(stats.acknowledged),
         static_cast<unsigned long>(stats.retransmissions), static_cast<unsigned long>(stats.connects),
         static_cast<unsigned long>(stats.connection_losses),
         stats.connects == 0 && stats.last_connack_code == 0 ? "none" : connack_text(stats.last_connack_code),
         static_cast<unsigned long>(transport.millis() - started));
  if (failed) {
    fprintf(stderr, "publish_readings: %s (broker %s:%lu, sensor %s)\n", why, address, o.port, o.sensor_id);
    return 1;
  }
  return 0;
}
