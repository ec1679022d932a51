// Keeps the node's WallClock set from an SNTP server over UDP, without blocking the loop.
#ifndef SENSORFLOW_NODE_NTP_SYNC_H
#define SENSORFLOW_NODE_NTP_SYNC_H

#include <WiFiUdp.h>

#include "sf_wall_clock.h"

class NtpSync {
 public:
  NtpSync(const char* server, uint32_t resync_interval_ms);

  // Call from loop() while WiFi is up: sends a request when a sync is due and
  // picks up the answer on a later call.
  void poll(sf::WallClock& clock, uint32_t now_ms);

 private:
  bool sync_due(const sf::WallClock& clock, uint32_t now_ms) const;
  void send_request(uint32_t now_ms);

  WiFiUDP udp_;
  const char* server_;
  uint32_t resync_interval_ms_;
  bool socket_open_;
  bool waiting_;
  bool attempted_;
  uint32_t nonce_;
  uint32_t sent_ms_;
};

#endif
