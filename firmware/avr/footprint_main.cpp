// Links every core module into one ATmega328P program, so that avr-size shows
// what the core costs on an 8-bit board (2 KiB RAM, 32 KiB flash). It is not
// meant to run: inputs come from volatile variables so that nothing is
// optimised away, and a transport stub stands in for a network.
#include <stdint.h>

#include "sf_backoff.h"
#include "sf_dht11.h"
#include "sf_hcsr04.h"
#include "sf_json_payload.h"
#include "sf_mqtt_client.h"
#include "sf_pir_debounce.h"
#include "sf_prng.h"
#include "sf_reading_publisher.h"
#include "sf_reading_queue.h"
#include "sf_sequence_counter.h"
#include "sf_sntp.h"
#include "sf_topics.h"
#include "sf_wall_clock.h"

// avr-libc has no C++ runtime: called only if a pure virtual is ever invoked.
extern "C" void __cxa_pure_virtual() {
  for (;;) {
  }
}

namespace {

volatile uint32_t g_input;
volatile uint8_t g_output;

class StubTransport : public sf::Transport {
 public:
  virtual bool open() { return g_input != 0; }
  virtual void close() {}
  virtual int32_t write(const uint8_t* data, size_t length) {
    for (size_t i = 0; i < length; ++i) g_output = data[i];
    return static_cast<int32_t>(length);
  }
  virtual int32_t read(uint8_t* data, size_t capacity) {
    if (capacity == 0 || g_input == 0) return 0;
    data[0] = static_cast<uint8_t>(g_input);
    return 1;
  }
  virtual uint32_t millis() { return g_input; }
};

// Buffer sizes an 8-bit node would use: ids up to 24 characters.
const uint8_t QUEUE_CAPACITY = 8;
sf::Reading g_slots[QUEUE_CAPACITY];
uint8_t g_inflight[192];
uint8_t g_scratch[112];
char g_json[160];
char g_readings_topic[48];
char g_status_topic[48];
char g_offline[64];
char g_online[64];

}  // namespace

int main() {
  StubTransport transport;
  sf::Prng prng(g_input);
  sf::Backoff backoff(1000, 60000, 50, &prng);
  sf::MqttClient client(transport, backoff, g_inflight, sizeof(g_inflight), g_scratch, sizeof(g_scratch));
  sf::ReadingQueue queue(g_slots, QUEUE_CAPACITY);
  sf::WallClock clock;
  sf::SequenceCounter seq(100);
  sf::PirDebouncer pir(50);

  const char* id = "node-01";
  sf::build_sensor_topic(g_readings_topic, sizeof(g_readings_topic), id, "readings");
  sf::build_sensor_topic(g_status_topic, sizeof(g_status_topic), id, "status");
  const size_t offline_length = sf::build_status_json(g_offline, sizeof(g_offline), id, false);
  sf::build_status_json(g_online, sizeof(g_online), id, true);
  sf::ReadingPublisher publisher(queue, client, clock, id, g_readings_topic, g_json, sizeof(g_json));

  sf::MqttClientConfig config = {};
  config.connect.client_id = id;
  config.connect.keep_alive_s = 30;
  config.connect.will_topic = g_status_topic;
  config.connect.will_payload = reinterpret_cast<const uint8_t*>(g_offline);
  config.connect.will_payload_length = static_cast<uint16_t>(offline_length);
  config.connect.will_qos = 1;
  config.connect.will_retain = true;
  config.birth_topic = g_status_topic;
  config.birth_payload = g_online;
  config.response_timeout_ms = 10000;
  config.retry_interval_ms = 5000;
  client.begin(config);
  seq.begin(g_input);

  for (;;) {
    const uint32_t now = transport.millis();
    pir.update((g_input & 1) != 0, now);

    uint16_t pulses[sf::DHT11_FRAME_BITS];
    for (uint8_t i = 0; i < sf::DHT11_FRAME_BITS; ++i) pulses[i] = static_cast<uint16_t>(g_input);
    uint8_t frame[sf::DHT11_FRAME_BYTES];
    sf::Dht11Measurement dht = {0, 0};
    const bool dht_ok = sf::dht11_frame_from_pulses(pulses, frame) == sf::DHT11_OK &&
                        sf::dht11_decode(frame, &dht) == sf::DHT11_OK;
    uint16_t distance_mm = 0;
    const bool distance_ok = sf::hcsr04_echo_to_mm(g_input, &distance_mm) == sf::ECHO_OK;

    if (seq.needs_reservation()) g_output = static_cast<uint8_t>(seq.reserve_block());
    sf::Reading reading = sf::empty_reading(now, seq.next());
    reading.has_temperature = reading.has_humidity = dht_ok;
    reading.temperature_dc = dht.temperature_dc;
    reading.humidity_dpct = dht.humidity_dpct;
    reading.has_distance = distance_ok;
    reading.distance_mm = distance_mm;
    reading.has_motion = true;
    reading.motion = pir.take_motion_seen();
    queue.push(reading);

    uint8_t ntp[sf::SNTP_PACKET_SIZE];
    sf::sntp_build_request(ntp, g_input);
    uint64_t unix_ms = 0;
    if (sf::sntp_parse_response(ntp, sizeof(ntp), g_input, &unix_ms) == sf::SNTP_OK) clock.set(unix_ms, now);

    client.poll();
    g_output = static_cast<uint8_t>(publisher.publish_next(now));
    if (g_input == 0xDEAD) client.disconnect();
  }
}
