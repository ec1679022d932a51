#include "ntp_sync.h"

#include <Arduino.h>

#include "sf_sntp.h"

namespace {
const uint16_t LOCAL_PORT = 4123;
const uint32_t ANSWER_TIMEOUT_MS = 2000;
// Until the first success, retry quickly: nothing is published without time.
const uint32_t RETRY_INTERVAL_MS = 15000;
}  // namespace

NtpSync::NtpSync(const char* server, uint32_t resync_interval_ms)
    : server_(server),
      resync_interval_ms_(resync_interval_ms),
      socket_open_(false),
      waiting_(false),
      attempted_(false),
      nonce_(0),
      sent_ms_(0) {}

void NtpSync::poll(sf::WallClock& clock, uint32_t now_ms) {
  if (!socket_open_) socket_open_ = udp_.begin(LOCAL_PORT) != 0;
  if (!socket_open_) return;

  if (waiting_) {
    // Stale or foreign datagrams fail the nonce check and are skipped.
    while (udp_.parsePacket() > 0) {
      uint8_t packet[sf::SNTP_PACKET_SIZE];
      const int length = udp_.read(packet, sizeof(packet));
      uint64_t unix_ms = 0;
      if (length > 0 && sf::sntp_parse_response(packet, static_cast<size_t>(length), nonce_, &unix_ms) == sf::SNTP_OK) {
        // The server's time was taken about half a round trip ago.
        clock.set(unix_ms + (now_ms - sent_ms_) / 2, now_ms);
        waiting_ = false;
        return;
      }
    }
    if (now_ms - sent_ms_ >= ANSWER_TIMEOUT_MS) waiting_ = false;  // lost: retry later
    return;
  }

  if (sync_due(clock, now_ms)) send_request(now_ms);
}

bool NtpSync::sync_due(const sf::WallClock& clock, uint32_t now_ms) const {
  if (!attempted_) return true;
  if (now_ms - sent_ms_ < RETRY_INTERVAL_MS) return false;  // never hammer the server
  return !clock.is_set() || clock.ms_since_set(now_ms) >= resync_interval_ms_;
}

void NtpSync::send_request(uint32_t now_ms) {
  uint8_t packet[sf::SNTP_PACKET_SIZE];
  nonce_ = static_cast<uint32_t>(random(0x7FFFFFFFL)) ^ now_ms;
  sf::sntp_build_request(packet, nonce_);
  attempted_ = true;
  sent_ms_ = now_ms;
  if (udp_.beginPacket(server_, sf::SNTP_PORT) == 0) return;  // DNS failed: retry later
  udp_.write(packet, sizeof(packet));
  waiting_ = udp_.endPacket() != 0;
}
