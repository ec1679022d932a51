#include "sf_sntp.h"

namespace sf {

namespace {

// Byte offsets inside the NTP packet (RFC 4330 section 4).
const uint8_t OFFSET_FLAGS = 0;  // LI (2 bits) | VN (3 bits) | Mode (3 bits)
const uint8_t OFFSET_STRATUM = 1;
const uint8_t OFFSET_ORIGINATE = 24;
const uint8_t OFFSET_TRANSMIT = 40;

const uint8_t MODE_CLIENT = 3;
const uint8_t MODE_SERVER = 4;
const uint8_t LEAP_ALARM = 3;

uint32_t read_be32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | static_cast<uint32_t>(p[3]);
}

void write_be32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

}  // namespace

void sntp_build_request(uint8_t packet[SNTP_PACKET_SIZE], uint32_t nonce) {
  for (uint8_t i = 0; i < SNTP_PACKET_SIZE; ++i) packet[i] = 0;
  packet[OFFSET_FLAGS] = (0 << 6) | (4 << 3) | MODE_CLIENT;  // 0x23
  write_be32(packet + OFFSET_TRANSMIT + 4, nonce);
}

SntpStatus sntp_parse_response(const uint8_t* packet, size_t length, uint32_t nonce, uint64_t* unix_ms) {
  if (length < SNTP_PACKET_SIZE) return SNTP_TOO_SHORT;
  const uint8_t leap = packet[OFFSET_FLAGS] >> 6;
  const uint8_t version = (packet[OFFSET_FLAGS] >> 3) & 0x07;
  const uint8_t mode = packet[OFFSET_FLAGS] & 0x07;
  if (mode != MODE_SERVER || version < 3 || version > 4) return SNTP_NOT_SERVER_REPLY;
  if (read_be32(packet + OFFSET_ORIGINATE) != 0 || read_be32(packet + OFFSET_ORIGINATE + 4) != nonce) {
    return SNTP_WRONG_ORIGIN;
  }
  if (packet[OFFSET_STRATUM] == 0) return SNTP_KISS_OF_DEATH;
  if (leap == LEAP_ALARM) return SNTP_UNSYNCHRONIZED;
  const uint32_t seconds = read_be32(packet + OFFSET_TRANSMIT);
  const uint32_t fraction = read_be32(packet + OFFSET_TRANSMIT + 4);
  if (seconds == 0 && fraction == 0) return SNTP_NO_TIME;
  *unix_ms = ntp_to_unix_ms(seconds, fraction);
  if (*unix_ms == 0) return SNTP_NO_TIME;
  return SNTP_OK;
}

uint64_t ntp_to_unix_ms(uint32_t ntp_seconds, uint32_t ntp_fraction) {
  uint64_t unix_seconds;
  if (ntp_seconds & 0x80000000UL) {
    if (ntp_seconds < NTP_UNIX_EPOCH_OFFSET_S) return 0;  // 1968-1969: before Unix time
    unix_seconds = ntp_seconds - NTP_UNIX_EPOCH_OFFSET_S;  // era 0: 1970-2036
  } else {
    unix_seconds = (static_cast<uint64_t>(ntp_seconds) + 0x100000000ULL) - NTP_UNIX_EPOCH_OFFSET_S;  // era 1
  }
  // The fraction counts units of 2^-32 s.
  const uint32_t ms = static_cast<uint32_t>((static_cast<uint64_t>(ntp_fraction) * 1000) >> 32);
  return unix_seconds * 1000 + ms;
}

}  // namespace sf
