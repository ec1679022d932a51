// sensorflow node: an ESP32 with a DHT11 (temperature/humidity), an HC-SR04
// (distance) and a PIR (motion), publishing one JSON reading per interval over
// MQTT 3.1.1 (QoS 1) to sensors/<id>/readings, with a retained online/offline
// status on sensors/<id>/status (offline is the broker-published last will).
//
// Protocol, encoding and decoding live in the core library (firmware/core,
// unit-tested on the host); this file only wires it to the ESP32 Arduino API.
// Settings: config.h. Build and wiring: ../README.md.
#include <Arduino.h>
#include <Preferences.h>
#include <WiFi.h>

#include "config.h"
#include "ntp_sync.h"
#include "sensor_io.h"
#include "sf_backoff.h"
#include "sf_json_payload.h"
#include "sf_mqtt_client.h"
#include "sf_pir_debounce.h"
#include "sf_prng.h"
#include "sf_reading_publisher.h"
#include "sf_reading_queue.h"
#include "sf_sequence_counter.h"
#include "sf_topics.h"
#include "sf_wall_clock.h"
#include "wifi_transport.h"

namespace {

const uint32_t PIR_SETTLE_MS = 50;
const uint32_t SEQ_BLOCK = 1000;  // flash write every 1000 readings (~3 h at 10 s)
const uint32_t MQTT_RESPONSE_TIMEOUT_MS = 10000;
const uint32_t MQTT_RETRY_INTERVAL_MS = 10000;
const uint32_t STATS_INTERVAL_MS = 60000;

WifiTransport transport(SF_MQTT_HOST, SF_MQTT_PORT);
sf::Prng prng(1);  // reseeded in setup()
sf::Backoff backoff(1000, 60000, 50, &prng);  // 1 s doubling to 1 min, up to half of it random
uint8_t inflight_buffer[512];
uint8_t scratch_buffer[320];
sf::MqttClient mqtt(transport, backoff, inflight_buffer, sizeof(inflight_buffer), scratch_buffer,
                    sizeof(scratch_buffer));

sf::Reading queue_slots[SF_QUEUE_CAPACITY];
sf::ReadingQueue queue(queue_slots, SF_QUEUE_CAPACITY);
sf::WallClock wall_clock;
NtpSync ntp(SF_NTP_SERVER, SF_NTP_RESYNC_MS);
sf::SequenceCounter seq(SEQ_BLOCK);
sf::PirDebouncer pir(PIR_SETTLE_MS);
Preferences preferences;

char readings_topic[96];
char status_topic[96];
char online_payload[192];
char offline_payload[192];
char json[384];
sf::ReadingPublisher publisher(queue, mqtt, wall_clock, SF_SENSOR_ID, readings_topic, json, sizeof(json));

bool sampled_once = false;
uint32_t last_sample_ms = 0;
uint32_t last_stats_ms = 0;

}  // namespace

// Helpers are file-static rather than in the anonymous namespace: the Arduino
// builder generates prototypes for .ino functions at file scope, which would
// clash with namespaced definitions.
static void halt(const char* reason) {
  for (;;) {
    Serial.println(reason);
    delay(5000);
  }
}

static void take_reading(uint32_t now) {
  if (seq.needs_reservation()) preferences.putUInt("seq", seq.reserve_block());
  sf::Reading reading = sf::empty_reading(now, seq.next());

  sf::Dht11Measurement climate;
  if (read_dht11(SF_PIN_DHT11, &climate) == sf::DHT11_OK) {
    reading.has_temperature = true;
    reading.temperature_dc = climate.temperature_dc;
    reading.has_humidity = true;
    reading.humidity_dpct = climate.humidity_dpct;
  }
  uint16_t distance_mm = 0;
  if (read_hcsr04(SF_PIN_HCSR04_TRIG, SF_PIN_HCSR04_ECHO, &distance_mm) == sf::ECHO_OK) {
    reading.has_distance = true;
    reading.distance_mm = distance_mm;
  }
  reading.has_motion = true;
  reading.motion = pir.take_motion_seen();
  queue.push(reading);
}

