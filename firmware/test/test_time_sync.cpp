// SNTP packets, NTP -> Unix conversion and the millis()-driven wall clock.
#include <string.h>

#include "check.h"
#include "sf_sntp.h"
#include "sf_wall_clock.h"

namespace {

const uint32_t NONCE = 0xCAFEF00DUL;

void put_be32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

// A server reply for 2026-11-21T08:15:03.120Z answering a request carrying NONCE.
void server_reply(uint8_t packet[48]) {
  memset(packet, 0, 48);
  packet[0] = 0x24;  // LI 0, version 4, mode 4 (server)
  packet[1] = 2;     // stratum 2
  put_be32(packet + 28, NONCE);        // originate = our transmit timestamp
  put_be32(packet + 40, 0xEEABD187UL);  // 4004237703 s since 1900
  put_be32(packet + 44, 0x1EB851ECUL);  // 0.12 s
}

}  // namespace

TEST(sntp_request_is_a_version_4_client_packet) {
  uint8_t packet[48];
  memset(packet, 0xAA, sizeof(packet));
  sf::sntp_build_request(packet, NONCE);
  uint8_t expected[48];
  memset(expected, 0, sizeof(expected));
  expected[0] = 0x23;  // LI 0, VN 4, mode 3
  put_be32(expected + 44, NONCE);
  CHECK_BYTES(packet, 48, expected, 48);
}

TEST(sntp_response_gives_unix_milliseconds) {
  uint8_t packet[48];
  server_reply(packet);
  uint64_t unix_ms = 0;
  REQUIRE_EQ(sf::sntp_parse_response(packet, 48, NONCE, &unix_ms), sf::SNTP_OK);
  CHECK_EQ(unix_ms, 1795248903120ULL);
  packet[0] = 0x1C;  // version 3 servers are fine too
  CHECK_EQ(sf::sntp_parse_response(packet, 48, NONCE, &unix_ms), sf::SNTP_OK);
}

TEST(sntp_rejects_unusable_replies) {
  uint8_t packet[48];
  uint64_t unix_ms = 0;
  server_reply(packet);
  CHECK_EQ(sf::sntp_parse_response(packet, 47, NONCE, &unix_ms), sf::SNTP_TOO_SHORT);
  CHECK_EQ(sf::sntp_parse_response(packet, 48, NONCE + 1, &unix_ms), sf::SNTP_WRONG_ORIGIN);
  server_reply(packet);
  packet[0] = 0x23;  // a client packet echoed back
  CHECK_EQ(sf::sntp_parse_response(packet, 48, NONCE, &unix_ms), sf::SNTP_NOT_SERVER_REPLY);
  server_reply(packet);
  packet[1] = 0;  // kiss-o'-death
  CHECK_EQ(sf::sntp_parse_response(packet, 48, NONCE, &unix_ms), sf::SNTP_KISS_OF_DEATH);
  server_reply(packet);
  packet[0] = 0xE4;  // leap indicator 3: clock not synchronised
  CHECK_EQ(sf::sntp_parse_response(packet, 48, NONCE, &unix_ms), sf::SNTP_UNSYNCHRONIZED);
  server_reply(packet);
  memset(packet + 40, 0, 8);
  CHECK_EQ(sf::sntp_parse_response(packet, 48, NONCE, &unix_ms), sf::SNTP_NO_TIME);
  CHECK_EQ(unix_ms, 0);
}

TEST(ntp_to_unix_conversion_including_2036_era_rollover) {
  CHECK_EQ(sf::ntp_to_unix_ms(2208988800UL, 0), 0);                        // 1970-01-01
  CHECK_EQ(sf::ntp_to_unix_ms(0xEEABD187UL, 0x80000000UL), 1795248903500ULL);  // half a second
  CHECK_EQ(sf::ntp_to_unix_ms(0xFFFFFFFFUL, 0xFFFFFFFFUL), 2085978495999ULL);  // last instant of era 0
  CHECK_EQ(sf::ntp_to_unix_ms(0, 0), 2085978496000ULL);                     // 2036-02-07T06:28:16Z, era 1
  CHECK_EQ(sf::ntp_to_unix_ms(1000, 0), 2085979496000ULL);
  CHECK_EQ(sf::ntp_to_unix_ms(0x80000000UL, 0), 0);                        // 1968: before Unix time
}

TEST(wall_clock_is_unset_until_synced) {
  sf::WallClock clock;
  uint64_t unix_ms = 123;
  CHECK(!clock.is_set());
  CHECK(!clock.unix_ms_at(0, 0, &unix_ms));
  CHECK_EQ(unix_ms, 123);
}

TEST(wall_clock_advances_with_millis_and_dates_earlier_readings) {
  sf::WallClock clock;
  clock.set(1795248903120ULL, 5000);
  uint64_t unix_ms = 0;
  REQUIRE(clock.unix_ms_at(5000, 5000, &unix_ms));
  CHECK_EQ(unix_ms, 1795248903120ULL);
  REQUIRE(clock.unix_ms_at(5500, 65000, &unix_ms));  // reading taken 500 ms after the sync
  CHECK_EQ(unix_ms, 1795248903620ULL);
  REQUIRE(clock.unix_ms_at(1000, 65000, &unix_ms));  // taken 4 s before the first sync
  CHECK_EQ(unix_ms, 1795248899120ULL);
  CHECK_EQ(clock.ms_since_set(65000), 60000);
}

TEST(wall_clock_across_millis_wrap) {
  sf::WallClock clock;
  clock.set(1000000000000ULL, 0xFFFFFF00UL);
  uint64_t unix_ms = 0;
  REQUIRE(clock.unix_ms_at(0xFFFFFFF0UL, 0x00000100UL, &unix_ms));
  CHECK_EQ(unix_ms, 1000000000000ULL + 0xF0);
  CHECK_EQ(clock.ms_since_set(0x00000100UL), 0x200);
}
