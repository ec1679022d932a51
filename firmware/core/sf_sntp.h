// SNTP (RFC 4330) request/response over the 48-byte NTP packet, and NTP -> Unix time.
#ifndef SF_SNTP_H
#define SF_SNTP_H

#include <stddef.h>
#include <stdint.h>

namespace sf {

const uint8_t SNTP_PACKET_SIZE = 48;
const uint16_t SNTP_PORT = 123;
// Seconds from 1900-01-01 (NTP epoch) to 1970-01-01 (Unix epoch).
const uint32_t NTP_UNIX_EPOCH_OFFSET_S = 2208988800UL;

enum SntpStatus {
  SNTP_OK,
  SNTP_TOO_SHORT,
  SNTP_NOT_SERVER_REPLY,  // wrong mode or version
  SNTP_WRONG_ORIGIN,      // does not answer our request (stale or spoofed)
  SNTP_KISS_OF_DEATH,     // stratum 0: the server tells us to go away or back off
  SNTP_UNSYNCHRONIZED,    // leap indicator 3: the server has no time itself
  SNTP_NO_TIME,           // transmit timestamp is zero
};

// Client request: LI 0, version 4, mode 3 (client). The nonce goes into the
// transmit timestamp; the server copies it to the originate timestamp, which
// sntp_parse_response() checks.
void sntp_build_request(uint8_t packet[SNTP_PACKET_SIZE], uint32_t nonce);

// Validates a server reply and converts its transmit timestamp to Unix ms.
SntpStatus sntp_parse_response(const uint8_t* packet, size_t length, uint32_t nonce, uint64_t* unix_ms);

// NTP timestamp (seconds since 1900 + 32-bit binary fraction) -> Unix ms.
// NTP seconds wrap in February 2036 (era 1); like RFC 4330 section 3, values
// with the top bit clear are taken as era 1, so this covers 1970-2104
// (1968-1969, before Unix time, give 0).
uint64_t ntp_to_unix_ms(uint32_t ntp_seconds, uint32_t ntp_fraction);

}  // namespace sf

#endif