static void print_stats(uint32_t now) {
  const sf::MqttClientStats& s = mqtt.stats();
  Serial.printf("[sensorflow] wifi=%d mqtt=%d time=%d queued=%u dropped=%lu unencodable=%lu sent=%lu acked=%lu "
                "resent=%lu connects=%lu losses=%lu uptime_s=%lu\n",
                WiFi.status() == WL_CONNECTED, mqtt.connected(), wall_clock.is_set(),
                static_cast<unsigned>(queue.size()), static_cast<unsigned long>(queue.dropped()),
                static_cast<unsigned long>(publisher.dropped_unencodable()), static_cast<unsigned long>(s.published),
                static_cast<unsigned long>(s.acknowledged), static_cast<unsigned long>(s.retransmissions),
                static_cast<unsigned long>(s.connects), static_cast<unsigned long>(s.connection_losses),
                static_cast<unsigned long>(now / 1000));
}

void setup() {
  Serial.begin(115200);
  pinMode(SF_PIN_HCSR04_TRIG, OUTPUT);
  digitalWrite(SF_PIN_HCSR04_TRIG, LOW);
  pinMode(SF_PIN_HCSR04_ECHO, INPUT);
  pinMode(SF_PIN_PIR, INPUT);
  pinMode(SF_PIN_DHT11, INPUT_PULLUP);

  if (sf::build_sensor_topic(readings_topic, sizeof(readings_topic), SF_SENSOR_ID, "readings") == 0 ||
      sf::build_sensor_topic(status_topic, sizeof(status_topic), SF_SENSOR_ID, "status") == 0 ||
      sf::build_status_json(online_payload, sizeof(online_payload), SF_SENSOR_ID, true) == 0 ||
      sf::build_status_json(offline_payload, sizeof(offline_payload), SF_SENSOR_ID, false) == 0) {
    halt("[sensorflow] SF_SENSOR_ID is empty, too long or contains '/', '+' or '#'");
  }

  preferences.begin("sensorflow", false);
  seq.begin(preferences.getUInt("seq", 0));
  // Hardware RNG (random() uses it on the ESP32) and the chip's MAC: nodes
  // restarted together by a power cut still spread their reconnects.
  prng.reseed(static_cast<uint32_t>(random(0x7FFFFFFFL)) ^ static_cast<uint32_t>(ESP.getEfuseMac()));

  WiFi.mode(WIFI_STA);
  WiFi.setAutoReconnect(true);
  WiFi.begin(SF_WIFI_SSID, SF_WIFI_PASSWORD);

  sf::MqttClientConfig config;
  memset(&config, 0, sizeof(config));
  config.connect.client_id = SF_SENSOR_ID;
  config.connect.keep_alive_s = SF_MQTT_KEEP_ALIVE_S;
  config.connect.clean_session = false;  // the broker keeps our session and unacknowledged messages
  config.connect.will_topic = status_topic;
  config.connect.will_payload = reinterpret_cast<const uint8_t*>(offline_payload);
  config.connect.will_payload_length = static_cast<uint16_t>(strlen(offline_payload));
  config.connect.will_qos = 1;
  config.connect.will_retain = true;
#ifdef SF_MQTT_USERNAME
  config.connect.username = SF_MQTT_USERNAME;
#endif
#ifdef SF_MQTT_PASSWORD
  config.connect.password = SF_MQTT_PASSWORD;
#endif
  config.birth_topic = status_topic;
  config.birth_payload = online_payload;
  config.response_timeout_ms = MQTT_RESPONSE_TIMEOUT_MS;
  config.retry_interval_ms = MQTT_RETRY_INTERVAL_MS;
  mqtt.begin(config);
}

void loop() {
  const uint32_t now = millis();
  pir.update(digitalRead(SF_PIN_PIR) == HIGH, now);

  if (!sampled_once || now - last_sample_ms >= SF_SAMPLE_INTERVAL_MS) {
    sampled_once = true;
    last_sample_ms = now;
    take_reading(now);
  }

  if (WiFi.status() == WL_CONNECTED) ntp.poll(wall_clock, millis());
  mqtt.poll();
  // Readings wait in the queue until NTP time is known and the broker has
  // acknowledged the previous one; see ReadingPublisher.
  publisher.publish_next(millis());

  if (now - last_stats_ms >= STATS_INTERVAL_MS) {
    last_stats_ms = now;
    print_stats(now);
  }
  delay(5);  // PIR sampling every ~5 ms is plenty; lets the idle task run
}
