// MQTT 3.1.1 publishing client: connect with last will, QoS 1 publish with
// retransmission, keep-alive, and reconnect with backoff. Never blocks except
// inside Transport::open(); call poll() from the main loop.
#ifndef SF_MQTT_CLIENT_H
#define SF_MQTT_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "sf_backoff.h"
#include "sf_mqtt_packet_reader.h"
#include "sf_mqtt_packets.h"
#include "sf_mqtt_transport.h"

namespace sf {

struct MqttClientConfig {
  mqtt::ConnectOptions connect;   // client id, keep alive, clean session, last will, credentials
  const char* birth_topic;        // after every CONNACK, birth_payload is published here,
  const char* birth_payload;      // retained, QoS 0, to overwrite the retained last will (NULL: none)
  uint32_t response_timeout_ms;   // wait this long for CONNACK or PINGRESP before dropping the link
  uint32_t retry_interval_ms;     // resend an unacknowledged PUBLISH (DUP set) after this long
};

struct MqttClientStats {
  uint32_t connects;               // accepted CONNACKs
  uint32_t connection_losses;      // including failed attempts and refused CONNACKs
  uint32_t published;              // QoS 1 messages accepted by publish_qos1()
  uint32_t acknowledged;           // ...and acknowledged by PUBACK
  uint32_t retransmissions;        // PUBLISH sent again with DUP
  uint32_t pings_sent;
  uint32_t pings_answered;
  uint8_t last_connack_code;       // mqtt::ConnackCode of the latest CONNACK
  bool last_session_present;       // the broker still had our session
};

class MqttClient {
 public:
  enum State {
    STOPPED,               // before begin() and after disconnect()
    WAITING_TO_RECONNECT,  // backing off; the next poll() after the delay tries again
    AWAITING_CONNACK,
    CONNECTED,
  };

  // inflight_buf holds the one unacknowledged QoS 1 PUBLISH (topic + payload +
  // 9 bytes of header); scratch_buf holds CONNECT and the birth PUBLISH, which
  // are built while a PUBLISH may still wait for its PUBACK.
  MqttClient(Transport& transport, Backoff& backoff, uint8_t* inflight_buf, size_t inflight_cap,
             uint8_t* scratch_buf, size_t scratch_cap);

  // Starts connecting (at the next poll()). The config's strings must outlive the client.
  void begin(const MqttClientConfig& config);
  void poll();

  // Queues one QoS 1 message. One message is in flight at a time, which keeps
  // readings in order and the RAM use fixed; false when not ready_to_publish()
  // or the packet does not fit in the in-flight buffer. Once accepted, the
  // message is resent until acknowledged, across reconnects too.
  bool publish_qos1(const char* topic, const uint8_t* payload, size_t length);
  bool ready_to_publish() const { return state_ == CONNECTED && inflight_length_ == 0; }
  bool has_inflight() const { return inflight_length_ != 0; }
  uint16_t inflight_packet_id() const { return inflight_packet_id_; }

  // Clean shutdown: DISCONNECT makes the broker discard the last will.
  void disconnect();

  State state() const { return state_; }
  bool connected() const { return state_ == CONNECTED; }
  const MqttClientStats& stats() const { return stats_; }

 private:
  void try_connect(uint32_t now);
  bool receive(uint32_t now);
  bool handle_packet(uint32_t now);
  void on_connack(uint32_t now, bool session_present, uint8_t code);
  void service_keep_alive(uint32_t now);
  void service_retransmission(uint32_t now);
  void resend_inflight(uint32_t now);
  bool send(const uint8_t* data, size_t length, uint32_t now);
  void lose_connection(uint32_t now);
  uint16_t next_packet_id();

  Transport& transport_;
  Backoff& backoff_;
  uint8_t* inflight_buf_;
  size_t inflight_cap_;
  uint8_t* scratch_buf_;
  size_t scratch_cap_;
  MqttClientConfig config_;
  mqtt::PacketReader reader_;
  MqttClientStats stats_;

  State state_;
  uint32_t state_since_ms_;      // when the current state (or backoff wait) began
  uint32_t reconnect_delay_ms_;
  uint32_t last_sent_ms_;        // keep-alive counts from the last packet we sent
  bool ping_outstanding_;
  uint32_t ping_sent_ms_;
  size_t inflight_length_;       // 0: nothing in flight
  uint16_t inflight_packet_id_;
  uint32_t inflight_sent_ms_;
  uint16_t last_packet_id_;
};

}  // namespace sf

#endif
