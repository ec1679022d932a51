#include "sf_mqtt_client.h"

#include <string.h>

namespace sf {

MqttClient::MqttClient(Transport& transport, Backoff& backoff, uint8_t* inflight_buf, size_t inflight_cap,
                       uint8_t* scratch_buf, size_t scratch_cap)
    : transport_(transport),
      backoff_(backoff),
      inflight_buf_(inflight_buf),
      inflight_cap_(inflight_cap),
      scratch_buf_(scratch_buf),
      scratch_cap_(scratch_cap),
      state_(STOPPED),
      state_since_ms_(0),
      reconnect_delay_ms_(0),
      last_sent_ms_(0),
      ping_outstanding_(false),
      ping_sent_ms_(0),
      inflight_length_(0),
      inflight_packet_id_(0),
      inflight_sent_ms_(0),
      last_packet_id_(0) {
  memset(&config_, 0, sizeof(config_));
  memset(&stats_, 0, sizeof(stats_));
}

void MqttClient::begin(const MqttClientConfig& config) {
  config_ = config;
  state_ = WAITING_TO_RECONNECT;
  state_since_ms_ = transport_.millis();
  reconnect_delay_ms_ = 0;  // first attempt right away
}

void MqttClient::poll() {
  const uint32_t now = transport_.millis();
  switch (state_) {
    case STOPPED:
      return;
    case WAITING_TO_RECONNECT:
      // Elapsed time by unsigned subtraction: correct across the millis() wrap.
      if (now - state_since_ms_ >= reconnect_delay_ms_) try_connect(now);
      return;
    case AWAITING_CONNACK:
      if (!receive(now)) return;
      if (state_ == AWAITING_CONNACK && now - state_since_ms_ >= config_.response_timeout_ms) {
        lose_connection(now);
      }
      return;
    case CONNECTED:
      if (!receive(now)) return;
      service_retransmission(now);
      if (state_ == CONNECTED) service_keep_alive(now);
      return;
  }
}

void MqttClient::try_connect(uint32_t now) {
  if (!transport_.open()) {
    lose_connection(transport_.millis());  // back off from when the attempt ended
    return;
  }
  const size_t length = mqtt::build_connect(scratch_buf_, scratch_cap_, config_.connect);
  if (length == 0) {
    // The configuration cannot be encoded: retrying would not help.
    transport_.close();
    state_ = STOPPED;
    return;
  }
  reader_.reset();
  ping_outstanding_ = false;
  // open() may have blocked for a while: time the CONNACK wait from now on.
  now = transport_.millis();
  if (!send(scratch_buf_, length, now)) {
    lose_connection(now);
    return;
  }
  state_ = AWAITING_CONNACK;
  state_since_ms_ = now;
}

bool MqttClient::receive(uint32_t now) {
  uint8_t chunk[32];
  for (;;) {
    const int32_t n = transport_.read(chunk, sizeof(chunk));
    if (n < 0) {
      lose_connection(now);
      return false;
    }
    if (n == 0) return true;
    for (int32_t i = 0; i < n; ++i) {
      const mqtt::PacketReader::Result result = reader_.feed(chunk[i]);
      if (result == mqtt::PacketReader::MALFORMED) {
        lose_connection(now);
        return false;
      }
      if (result == mqtt::PacketReader::PACKET_READY && !handle_packet(now)) return false;
    }
  }
}

// False when the packet made us drop the connection.
bool MqttClient::handle_packet(uint32_t now) {
  const uint8_t type = reader_.type();
  if (state_ == AWAITING_CONNACK) {
    // The first packet from the broker must be CONNACK (3.2).
    bool session_present = false;
    uint8_t code = 0;
    if (type != mqtt::CONNACK ||
        !mqtt::parse_connack(reader_.body(), reader_.body_length(), &session_present, &code)) {
      lose_connection(now);
      return false;
    }
    on_connack(now, session_present, code);
    return state_ == CONNECTED;
  }

  if (type == mqtt::PUBACK) {
    uint16_t packet_id = 0;
    if (!mqtt::parse_puback(reader_.body(), reader_.body_length(), &packet_id)) {
      lose_connection(now);
      return false;
    }
    // A PUBACK for an id we no longer hold (a late answer to a DUP) is harmless.
    if (inflight_length_ != 0 && packet_id == inflight_packet_id_) {
      inflight_length_ = 0;
      ++stats_.acknowledged;
    }
  } else if (type == mqtt::PINGRESP) {
    if (ping_outstanding_) ++stats_.pings_answered;
    ping_outstanding_ = false;
  }
  // Anything else (the node never subscribes) is ignored.
  return true;
}

void MqttClient::on_connack(uint32_t now, bool session_present, uint8_t code) {
  stats_.last_connack_code = code;
  stats_.last_session_present = session_present;
  if (code != mqtt::CONNACK_ACCEPTED) {
    lose_connection(now);
    return;
  }
  state_ = CONNECTED;
  state_since_ms_ = now;
  ++stats_.connects;
  backoff_.reset();

  if (config_.birth_topic != 0 && config_.birth_payload != 0) {
    const size_t length = mqtt::build_publish(
        scratch_buf_, scratch_cap_, config_.birth_topic, reinterpret_cast<const uint8_t*>(config_.birth_payload),
        strlen(config_.birth_payload), 0, true, false, 0);
    if (length != 0 && !send(scratch_buf_, length, now)) {
      lose_connection(now);
      return;
    }
  }
  // 4.4: after reconnecting, unacknowledged PUBLISH packets are sent again.
  if (inflight_length_ != 0) resend_inflight(now);
}

void MqttClient::service_keep_alive(uint32_t now) {
  if (config_.connect.keep_alive_s == 0) return;
  if (ping_outstanding_) {
    if (now - ping_sent_ms_ >= config_.response_timeout_ms) lose_connection(now);
    return;
  }
  // The broker drops us after 1.5 x keep alive of silence (3.1.2.10): ping
  // once a full keep-alive period has passed without us sending anything.
  if (now - last_sent_ms_ >= static_cast<uint32_t>(config_.connect.keep_alive_s) * 1000UL) {
    uint8_t packet[2];
    const size_t length = mqtt::build_pingreq(packet, sizeof(packet));
    if (!send(packet, length, now)) {
      lose_connection(now);
      return;
    }
    ping_outstanding_ = true;
    ping_sent_ms_ = now;
    ++stats_.pings_sent;
  }
}

void MqttClient::service_retransmission(uint32_t now) {
  if (state_ != CONNECTED || inflight_length_ == 0) return;
  if (now - inflight_sent_ms_ >= config_.retry_interval_ms) resend_inflight(now);
}

void MqttClient::resend_inflight(uint32_t now) {
  mqtt::set_dup_flag(inflight_buf_);
  ++stats_.retransmissions;
  inflight_sent_ms_ = now;
  if (!send(inflight_buf_, inflight_length_, now)) lose_connection(now);
}

bool MqttClient::publish_qos1(const char* topic, const uint8_t* payload, size_t length) {
  if (!ready_to_publish()) return false;
  const uint16_t packet_id = next_packet_id();
  const size_t packet_length =
      mqtt::build_publish(inflight_buf_, inflight_cap_, topic, payload, length, 1, false, false, packet_id);
  if (packet_length == 0) return false;

  const uint32_t now = transport_.millis();
  inflight_length_ = packet_length;
  inflight_packet_id_ = packet_id;
  inflight_sent_ms_ = now;
  ++stats_.published;
  // On a failed write the message stays in flight and goes out again after the reconnect.
  if (!send(inflight_buf_, inflight_length_, now)) lose_connection(now);
  return true;
}

void MqttClient::disconnect() {
  if (state_ == CONNECTED) {
    uint8_t packet[2];
    const size_t length = mqtt::build_disconnect(packet, sizeof(packet));
    send(packet, length, transport_.millis());
  }
  if (state_ != STOPPED && state_ != WAITING_TO_RECONNECT) transport_.close();
  state_ = STOPPED;
}

bool MqttClient::send(const uint8_t* data, size_t length, uint32_t now) {
  const int32_t written = transport_.write(data, length);
  if (written < 0 || static_cast<size_t>(written) != length) return false;
  last_sent_ms_ = now;
  return true;
}

void MqttClient::lose_connection(uint32_t now) {
  transport_.close();
  ++stats_.connection_losses;
  ping_outstanding_ = false;
  state_ = WAITING_TO_RECONNECT;
  state_since_ms_ = now;
  reconnect_delay_ms_ = backoff_.next_delay_ms();
}

uint16_t MqttClient::next_packet_id() {
  ++last_packet_id_;
  if (last_packet_id_ == 0) last_packet_id_ = 1;  // 0 is not a valid packet id
  return last_packet_id_;
}

}  // namespace sf
